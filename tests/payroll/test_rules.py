"""Issue 16, payroll: a month is approved once its work is done, by a second person where the
enterprise has two managers, and an approved run is locked by the database itself (SQLite and
PostgreSQL: these tests run on both), the admin's revert included."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from beneficiaries.models import IncomeRecord
from beneficiaries.services import IncomeEntry, income_record_upsert, income_records_upsert_bulk
from common.months import month_start
from enterprises.choices import PayDay
from payroll import locks, selectors, services
from payroll.models import PayrollRun, Payslip, ReversalLine, TimesheetEntry
from tests.factories import UserFactory
from tests.payroll.conftest import MARCH
from tests.payroll.factories import SocialEnterpriseFactory, hire
from wellbeing.services import income_record_update

pytestmark = pytest.mark.django_db


def refused(sql, params=()):
    """The statement is refused by the database's lock (and nothing of it stays)."""
    with (
        pytest.raises(IntegrityError, match="payroll_locked"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def runs_raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture
def approved(enterprise):
    worker = hire(enterprise, rate="3000000")
    hire(enterprise, rate="2500000")
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    services.payroll_run_approve(run=run)
    return run, worker


# --- 1. A month is approved once its work is done -------------------------------------------


def test_approval_opens_after_the_month_or_on_its_last_working_day(enterprise):
    # March 2025 ends on a Monday; August 2025 on a Sunday (its last working day: Friday 29).
    assert selectors.approval_opens_on(enterprise, MARCH) == datetime.date(2025, 4, 1)
    enterprise.pay_day = PayDay.LAST_WORKING_DAY
    assert selectors.approval_opens_on(enterprise, MARCH) == datetime.date(2025, 3, 31)
    august = datetime.date(2025, 8, 1)
    assert selectors.approval_opens_on(enterprise, august) == datetime.date(2025, 8, 29)


def test_the_current_month_is_drafted_but_not_approved(enterprise):
    hire(enterprise, rate="3000000")
    this_month = month_start(timezone.localdate())
    run = services.payroll_run_generate(enterprise=enterprise, month=this_month)
    assert run.headcount == 1  # drafting is fine
    with pytest.raises(ValidationError, match="can be approved from"):
        services.payroll_run_approve(run=run)
    run.refresh_from_db()
    assert run.status == "draft" and not IncomeRecord.objects.exists()


def test_a_month_is_refused_until_the_day_it_opens(enterprise):
    hire(enterprise, rate="3000000")
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    on_the_last_day = datetime.date(2025, 3, 31)
    assert selectors.approval_refusal(run, None, today=on_the_last_day)
    assert selectors.approval_refusal(run, None, today=datetime.date(2025, 4, 1)) is None
    enterprise.pay_day = PayDay.LAST_WORKING_DAY
    enterprise.save()
    run.refresh_from_db()
    assert selectors.approval_refusal(run, None, today=datetime.date(2025, 3, 28)) is not None
    assert selectors.approval_refusal(run, None, today=on_the_last_day) is None


def test_the_page_refuses_an_early_approval_with_its_reason(client_for, personas, enterprise):
    hire(enterprise, rate="3000000")
    run = services.payroll_run_generate(
        enterprise=enterprise, month=month_start(timezone.localdate())
    )
    client = client_for(personas.manager)
    page = client.get(f"/payroll/runs/{run.pk}/")
    assert 'id="approval-refusal"' in page.text
    assert f"/payroll/runs/{run.pk}/approve/" not in page.text
    response = client.post(f"/payroll/runs/{run.pk}/approve/")
    assert response.status_code == 200 and "can be approved from" in response.text
    run.refresh_from_db()
    assert run.status == "draft"


# --- 2. Four eyes ----------------------------------------------------------------------------


@pytest.fixture
def two_managers(rules):
    first = UserFactory(username="m_first", role="enterprise_manager")
    second = UserFactory(username="m_second", role="enterprise_manager")
    enterprise = SocialEnterpriseFactory(name="Ikki", managers=[first, second])
    hire(enterprise, rate="3000000")
    return enterprise, first, second


def test_a_second_manager_approves_what_the_first_prepared(two_managers):
    enterprise, first, second = two_managers
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH, generated_by=first)
    with pytest.raises(ValidationError, match="You prepared this run"):
        services.payroll_run_approve(run=run, approved_by=first)
    with pytest.raises(ValidationError, match="second person"):
        services.payroll_run_approve(run=run)  # nobody named
    services.payroll_run_approve(run=run, approved_by=second)
    run.refresh_from_db()
    assert (run.status, run.generated_by, run.approved_by) == ("approved", first, second)


def test_the_last_to_change_the_draft_is_its_preparer(two_managers):
    enterprise, first, second = two_managers
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH, generated_by=first)
    line = run.timesheet.get()
    services.timesheet_save(run=run, lines={line.pk: {"days_worked": D(20)}}, saved_by=second)
    with pytest.raises(ValidationError):
        services.payroll_run_approve(run=run, approved_by=second)
    services.payroll_run_approve(run=run, approved_by=first)


