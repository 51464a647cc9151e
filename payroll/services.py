"""Writes with rules for payroll: generate a draft, enter the timesheet, approve, pay, reverse.

Every service is atomic. Generation and approval work in bulk (a few queries whatever the
number of employees) so a run of thousands stays fast; see bench/payroll.py.
"""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from beneficiaries.bulk import defaults_of, insert_rows
from beneficiaries.choices import IncomeSource
from beneficiaries.services import IncomeEntry, income_records_upsert_bulk
from common.money import round_soum
from common.months import month_start
from enterprises.models import Employment, RateChange, SocialEnterprise
from payroll import calculation
from payroll.choices import DeductionKind, Obligation, RunStatus
from payroll.models import (
    Adjustment,
    Advance,
    DeductionOrder,
    PayrollRun,
    Payslip,
    PayslipDeduction,
    ReversalLine,
    TaxPayment,
    TimesheetEntry,
)
from payroll.models.runs import PayrollLocked
from payroll.selectors import (
    TOTAL_FIELDS,
    adjustments_by_employment,
    advances_by_employment,
    approval_refusal,
    deduction_orders_by_employment,
    earnings_history,
    payslip_sums,
    rules_for,
)

BATCH = 1000
ZERO = Decimal("0")
# Saves of an existing run under its row lock: the fields are validated, the constraints are
# left to the database (which enforces them anyway) to spare a query per constraint.
CHECKED_BY_DATABASE = {"validate_unique": False, "validate_constraints": False}
ABSENCE_FIELDS = ["leave_days", "sick_days", "maternity_days", "unpaid_days"]
TIMESHEET_FIELDS = [
    "days_worked",
    "hours_worked",
    "overtime_hours",
    "pieces",
    "bonus",
    *ABSENCE_FIELDS,
]


def _lock_draft(run: PayrollRun) -> PayrollRun:
    """The run re-read under a row lock; refused unless it is still a draft."""
    locked = PayrollRun.objects.select_for_update().select_related("enterprise").get(pk=run.pk)
    if not locked.is_draft:
        raise PayrollLocked
    return locked


@transaction.atomic
def payroll_run_generate(
    *,
    enterprise: SocialEnterprise,
    month: date,
    generated_by=None,
    working_days: int | None = None,
) -> PayrollRun:
    """Draft (or redraft) the enterprise's payroll for `month` from its contracts and timesheet.

    A new run gets a timesheet line for every contract active in the month (full attendance by
    default); a redraft keeps the lines already entered, adds new contracts and drops contracts
    that no longer touch the month. Payslips are then computed afresh.
    """
    if month.day != 1:
        raise ValidationError({"month": _("A month is stored as its first day.")})
    if month > month_start(timezone.localdate()):
        raise ValidationError({"month": _("Payroll cannot be drafted for a future month.")})
    # Serialise the drafts of one enterprise so two people cannot both create the month's run.
    SocialEnterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    run = (
        PayrollRun.objects.select_for_update()
        .filter(enterprise=enterprise, month=month)
        .exclude(status=RunStatus.REVERSED)
        .first()
    )
    if run is None:
        run = PayrollRun(
            enterprise=enterprise,
            month=month,
            working_days=working_days or calculation.working_days_in(month),
        )
        run.full_clean()
        try:
            with transaction.atomic():
                run.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("This enterprise already has a payroll run that month.")
            ) from exc
    elif not run.is_draft:
        raise ValidationError(
            _("This month's payroll is already approved: it cannot be redrafted.")
        )
    elif working_days and working_days != run.working_days:
        _change_working_days(run, working_days, by=generated_by)
    run.enterprise = enterprise
    _sync_timesheet(run, by=generated_by)
    _compute_payslips(run, generated_by=generated_by)
    return run


def _change_working_days(run: PayrollRun, working_days: int, *, by=None) -> None:
    """Lines that had full attendance keep it at the new number of working days."""
    old = run.working_days
    run.working_days = working_days
    run.full_clean()
    run.save()
    full = list(run.timesheet.filter(days_worked=old))
    for line in full:
        line.days_worked = working_days
    bulk_update_with_history(
        full, TimesheetEntry, ["days_worked"], batch_size=BATCH, default_user=by
    )


