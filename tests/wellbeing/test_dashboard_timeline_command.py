"""The caseworker's panel, the family timeline, the recompute command and the demo data."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import user_roles
from beneficiaries.access import caseworker_branch_ids
from beneficiaries.choices import APP_WRITTEN_SOURCES, ExitReason, FamilyStatus
from beneficiaries.models import Family, IncomeRecord
from beneficiaries.timeline import timeline_for
from tests.factories import IncomeRecordFactory, branch
from tests.wellbeing.factories import household, record_levels
from wellbeing.models import Assessment, FamilyScore
from wellbeing.scores import family_scores_recompute
from wellbeing.timeline import wellbeing_timeline as own_source

pytestmark = pytest.mark.django_db
D = datetime.date


def _caseload(user, count, default=3):
    families = []
    for _ in range(count):
        family = household(2, branch=branch("SAM"), caseworker=user, intake_date=D(2024, 1, 1))
        IncomeRecordFactory(family=family, month=D(2025, 1, 1), amount=1_000_000)
        record_levels(family, D(2025, 2, 1), {}, default=default)
        families.append(family)
    return families


def _home_queries(client):
    client.get("/")  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_dashboard_panel_counts_and_a_constant_number_of_queries(
    client_for, personas, django_assert_num_queries
):
    user = personas.caseworker
    _caseload(user, 2, default=4)  # green
    client = client_for(user)
    few, page = _home_queries(client)
    assert "My families&#x27; well-being" in page or "My families' well-being" in page
    assert 'id="count-green">2<' in page
    _caseload(user, 6, default=2)  # red, and the assessment of Feb 2025 is overdue
    many, page = _home_queries(client)
    assert 'id="count-green">2<' in page and 'id="count-red">6<' in page
    assert 'id="count-due">8<' in page
    assert many == few
    # The same page again: session, user, roles and permissions (one query), the caseworker's
    # branches, the caseload panel (2), the stale cases' tiles (rule, counts) and the
    # well-being panel (rule, counts, three lists, members, income by month, poverty lines),
    # the retention checks due (one query while they do not fill the list).
    assert few == 17
    with django_assert_num_queries(few):
        client.get("/")


def test_a_new_family_without_a_score_row_is_not_assessed_and_due(client_for, personas):
    user = personas.caseworker
    new = household(2, branch=branch("SAM"), caseworker=user, intake_date=timezone.localdate())
    assert not FamilyScore.objects.filter(family=new).exists()
    household(2, branch=branch("TAS"), caseworker=user)  # not in the caseworker's branches
    page = client_for(user).get("/").content.decode()
    assert 'id="count-unassessed">1<' in page
    assert 'id="count-due">1<' in page
    assert new.case_number in page


def test_dashboard_lists_ready_and_falling_back(client_for, personas):
    user = personas.caseworker
    ready = household(2, branch=branch("SAM"), caseworker=user, intake_date=D(2024, 1, 1))
    today = timezone.localdate()
    month = today.replace(day=1)
    for back in range(1, 7):
        index = month.year * 12 + month.month - 1 - back
        IncomeRecordFactory(family=ready, month=D(index // 12, index % 12 + 1, 1), amount=2_000_000)
    record_levels(ready, today, {}, default=4)
    exited = household(2, branch=branch("SAM"), caseworker=user, intake_date=D(2023, 1, 1))
    record_levels(exited, D(2024, 6, 1), {}, kind="exit", default=4)
    Family.objects.filter(pk=exited.pk).update(
        status=FamilyStatus.EXITED,
        exit_date=D(2024, 6, 30),
        exit_reason=ExitReason.WELL_BEING_RESTORED,
    )
    exited.refresh_from_db()
    record_levels(exited, D(2025, 1, 5), {}, kind="follow_up", default=2)
    page = client_for(user).get("/").content.decode()
    assert 'id="count-ready">1<' in page
    assert 'id="count-falling-back">1<' in page
    assert ready.case_number in page and exited.case_number in page


def test_timeline_source_for_assessments_and_income(personas, django_assert_num_queries):
    family = household(2, branch=branch("SAM"))
    IncomeRecordFactory(family=family, month=D(2025, 1, 1), amount=600_000)
    IncomeRecordFactory(family=family, month=D(2025, 1, 1), amount=400_000, source="other")
    record_levels(family, D(2025, 2, 1), {}, kind="intake")
    user = personas.caseworker
    user_roles(user), caseworker_branch_ids(user)  # read once per request, as in a view
    with django_assert_num_queries(2):  # assessments, income by month
        entries = timeline_for(family, user)
    assert [(e.day, str(e.kind)) for e in entries] == [
        (D(2025, 2, 1), "Assessment"),
        (D(2025, 1, 1), "Income"),
    ]
    assert "1\u202f000\u202f000" in entries[1].title
    assert timeline_for(family, personas.caseworker_tashkent) == []
    assert timeline_for(family, personas.trainer) == []


def test_recompute_command_works_in_chunks_of_constant_queries(django_assert_max_num_queries):
    families = [household(2) for _ in range(5)]
    for family in families:
        Assessment.objects.create(family=family, date=D(2025, 1, 1), kind="intake")
    FamilyScore.objects.all().delete()
    call_command("recompute_scores")
    assert FamilyScore.objects.count() == 5
    with CaptureQueriesContext(connection) as small:
        family_scores_recompute(chunk=100)
    for _ in range(20):
        household(1)
    with CaptureQueriesContext(connection) as large:
        family_scores_recompute(chunk=100)
    assert FamilyScore.objects.count() == 25
    # Unchanged rows only get their time of computing (one UPDATE); the upsert runs when a
    # row changed: one query more at most, whatever the number of families.
    assert len(small) <= len(large) <= len(small) + 1
    with CaptureQueriesContext(connection) as again:
        family_scores_recompute(chunk=100)
    assert len(again) == len(small)  # nothing changed: no upsert


def test_demo_data_tells_consistent_stories(settings):
    settings.DEBUG = True
    call_command("seed_demo", families=40, seed=3)
    assert Assessment.objects.count() >= 40
    assert FamilyScore.objects.count() == 40
    restored = Family.objects.filter(
        status=FamilyStatus.EXITED, exit_reason=ExitReason.WELL_BEING_RESTORED
    )
    assert restored.exists()
    for family in restored:
        exit_assessment = family.assessments.get(kind="exit")
        assert exit_assessment.date == family.exit_date
        assert min(exit_assessment.ratings.values_list("level", flat=True)) >= 3
    scores = FamilyScore.objects.filter(family__in=restored)
    assert scores.exclude(exit_score=None).count() == restored.count()
    assert all(score.exit_score >= 50 for score in scores)
    records = IncomeRecord.objects.all()
    assert records.count() > 40
    # Only payroll, business follow-ups and outside job placements write records with an
    # origin (the core's APP_WRITTEN_SOURCES); the rest are entered by hand.
    automatic_sources = set(
        records.filter(origin_type__isnull=False).values_list("source", flat=True)
    )
    assert automatic_sources <= set(APP_WRITTEN_SOURCES)
    assert not records.filter(origin_type__isnull=True, source__in=APP_WRITTEN_SOURCES).exists()
    assert not records.filter(amount__lt=0).exists()
    # A loss month's follow-up writes 0 (enterprises.services.followup_record's rule);
    # the ledger's own records are always positive.
    assert not records.filter(origin_type__isnull=True, amount__lte=0).exists()
    assert records.filter(source="employment", evidence="Employer's certificate").exists()


@pytest.fixture(autouse=True)
def _own_timeline_source_only(only_timeline_sources):
    only_timeline_sources(own_source)