def test_one_manager_or_the_rule_off_approves_their_own(two_managers, enterprise, personas):
    hire(enterprise)
    run = services.payroll_run_generate(
        enterprise=enterprise, month=MARCH, generated_by=personas.manager
    )
    services.payroll_run_approve(run=run, approved_by=personas.manager)  # the only manager
    other, first, _second = two_managers
    other.payroll_four_eyes = False
    other.save()
    own = services.payroll_run_generate(enterprise=other, month=MARCH, generated_by=first)
    services.payroll_run_approve(run=own, approved_by=first)


def test_the_page_refuses_the_preparer(client_for, two_managers):
    enterprise, first, second = two_managers
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH, generated_by=first)
    page = client_for(first).get(f"/payroll/runs/{run.pk}/")
    assert "You prepared this run" in page.text
    assert f"prepared by {first.get_full_name()}" in page.text
    response = client_for(first).post(f"/payroll/runs/{run.pk}/approve/")
    assert response.status_code == 200 and "You prepared this run" in response.text
    assert PayrollRun.objects.get(pk=run.pk).status == "draft"
    assert client_for(second).post(f"/payroll/runs/{run.pk}/approve/").status_code == 302
    assert PayrollRun.objects.get(pk=run.pk).approved_by == second


# --- 3. The database's lock ------------------------------------------------------------------