def _employments_in(run: PayrollRun):
    first, last = run.month, calculation.month_end(run.month)
    adjusted = run.adjustments.values("employment_id")
    advanced = run.advances.values("employment_id")  # an advance paid is settled this run
    return Employment.objects.filter(position__enterprise_id=run.enterprise_id).filter(
        Q(start_date__lte=last, end_date__isnull=True)
        | Q(start_date__lte=last, end_date__gte=first)
        | Q(pk__in=adjusted)
        | Q(pk__in=advanced)
    )


def _history_of_new_lines(run: PayrollRun, model, rows: list[dict], *, user) -> None:
    """History rows ('+', created) for lines of `run` just inserted in bulk (one per
    employment), by `user`: what `save()` would have written."""
    if not rows:
        return
    ids = dict(
        model.objects.filter(
            run_id=run.pk, employment_id__in=[row["employment_id"] for row in rows]
        ).values_list("employment_id", "pk")
    )
    now = timezone.now()
    insert_rows(
        model.history.model,
        [
            {
                **row,
                "id": ids[row["employment_id"]],
                "history_date": now,
                "history_change_reason": None,
                "history_type": "+",
                "history_user_id": user.pk if user else None,
            }
            for row in rows
        ],
    )


def _sync_timesheet(run: PayrollRun, *, by=None) -> None:
    employments = {
        pk: (start, end, hours_per_week)
        for pk, start, end, hours_per_week in _employments_in(run).values_list(
            "pk", "start_date", "end_date", "position__hours_per_week"
        )
    }
    existing = set(run.timesheet.values_list("employment_id", flat=True))
    stale = existing - set(employments)
    if stale:
        run.timesheet.filter(employment_id__in=stale).delete()
    new_lines = []
    calendar = calculation.month_calendar(run.month)
    for pk, (start, end, hours_per_week) in employments.items():
        if pk in existing:
            continue
        days = calculation.contract_days(run.month, start, end, run.working_days, calendar)
        new_lines.append(
            {
                "run_id": run.pk,
                "employment_id": pk,
                "days_worked": Decimal(days),
                "hours_worked": calculation.default_hours(days, hours_per_week),
                "overtime_hours": ZERO,
                "pieces": ZERO,
                "bonus": ZERO,
                **dict.fromkeys(ABSENCE_FIELDS, ZERO),
            }
        )
    insert_rows(TimesheetEntry, new_lines)
    _history_of_new_lines(run, TimesheetEntry, new_lines, user=by)


def _rates_at(run: PayrollRun) -> dict[int, Decimal]:
    """Each contract's rate in force on the month's last day (the latest dated change)."""
    rates: dict[int, Decimal] = {}
    changes = (
        RateChange.objects.filter(
            employment__position__enterprise_id=run.enterprise_id,
            effective_from__lte=calculation.month_end(run.month),
        )
        .order_by("employment_id", "effective_from")
        .values_list("employment_id", "rate")
    )
    for employment_id, rate in changes:
        rates[employment_id] = rate
    return rates


def payslip_figures(inputs: calculation.Inputs, rules: calculation.Rules):
    """One payslip's figures (a seam the tests use to inject a failure mid-run)."""
    return calculation.compute(inputs, rules)


TIMESHEET_ROW = (
    "employment_id",
    "days_worked",
    "hours_worked",
    "overtime_hours",
    "pieces",
    "bonus",
    *ABSENCE_FIELDS,
    "employment__start_date",
    "employment__rate",
    "employment__low_income_family",
    "employment__person_id",
    "employment__person__family_id",
    "employment__person__full_name",
    "employment__position__title",
    "employment__position__pay_basis",
    "employment__position__hours_per_week",
)
FIGURE_FIELDS = [
    "base",
    "overtime",
    "piece_work",
    "bonus",
    "leave_pay",
    "sick_pay",
    "maternity_pay",
    "adjustments",
    "gross",
    "income_tax",
    "inps",
    "net",
    "social_tax_rate",
    "social_tax",
    "total_cost",
    "below_minimum_wage",
]


