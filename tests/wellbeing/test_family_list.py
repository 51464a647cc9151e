"""The family list's well-being column and filter (wellbeing.family_list, registered with
the core): the light of the stored score, "ready to exit" and the lights as filters that
count what the caseworker's home tiles count, and no query more."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import FamilyFactory
from wellbeing.models import FamilyScore
from wellbeing.selectors import caseworker_panel

pytestmark = pytest.mark.django_db
LIST = reverse("beneficiaries:family_list")


@pytest.fixture
def caseload(personas, samarkand):
    """Families of the Samarkand caseworker: two ready to exit (one of them exited, so not
    counted), a green, an amber, a red, one never assessed."""

    def family(status="active", **score):
        found = FamilyFactory(
            branch=samarkand,
            caseworker=personas.caseworker,
            status=status,
            intake_date=datetime.date(2024, 1, 1),
            **(
                {"exit_date": datetime.date(2025, 6, 1), "exit_reason": "moved_away"}
                if status == "exited"
                else {}
            ),
        )
        if score:
            FamilyScore.objects.create(family=found, **score)
        return found

    return {
        "ready": family(light="green", score=81, exit_ready=True),
        "ready_exited": family("exited", light="green", score=80, exit_ready=True),
        "green": family(light="green", score=72),
        "amber": family(light="amber", score=55),
        "red": family(light="red", score=20),
        "unassessed": family(),
    }


def shown(response):
    return {row.record.pk for row in response.context["table"].page.object_list}


@pytest.mark.parametrize("choice", ["ready", "green", "amber", "red", "unassessed"])
def test_each_choice_lists_what_the_tile_counts(client_for, personas, caseload, choice):
    response = client_for(personas.caseworker).get(LIST, {"mine": "on", "wellbeing": choice})
    counts = caseworker_panel(personas.caseworker)["counts"]
    assert response.context["table"].paginator.count == counts[choice]
    expected = {
        "ready": {caseload["ready"].pk},
        "green": {caseload["ready"].pk, caseload["green"].pk},
        "amber": {caseload["amber"].pk},
        "red": {caseload["red"].pk},
        "unassessed": {caseload["unassessed"].pk},
    }[choice]
    assert shown(response) == expected


def test_the_column_shows_the_light_and_score(client_for, personas, caseload):
    page = client_for(personas.director).get(LIST).content.decode()
    assert 'data-light="amber"' in page and "Amber · 55" in page
    assert "Well-being" in page


def test_the_filter_and_column_are_not_for_a_caseworker_of_another_branch(
    client_for, personas, caseload
):
    response = client_for(personas.caseworker_tashkent).get(LIST, {"wellbeing": "ready"})
    assert shown(response) == set()  # the Samarkand families are not theirs to see at all


def test_the_column_costs_no_query(client_for, personas, caseload, django_assert_num_queries):
    client = client_for(personas.caseworker)
    client.get(LIST)
    # As tests/beneficiaries/test_family_access.py: session, user and roles, branches,
    # count, page rows (with the score joined), the form's branches and makhallas.
    with django_assert_num_queries(8):
        response = client.get(LIST, {"wellbeing": "green"})
    assert len(shown(response)) == 2
    with django_assert_num_queries(8):
        client.get(LIST)
