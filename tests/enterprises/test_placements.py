"""Jobs with outside employers: the placement's wages in the household's income for exactly
its months, retention checks due at 3, 6 and 12 months, one record per job, and who sees it."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from beneficiaries.choices import APP_WRITTEN_SOURCES, IncomeSource
from beneficiaries.models import IncomeRecord
from common.months import add_months, month_start, months_between, shift_months
from enterprises import selectors, services
from enterprises.choices import PlacementStage
from enterprises.models import JobPlacement, PlacementMonth, RetentionCheck
from tests.enterprises.factories import SocialEnterpriseFactory, family_member
from tests.factories import PersonFactory

D = datetime.date
WAGE = Decimal("2500000")


def today():
    return timezone.localdate()


def place(person, start, *, end=None, employer="Agromash LLC", inn="", wage=WAGE, by=None):
    return services.placement_record(
        person=person,
        stage=PlacementStage.PLACED,
        start_date=start,
        end_date=end,
        employer_name=employer,
        employer_inn=inn,
        position="Packer",
        monthly_wage=wage,
        contract="formal",
        working_time="full",
        verification="payslip",
        recorded_by=by,
    )


def ledger(person):
    """{month: amount} of the person's placement wages in the household's income."""
    return dict(
        IncomeRecord.objects.filter(person=person, source=IncomeSource.PLACEMENT_WAGES).values_list(
            "month", "amount"
        )
    )


# The household's income ---------------------------------------------------------------------


def test_an_ended_placement_brings_wages_for_exactly_its_months(db):
    person = family_member()
    start = D(2025, 1, 20)
    place(person, start, end=D(2025, 4, 3))
    assert ledger(person) == {
        D(2025, 1, 1): WAGE,
        D(2025, 2, 1): WAGE,
        D(2025, 3, 1): WAGE,
        D(2025, 4, 1): WAGE,
    }
    record = IncomeRecord.objects.get(person=person, month=D(2025, 2, 1))
    assert record.family_id == person.family_id
    assert isinstance(record.origin, PlacementMonth)
    assert "verified" in record.evidence


def test_an_open_placement_runs_to_the_current_month_and_gains_the_next(db):
    person = family_member()
    start = shift_months(today(), -2)
    placement = place(person, start)
    assert sorted(ledger(person)) == months_between(start, today())
    next_month = add_months(month_start(today()), 1)
    assert services.placement_income_sync(placement, today=next_month) == 1
    assert sorted(ledger(person))[-1] == next_month


def test_an_end_date_moved_earlier_removes_the_months_after_it(db):
    person = family_member()
    placement = place(person, D(2025, 1, 10))
    assert D(2025, 6, 1) in ledger(person)
    services.placement_end(placement=placement, end_date=D(2025, 3, 31), by=None)
    assert sorted(ledger(person)) == [D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)]
    assert PlacementMonth.objects.filter(placement=placement).count() == 3


def test_a_retention_check_wage_changes_the_months_from_then(db):
    person = family_member()
    start = shift_months(today(), -7)
    placement = place(person, start)
    check = placement.retention_checks.get(months_after=6)
    services.retention_check_record(
        check=check,
        checked_on=check.due_on,
        still_employed=True,
        wage_now=Decimal("3000000"),
        checked_by=None,
    )
    income = ledger(person)
    changed_from = month_start(check.due_on)
    assert all(
        amount == (Decimal("3000000") if month >= changed_from else WAGE)
        for month, amount in income.items()
    )
    assert income[changed_from] == Decimal("3000000")
    assert income[month_start(start)] == WAGE


def test_a_check_that_finds_the_job_gone_ends_the_placement_and_its_wages(db):
    person = family_member()
    start = shift_months(today(), -7)
    placement = place(person, start)
    check = placement.retention_checks.get(months_after=3)
    ended = shift_months(start, 4)
    services.retention_check_record(
        check=check,
        checked_on=check.due_on + datetime.timedelta(days=40),
        still_employed=False,
        ended_on=ended,
        checked_by=None,
    )
    placement.refresh_from_db()
    assert placement.end_date == ended
    assert sorted(ledger(person)) == months_between(start, ended)


def test_placement_wages_cannot_be_entered_by_hand():
    assert IncomeSource.PLACEMENT_WAGES in APP_WRITTEN_SOURCES


def test_a_refused_placement_writes_nothing(db, monkeypatch):
    person = family_member()

    def refuse(**kwargs):
        raise ValidationError("no")

    monkeypatch.setattr(services, "income_records_upsert_bulk", refuse)
    with pytest.raises(ValidationError):
        place(person, D(2025, 1, 10))
    assert not JobPlacement.objects.exists()
    assert not RetentionCheck.objects.exists()


# Retention checks ---------------------------------------------------------------------------


def test_checks_come_due_at_3_6_and_12_months_and_leave_when_answered(db, personas):
    person = family_member()
    start = shift_months(today(), -7)
    placement = place(person, start)
    due = {check.months_after: check.due_on for check in placement.retention_checks.all()}
    assert due == {n: shift_months(start, n) for n in (3, 6, 12)}
    listed = selectors.due_retention_checks(personas.caseworker)
    assert [(c.placement_id, c.months_after) for c in listed] == [
        (placement.pk, 3),
        (placement.pk, 6),
    ]
    # The day before a check is due it is not listed; on the day it is.
    assert not selectors.due_retention_checks(
        personas.caseworker, today=due[3] - datetime.timedelta(days=1)
    ).exists()
    assert selectors.due_retention_checks(personas.caseworker, today=due[3]).count() == 1
    check = placement.retention_checks.get(months_after=3)
    services.retention_check_record(
        check=check, checked_on=today(), still_employed=True, wage_now=WAGE, checked_by=None
    )
    assert [c.months_after for c in selectors.due_retention_checks(personas.caseworker)] == [6]
    # Out of the branch: nothing listed.
    assert not selectors.due_retention_checks(personas.caseworker_tashkent).exists()


def test_a_placement_ended_before_a_check_is_due_makes_it_not_due(db, personas):
    person = family_member()
    start = shift_months(today(), -7)
    placement = place(person, start, end=shift_months(start, 5))
    assert [c.months_after for c in selectors.due_retention_checks(personas.caseworker)] == [3]
    six = placement.retention_checks.get(months_after=6)
    with pytest.raises(ValidationError, match="ended before this check was due"):
        services.retention_check_record(
            check=six, checked_on=today(), still_employed=True, wage_now=WAGE, checked_by=None
        )


def test_a_check_is_not_answered_before_its_day(db):
    placement = place(family_member(), shift_months(today(), -1))
    check = placement.retention_checks.get(months_after=3)
    with pytest.raises(ValidationError, match="due on"):
        services.retention_check_record(
            check=check, checked_on=today(), still_employed=True, wage_now=WAGE, checked_by=None
        )


def test_the_home_page_lists_due_checks_linking_to_the_form(db, personas, client_for):
    person = family_member()
    placement = place(person, shift_months(today(), -4))
    check = placement.retention_checks.get(months_after=3)
    response = client_for(personas.caseworker).get("/")
    url = reverse("enterprises:retention_check", args=[check.pk])
    assert url.encode() in response.content
    client = client_for(personas.caseworker)
    response = client.post(
        url, {"checked_on": today().isoformat(), "still_employed": "yes", "wage_now": "2 700 000"}
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.still_employed is True and check.wage_now == Decimal("2700000")
    assert check.checked_by == personas.caseworker
    assert url.encode() not in client.get("/").content


# One record per job -------------------------------------------------------------------------


def test_the_same_job_twice_is_refused(db):
    person = family_member()
    place(person, D(2025, 1, 10), employer="Agromash LLC", inn="301234567")
    with pytest.raises(ValidationError, match="already holds this job"):
        place(person, D(2025, 6, 1), employer="agromash llc ")
    with pytest.raises(ValidationError, match="already holds this job"):
        place(person, D(2025, 6, 1), employer="Agromash (Samarkand)", inn="301234567")
    assert JobPlacement.objects.count() == 1
    # Another employer, or the same one after the job ended, is a new job.
    place(person, D(2025, 6, 1), employer="Samarkand Textile")
    other = family_member()
    first = place(other, D(2025, 1, 10), end=D(2025, 3, 1))
    place(other, D(2025, 5, 1), employer=first.employer_name)


def test_a_job_at_our_own_enterprise_is_refused_here(db):
    SocialEnterpriseFactory(name="Tikuv Ustaxonasi")
    with pytest.raises(ValidationError) as refused:
        place(family_member(), D(2025, 1, 10), employer="tikuv ustaxonasi")
    assert "employment at the enterprise" in str(refused.value)
    assert not JobPlacement.objects.exists()


def test_a_placement_needs_its_wage_and_terms_a_search_does_not(db):
    person = family_member()
    with pytest.raises(ValidationError) as refused:
        services.placement_record(
            person=person,
            stage=PlacementStage.PLACED,
            start_date=D(2025, 1, 10),
            employer_name="Agromash",
            recorded_by=None,
        )
    assert set(refused.value.error_dict) >= {"position", "monthly_wage", "verification"}
    search = services.placement_record(
        person=person, stage=PlacementStage.SEARCH, start_date=D(2025, 1, 10), recorded_by=None
    )
    assert not search.retention_checks.exists() and ledger(person) == {}


def test_a_tax_number_has_nine_digits(db):
    with pytest.raises(ValidationError) as refused:
        place(family_member(), D(2025, 1, 10), inn="12345")
    assert "employer_inn" in refused.value.error_dict


# Pages and who sees them --------------------------------------------------------------------


def test_the_caseworker_records_a_placement_from_the_family_page(db, personas, client_for):
    person = family_member()
    client = client_for(personas.caseworker)
    family_page = client.get(person.family.get_absolute_url())
    create = f"{reverse('enterprises:placement_create')}?family={person.family_id}"
    assert create.encode() in family_page.content.replace(b"&amp;", b"&")
    response = client.post(
        create,
        {
            "person": person.pk,
            "stage": "placed",
            "employer_name": "Agromash",
            "employer_inn": "301234567",
            "position": "Packer",
            "start_date": "2025-01-10",
            "end_date": "2025-02-20",
            "monthly_wage": "2 500 000",
            "contract": "informal",
            "working_time": "part",
            "verification": "declared",
        },
    )
    placement = JobPlacement.objects.get()
    assert response["Location"] == placement.get_absolute_url()
    assert placement.recorded_by == personas.caseworker
    assert ledger(person) == {D(2025, 1, 1): WAGE, D(2025, 2, 1): WAGE}
    assert "declared" in IncomeRecord.objects.filter(person=person).first().evidence
    assert b"Agromash" in client.get(person.family.get_absolute_url()).content


def test_a_form_error_is_shown_and_nothing_saved(db, personas, client_for):
    person = family_member()
    response = client_for(personas.caseworker).post(
        reverse("enterprises:placement_create"),
        {"person": person.pk, "stage": "placed", "start_date": "2025-01-10"},
    )
    assert response.status_code == 200
    assert b"Enter the employer." in response.content
    assert not JobPlacement.objects.exists()


@pytest.mark.parametrize(
    ("who", "list_status", "detail_status"),
    [
        ("caseworker", 200, 200),
        ("director", 200, 200),
        ("auditor", 200, 200),
        ("caseworker_tashkent", 200, 404),
        ("trainer", 403, 403),
        ("manager", 403, 403),
    ],
)
def test_who_sees_placements(db, personas, client_for, who, list_status, detail_status):
    placement = place(family_member(), D(2025, 1, 10))
    client = client_for(getattr(personas, who))
    listing = client.get(reverse("enterprises:placement_list"))
    assert listing.status_code == list_status
    if list_status == 200:
        assert (placement.person.full_name.encode() in listing.content) == (detail_status == 200)
    assert client.get(placement.get_absolute_url()).status_code == detail_status


@pytest.mark.parametrize(
    ("who", "status"),
    [("director", 403), ("auditor", 403), ("trainer", 403), ("caseworker_tashkent", 404)],
)
def test_only_the_branch_caseworker_writes(db, personas, client_for, who, status):
    placement = place(family_member(), shift_months(today(), -4))
    check = placement.retention_checks.get(months_after=3)
    client = client_for(getattr(personas, who))
    assert client.get(reverse("enterprises:placement_end", args=[placement.pk])).status_code == (
        status
    )
    assert client.get(reverse("enterprises:retention_check", args=[check.pk])).status_code == (
        status
    )
    create = client.get(reverse("enterprises:placement_create"))
    assert create.status_code == (200 if who == "caseworker_tashkent" else 403)


def test_another_branchs_family_is_404_on_the_create_form(db, personas, client_for):
    person = family_member("TAS")
    url = f"{reverse('enterprises:placement_create')}?family={person.family_id}"
    assert client_for(personas.caseworker).get(url).status_code == 404


def test_the_list_filters_and_sorts(db, personas, client_for):
    first = place(family_member(), D(2025, 1, 10), employer="Agromash")
    place(family_member(), D(2025, 2, 10), employer="Samarkand Textile", end=D(2025, 5, 1))
    client = client_for(personas.caseworker)
    url = reverse("enterprises:placement_list")
    running = client.get(url, {"open": "yes"})
    assert b"Agromash" in running.content and b"Samarkand Textile" not in running.content
    ordered = client.get(url, {"sort": "start_date"}).content
    assert ordered.index(b"Agromash") < ordered.index(b"Samarkand Textile")
    assert first.person.full_name.encode() in client.get(url, {"q": "agro"}).content


def test_the_list_and_family_page_take_fixed_queries(
    db, personas, client_for, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            person = family_member()
            place(person, D(2025, 1, 10))
            PersonFactory(family=person.family)
        return person

    client = client_for(personas.caseworker)
    url = reverse("enterprises:placement_list")
    person = add(1)
    client.get(url)
    client.get(person.family.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with CaptureQueriesContext(connection) as few_family:
        client.get(person.family.get_absolute_url())
    services.placement_record(
        person=person, stage=PlacementStage.SEARCH, start_date=D(2025, 3, 1), recorded_by=None
    )
    person = add(5)
    place(person, D(2025, 3, 10), employer="Second job")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    with CaptureQueriesContext(connection) as many_family:
        client.get(person.family.get_absolute_url())
    assert len(many) == len(few)
    assert len(many_family) == len(few_family)


def test_income_records_of_a_placement_point_at_its_months(db):
    placement = place(family_member(), D(2025, 1, 10), end=D(2025, 2, 1))
    origin_type = ContentType.objects.get_for_model(PlacementMonth)
    assert set(
        IncomeRecord.objects.filter(origin_type=origin_type).values_list("origin_id", flat=True)
    ) == set(placement.months.values_list("pk", flat=True))


def test_the_nightly_command_brings_running_placements_to_the_current_month(db):
    from django.core.management import call_command

    person = family_member()
    placement = place(person, shift_months(today(), -3))
    last = max(ledger(person))
    PlacementMonth.objects.filter(placement=placement, month=last).delete()
    IncomeRecord.objects.filter(person=person, month=last).delete()
    ended = place(family_member(), D(2025, 1, 10), end=D(2025, 2, 1))
    call_command("sync_placement_income", verbosity=0)
    assert max(ledger(person)) == month_start(today())
    assert ended.months.count() == 2


def test_placement_income_moves_the_familys_score(db, django_capture_on_commit_callbacks):
    from wellbeing.models import FamilyScore

    person = family_member()
    with django_capture_on_commit_callbacks(execute=True):
        place(person, shift_months(today(), -2), wage=Decimal("9000000"))
    score = FamilyScore.objects.get(family=person.family)
    assert score.last_per_capita == Decimal("9000000")  # one member, one month's wage


def test_a_placement_of_three_months_is_stable_work_for_the_assessment(db):
    from enterprises.selectors import STABLE_JOB_DAYS, families_with_stable_work

    lasting, recent, ended = family_member(), family_member(), family_member()
    long_ago = today() - datetime.timedelta(days=STABLE_JOB_DAYS + 5)
    place(lasting, long_ago)
    place(recent, today() - datetime.timedelta(days=STABLE_JOB_DAYS - 5))
    place(ended, long_ago, end=today() - datetime.timedelta(days=1))
    services.placement_record(
        person=family_member(), stage="search", start_date=long_ago, recorded_by=None
    )
    families = [p.family_id for p in (lasting, recent, ended)]
    assert families_with_stable_work(families) == {lasting.family_id}


def test_the_home_panel_counts_beyond_the_rows_it_lists(db, personas):
    for _ in range(selectors.RETENTION_PANEL_ROWS + 1):
        place(family_member(), shift_months(today(), -4))
    panel = selectors.retention_panel(personas.caseworker)
    assert panel["count"] == selectors.RETENTION_PANEL_ROWS + 1
    assert len(panel["checks"]) == selectors.RETENTION_PANEL_ROWS
    assert selectors.retention_panel(personas.director) is None  # reads, does not check