def test_a_queryset_update_cannot_set_an_approved_run_back_to_draft(approved):
    run, _worker = approved
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollRun.objects.filter(pk=run.pk).update(status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollRun.objects.filter(pk=run.pk).update(net_total=D(1))
    run.refresh_from_db()
    assert run.status == "approved" and run.net_total == D(2640000 + 2200000)


def test_raw_sql_cannot_change_or_delete_an_approved_run(approved):
    run, _worker = approved
    refused("UPDATE payroll_payrollrun SET status = 'draft' WHERE id = %s", [run.pk])
    refused("UPDATE payroll_payrollrun SET gross_total = 1 WHERE id = %s", [run.pk])
    refused(
        "UPDATE payroll_payrollrun SET approved_by_id = %s WHERE id = %s",
        [UserFactory().pk, run.pk],
    )
    refused("DELETE FROM payroll_payrollrun WHERE id = %s", [run.pk])
    refused(
        "INSERT INTO payroll_payrollrun (enterprise_id, month, status, working_days, headcount, "
        "gross_total, income_tax_total, inps_total, net_total, social_tax_total, cost_total, "
        "warnings, approved_at, reversal_reason) "
        "VALUES (%s, %s, 'approved', 21, 0, 0, 0, 0, 0, 0, 0, 0, %s, '')",
        [run.enterprise_id, datetime.date(2025, 5, 1), timezone.now()],
    )
    run.refresh_from_db()
    assert run.status == "approved"


def test_raw_sql_cannot_insert_change_or_delete_an_approved_runs_lines(approved):
    run, _worker = approved
    payslip = Payslip.objects.filter(run=run).first()
    newcomer = hire(run.enterprise)  # no line in the run: only the lock refuses the insert
    refused("UPDATE payroll_payslip SET net = 1 WHERE run_id = %s", [run.pk])
    refused("DELETE FROM payroll_payslip WHERE id = %s", [payslip.pk])
    columns = [f.column for f in Payslip._meta.concrete_fields if f.column != "id"]
    copied = ", ".join("%s" if c == "employment_id" else c for c in columns)
    refused(
        f"INSERT INTO payroll_payslip ({', '.join(columns)}) "
        f"SELECT {copied} FROM payroll_payslip WHERE id = %s",
        [newcomer.pk, payslip.pk],
    )
    refused("UPDATE payroll_timesheetentry SET days_worked = 1 WHERE run_id = %s", [run.pk])
    refused("DELETE FROM payroll_timesheetentry WHERE run_id = %s", [run.pk])
    assert Payslip.objects.filter(run=run).count() == 2
    assert Payslip.objects.get(pk=payslip.pk).net == payslip.net


def test_bulk_create_into_an_approved_run_is_refused(approved):
    run, _worker = approved
    payslip = Payslip.objects.filter(run=run).first()
    payslip.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        Payslip.objects.bulk_create([payslip])
    other = hire(run.enterprise)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimesheetEntry.objects.bulk_create([TimesheetEntry(run=run, employment=other)])
    assert Payslip.objects.filter(run=run).count() == 2


def test_raw_sql_cannot_change_or_delete_the_income_a_run_wrote(approved):
    record = IncomeRecord.objects.filter(source="enterprise_wages").first()
    refused("UPDATE beneficiaries_incomerecord SET amount = 1 WHERE id = %s", [record.pk])
    refused("DELETE FROM beneficiaries_incomerecord WHERE id = %s", [record.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        IncomeRecord.objects.filter(pk=record.pk).update(amount=D(5))
    assert IncomeRecord.objects.get(pk=record.pk).amount == record.amount
    assert IncomeRecord.objects.filter(source="enterprise_wages").count() == 2


def test_a_draft_payslip_has_no_income_and_hand_income_is_untouched(enterprise, personas):
    hire(enterprise)
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    payslip = run.payslips.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        income_record_upsert(
            family=payslip.family,
            person=payslip.person,
            month=MARCH,
            source="enterprise_wages",
            amount=D(1),
            origin=payslip,
        )
    hand = IncomeRecord.objects.create(
        family=payslip.family, month=MARCH, source="pension", amount=D(100)
    )
    assert (
        runs_raw("UPDATE beneficiaries_incomerecord SET amount = 200 WHERE id = %s", [hand.pk]) == 1
    )
    assert runs_raw("DELETE FROM beneficiaries_incomerecord WHERE id = %s", [hand.pk]) == 1


def test_a_draft_changes_freely_below_the_orm(enterprise):
    hire(enterprise)
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    assert runs_raw("UPDATE payroll_payslip SET bonus = 0 WHERE run_id = %s", [run.pk]) == 1
    services.payroll_run_delete(run=run)
    assert not PayrollRun.objects.exists()


def test_the_reversal_and_its_re_run_pass_and_stay_locked(approved, enterprise):
    run, _worker = approved
    services.payroll_run_mark_paid(run=run, paid_on=datetime.date(2025, 4, 5))
    refused(
        "UPDATE payroll_payrollrun SET paid_on = %s WHERE id = %s",
        [datetime.date(2025, 4, 6), run.pk],
    )
    services.payroll_run_reverse(run=run, reason="Hours entered twice")
    refused("UPDATE payroll_payrollrun SET reversal_reason = 'x' WHERE id = %s", [run.pk])
    refused("UPDATE payroll_payrollrun SET status = 'approved' WHERE id = %s", [run.pk])
    redo = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    services.payroll_run_approve(run=redo)
    wages = IncomeRecord.objects.filter(month=MARCH, source="enterprise_wages")
    assert wages.count() == 6  # 2 payslips, 2 offsets, 2 re-run payslips
    assert sum(wages.values_list("amount", flat=True)) == D(2640000 + 2200000)
    line = ReversalLine.objects.first()
    refused("UPDATE payroll_reversalline SET net = 0 WHERE id = %s", [line.pk])
    refused("DELETE FROM payroll_reversalline WHERE id = %s", [line.pk])
    offset = IncomeRecord.objects.get(
        origin_type=ContentType.objects.get_for_model(ReversalLine), origin_id=line.pk
    )
    refused("UPDATE beneficiaries_incomerecord SET amount = 0 WHERE id = %s", [offset.pk])
    # A reversal line for a payslip of a run not reversed is refused.
    payslip = redo.payslips.first()
    # Every column given, so only the lock can refuse it (PostgreSQL checks NOT NULL first).
    refused(
        "INSERT INTO payroll_reversalline"
        " (payslip_id, net, advance, deductions, amount_to_pay, created_at)"
        " VALUES (%s, 1, 0, 0, 1, %s)",
        [payslip.pk, timezone.now()],
    )


def test_the_lock_override_is_the_one_deliberate_way_past(approved):
    run, _worker = approved
    with locks.overridden("test"):
        assert runs_raw("UPDATE payroll_payslip SET bonus = 0 WHERE run_id = %s", [run.pk]) == 2
    refused("UPDATE payroll_payslip SET bonus = 0 WHERE run_id = %s", [run.pk])  # back on
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {locks.OVERRIDE}")
        assert cursor.fetchone()[0] == 0


def test_the_triggers_come_back_after_migrate(approved):
    locks.drop_triggers(connection)
    assert not locks.present(connection)
    locks.ensure_after_migrate(sender=None)
    assert locks.present(connection)
    run, _worker = approved
    refused("UPDATE payroll_payrollrun SET status = 'draft' WHERE id = %s", [run.pk])


# --- The income services refuse to rewrite a payslip's record --------------------------------


def test_the_income_services_do_not_overwrite_a_payslips_record(approved):
    run, _worker = approved
    payslip = run.payslips.order_by("pk").first()
    record = IncomeRecord.objects.get(
        origin_type=ContentType.objects.get_for_model(Payslip), origin_id=payslip.pk
    )
    with pytest.raises(ValidationError, match="approved payroll"):
        income_record_upsert(
            family=payslip.family,
            person=payslip.person,
            month=MARCH,
            source="enterprise_wages",
            amount=D(1),
            origin=payslip,
        )
    with pytest.raises(ValidationError, match="approved payroll"):
        income_records_upsert_bulk(
            entries=[
                IncomeEntry(
                    family_id=payslip.family_id,
                    person_id=payslip.person_id,
                    month=MARCH,
                    source="enterprise_wages",
                    amount=D(1),
                    origin_type=ContentType.objects.get_for_model(Payslip),
                    origin_id=payslip.pk,
                )
            ]
        )
    with pytest.raises(ValidationError):
        income_record_update(record=record, month=MARCH, source="pension", amount=D(1))
    record.refresh_from_db()
    assert (record.amount, record.source) == (payslip.net, "enterprise_wages")


# --- 4. The admin's history revert -----------------------------------------------------------


def test_the_admin_revert_of_an_approved_run_is_refused_with_a_message(approved, client):
    run, _worker = approved
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    draft_version = run.history.filter(status="draft").order_by("history_id").first()
    url = f"/admin/payroll/payrollrun/{run.pk}/history/{draft_version.history_id}/"
    assert client.get(url).status_code == 200  # shown, as a view
    response = client.post(url, {"enterprise": run.enterprise_id}, follow=True)
    assert response.status_code == 200
    assert "it can no longer be changed" in response.text
    run.refresh_from_db()
    assert run.status == "approved"
    payslip = run.payslips.first()
    version = payslip.history.first()
    response = client.post(
        f"/admin/payroll/payslip/{payslip.pk}/history/{version.history_id}/", {}, follow=True
    )
    assert response.status_code == 200 and "it can no longer be changed" in response.text


# --- 5. A reversed run and its re-run on the family's income ---------------------------------


def test_the_income_page_labels_the_reversed_run_and_its_re_run(
    approved, enterprise, client_for, personas
):
    run, worker = approved
    services.payroll_run_reverse(run=run, reason="Hours entered twice")
    redo = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    services.payroll_run_approve(run=redo)
    family = worker.person.family
    page = client_for(personas.director).get(f"/families/{family.pk}/income/")
    assert page.status_code == 200
    assert page.text.count("Reversed on") == 1
    assert page.text.count("Re-run of the payroll reversed on") == 1
    assert page.text.count("Reversal of the payroll of") == 1


def test_the_notes_cost_a_fixed_number_of_queries(approved, django_assert_max_num_queries):
    run, _worker = approved
    services.payroll_run_reverse(run=run, reason="x")
    records = list(IncomeRecord.objects.all())
    with django_assert_max_num_queries(3):
        notes = selectors.income_notes(records)
    assert len(notes) == 4


# --- 6. History of timesheet lines and payslips ----------------------------------------------


def test_timesheet_lines_and_payslips_keep_their_history(enterprise, personas):
    hire(enterprise)
    run = services.payroll_run_generate(
        enterprise=enterprise, month=MARCH, generated_by=personas.manager
    )
    line = run.timesheet.get()
    assert [h.history_type for h in line.history.all()] == ["+"]
    services.timesheet_save(
        run=run, lines={line.pk: {"days_worked": D(20)}}, saved_by=UserFactory(username="clerk")
    )
    assert line.history.count() == 2
    latest = line.history.first()
    assert (latest.days_worked, latest.history_user.username) == (D(20), "clerk")
    payslip = run.payslips.get()
    assert payslip.history.count() == 1 and payslip.history.first().days_worked == D(20)
    assert Payslip.history.filter(run_id=run.pk).count() == 2  # each computation kept
