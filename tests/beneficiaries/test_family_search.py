"""The family list's text search: what it finds, that it follows every change to a family
or its members, and that an index answers it (beneficiaries.search)."""

import pytest
from django.db import connection
from django.urls import reverse_lazy

from beneficiaries import search
from beneficiaries.models import Family
from tests.factories import FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db

LIST = reverse_lazy("beneficiaries:family_list")


def found(client, query) -> set[int]:
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    return {row.record.pk for row in response.context["table"].page.object_list}


@pytest.fixture
def director(client_for, personas):
    return client_for(personas.director)


@pytest.fixture
def household(samarkand):
    family = FamilyFactory(branch=samarkand, case_number="SAM-2016-0042", phone="+998 90 123 45 67")
    PersonFactory(family=family, full_name="Olmatova Sevara", pinfl="41234567855555")
    PersonFactory(family=family, full_name="Олматов Бобур", phone="+998 91 765 43 21")
    FamilyFactory(branch=samarkand, case_number="SAM-2016-0043", phone="")
    return family


@pytest.mark.parametrize(
    "query",
    [
        "olmatova sev",  # the start of a name
        "MATOVA SEVARA",  # the middle of one, in capitals
        "ОЛМАТОВ",  # Cyrillic capitals find Cyrillic small letters
        "2016-0042",  # part of the case number
        "90 123 45",  # the phone as written
        "901234567",  # the phone without its spaces
        "91 765",  # a member's phone
        "41234567855555",  # a PINFL
        "  sevara  ",  # spaces around
    ],
)
def test_finds_a_family_by_any_of_its_words(director, household, query):
    assert found(director, query) == {household.pk}


def test_finds_nothing_for_a_text_no_family_has(director, household):
    assert found(director, "nobody such") == set()
    assert found(director, "%") == set()  # a wildcard is taken literally


def test_an_empty_search_lists_every_family(director, household):
    assert len(found(director, "   ")) == 2


def test_follows_members_renamed_added_and_removed(director, household):
    sevara = household.members.get(full_name="Olmatova Sevara")
    sevara.full_name = "Yusupova Sevara"
    sevara.save()
    assert found(director, "olmatova sev") == set()
    assert found(director, "yusupova") == {household.pk}
    PersonFactory(family=household, full_name="Yusupov Timur")
    assert found(director, "timur") == {household.pk}
    sevara.delete()
    assert found(director, "yusupova") == set()


def test_follows_the_familys_own_fields(director, household):
    household.phone = "+998 93 000 11 22"
    household.save()
    assert found(director, "93 000") == {household.pk}
    assert found(director, "90 123") == set()


def test_refresh_rewrites_only_what_changed(household):
    assert search.refresh([household.pk]) == 0
    Family.objects.filter(pk=household.pk).update(search_text="stale")
    assert search.refresh([household.pk]) == 1
    household.refresh_from_db()
    assert "olmatova sevara" in household.search_text.split("\n")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 trigram table")
def test_sqlite_answers_from_the_trigram_table(household):
    condition = search.matching("olmatova")
    sql, params = Family.objects.filter(condition).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "VIRTUAL TABLE" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers on rebuilds")
def test_sqlite_index_is_rebuilt_when_a_migration_dropped_its_triggers(director, household):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {search.FTS_TABLE}_update")
        cursor.execute(f"DROP TRIGGER {search.FTS_TABLE}_insert")
    assert search.ensure_index() is True
    assert search.ensure_index() is False
    assert found(director, "olmatova") == {household.pk}
    PersonFactory(family=FamilyFactory(), full_name="Qodirova Nilufar")
    assert len(found(director, "qodirova nil")) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pg_trgm index")
def test_postgresql_has_the_trigram_index(household):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [search.PG_INDEX])
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
    assert search.ensure_index() is False


def test_caseworker_may_narrow_the_list_to_their_own_caseload(client_for, personas, samarkand):
    own = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    FamilyFactory(branch=samarkand, caseworker=None)
    client = client_for(personas.caseworker)
    response = client.get(LIST, {"mine": "on"})
    assert {row.record.pk for row in response.context["table"].page.object_list} == {own.pk}
    assert len(client.get(LIST).context["table"].page.object_list) == 2
    assert 'name="mine"' in client.get(LIST).content.decode()
    # A director follows no caseload: the box is not offered.
    assert 'name="mine"' not in client_for(personas.director).get(LIST).content.decode()
