"""Stale cases: each kind of overdue work flags the family on its page, counts on the home
pages (scoped) and filters the family list, by one definition (wellbeing/stale.py)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.choices import ExitReason, FamilyStatus, LivingArrangement
from beneficiaries.models import ChildPlacement, DevelopmentPlan
from common.months import add_months, month_start, shift_months
from enterprises.choices import BusinessStatus, Sector
from enterprises.models import Business, FollowUp
from tests.factories import ChildFactory, FamilyFactory, PersonFactory, branch
from tests.wellbeing.factories import household, record_levels
from wellbeing.models import WellbeingRule
from wellbeing.scores import family_scores_recompute
from wellbeing.stale import KINDS

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()
LIST = reverse("beneficiaries:family_list")


def _assessed(personas, code="SAM", days_ago=30, **fields):
    """A family in service assessed `days_ago` days ago: nothing overdue when recent."""
    caseworker = personas.caseworker if code == "SAM" else personas.caseworker_tashkent
    family = household(
        2, branch=branch(code), caseworker=caseworker, intake_date=D(2020, 1, 1), **fields
    )
    record_levels(family, TODAY - datetime.timedelta(days=days_ago), {}, kind="intake")
    return family


def _business(family, *, started, follow_up_month=None):
    business = Business.objects.create(
        family=family,
        owner=family.members.first(),
        name="Bakery",
        sector=Sector.BAKERY,
        status=BusinessStatus.STARTED,
        started_on=started,
    )
    if follow_up_month:
        FollowUp.objects.create(
            business=business, month=follow_up_month, revenue=1_000_000, costs=400_000
        )


@pytest.fixture
def cases(personas):
    """{name: family}, and the kinds each one is expected to be overdue for."""
    last_full = add_months(month_start(TODAY), -1)
    fine = _assessed(personas)
    DevelopmentPlan.objects.create(family=fine, next_review=TODAY + datetime.timedelta(days=30))
    _business(fine, started=D(2023, 1, 5), follow_up_month=last_full)
    home_again = ChildFactory(family=fine)
    ChildPlacement.objects.create(
        person=home_again, arrangement=LivingArrangement.ALTERNATIVE_CARE, start_date=D(2023, 1, 1)
    )
    ChildPlacement.objects.create(
        person=home_again, arrangement=LivingArrangement.WITH_FAMILY, start_date=D(2023, 9, 1)
    )
    recently_in_care = ChildFactory(family=fine)
    ChildPlacement.objects.create(
        person=recently_in_care,
        arrangement=LivingArrangement.SHORT_TERM_CARE,
        start_date=TODAY - datetime.timedelta(days=20),
    )
    assessment = _assessed(personas, days_ago=250)  # six months between assessments
    plan = _assessed(personas)
    DevelopmentPlan.objects.create(family=plan, next_review=D(2016, 5, 1))  # ten years
    business = _assessed(personas)
    _business(business, started=D(2023, 1, 5), follow_up_month=add_months(last_full, -2))
    in_care = _assessed(personas)
    child = ChildFactory(family=in_care)
    ChildPlacement.objects.create(
        person=child,
        arrangement=LivingArrangement.ALTERNATIVE_CARE,
        start_date=shift_months(TODAY, -7),
    )
    followed = household(
        2,
        branch=branch("SAM"),
        caseworker=personas.caseworker,
        intake_date=D(2020, 1, 1),
        status=FamilyStatus.EXITED,
        exit_reason=ExitReason.WELL_BEING_RESTORED,
        exit_date=shift_months(TODAY, -8),
    )
    record_levels(followed, shift_months(TODAY, -8), {}, kind="exit")
    family_scores_recompute(family_ids=[followed.pk])
    never = FamilyFactory(
        branch=branch("SAM"), caseworker=personas.caseworker, intake_date=D(2025, 1, 1)
    )
    PersonFactory(family=never)  # no score row yet: due since its intake
    tashkent = _assessed(personas, code="TAS", days_ago=400)
    return {
        "families": {
            "fine": fine,
            "assessment": assessment,
            "plan": plan,
            "business": business,
            "in_care": in_care,
            "followed": followed,
            "never": never,
            "tashkent": tashkent,
        },
        "expected": {
            "assessment": {"assessment", "never", "tashkent"},
            "plan_review": {"plan"},
            "follow_up": {"followed"},
            "business_follow_up": {"business"},
            "child_in_care": {"in_care"},
        },
    }


def _listed(client, **query) -> set[int]:
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert response.context["table"].paginator.count < 25  # one page
    return {row.record.pk for row in response.context["table"].page.object_list}


def _flags(client, family) -> set[str]:
    page = client.get(family.get_absolute_url()).content.decode()
    return set(re.findall(r'data-stale="([a-z_]+)"', page))


def test_the_filter_equals_the_flags_for_every_kind(client_for, personas, cases):
    families = cases["families"]
    director = client_for(personas.director)
    flagged = {name: _flags(director, family) for name, family in families.items()}
    for code, _label in KINDS:
        wanted = {families[name].pk for name in cases["expected"][code]}
        assert _listed(director, overdue=code) == wanted, code
        assert {families[name].pk for name, kinds in flagged.items() if code in kinds} == wanted
    anything = {family.pk for name, family in families.items() if flagged[name]}
    assert _listed(director, overdue="any") == anything
    assert families["fine"].pk not in anything
    assert len(anything) == 7


def test_home_tiles_count_the_filtered_list_scoped_to_the_user(client_for, personas, cases):
    for persona, query in (("caseworker", {"mine": "on"}), ("director", {})):
        client = client_for(getattr(personas, persona))
        page = client.get("/").content.decode()
        found = re.findall(r'id="stale-([a-z_]+)" href="[^"]*">(\d+)</a>', page)
        tiles = {code: int(count) for code, count in found}
        assert set(tiles) == {"any", *(code for code, _label in KINDS)}
        for code, count in tiles.items():
            assert count == len(_listed(client, overdue=code, **query)), (persona, code)
    # The Samarkand caseworker does not count the Tashkent family; the director does.
    caseworker = client_for(personas.caseworker).get("/").content.decode()
    assert re.search(r'id="stale-assessment" href="[^"]*">2</a>', caseworker)
    director = client_for(personas.director).get("/").content.decode()
    assert re.search(r'id="stale-assessment" href="[^"]*">3</a>', director)


def test_the_care_threshold_is_the_rules(client_for, personas, cases):
    director = client_for(personas.director)
    in_care = cases["families"]["in_care"].pk
    assert in_care in _listed(director, overdue="child_in_care")
    WellbeingRule.objects.filter(pk=1).update(care_alert_months=12)
    assert in_care not in _listed(director, overdue="child_in_care")


@pytest.mark.parametrize("persona", ["caseworker", "director"])
def test_the_overdue_filter_keeps_the_list_query_count_fixed(
    client_for, personas, django_assert_num_queries, persona
):
    client = client_for(getattr(personas, persona))
    _assessed(personas, days_ago=250)
    client.get(LIST, {"overdue": "any"})
    # session, user, roles and permissions, (the caseworker's branches), the rule, count,
    # page rows, the filter's branches and makhallas
    expected = 9 if persona == "caseworker" else 8
    with django_assert_num_queries(expected):
        response = client.get(LIST, {"overdue": "any"})
    assert response.context["table"].paginator.count == 1
    for _n in range(15):
        _assessed(personas, days_ago=250)
    with django_assert_num_queries(expected):
        response = client.get(LIST, {"overdue": "any"})
    assert response.context["table"].paginator.count == 16
