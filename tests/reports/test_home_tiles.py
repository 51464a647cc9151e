"""Each home-page tile links to the list it counts, and that list holds as many rows as the
tile says (the caseworker's and the programme manager's home pages)."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from tests.beneficiaries.factories import DevelopmentPlanFactory
from tests.factories import FamilyFactory
from wellbeing.models import FamilyScore

pytestmark = pytest.mark.django_db
D = datetime.date
TILE = re.compile(r'<dd><a (?:id="[^"]*" )?href="([^"]+)"(?: id="[^"]*")?>(\d+)</a></dd>')


@pytest.fixture
def caseload(personas, samarkand, tashkent):
    def family(status="active", branch=samarkand, caseworker=None, **score):
        extra = {}
        if status in ("exited", "closed"):
            extra = {"exit_date": D(2025, 6, 1), "exit_reason": "moved_away"}
        if status == "closed":
            extra["exit_reason"] = ""
        found = FamilyFactory(
            branch=branch,
            caseworker=caseworker or personas.caseworker,
            status=status,
            intake_date=D(2024, 1, 1),
            **extra,
        )
        if score:
            FamilyScore.objects.create(family=found, **score)
        return found

    family(light="green", score=81, exit_ready=True, next_due=D(2099, 1, 1))
    family(light="amber", score=55, next_due=D(2020, 1, 1))
    family(light="red", score=20, next_due=D(2099, 1, 1))
    family("referred")
    family("exited", light="green", score=40, falling_back=True, exit_score=75)
    DevelopmentPlanFactory(family=family(), next_review=D(2020, 1, 1))
    family(branch=tashkent, caseworker=personas.caseworker_tashkent, light="red", score=10)


def tiles(client):
    page = client.get(reverse("reports:home")).content.decode()
    family_list = reverse("beneficiaries:family_list")
    return [
        (html.unescape(href), int(number))
        for href, number in TILE.findall(page)
        if href.startswith(family_list + "?")
    ]


@pytest.mark.parametrize(("persona", "at_least"), [("caseworker", 18), ("director", 11)])
def test_each_tile_equals_the_list_it_links_to(client_for, personas, caseload, persona, at_least):
    client = client_for(getattr(personas, persona))
    found = tiles(client)
    assert len(found) >= at_least
    assert any(number for _href, number in found)  # the data shows in some tiles
    for href, number in found:
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.context["table"].paginator.count == number, href
