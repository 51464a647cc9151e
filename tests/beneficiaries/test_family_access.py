"""Who may open the family pages: allowed 200, forbidden role 403, out of scope 404."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from openpyxl import load_workbook

from beneficiaries.access import may_edit_family, sees_sensitive
from beneficiaries.models import Family
from tests.beneficiaries.factories import DevelopmentPlanFactory, PlanGoalFactory
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db

FORBIDDEN = ["trainer", "manager", "outsider"]


def detail(family):
    return reverse("beneficiaries:family_detail", args=[family.pk])


def edit(family):
    return reverse("beneficiaries:family_update", args=[family.pk])


LIST = reverse_lazy("beneficiaries:family_list")
OLD_EXPORT = reverse_lazy("beneficiaries:family_export")  # before the list exported itself


@pytest.mark.parametrize("persona", ["director", "caseworker", "auditor"])
def test_list_is_open_to_family_roles(client_for, personas, families, persona):
    response = client_for(getattr(personas, persona)).get(LIST)
    assert response.status_code == 200
    shown = {row.record.pk for row in response.context["table"].page.object_list}
    if persona == "caseworker":
        assert shown == {families.own.pk, families.colleague.pk}
    else:
        assert shown == {families.own.pk, families.colleague.pk, families.far.pk}


@pytest.mark.parametrize("persona", FORBIDDEN)
def test_list_is_forbidden_to_other_roles(client_for, personas, families, persona):
    response = client_for(getattr(personas, persona)).get(LIST)
    assert response.status_code == 403
    assert families.own.case_number.encode() not in response.content


@pytest.mark.parametrize("persona", ["director", "caseworker", "auditor"])
def test_detail_is_open_in_scope(client_for, personas, families, persona):
    response = client_for(getattr(personas, persona)).get(detail(families.own))
    assert response.status_code == 200
    assert "Rahimova Feruza" in response.content.decode()


@pytest.mark.parametrize("persona", FORBIDDEN)
def test_detail_is_forbidden_to_other_roles(client_for, personas, families, persona):
    assert client_for(getattr(personas, persona)).get(detail(families.own)).status_code == 403


def test_detail_of_another_branch_is_404(client_for, personas, families):
    client = client_for(personas.caseworker)
    response = client.get(detail(families.far))
    assert response.status_code == 404
    assert b"Nazarova Lola" not in response.content


@pytest.mark.parametrize(
    ("persona", "which", "status"),
    [
        ("caseworker", "own", 200),
        ("caseworker", "colleague", 403),  # same branch, another caseworker's caseload
        ("caseworker", "far", 404),  # another branch
        ("caseworker_tashkent", "far", 200),
        ("director", "far", 200),
        ("auditor", "own", 403),
        ("trainer", "own", 403),
        ("manager", "own", 403),
        ("outsider", "own", 403),
    ],
)
def test_edit_page(client_for, personas, families, persona, which, status):
    family = getattr(families, which)
    assert client_for(getattr(personas, persona)).get(edit(family)).status_code == status


@pytest.mark.parametrize(
    ("persona", "which", "status"),
    [
        ("caseworker", "own", 200),
        ("caseworker", "colleague", 403),
        ("caseworker", "far", 404),
        ("director", "own", 200),
        ("auditor", "own", 403),
        ("trainer", "own", 403),
    ],
)
@pytest.mark.parametrize("action", ["family_exit", "family_close", "family_plan"])
def test_case_action_pages(client_for, personas, families, persona, which, status, action):
    url = reverse(f"beneficiaries:{action}", args=[getattr(families, which).pk])
    assert client_for(getattr(personas, persona)).get(url).status_code == status


@pytest.mark.parametrize("persona", ["director", "caseworker"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_for_roles_that_may_export_personal_data(
    client_for, personas, families, persona, fmt
):
    response = client_for(getattr(personas, persona)).get(LIST, {"_export": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="families.{fmt}"'
    if fmt == "csv":
        body = response.content.decode()
        assert families.own.case_number in body
        assert "Rahimova Feruza" in body  # head of household column
        # out of scope rows never leave the building
        assert (families.far.case_number in body) is (persona == "director")
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("Case number", "Head of household", "Members")
        numbers = {row[0] for row in rows[1:]}
        assert families.own.case_number in numbers
        assert (families.far.case_number in numbers) is (persona == "director")


def test_export_follows_the_filters(client_for, personas, families):
    response = client_for(personas.director).get(LIST, {"_export": "csv", "q": "Nazarova"})
    body = response.content.decode()
    assert families.far.case_number in body
    assert families.own.case_number not in body


@pytest.mark.parametrize("persona", ["auditor", "trainer", "manager", "outsider"])
def test_export_is_forbidden_without_the_export_permission(client_for, personas, families, persona):
    response = client_for(getattr(personas, persona)).get(LIST, {"_export": "csv"})
    assert response.status_code == 403
    assert families.own.case_number.encode() not in response.content


def test_export_buttons_only_for_exporters(client_for, personas, families):
    assert b"_export=csv" in client_for(personas.caseworker).get(LIST).content
    assert b"_export=xlsx" in client_for(personas.caseworker).get(LIST).content
    assert b"_export=" not in client_for(personas.auditor).get(LIST).content


def test_export_buttons_keep_the_filters_and_drop_the_page(client_for, personas, families):
    page = client_for(personas.caseworker).get(LIST, {"q": "Rahimova", "page": "1"})
    assert b'href="?q=Rahimova&amp;_export=csv"' in page.content


def test_the_old_export_address_leads_to_the_list_export(client_for, personas, families):
    client = client_for(personas.director)
    response = client.get(OLD_EXPORT, {"format": "csv", "q": "Nazarova"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?q=Nazarova&_export=csv"
    assert families.far.case_number in client.get(response["Location"]).content.decode()
    assert client_for(personas.auditor).get(response["Location"]).status_code == 403


def test_an_unknown_export_format_is_400_with_a_message(client_for, personas, families):
    response = client_for(personas.director).get(LIST, {"_export": "pdf"})
    assert response.status_code == 400
    assert "csv, xlsx" in response.content.decode()


def test_plan_and_notes_shown_to_caseworkers_of_the_branch(client_for, personas, families):
    families.own.notes = "Father drinks; mother asked for help."
    families.own.save()
    PlanGoalFactory(plan=DevelopmentPlanFactory(family=families.own), description="Sew")
    for persona in ("caseworker", "director", "auditor"):
        page = client_for(getattr(personas, persona)).get(detail(families.own)).content.decode()
        assert "Father drinks" in page
        assert "Sew" in page


def test_sensitive_rule(personas, families):
    assert sees_sensitive(personas.caseworker, families.own)
    assert not sees_sensitive(personas.caseworker, families.far)
    assert sees_sensitive(personas.auditor, families.far)
    assert not sees_sensitive(personas.trainer, families.own)


def test_edit_rule(personas, families):
    assert may_edit_family(personas.caseworker, families.own)
    assert not may_edit_family(personas.caseworker, families.colleague)
    assert not may_edit_family(personas.caseworker, families.far)
    assert may_edit_family(personas.director, families.far)
    assert not may_edit_family(personas.auditor, families.own)


def make_families(count, branch, caseworker):
    Family.objects.bulk_create(
        Family(
            case_number=f"SAM-2015-{n:05d}",
            branch=branch,
            caseworker=caseworker,
            intake_date=datetime.date(2015, 1, 1) + datetime.timedelta(days=n % 365),
            status="active",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("persona", ["caseworker", "director"])
def test_list_query_count_does_not_grow_with_families(
    client_for, personas, samarkand, django_assert_num_queries, persona
):
    client = client_for(getattr(personas, persona))
    make_families(20, samarkand, personas.caseworker)
    FamilyFactory(branch=samarkand)  # one with a makhalla and members, for the joins
    client.get(LIST)  # warm the session
    # session, user, roles and permissions (one query: accounts.access_facts), the
    # caseworker's branches (beneficiaries.access; not for the director), count, page rows
    # (head of household and member count are columns), the filter form's branches and
    # makhallas: read on every request, nothing kept between requests
    expected = 8 if persona == "caseworker" else 7
    with django_assert_num_queries(expected):
        response = client.get(LIST, {"sort": "head_name"})
    assert len(response.context["table"].page.object_list) == 21
    Family.objects.filter(case_number__startswith="SAM-2015-").delete()
    make_families(2000, samarkand, personas.caseworker)
    with django_assert_num_queries(expected):
        response = client.get(LIST, {"sort": "head_name"})
    assert response.context["table"].paginator.count == 2001
    assert len(response.context["table"].page.object_list) == 25


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", ["Семьи", "Социальный работник", "Активна"]),
        ("uz", ["Oilalar", "Ijtimoiy xodim", "Faol"]),
    ],
)
def test_family_list_speaks_russian_and_uzbek(client_for, personas, families, language, words):
    client = client_for(personas.director)
    client.post(reverse("accounts:set_language"), {"language": language, "next": LIST})
    page = client.get(LIST).content.decode()
    for word in words:
        assert word in page


@pytest.mark.parametrize("action", ["family_update", "family_plan", "family_placement_create"])
def test_a_family_that_has_left_is_read_only(client_for, personas, families, action):
    families.own.status = "exited"
    families.own.exit_date = datetime.date(2025, 1, 1)
    families.own.exit_reason = "moved_away"
    families.own.save()
    client = client_for(personas.caseworker)
    assert client.get(reverse(f"beneficiaries:{action}", args=[families.own.pk])).status_code == 403
    page = client.get(detail(families.own)).content.decode()
    assert reverse(f"beneficiaries:{action}", args=[families.own.pk]) not in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_families(
    client_for, personas, samarkand, django_assert_num_queries, fmt
):
    client = client_for(personas.caseworker)
    make_families(10, samarkand, personas.caseworker)
    client.get(LIST, {"_export": fmt})  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"_export": fmt})
    Family.objects.filter(case_number__startswith="SAM-2015-").delete()
    make_families(60, samarkand, personas.caseworker)
    # The same queries as for ten families (session, user, the role's permissions, and the
    # rows with head of household and member count as subqueries, branch, makhalla and
    # caseworker joined); no count and no page of ids, as the export is not paginated.
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"_export": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        assert response.content.decode().count("SAM-2015-") == 60
