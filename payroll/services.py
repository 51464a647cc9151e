"""Writes with rules for payroll: generate a draft, enter the timesheet, approve, pay, reverse.

Every service is atomic. Generation and approval work in bulk (a few queries whatever the
number of employees) so a run of thousands stays fast; see bench/payroll.py.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.choices import IncomeSource
from beneficiaries.money import round_soum
from beneficiaries.months import month_start
from beneficiaries.services import IncomeEntry, income_records_upsert_bulk
from enterprises.models import Employment, RateChange, SocialEnterprise
from payroll import calculation
from payroll.choices import RunStatus
from payroll.models import Adjustment, PayrollRun, Payslip, ReversalLine, TimesheetEntry
from payroll.models.runs import PayrollLocked
from payroll.selectors import TOTAL_FIELDS, adjustments_by_employment, payslip_sums, rules_for

BATCH = 1000
ZERO = Decimal("0")
TIMESHEET_FIELDS = ["days_worked", "hours_worked", "overtime_hours", "pieces", "bonus"]


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
        _change_working_days(run, working_days)
    run.enterprise = enterprise
    _sync_timesheet(run)
    _compute_payslips(run, generated_by=generated_by)
    return run


def _change_working_days(run: PayrollRun, working_days: int) -> None:
    """Lines that had full attendance keep it at the new number of working days."""
    old = run.working_days
    run.working_days = working_days
    run.full_clean()
    run.save()
    run.timesheet.filter(days_worked=old).update(days_worked=working_days)


def _employments_in(run: PayrollRun):
    first, last = run.month, calculation.month_end(run.month)
    adjusted = run.adjustments.values("employment_id")
    return (
        Employment.objects.filter(position__enterprise_id=run.enterprise_id)
        .filter(
            Q(start_date__lte=last, end_date__isnull=True)
            | Q(start_date__lte=last, end_date__gte=first)
            | Q(pk__in=adjusted)
        )
        .select_related("position")
    )


def _sync_timesheet(run: PayrollRun) -> None:
    employments = {employment.pk: employment for employment in _employments_in(run)}
    existing = set(run.timesheet.values_list("employment_id", flat=True))
    stale = existing - set(employments)
    if stale:
        run.timesheet.filter(employment_id__in=stale).delete()
    new_lines = []
    for pk, employment in employments.items():
        if pk in existing:
            continue
        days = calculation.contract_days(
            run.month, employment.start_date, employment.end_date, run.working_days
        )
        new_lines.append(
            TimesheetEntry(
                run=run,
                employment=employment,
                days_worked=Decimal(days),
                hours_worked=calculation.default_hours(days, employment.position.hours_per_week),
            )
        )
    TimesheetEntry.objects.bulk_create(new_lines, batch_size=BATCH)


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


def _compute_payslips(run: PayrollRun, *, generated_by=None) -> None:
    rules = rules_for(run.month)
    # A draft's payslips are scratch: dropped without a history row each (the run is a draft,
    # checked by the caller under its row lock; approval writes the payslips' history).
    Payslip.objects.filter(run=run)._raw_delete(Payslip.objects.db)
    rates = _rates_at(run)
    adjustments = adjustments_by_employment(run)
    lines = run.timesheet.select_related("employment__position", "employment__person").order_by(
        "employment__person__full_name", "id"
    )
    totals = dict.fromkeys(TOTAL_FIELDS, ZERO)
    payslips, headcount, warnings = [], 0, 0
    for line in lines:
        employment = line.employment
        position = employment.position
        inputs = calculation.Inputs(
            pay_basis=position.pay_basis,
            rate=rates.get(employment.pk, employment.rate),
            hours_per_week=position.hours_per_week,
            working_days=run.working_days,
            days_worked=line.days_worked,
            hours_worked=line.hours_worked,
            overtime_hours=line.overtime_hours,
            pieces=line.pieces,
            bonus=line.bonus,
            adjustments=adjustments.get(employment.pk, ZERO),
            low_income_family=employment.low_income_family,
        )
        figures = payslip_figures(inputs, rules)
        if figures.gross < 0:
            raise ValidationError(
                _(
                    "%(person)s: the adjustments take back more than this month's pay. "
                    "Spread the correction over several months."
                )
                % {"person": employment.person}
            )
        payslips.append(
            Payslip(
                run=run,
                employment=employment,
                person_id=employment.person_id,
                family_id=employment.person.family_id,
                position_title=position.title,
                pay_basis=position.pay_basis,
                rate=inputs.rate,
                hours_per_week=position.hours_per_week,
                low_income_family=employment.low_income_family,
                working_days=run.working_days,
                days_worked=line.days_worked,
                hours_worked=line.hours_worked,
                overtime_hours=line.overtime_hours,
                pieces=line.pieces,
                base=figures.base,
                overtime=figures.overtime,
                piece_work=figures.piece_work,
                bonus=figures.bonus,
                adjustments=figures.adjustments,
                gross=figures.gross,
                income_tax_rate=rules.income_tax,
                income_tax=figures.income_tax,
                inps_rate=rules.inps,
                inps=figures.inps,
                net=figures.net,
                social_tax_rate=figures.social_tax_rate,
                social_tax=figures.social_tax,
                total_cost=figures.total_cost,
                overtime_multiplier=rules.overtime_multiplier,
                minimum_wage=rules.minimum_wage,
                below_minimum_wage=figures.below_minimum_wage,
            )
        )
        for key, field in TOTAL_FIELDS.items():
            totals[key] += getattr(figures, field)
        headcount += 1
        warnings += figures.below_minimum_wage
        if len(payslips) >= BATCH:
            Payslip.objects.bulk_create(payslips)
            payslips = []
    Payslip.objects.bulk_create(payslips)
    for key, value in totals.items():
        setattr(run, key, value)
    run.headcount = headcount
    run.warnings = warnings
    run.generated_at = timezone.now()
    run.generated_by = generated_by
    run.full_clean()
    run.save()


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
        if round_soum(entry.bonus) != entry.bonus:
            raise ValidationError({"bonus": _("Enter the amount in whole soum.")})
        changed.append(entry)
    TimesheetEntry.objects.bulk_update(changed, TIMESHEET_FIELDS, batch_size=BATCH)
    _compute_payslips(run, generated_by=saved_by)
    return run


@transaction.atomic
def payroll_run_set_working_days(*, run: PayrollRun, working_days: int, by=None) -> PayrollRun:
    run = _lock_draft(run)
    if working_days < 1 or working_days > 31:
        raise ValidationError({"working_days": _("Enter between 1 and 31 working days.")})
    _change_working_days(run, working_days)
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
    _sync_timesheet(run)
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
    and is refused, so the ledger is written once.
    """
    locked = PayrollRun.objects.select_for_update().get(pk=run.pk)
    if not locked.is_draft:
        raise ValidationError(_("This payroll run is already approved."), code="approved")
    payslips = list(locked.payslips.all())
    if not payslips:
        raise ValidationError(_("There is nothing to approve: the run has no payslips."))
    sums = payslip_sums(locked)
    if any(sums[key] != getattr(locked, key) for key in TOTAL_FIELDS):
        raise ValidationError(_("The run's totals differ from its payslips: redraft it."))
    locked.status = RunStatus.APPROVED
    locked.approved_at = timezone.now()
    locked.approved_by = approved_by
    locked.full_clean()
    locked.save()
    Payslip.history.bulk_history_create(
        payslips, batch_size=BATCH, default_user=approved_by, default_change_reason="approved"
    )
    income_records_upsert_bulk(
        entries=[
            IncomeEntry(
                family_id=payslip.family_id,
                person_id=payslip.person_id,
                month=locked.month,
                source=IncomeSource.ENTERPRISE_WAGES,
                amount=payslip.net,
                origin=payslip,
                evidence=_("Payslip %(month)s") % {"month": f"{locked.month:%m.%Y}"},
            )
            for payslip in payslips
        ]
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
    locked.full_clean()
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
    payslips = list(locked.payslips.all())
    lines = ReversalLine.objects.bulk_create(
        [ReversalLine(payslip=payslip, net=-payslip.net) for payslip in payslips],
        batch_size=BATCH,
    )
    locked.status = RunStatus.REVERSED
    locked.reversed_at = timezone.now()
    locked.reversed_by = reversed_by
    locked.reversal_reason = reason
    locked.full_clean()
    locked.save()
    income_records_upsert_bulk(
        entries=[
            IncomeEntry(
                family_id=payslip.family_id,
                person_id=payslip.person_id,
                month=locked.month,
                source=IncomeSource.ENTERPRISE_WAGES,
                amount=line.net,
                origin=line,
                evidence=_("Reversal of payslip %(month)s") % {"month": f"{locked.month:%m.%Y}"},
            )
            for payslip, line in zip(payslips, lines, strict=True)
        ]
    )
    run.__dict__.update(locked.__dict__)
    return locked