def _compute_payslips(run: PayrollRun, *, generated_by=None) -> None:
    """Recompute every payslip of a draft from its timesheet, in a handful of queries."""
    rules = rules_for(run.month)
    # A draft's payslips are scratch: dropped and rewritten (the run is a draft, checked by
    # the caller under its row lock), their deduction lines first.
    PayslipDeduction.objects.filter(run=run)._raw_delete(PayslipDeduction.objects.db)
    Payslip.objects.filter(run=run)._raw_delete(Payslip.objects.db)
    rates = _rates_at(run)
    adjustments = adjustments_by_employment(run)
    advances = advances_by_employment(run)
    orders = deduction_orders_by_employment(run)
    deduction_rows = []  # (employment_id, order, DeductionLine)
    history = earnings_history(run)
    lines = list(
        run.timesheet.order_by("employment__person__full_name", "id").values_list(*TIMESHEET_ROW)
    )
    totals = dict.fromkeys(TOTAL_FIELDS, ZERO)
    defaults = defaults_of(Payslip)
    payslips, written, headcount, warnings = [], [], 0, 0
    for (
        employment_id,
        days,
        hours,
        overtime_hours,
        pieces,
        bonus,
        leave_days,
        sick_days,
        maternity_days,
        unpaid_days,
        start_date,
        contract_rate,
        low_income,
        person_id,
        family_id,
        full_name,
        title,
        basis,
        hours_per_week,
    ) in lines:
        rate = rates.get(employment_id, contract_rate)
        months, month_count = history.get(employment_id, ([], 0))
        sick_rate = rules.sick_pay_rate(calculation.years_of_service(start_date, run.month))
        if (sick_days and sick_rate is None) or (maternity_days and rules.maternity_pay is None):
            raise ValidationError(
                _("%(person)s: no sick or maternity pay rule in force this month.")
                % {"person": full_name}
            )
        this_month = calculation.compute(
            calculation.Inputs(
                pay_basis=basis,
                rate=rate,
                hours_per_week=hours_per_week,
                working_days=run.working_days,
                days_worked=days,
                hours_worked=hours,
                overtime_hours=overtime_hours,
                pieces=pieces,
                bonus=bonus,
            ),
            rules,
        )
        average = calculation.average_daily_earnings(
            months,
            this_month=(
                calculation.earnings_for_average(
                    this_month.base, this_month.overtime, this_month.piece_work, this_month.bonus
                ),
                days,
            ),
            contract_day=calculation.contract_daily_rate(
                basis, rate, hours_per_week, run.working_days
            ),
        )
        if not sum((d for _e, d in months), ZERO):
            month_count = 0  # no day worked before: this month's days, or the contract's rate
        inputs = calculation.Inputs(
            pay_basis=basis,
            rate=rate,
            hours_per_week=hours_per_week,
            working_days=run.working_days,
            days_worked=days,
            hours_worked=hours,
            overtime_hours=overtime_hours,
            pieces=pieces,
            bonus=bonus,
            adjustments=adjustments.get(employment_id, ZERO),
            low_income_family=low_income,
            leave_days=leave_days,
            sick_days=sick_days,
            maternity_days=maternity_days,
            unpaid_days=unpaid_days,
            average_daily=average,
            sick_rate=sick_rate or ZERO,
            maternity_rate=rules.maternity_pay or ZERO,
        )
        figures = payslip_figures(inputs, rules)
        if figures.gross < 0:
            raise ValidationError(
                _(
                    "%(person)s: the adjustments take back more than this month's pay. "
                    "Spread the correction over several months."
                )
                % {"person": full_name}
            )
        settlement = _settlement(
            figures.net,
            advances.get(employment_id, ZERO),
            orders.get(employment_id, []),
            rules,
            full_name,
        )
        for line in settlement.lines:
            deduction_rows.append((employment_id, line))
        payslip = {
            **defaults,
            "run_id": run.pk,
            "employment_id": employment_id,
            "person_id": person_id,
            "family_id": family_id,
            "position_title": title,
            "pay_basis": basis,
            "rate": inputs.rate,
            "hours_per_week": hours_per_week,
            "low_income_family": low_income,
            "working_days": run.working_days,
            "days_worked": days,
            "hours_worked": hours,
            "overtime_hours": overtime_hours,
            "pieces": pieces,
            "leave_days": leave_days,
            "sick_days": sick_days,
            "maternity_days": maternity_days,
            "unpaid_days": unpaid_days,
            "average_earnings": average.earnings,
            "average_days": average.days,
            "average_months": month_count,
            "sick_pay_rate": inputs.sick_rate,
            "maternity_pay_rate": inputs.maternity_rate,
            "income_tax_rate": rules.income_tax,
            "inps_rate": rules.inps,
            "overtime_multiplier": rules.overtime_multiplier,
            "minimum_wage": rules.minimum_wage,
        }
        for field in FIGURE_FIELDS:
            payslip[field] = getattr(figures, field)
        advance = advances.get(employment_id, ZERO)
        payslip.update(
            advance=advance,
            deduction_cap_rate=settlement.cap_rate,
            deductions=settlement.withheld,
            deduction_shortfall=settlement.shortfall,
            amount_to_pay=calculation.amount_to_pay(
                net=figures.net, advance=advance, deductions=settlement.withheld
            ),
        )
        payslips.append(payslip)
        for key, field in TOTAL_FIELDS.items():
            totals[key] += getattr(figures, field)
        headcount += 1
        warnings += figures.below_minimum_wage
        if len(payslips) >= BATCH:
            insert_rows(Payslip, payslips)
            written += payslips
            payslips = []
    insert_rows(Payslip, payslips)
    _history_of_new_lines(run, Payslip, written + payslips, user=generated_by)
    _write_deduction_lines(run, deduction_rows)
    for key, value in totals.items():
        setattr(run, key, value)
    run.headcount = headcount
    run.warnings = warnings
    run.generated_at = timezone.now()
    run.generated_by = generated_by
    run.full_clean(**CHECKED_BY_DATABASE)
    run.save()


