"""The default demo tells the programme's published 2007-2016 story."""

import datetime

from django.core.management import call_command
from django.db.models import Max, Min

from beneficiaries.choices import ExitReason, FamilyStatus
from beneficiaries.models import ChildPlacement, DevelopmentPlan, Family, Person, PlanGoal
from beneficiaries.selectors import children_served, returned_children


def children_returned(families) -> int:
    return returned_children(Person.objects.filter(family__in=families)).count()


def test_default_demo_matches_the_published_figures(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", seed=2007)
    families = Family.objects.all()
    assert families.count() == 735
    assert set(families.values_list("branch__code", flat=True)) == {"SAM", "TAS", "URG"}
    assert 1850 <= children_served(families).count() <= 2150  # "about 2,000 children"
    assert children_returned(families) == 170
    left = families.filter(status__in=[FamilyStatus.EXITED, FamilyStatus.CLOSED])
    restored = left.filter(exit_reason=ExitReason.WELL_BEING_RESTORED).count()
    assert abs(restored / left.count() - 0.60) < 0.005
    dates = ChildPlacement.objects.aggregate(first=Min("start_date"), last=Max("start_date"))
    assert dates["first"] >= datetime.date(2007, 1, 1)
    assert dates["last"] <= datetime.date(2016, 12, 31)
    assert DevelopmentPlan.objects.count() == 735
    assert PlanGoal.objects.filter(plan__family__exit_reason="well_being_restored").exists()


def test_demo_keeps_proportions_for_other_sizes(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", families=147, seed=3)
    assert children_returned(Family.objects.all()) == 34  # 170 * 147 / 735
    call_command("seed_demo", reset=True, families=2)
    assert ChildPlacement.objects.count() <= 4
    assert DevelopmentPlan.objects.count() == 2
