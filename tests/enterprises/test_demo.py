"""The demo: three pilot enterprises of Samarkand, 15 jobs, employees, businesses, ledgers."""

import datetime

from django.core.management import call_command
from django.db.models import Count, Q, Sum

from beneficiaries.models import IncomeRecord
from enterprises.choices import EmploymentStatus
from enterprises.models import (
    Business,
    Employment,
    FollowUp,
    Position,
    RepaymentLine,
    SocialEnterprise,
    Support,
)


def test_demo_seeds_the_pilot_enterprises_and_family_businesses(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", families=200, seed=5)
    enterprises = SocialEnterprise.objects.all()
    assert enterprises.count() == 3
    assert set(enterprises.values_list("branch__code", flat=True)) == {"SAM"}
    assert enterprises.values("makhalla").distinct().count() == 2
    assert {m.username for e in enterprises for m in e.managers.all()} == {"manager"}

    positions = Position.objects.all()
    assert positions.count() == 15
    assert all(p.created_by_programme for p in positions)
    assert all(
        datetime.date(2007, 1, 1) <= p.opened_on <= datetime.date(2016, 12, 31) for p in positions
    )

    employments = Employment.objects.select_related("person__family__branch")
    assert employments.count() > 15  # people over time, not just today's holders
    assert {e.person.family.branch.code for e in employments} == {"SAM"}
    assert all(e.person.age_on(e.start_date) >= 18 for e in employments)
    busiest = (
        Employment.objects.filter(status=EmploymentStatus.ACTIVE)
        .values("position")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest["n"] == 1

    assert Business.objects.count() > 0
    loans = Support.objects.filter(kind="loan").annotate(scheduled=Sum("schedule__amount"))
    assert loans.exists()
    for loan in loans:
        assert loan.scheduled == loan.amount
        assert 0 <= loan.repaid_total <= loan.disbursed_total <= loan.amount
    assert FollowUp.objects.exists()
    assert IncomeRecord.objects.filter(source="business_profit").count() == FollowUp.objects.count()
    assert RepaymentLine.objects.exists()

    # Parents marked by their caseworker as looking for work, whom managers can hire.
    from beneficiaries.models import Person

    seekers = Person.objects.looking_for_work().select_related("family")
    assert seekers.filter(family__branch__code="SAM").exists()
    assert all(p.looking_for_work_marked_by_id == p.family.caseworker_id for p in seekers)
    active = Employment.objects.filter(status=EmploymentStatus.ACTIVE).values("person_id")
    assert not seekers.filter(pk__in=active).exists()

    # Jobs with outside employers: a modest number, with their checks and wages.
    from enterprises.models import JobPlacement, PlacementMonth

    placements = JobPlacement.objects.select_related("person__family")
    assert 0 < placements.count() < 200 * 0.2
    placed = placements.filter(stage="placed")
    assert placed.exists()
    assert all(p.retention_checks.count() == 3 for p in placed)
    assert not SocialEnterprise.objects.filter(name__in=placements.values("employer_name")).exists()
    wages = IncomeRecord.objects.filter(source="placement_wages")
    assert wages.count() == PlacementMonth.objects.count() > 0
    assert all(p.person.family.caseworker_id == p.recorded_by_id for p in placements)

    # Another run adds businesses for its families but not a second set of enterprises.
    call_command("seed_demo", families=50, seed=6)
    assert SocialEnterprise.objects.count() == 3
    call_command("seed_demo", families=5, reset=True, seed=7)
    assert Position.objects.count() == 15
    assert not JobPlacement.objects.filter(~Q(person__family__in=_families())).exists()
    assert not Business.objects.filter(~Q(family__in=_families())).exists()


def _families():
    from beneficiaries.models import Family

    return Family.objects.all()
