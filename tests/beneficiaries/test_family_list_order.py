"""The family list sorted by head of household and by size (stored columns kept by
beneficiaries.search.refresh), and a search's pages counted in the page's query."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse, reverse_lazy

from beneficiaries import search
from beneficiaries.imports import import_families
from beneficiaries.models import Family, Person
from beneficiaries.selectors import HEAD_FIRST
from tests.beneficiaries.test_family_case import registration
from tests.beneficiaries.test_family_import import as_csv, family_rows
from tests.factories import FamilyFactory, MakhallaFactory, PersonFactory

pytestmark = pytest.mark.django_db

LIST = reverse_lazy("beneficiaries:family_list")
PER_PAGE = 25


def listed(client, **params) -> list[Family]:
    """Every row of the list, page after page, in the order shown."""
    rows, page = [], 1
    while True:
        response = client.get(LIST, {**params, "page": page})
        assert response.status_code == 200
        table = response.context["table"]
        rows += [row.record for row in table.page.object_list]
        if not table.page.has_next():
            return rows
        page += 1


def computed_columns() -> dict[int, tuple[str, int]]:
    """{family id: (head name, member count)} asked of the members themselves, the way the
    list asked before the columns were kept: the head first, then the oldest, then by id."""
    head = Person.objects.filter(family=OuterRef("pk")).order_by(HEAD_FIRST, "birth_date", "id")
    families = Family.objects.annotate(
        computed_head=Subquery(head.values("full_name")[:1]), computed_size=Count("members")
    )
    return {f.pk: (f.computed_head or "", f.computed_size) for f in families}


def stored_columns() -> dict[int, tuple[str, int]]:
    return {
        pk: (h, n) for pk, h, n in Family.objects.values_list("pk", "head_name", "member_count")
    }


@pytest.fixture
def director(client_for, personas):
    return client_for(personas.director)


@pytest.fixture
def caseload(samarkand):
    """Thirty-four families over two pages: heads sharing a name (ties broken by id),
    families of equal size across the page break, one without members, one whose head of
    household is not its oldest member, one with no head (the oldest member stands in)."""
    names = [
        "Aliyeva Madina",
        "Boboyev Sardor",
        "Aliyeva Madina",
        "Olmatova Sevara",
        "Юсупова Нилуфар",
    ]
    families = []
    for n in range(32):
        family = FamilyFactory(branch=samarkand, intake_date=datetime.date(2020, 1, 1 + n % 28))
        PersonFactory(
            family=family, full_name=names[n % len(names)], birth_date=datetime.date(1990, 1, 1)
        )
        for child in range(n % 3):
            PersonFactory(
                family=family,
                full_name=f"Bola {n}-{child}",
                relationship="child",
                birth_date=datetime.date(1960, 1, 1),  # older than the head: not shown
            )
        families.append(family)
    FamilyFactory(branch=samarkand)  # no members: "" and 0
    headless = FamilyFactory(branch=samarkand)
    PersonFactory(
        family=headless,
        full_name="Zokirov Anvar",
        relationship="child",
        birth_date=datetime.date(2001, 1, 1),
    )
    PersonFactory(
        family=headless,
        full_name="Xolmatova Gulnora",
        relationship="spouse",
        birth_date=datetime.date(1970, 1, 1),
    )
    return families  # fmt: skip


@pytest.mark.parametrize("column", ["head_name", "member_count"])
@pytest.mark.parametrize("descending", [False, True])
def test_sorted_list_equals_a_python_sort(director, caseload, column, descending):
    columns = computed_columns()
    assert len(columns) == 34
    index = 0 if column == "head_name" else 1
    expected = sorted(columns, key=lambda pk: (columns[pk][index], pk), reverse=descending)
    shown = listed(director, sort=f"-{column}" if descending else column)
    assert [family.pk for family in shown] == expected  # two pages, no row twice or missing
    assert [(f.head_name, f.member_count) for f in shown] == [columns[pk] for pk in expected]


def test_head_and_size_shown_as_the_members_say(director, caseload):
    page = director.get(LIST, {"sort": "-head_name"}).content.decode()
    assert "Юсупова Нилуфар" in page
    assert "Xolmatova Gulnora" in page  # no head: the oldest member
    assert "Bola" not in page  # an older child is not the head
    assert stored_columns() == computed_columns()


def test_columns_follow_every_change_of_members(samarkand):
    family = FamilyFactory(branch=samarkand)
    assert stored_columns()[family.pk] == ("", 0)
    mother = PersonFactory(
        family=family,
        full_name="Rahimova Feruza",
        relationship="spouse",
        birth_date=datetime.date(1985, 1, 1),
    )
    assert stored_columns()[family.pk] == ("Rahimova Feruza", 1)
    father = PersonFactory(
        family=family,
        full_name="Rahimov Ali",
        relationship="head",
        birth_date=datetime.date(1988, 1, 1),
    )
    child = PersonFactory(
        family=family,
        full_name="Rahimov Bobur",
        relationship="child",
        birth_date=datetime.date(2015, 1, 1),
    )
    assert stored_columns()[family.pk] == ("Rahimov Ali", 3)
    father.full_name = "Rahimov Alisher"
    father.save()
    assert stored_columns()[family.pk] == ("Rahimov Alisher", 3)
    father.relationship = "spouse"  # the head changes: now the oldest, the mother
    father.save()
    assert stored_columns()[family.pk] == ("Rahimova Feruza", 3)
    child.relationship = "head"
    child.save()
    assert stored_columns()[family.pk] == ("Rahimov Bobur", 3)
    child.delete()
    assert stored_columns()[family.pk] == ("Rahimova Feruza", 2)
    mother.delete()
    father.delete()
    assert stored_columns()[family.pk] == ("", 0)  # fmt: skip


def test_a_member_moved_to_another_family_leaves_both_right(samarkand):
    first, second = FamilyFactory(branch=samarkand), FamilyFactory(branch=samarkand)
    PersonFactory(family=first, full_name="Qodirova Nilufar")
    moving = PersonFactory(family=first, full_name="Qodirov Timur", relationship="child")
    moving = Person.objects.get(pk=moving.pk)  # as the admin reads it
    moving.family = second
    moving.save()
    assert stored_columns()[second.pk] == ("Qodirov Timur", 1)
    assert stored_columns()[first.pk] == ("Qodirova Nilufar", 1)


def test_registration_through_the_form_fills_the_columns(client_for, personas, samarkand):
    client = client_for(personas.caseworker)
    response = client.post(reverse("beneficiaries:family_create"), registration(samarkand))
    assert response.status_code == 302
    family = Family.objects.get()
    assert (family.head_name, family.member_count) == ("Yusupova Malika", 3)


def test_bulk_import_fills_the_columns(personas, samarkand):
    MakhallaFactory(branch=samarkand, name="Registon")
    result = import_families(upload=as_csv(family_rows(3)), user=personas.caseworker)
    assert result.families_created == 3
    assert stored_columns() == computed_columns()
    assert set(Family.objects.values_list("head_name", "member_count")) == {
        (f"Saidova Kamola {n}", 2) for n in (1, 2, 3)
    }


def test_seed_demo_fills_the_columns(settings):
    settings.DEBUG = True
    call_command("seed_demo", families=40, seed=3)
    stored = stored_columns()
    assert len(stored) == 40
    assert stored == computed_columns()
    assert all(head and size for head, size in stored.values())


def test_refresh_can_be_narrowed_to_some_columns(samarkand):
    family = FamilyFactory(branch=samarkand)
    PersonFactory(family=family, full_name="Umarova Zarina")
    Family.objects.filter(pk=family.pk).update(head_name="stale", member_count=7, search_text="x")
    assert search.refresh([family.pk], columns=["member_count"]) == 1
    assert Family.objects.values_list("head_name", "member_count", "search_text").get() == (
        "stale",
        1,
        "x",
    )
    assert search.refresh([family.pk]) == 1
    family.refresh_from_db()
    assert (family.head_name, family.member_count) == ("Umarova Zarina", 1)
    assert "umarova zarina" in family.search_text  # fmt: skip


# --- a search's pages -------------------------------------------------------------------


@pytest.fixture
def namesakes(samarkand):
    """Thirty families with a Karimova Dilnoza, four without."""
    found = []
    for n in range(30):
        family = FamilyFactory(
            branch=samarkand,
            intake_date=datetime.date(2021, 1, 1 + n % 28),
            # Named against the order of their ids: a sort by id would show another page.
            makhalla=MakhallaFactory(branch=samarkand, name=f"Makhalla {29 - n:02d}"),
        )
        PersonFactory(family=family, full_name=f"Karimova Dilnoza {n:02d}")
        found.append(family.pk)
    for _n in range(4):
        PersonFactory(family=FamilyFactory(branch=samarkand), full_name="Tursunova Aziza")
    return found


@pytest.mark.parametrize(
    "sort", [None, "head_name", "-member_count", "caseworker", "makhalla", "-makhalla"]
)
def test_a_search_pages_through_its_matches_once_each(director, namesakes, sort):
    params = {"q": "karimova dilnoza"} | ({"sort": sort} if sort else {})
    first = director.get(LIST, params).context["table"]
    assert first.paginator.count == 30
    assert first.paginator.num_pages == 2
    shown = listed(director, **params)
    assert sorted(family.pk for family in shown) == sorted(namesakes)
    if sort == "head_name":
        assert [f.head_name for f in shown] == [f"Karimova Dilnoza {n:02d}" for n in range(30)]
    if sort and sort.endswith("makhalla"):
        # By the makhalla's name, not by its id.
        names = [family.makhalla.name for family in shown]
        assert names == sorted(names, reverse=sort.startswith("-"))


def test_a_search_past_its_last_page_shows_the_last(director, namesakes):
    response = director.get(LIST, {"q": "dilnoza", "page": 9})
    table = response.context["table"]
    assert table.page.number == 2
    assert len(table.page.object_list) == 5
    assert director.get(LIST, {"q": "nobody such"}).context["table"].paginator.count == 0


def test_a_search_costs_no_more_queries_than_the_plain_list(
    client_for, personas, namesakes, django_assert_num_queries
):
    client = client_for(personas.director)
    client.get(LIST)  # warm the session
    # session, user, roles and permissions (one query), the page's ids with the count (one
    # query), the page's rows, the filter form's branches and makhallas: as many as the
    # plain list (session, user, roles and permissions, count, page, branches, makhallas)
    with django_assert_num_queries(7):
        response = client.get(LIST, {"q": "karimova", "page": 2})
    assert response.context["table"].paginator.count == 30
    assert len(response.context["table"].page.object_list) == 5


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("ZI", 4),  # two characters: no trigram, answered by a scan ("Aziza")
        ("a 0", 10),  # three characters across words
        ('ova" Dil', 0),  # a quote is a character, not FTS5 syntax
        ("DILNOZA 2", 10),
    ],
)
def test_short_and_odd_needles(director, namesakes, query, count):
    assert director.get(LIST, {"q": query}).context["table"].paginator.count == count


def test_trigram_query_takes_a_few_spread_trigrams():
    assert search.trigram_query("abc") == '"abc"'
    assert search.trigram_query("karimova dilnoza") == '"kar" AND "mov" AND "dil" AND "oza"'
    assert search.trigram_query('a"bcd') == '"a""b" AND """bc" AND "bcd"'
    assert search.trigram_query("aaaa") == '"aaa"'