def _settlement(net, advance, orders, rules, full_name) -> calculation.Deductions:
    """The payslip's deductions within the cap; refused when the advance exceeds net pay
    or a deduction has no rule in force."""
    if advance > net:
        raise ValidationError(
            _(
                "%(person)s: the advance paid is more than this month's net pay. Lower the "
                "advance, or take the overpayment back as an adjustment next month."
            )
            % {"person": full_name}
        )
    if orders and rules.deduction_caps is None:
        raise ValidationError(
            _("%(person)s: no cap on deductions is in force this month.") % {"person": full_name}
        )
    caps = rules.deduction_caps or calculation.DeductionCaps(ZERO, ZERO, ZERO, (ZERO,) * 3)
    return calculation.deductions(
        net,
        advance,
        [
            calculation.DeductionOrder(
                key=order,
                kind=order.kind,
                children=order.children or 0,
                amount=order.amount or ZERO,
            )
            for order in orders
        ],
        caps,
    )


def _write_deduction_lines(run: PayrollRun, rows) -> None:
    """The deduction lines of the payslips just written (one query for their ids)."""
    if not rows:
        return
    payslip_of = dict(run.payslips.values_list("employment_id", "pk"))
    insert_rows(
        PayslipDeduction,
        [
            {
                "run_id": run.pk,
                "payslip_id": payslip_of[employment_id],
                "order_id": line.key.pk,
                "kind": line.kind,
                "priority": line.priority,
                "reference": line.key.reference,
                "beneficiary": line.key.beneficiary,
                "share_divisor": line.share_divisor,
                "due": line.due,
                "withheld": line.withheld,
                "shortfall": line.shortfall,
            }
            for employment_id, line in rows
        ],
    )


@transaction.atomic
def timesheet_save(*, run: PayrollRun, lines: dict[int, dict], saved_by=None) -> PayrollRun:
    """Store the timesheet a manager entered (line id -> values) and recompute the payslips."""
    run = _lock_draft(run)
    entries = {entry.pk: entry for entry in run.timesheet.all()}
    changed = []
    for pk, values in lines.items():
        entry = entries.get(pk)
        if entry is None:
            raise ValidationError(_("This timesheet line belongs to another run."))
        for field in TIMESHEET_FIELDS:
            value = values.get(field, getattr(entry, field))
            if value is None or value < 0:
                raise ValidationError({field: _("Enter zero or more.")})
            setattr(entry, field, value)
        if entry.days_worked > run.working_days:
            raise ValidationError(
                {"days_worked": _("No one works more days than the month's working days.")}
            )
        absent = sum((getattr(entry, field) for field in ABSENCE_FIELDS), ZERO)
        if entry.days_worked + absent > run.working_days:
            raise ValidationError(
                {
                    "leave_days": _(
                        "Days worked and days of leave or absence together exceed the "
                        "month's working days."
                    )
                }
            )
        if round_soum(entry.bonus) != entry.bonus:
            raise ValidationError({"bonus": _("Enter the amount in whole soum.")})
        changed.append(entry)
    bulk_update_with_history(
        changed, TimesheetEntry, TIMESHEET_FIELDS, batch_size=BATCH, default_user=saved_by
    )
    _compute_payslips(run, generated_by=saved_by)
    return run


@transaction.atomic
def payroll_run_set_working_days(*, run: PayrollRun, working_days: int, by=None) -> PayrollRun:
    run = _lock_draft(run)
    if working_days < 1 or working_days > 31:
        raise ValidationError({"working_days": _("Enter between 1 and 31 working days.")})
    _change_working_days(run, working_days, by=by)
    _compute_payslips(run, generated_by=by)
    return run


@transaction.atomic
def adjustment_add(
    *,
    run: PayrollRun,
    employment: Employment,
    amount: Decimal,
    reason: str,
    corrects: PayrollRun | None = None,
    created_by=None,
) -> Adjustment:
    """Pay (or take back) a correction of an earlier month in this draft run."""
    run = _lock_draft(run)
    if employment.position.enterprise_id != run.enterprise_id:
        raise ValidationError({"employment": _("This contract is at another enterprise.")})
    if corrects is not None and (
        corrects.enterprise_id != run.enterprise_id or corrects.month >= run.month
    ):
        raise ValidationError({"corrects": _("Choose an earlier run of the same enterprise.")})
    if round_soum(amount) != amount:
        raise ValidationError({"amount": _("Enter the amount in whole soum.")})
    adjustment = Adjustment(
        run=run,
        employment=employment,
        amount=amount,
        reason=reason,
        corrects=corrects,
        created_by=created_by,
    )
    adjustment.full_clean()
    adjustment.save()
    _sync_timesheet(run, by=created_by)
    _compute_payslips(run, generated_by=created_by)
    return adjustment


@transaction.atomic
def adjustment_delete(*, adjustment: Adjustment, deleted_by=None) -> None:
    run = _lock_draft(adjustment.run)
    adjustment.delete()
    _compute_payslips(run, generated_by=deleted_by)


@transaction.atomic
def payroll_run_delete(*, run: PayrollRun) -> None:
    """Discard a draft (its timesheet and payslips go with it)."""
    run = _lock_draft(run)
    run.adjustments.all().delete()
    run.delete()


@transaction.atomic
def payroll_run_approve(*, run: PayrollRun, approved_by=None) -> PayrollRun:
    """Lock the run and write each employee's net pay to their household's income.

    The row lock makes two simultaneous approvals queue: the second finds the run approved
    and is refused, so the ledger is written once. Refused before the month's work is done,
    and to the person who prepared the run where the enterprise wants a second person
    (`selectors.approval_refusal`).
    """
    locked = PayrollRun.objects.select_for_update().select_related("enterprise").get(pk=run.pk)
    if not locked.is_draft:
        raise ValidationError(_("This payroll run is already approved."), code="approved")
    if refusal := approval_refusal(locked, approved_by):
        raise ValidationError(refusal, code="not_yet")
    payslips = list(locked.payslips.values_list("pk", "family_id", "person_id", "net"))
    if not payslips:
        raise ValidationError(_("There is nothing to approve: the run has no payslips."))
    sums = payslip_sums(locked)
    if any(sums[key] != getattr(locked, key) for key in TOTAL_FIELDS):
        raise ValidationError(_("The run's totals differ from its payslips: redraft it."))
    locked.status = RunStatus.APPROVED
    locked.approved_at = timezone.now()
    locked.approved_by = approved_by
    locked.full_clean(**CHECKED_BY_DATABASE)
    locked.save()
    origin_type = ContentType.objects.get_for_model(Payslip)
    evidence = _("Payslip %(month)s") % {"month": f"{locked.month:%m.%Y}"}
    income_records_upsert_bulk(
        entries=[
            IncomeEntry(
                family_id=family_id,
                person_id=person_id,
                month=locked.month,
                source=IncomeSource.ENTERPRISE_WAGES,
                amount=net,
                origin_type=origin_type,
                origin_id=pk,
                evidence=evidence,
            )
            for pk, family_id, person_id, net in payslips
        ],
        history_user=approved_by,
    )
    run.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def payroll_run_mark_paid(*, run: PayrollRun, paid_on: date, paid_by=None) -> PayrollRun:
    locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != RunStatus.APPROVED:
        raise ValidationError(_("Only an approved, unpaid run can be marked paid."))
    if paid_on < locked.month or paid_on > timezone.localdate():
        raise ValidationError(
            {"paid_on": _("The payment date falls between the month's start and today.")}
        )
    locked.status = RunStatus.PAID
    locked.paid_on = paid_on
    locked.paid_by = paid_by
    locked.full_clean(**CHECKED_BY_DATABASE)
    locked.save()
    run.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def payroll_run_reverse(*, run: PayrollRun, reason: str, reversed_by=None) -> PayrollRun:
    """Cancel an approved run: each payslip's income is offset by a negative record.

    The month is then free for a new run; the reversed run stays, read-only, for the audit.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the run is reversed.")})
    locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
    if locked.status not in (RunStatus.APPROVED, RunStatus.PAID):
        raise ValidationError(_("Only an approved run can be reversed."))
    payslips = list(locked.payslips.values_list("pk", "family_id", "person_id", "net"))
    settled = {
        pk: (advance, deductions, to_pay)
        for pk, advance, deductions, to_pay in locked.payslips.values_list(
            "pk", "advance", "deductions", "amount_to_pay"
        )
    }
    now = timezone.now()
    # The run is marked reversed first: the database accepts reversal lines, and their
    # offsetting income, only for a reversed run's payslips (payroll/locks.py).
    locked.status = RunStatus.REVERSED
    locked.reversed_at = now
    locked.reversed_by = reversed_by
    locked.reversal_reason = reason
    locked.full_clean(**CHECKED_BY_DATABASE)
    locked.save()
    insert_rows(
        ReversalLine,
        [
            {
                "payslip_id": pk,
                "net": -net,
                # The advance, the deductions and the amount paid are taken back too, so the
                # reversal offsets every line of the payslip.
                "advance": -settled[pk][0],
                "deductions": -settled[pk][1],
                "amount_to_pay": -settled[pk][2],
                "created_at": now,
            }
            for pk, _f, _p, net in payslips
        ],
    )
    line_of = dict(ReversalLine.objects.filter(payslip__run=locked).values_list("payslip_id", "pk"))
    origin_type = ContentType.objects.get_for_model(ReversalLine)
    evidence = _("Reversal of payslip %(month)s") % {"month": f"{locked.month:%m.%Y}"}
    income_records_upsert_bulk(
        entries=[
            IncomeEntry(
                family_id=family_id,
                person_id=person_id,
                month=locked.month,
                source=IncomeSource.ENTERPRISE_WAGES,
                amount=-net,
                origin_type=origin_type,
                origin_id=line_of[pk],
                evidence=evidence,
            )
            for pk, family_id, person_id, net in payslips
        ],
        history_user=reversed_by,
    )
    run.__dict__.update(locked.__dict__)
    return locked


# --- The advance and the deduction orders ---------------------------------------------------


def _whole_soum(field: str, amount: Decimal) -> None:
    if round_soum(amount) != amount:
        raise ValidationError({field: _("Enter the amount in whole soum.")})


@transaction.atomic
def advance_set(
    *, run: PayrollRun, employment: Employment, amount: Decimal, paid_on: date, entered_by=None
) -> Advance:
    """Record (or correct) the advance paid to an employee in this draft run's month, and
    recompute the payslips: it is netted at the settlement."""
    run = _lock_draft(run)
    if not run.timesheet.filter(employment=employment).exists():
        raise ValidationError({"employment": _("This employee is not on this run's timesheet.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter the amount paid, more than zero.")})
    _whole_soum("amount", amount)
    if paid_on < run.month or paid_on > calculation.month_end(run.month):
        raise ValidationError({"paid_on": _("An advance is paid within the run's month.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("An advance cannot be paid in the future.")})
    advance = Advance.objects.filter(run=run, employment=employment).first() or Advance(
        run=run, employment=employment, created_by=entered_by
    )
    advance.amount, advance.paid_on = amount, paid_on
    advance.full_clean()
    advance.save()
    _compute_payslips(run, generated_by=entered_by)
    return advance


@transaction.atomic
def advance_delete(*, advance: Advance, deleted_by=None) -> None:
    run = _lock_draft(advance.run)
    advance.delete()
    _compute_payslips(run, generated_by=deleted_by)


DEDUCTION_ORDER_FIELDS = (
    "kind",
    "reference",
    "beneficiary",
    "children",
    "amount",
    "starts_on",
    "ends_on",
    "consent_on",
)


@transaction.atomic
def deduction_order_save(
    *, order: DeductionOrder | None = None, employment: Employment, data: dict, saved_by=None
) -> DeductionOrder:
    """Enter or change a deduction order on a contract. It applies to the runs drafted (or
    redrafted) from then on; approved payslips keep the lines they were approved with."""
    if order is None:
        order = DeductionOrder(employment=employment, created_by=saved_by)
    elif order.employment_id != employment.pk:
        raise ValidationError(_("This order belongs to another contract."))
    for field in DEDUCTION_ORDER_FIELDS:
        setattr(order, field, data.get(field))
    if order.kind == DeductionKind.ALIMONY:
        order.amount = data.get("amount")
    order.reference = (order.reference or "").strip()
    order.beneficiary = (order.beneficiary or "").strip()
    if order.starts_on and employment.end_date and order.starts_on > employment.end_date:
        raise ValidationError({"starts_on": _("The contract ended before this date.")})
    order.full_clean()
    order.save()
    return order


@transaction.atomic
def tax_payment_record(
    *,
    run: PayrollRun,
    obligation: str,
    paid_on: date,
    amount: Decimal,
    reference: str,
    recorded_by=None,
) -> TaxPayment:
    """Record a payment of one of an approved run's taxes (docs/payroll.md "The employer's
    obligations"). Several partial payments may be made; together they never exceed what is
    due (the run's frozen total): an overpayment is refused, saying how much remains."""
    from common.money import format_uzs
    from payroll.obligations import OWING_STATUSES, due_amounts

    locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
    if locked.status not in OWING_STATUSES:
        raise ValidationError(
            _(
                "Taxes are recorded as paid for an approved payroll only, not for a draft or a reversed run."
            )
        )
    errors = {}
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = _("Enter the payment order's reference.")
    if amount is None or amount <= 0:
        errors["amount"] = _("Enter the amount paid, more than nothing.")
    elif round_soum(amount) != amount:
        errors["amount"] = _("Enter the amount in whole soum.")
    if paid_on < locked.month or paid_on > timezone.localdate():
        errors["paid_on"] = _("The payment date falls between the payroll month's start and today.")
    if errors:
        raise ValidationError(errors)
    due = due_amounts(locked)[obligation]
    paid = sum(
        locked.tax_payments.filter(obligation=obligation).values_list("amount", flat=True), ZERO
    )
    if paid + amount > due:
        raise ValidationError(
            {
                "amount": _(
                    "Overpayment refused: %(obligation)s due is %(due)s, %(paid)s is already "
                    "paid, so at most %(left)s remains to pay."
                )
                % {
                    "obligation": Obligation(obligation).label,
                    "due": format_uzs(due),
                    "paid": format_uzs(paid),
                    "left": format_uzs(due - paid),
                }
            }
        )
    payment = TaxPayment(
        run=locked,
        obligation=obligation,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        recorded_by=recorded_by,
    )
    payment.full_clean()
    payment.save()
    return payment
