"""Writes with rules: hiring, changes of rate, ends of contracts, monthly results, and the
life of a family business with its grants, loans and follow-ups."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from beneficiaries.choices import IncomeSource
from beneficiaries.models import Family, Person
from beneficiaries.services import income_record_upsert, income_records_upsert_bulk
from common.money import format_uzs, round_soum, to_decimal
from common.months import month_start, months_between, shift_months
from common.validators import validate_not_future, validate_programme_date
from enterprises.choices import (
    RETENTION_MONTHS,
    BusinessStatus,
    EmploymentStatus,
    EnterpriseStatus,
    PlacementStage,
    SupportKind,
    WageVerification,
)
from enterprises.ledger import check_repayment, schedule_lines
from enterprises.models import (
    Business,
    Employment,
    EnterpriseMonthlyResult,
    FollowUp,
    JobPlacement,
    PlacementMonth,
    Position,
    RateChange,
    Repayment,
    RepaymentLine,
    RetentionCheck,
    SocialEnterprise,
    Support,
    Tranche,
)

ADULT_AGE = 18


# Social enterprises and jobs --------------------------------------------------------------


@transaction.atomic
def position_create(
    *,
    enterprise: SocialEnterprise,
    title: str,
    pay_basis: str,
    rate: Decimal,
    opened_on: date,
    hours_per_week: Decimal = Decimal("40"),
    created_by_programme: bool = True,
) -> Position:
    """Open a job at an enterprise."""
    if opened_on < enterprise.opening_date:
        raise ValidationError(
            {"opened_on": _("A position cannot open before its enterprise opened.")}
        )
    position = Position(
        enterprise=enterprise,
        title=title,
        pay_basis=pay_basis,
        rate=to_decimal(rate),
        opened_on=opened_on,
        hours_per_week=hours_per_week,
        created_by_programme=created_by_programme,
    )
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def employment_hire(
    *,
    position: Position,
    person: Person,
    start_date: date,
    hired_by,
    rate: Decimal | None = None,
    low_income_family: bool = False,
) -> Employment:
    """Hire a family member into a position from a date; the position must be free then."""
    position = Position.objects.select_for_update().select_related("enterprise").get(pk=position.pk)
    if position.enterprise.status == EnterpriseStatus.CLOSED:
        raise ValidationError(_("This enterprise is closed."))
    if start_date < position.opened_on:
        raise ValidationError({"start_date": _("The position opened later than that.")})
    if position.closed_on is not None and start_date > position.closed_on:
        raise ValidationError({"start_date": _("The position is closed by then.")})
    if person.age_on(start_date) < ADULT_AGE:
        raise ValidationError({"person": _("Only an adult can be hired.")})
    holder = position.employments.filter(status=EmploymentStatus.ACTIVE).select_related("person")
    holder = holder.first()
    if holder is not None:
        raise ValidationError(
            _("%(person)s already holds this position. End that contract first.")
            % {"person": holder.person}
        )
    last_end = position.employments.order_by("-end_date").values_list("end_date", flat=True).first()
    if last_end is not None and start_date <= last_end:
        raise ValidationError(
            {
                "start_date": _("The previous contract in this position runs until %(day)s.")
                % {"day": date_format(last_end, "SHORT_DATE_FORMAT")}
            }
        )
    employment = Employment(
        position=position,
        person=person,
        start_date=start_date,
        rate=round_soum(position.rate if rate is None else rate),
        low_income_family=low_income_family,
        hired_by=hired_by,
    )
    employment.full_clean()
    employment.save()
    RateChange.objects.create(
        employment=employment,
        effective_from=start_date,
        rate=employment.rate,
        changed_by=hired_by,
    )
    return employment


@transaction.atomic
def employment_change_rate(
    *, employment: Employment, rate: Decimal, effective_from: date, changed_by
) -> RateChange:
    """A new rate for an active contract from a date after every earlier rate."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    if employment.status != EmploymentStatus.ACTIVE:
        raise ValidationError(_("Only an active contract can get a new rate."))
    latest = employment.rate_changes.order_by("-effective_from").first()
    if latest is not None and effective_from <= latest.effective_from:
        raise ValidationError(
            {
                "effective_from": _("The last change of rate was on %(day)s; choose a later date.")
                % {"day": date_format(latest.effective_from, "SHORT_DATE_FORMAT")}
            }
        )
    if effective_from < employment.start_date:
        raise ValidationError({"effective_from": _("The contract started later than that.")})
    change = RateChange(
        employment=employment,
        effective_from=effective_from,
        rate=round_soum(rate),
        changed_by=changed_by,
    )
    change.full_clean()
    change.save()
    employment.rate = change.rate
    employment.full_clean()
    employment.save(update_fields=["rate"])
    return change


@transaction.atomic
def employment_terminate(
    *, employment: Employment, end_date: date, reason: str, ended_by, notes: str = ""
) -> Employment:
    """End an active contract on a date; the position is free from the next day."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    if employment.status != EmploymentStatus.ACTIVE:
        raise ValidationError(_("This contract has already ended."))
    if end_date < employment.start_date:
        raise ValidationError({"end_date": _("A contract cannot end before it starts.")})
    if not reason:
        raise ValidationError({"end_reason": _("Say why the contract ends.")})
    employment.status = EmploymentStatus.ENDED
    employment.end_date = end_date
    employment.end_reason = reason
    employment.end_notes = notes
    employment.full_clean()
    employment.save()
    return employment


@transaction.atomic
def enterprise_result_record(
    *,
    enterprise: SocialEnterprise,
    month: date,
    revenue: Decimal,
    costs: Decimal,
    headcount: int,
    entered_by,
    notes: str = "",
) -> EnterpriseMonthlyResult:
    """Enter (or correct) an enterprise's revenue, costs and headcount for a month."""
    if month.day != 1:
        raise ValidationError({"month": _("A month is stored as its first day.")})
    if month < enterprise.opening_date.replace(day=1):
        raise ValidationError({"month": _("The enterprise had not opened yet.")})
    result = (
        EnterpriseMonthlyResult.objects.select_for_update()
        .filter(enterprise=enterprise, month=month)
        .first()
    ) or EnterpriseMonthlyResult(enterprise=enterprise, month=month)
    result.revenue = round_soum(revenue)
    result.costs = round_soum(costs)
    result.headcount = headcount
    result.notes = notes
    result.entered_by = entered_by
    result.full_clean(exclude=["result"])
    result.save()
    return result


# Family businesses ------------------------------------------------------------------------

# Which status each step starts from.
TRANSITIONS = {
    "approve": ([BusinessStatus.DRAFT], BusinessStatus.APPROVED),
    "start": ([BusinessStatus.APPROVED], BusinessStatus.STARTED),
    "operate": ([BusinessStatus.STARTED], BusinessStatus.OPERATING),
    "close": (
        [
            BusinessStatus.DRAFT,
            BusinessStatus.APPROVED,
            BusinessStatus.STARTED,
            BusinessStatus.OPERATING,
        ],
        BusinessStatus.CLOSED,
    ),
}


def _lock_business(business: Business, step: str) -> Business:
    business = Business.objects.select_for_update().get(pk=business.pk)
    allowed, _target = TRANSITIONS[step]
    if business.status not in allowed:
        raise ValidationError(
            _("A business that is %(status)s cannot take this step.")
            % {"status": business.get_status_display().lower()}
        )
    return business


@transaction.atomic
def business_create(*, family: Family, owner: Person, created_by, **fields) -> Business:
    """Register a business plan as a draft."""
    business = Business(family=family, owner=owner, created_by=created_by, **fields)
    business.status = BusinessStatus.DRAFT
    business.full_clean()
    business.save()
    return business


PLAN_FIELDS = (
    "name",
    "business_type",
    "sector",
    "makhalla",
    "location",
    "plan",
    "expected_monthly_revenue",
    "expected_monthly_costs",
)


@transaction.atomic
def business_plan_update(*, business: Business, **fields) -> Business:
    """Change the plan of a business that has not started yet."""
    business = Business.objects.select_for_update().get(pk=business.pk)
    if business.status not in (BusinessStatus.DRAFT, BusinessStatus.APPROVED):
        raise ValidationError(_("The plan is fixed once the business has started."))
    for name, value in fields.items():
        if name not in PLAN_FIELDS:
            raise TypeError(f"{name} is not part of the plan")
        setattr(business, name, value)
    business.full_clean()
    business.save()
    return business


@transaction.atomic
def business_approve(*, business: Business, approved_on: date) -> Business:
    business = _lock_business(business, "approve")
    business.status = BusinessStatus.APPROVED
    business.approved_on = approved_on
    business.full_clean()
    business.save()
    return business


@transaction.atomic
def business_start(*, business: Business, started_on: date) -> Business:
    business = _lock_business(business, "start")
    if business.approved_on and started_on < business.approved_on:
        raise ValidationError({"started_on": _("A business starts after its plan is approved.")})
    business.status = BusinessStatus.STARTED
    business.started_on = started_on
    business.full_clean()
    business.save()
    return business


@transaction.atomic
def business_mark_operating(*, business: Business, operating_since: date) -> Business:
    business = _lock_business(business, "operate")
    if operating_since < business.started_on:
        raise ValidationError(
            {"operating_since": _("A business operates only after it has started.")}
        )
    business.status = BusinessStatus.OPERATING
    business.operating_since = operating_since
    business.full_clean()
    business.save()
    return business


@transaction.atomic
def business_close(
    *, business: Business, closed_on: date, reason: str, notes: str = ""
) -> Business:
    business = _lock_business(business, "close")
    if not reason:
        raise ValidationError({"close_reason": _("Say why the business closed.")})
    earliest = business.operating_since or business.started_on or business.approved_on
    if earliest and closed_on < earliest:
        raise ValidationError({"closed_on": _("A business cannot close before it began.")})
    business.status = BusinessStatus.CLOSED
    business.closed_on = closed_on
    business.close_reason = reason
    business.close_notes = notes
    business.full_clean()
    business.save()
    return business


@transaction.atomic
def support_create(
    *,
    business: Business,
    kind: str,
    amount: Decimal,
    approved_on: date,
    created_by,
    term_months: int | None = None,
    first_due_month: date | None = None,
    notes: str = "",
) -> Support:
    """Agree a grant, or a loan with its repayment schedule, for an approved business."""
    if business.status in (BusinessStatus.DRAFT, BusinessStatus.CLOSED):
        raise ValidationError(_("Only an approved, started or operating business gets support."))
    is_loan = kind == SupportKind.LOAN
    support = Support(
        business=business,
        kind=kind,
        amount=to_decimal(amount),
        approved_on=approved_on,
        term_months=term_months if is_loan else None,
        first_due_month=first_due_month if is_loan else None,
        notes=notes,
        created_by=created_by,
    )
    support.full_clean()
    if is_loan:
        lines = schedule_lines(support.amount, term_months, first_due_month)
        if first_due_month < approved_on.replace(day=1):
            raise ValidationError(
                {"first_due_month": _("Repayments start after the loan is agreed.")}
            )
    support.save()
    if is_loan:
        RepaymentLine.objects.bulk_create(
            RepaymentLine(support=support, due_month=month, amount=amount)
            for month, amount in lines
        )
    return support


@transaction.atomic
def support_disburse(
    *, support: Support, disbursed_on: date, amount: Decimal, recorded_by
) -> Tranche:
    """Pay out a tranche; all tranches together never exceed the agreed amount."""
    support = Support.objects.select_for_update().select_related("business").get(pk=support.pk)
    amount = to_decimal(amount)
    if support.business.status in (BusinessStatus.DRAFT, BusinessStatus.CLOSED):
        raise ValidationError(_("Nothing is paid out to a draft or closed business."))
    if disbursed_on < support.approved_on:
        raise ValidationError(
            {"disbursed_on": _("A tranche is paid out after the support is agreed.")}
        )
    if amount <= 0 or round_soum(amount) != amount:
        raise ValidationError({"amount": _("Enter a positive amount in whole soum.")})
    if amount > support.undisbursed:
        raise ValidationError(
            {
                "amount": _("Only %(left)s of this support is left to pay out.")
                % {"left": format_uzs(support.undisbursed)}
            }
        )
    tranche = Tranche(
        support=support, disbursed_on=disbursed_on, amount=amount, recorded_by=recorded_by
    )
    tranche.full_clean()
    tranche.save()
    support.disbursed_total += amount
    support.save(update_fields=["disbursed_total"])
    return tranche


@transaction.atomic
def loan_repayment_record(
    *, support: Support, paid_on: date, amount: Decimal, recorded_by
) -> Repayment:
    """Record a payment towards a loan; more than the outstanding balance is refused."""
    support = Support.objects.select_for_update().get(pk=support.pk)
    if support.kind != SupportKind.LOAN:
        raise ValidationError(_("A grant is not repaid."))
    amount = check_repayment(amount=amount, balance=support.balance)
    first_tranche = support.tranches.order_by("disbursed_on").values_list("disbursed_on", flat=True)
    first_tranche = first_tranche.first()
    if first_tranche is not None and paid_on < first_tranche:
        raise ValidationError({"paid_on": _("A repayment comes after the money was paid out.")})
    repayment = Repayment(support=support, paid_on=paid_on, amount=amount, recorded_by=recorded_by)
    repayment.full_clean()
    repayment.save()
    support.repaid_total += amount
    support.save(update_fields=["repaid_total"])
    return repayment


@transaction.atomic
def business_followup_record(
    *,
    business: Business,
    month: date,
    revenue: Decimal,
    costs: Decimal,
    people_employed: int,
    recorded_by,
    notes: str = "",
) -> FollowUp:
    """Record (or correct) a month's follow-up; its profit becomes the household's income.

    A loss is recorded on the follow-up, but the household's income from the business that
    month is zero, not negative: the family's other income is not reduced by it.
    """
    if month.day != 1:
        raise ValidationError({"month": _("A month is stored as its first day.")})
    if business.started_on is None:
        raise ValidationError(_("Follow-ups begin once the business has started."))
    if month < business.started_on.replace(day=1):
        raise ValidationError({"month": _("The business had not started yet.")})
    if business.closed_on and month > business.closed_on.replace(day=1):
        raise ValidationError({"month": _("The business had closed by then.")})
    followup = (
        FollowUp.objects.select_for_update().filter(business=business, month=month).first()
    ) or FollowUp(business=business, month=month)
    followup.revenue = round_soum(revenue)
    followup.costs = round_soum(costs)
    followup.people_employed = people_employed
    followup.notes = notes
    followup.recorded_by = recorded_by
    followup.full_clean(exclude=["profit"])
    followup.save()
    income_record_upsert(
        family=business.family,
        person=business.owner,
        month=month,
        source=IncomeSource.BUSINESS_PROFIT,
        amount=max(followup.profit, Decimal("0")),
        origin=followup,
        evidence=_("Business follow-up: %(name)s") % {"name": business.name},
    )
    return followup


# Job placements outside the social enterprises --------------------------------------------


def _placement_conflict(*, person: Person, employer_name: str, employer_inn: str, start, end):
    """Another placement of the person with the same employer whose dates overlap."""
    from django.db.models import Q

    same_employer = Q(employer_name__iexact=employer_name.strip())
    if employer_inn:
        same_employer |= Q(employer_inn=employer_inn)
    overlapping = Q(end_date__isnull=True) | Q(end_date__gte=start)
    candidates = JobPlacement.objects.placed().filter(person=person).filter(same_employer)
    if end is not None:
        candidates = candidates.filter(start_date__lte=end)
    return candidates.filter(overlapping).first()


def _check_placement_fields(
    *, stage, employer_name, position, monthly_wage, contract, working_time, verification
) -> None:
    errors = {}
    if stage in (PlacementStage.REFERRAL, PlacementStage.PLACED) and not employer_name.strip():
        errors["employer_name"] = _("Enter the employer.")
    if stage == PlacementStage.PLACED:
        if not position.strip():
            errors["position"] = _("Enter the position.")
        if monthly_wage is None:
            errors["monthly_wage"] = _("Enter the monthly wage.")
        elif to_decimal(monthly_wage) <= 0:
            errors["monthly_wage"] = _("A wage is more than zero.")
        for field, value in (
            ("contract", contract),
            ("working_time", working_time),
            ("verification", verification),
        ):
            if not value:
                errors[field] = _("Choose one.")
    if errors:
        raise ValidationError(errors)


def _check_not_our_enterprise(employer_name: str) -> None:
    enterprise = SocialEnterprise.objects.filter(name__iexact=employer_name.strip()).first()
    if enterprise is not None:
        raise ValidationError(
            {
                "employer_name": _(
                    "%(enterprise)s is one of the programme's social enterprises: a job there is "
                    "an employment at the enterprise, recorded by its manager (its wages come "
                    "from payroll), not a placement."
                )
                % {"enterprise": enterprise.name}
            }
        )


@transaction.atomic
def placement_record(
    *,
    person: Person,
    stage: str,
    start_date: date,
    recorded_by,
    employer_name: str = "",
    employer_inn: str = "",
    position: str = "",
    end_date: date | None = None,
    monthly_wage: Decimal | None = None,
    contract: str = "",
    working_time: str = "",
    verification: str = "",
    notes: str = "",
) -> JobPlacement:
    """Record a family member's job search, referral to an employer or placement with one.

    A placement gets its retention checks (3, 6 and 12 months after its start) and its
    wages go into the household's income month by month (`placement_income_sync`). A job at
    one of our own social enterprises is refused (it is an employment there), and so is a
    second record of the same job: the same employer (by name or tax number) on dates that
    overlap another placement of the person."""
    person = Person.objects.select_for_update().select_related("family").get(pk=person.pk)
    if not person.family.is_open:
        raise ValidationError(_("The family has left the service."))
    if person.age < ADULT_AGE:
        raise ValidationError({"person": _("Jobs are recorded for adults.")})
    if start_date is None:
        raise ValidationError({"start_date": _("Enter the date.")})
    validate_programme_date(start_date)
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("A job cannot end before it starts.")})
    _check_placement_fields(
        stage=stage,
        employer_name=employer_name,
        position=position,
        monthly_wage=monthly_wage,
        contract=contract,
        working_time=working_time,
        verification=verification,
    )
    if employer_name.strip():
        _check_not_our_enterprise(employer_name)
    if stage == PlacementStage.PLACED:
        clash = _placement_conflict(
            person=person,
            employer_name=employer_name,
            employer_inn=employer_inn,
            start=start_date,
            end=end_date,
        )
        if clash is not None:
            raise ValidationError(
                _(
                    "%(person)s already holds this job (%(placement)s, from %(day)s): record "
                    "its end or a retention check on that placement instead."
                )
                % {
                    "person": person.full_name,
                    "placement": clash,
                    "day": date_format(clash.start_date, "SHORT_DATE_FORMAT"),
                }
            )
    else:
        monthly_wage, contract, working_time, verification = None, "", "", ""
    placement = JobPlacement(
        person=person,
        stage=stage,
        start_date=start_date,
        end_date=end_date,
        employer_name=employer_name.strip(),
        employer_inn=employer_inn,
        position=position.strip(),
        monthly_wage=round_soum(monthly_wage) if monthly_wage is not None else None,
        contract=contract,
        working_time=working_time,
        verification=verification,
        notes=notes,
        recorded_by=recorded_by,
    )
    placement.full_clean()
    placement.save()
    if placement.is_placed:
        RetentionCheck.objects.bulk_create(
            RetentionCheck(
                placement=placement,
                months_after=months,
                due_on=shift_months(start_date, months),
            )
            for months in RETENTION_MONTHS
        )
        placement_income_sync(placement, history_user=recorded_by)
    return placement


@transaction.atomic
def placement_end(*, placement: JobPlacement, end_date: date, by) -> JobPlacement:
    """The job (or search, or referral) ended on a day; its wages stop that month."""
    placement = JobPlacement.objects.select_for_update().get(pk=placement.pk)
    if end_date is None:
        raise ValidationError({"end_date": _("Enter the date.")})
    if end_date < placement.start_date:
        raise ValidationError({"end_date": _("A job cannot end before it starts.")})
    validate_not_future(end_date)
    placement.end_date = end_date
    placement.full_clean()
    placement.save()
    placement_income_sync(placement, history_user=by)
    return placement


@transaction.atomic
def retention_check_record(
    *,
    check: RetentionCheck,
    checked_on: date,
    still_employed: bool,
    checked_by,
    wage_now: Decimal | None = None,
    ended_on: date | None = None,
    notes: str = "",
) -> RetentionCheck:
    """The answer to a retention check: still employed, for what wage (the household's
    income from that month on follows it), or not, since when (the placement ends then)."""
    check = RetentionCheck.objects.select_for_update().select_related("placement").get(pk=check.pk)
    placement = JobPlacement.objects.select_for_update().get(pk=check.placement_id)
    if (
        placement.end_date is not None
        and placement.end_date < check.due_on
        and not (check.is_answered)
    ):
        raise ValidationError(
            _("The placement had ended before this check was due: there is nothing to check.")
        )
    if checked_on is None:
        raise ValidationError({"checked_on": _("Enter the date.")})
    validate_not_future(checked_on)
    if checked_on < check.due_on:
        raise ValidationError(
            {
                "checked_on": _("This check is due on %(day)s.")
                % {"day": date_format(check.due_on, "SHORT_DATE_FORMAT")}
            }
        )
    if still_employed:
        if wage_now is None:
            raise ValidationError({"wage_now": _("Enter the wage now.")})
        if to_decimal(wage_now) <= 0:
            raise ValidationError({"wage_now": _("A wage is more than zero.")})
        ended_on = None
    else:
        if ended_on is None:
            raise ValidationError({"ended_on": _("Enter the day the job ended.")})
        if ended_on < placement.start_date or ended_on > checked_on:
            raise ValidationError(
                {"ended_on": _("The job ended between its start and the day of the check.")}
            )
        wage_now = None
    check.checked_on = checked_on
    check.still_employed = still_employed
    check.wage_now = round_soum(wage_now) if wage_now is not None else None
    check.notes = notes
    check.checked_by = checked_by
    check.full_clean()
    check.save()
    if ended_on is not None and (placement.end_date is None or placement.end_date > ended_on):
        placement.end_date = ended_on
        placement.full_clean()
        placement.save()
    placement_income_sync(placement, history_user=checked_by)
    return check


def placement_wages_by_month(placement: JobPlacement, *, today: date | None = None) -> dict:
    """{month: wage} for exactly the months the placement brings wages home: from its start
    to its end (or to the current month while it lasts), each at the wage of the latest
    retention check answered by that month, or the placement's own wage before any."""
    if not placement.is_placed:
        return {}
    today = today or timezone.localdate()
    last = today if placement.end_date is None else min(placement.end_date, today)
    if last < placement.start_date:
        return {}
    changes = sorted(
        (
            (month_start(check.checked_on), check.wage_now)
            for check in placement.retention_checks.all()
            if check.still_employed and check.wage_now is not None
        ),
        key=lambda change: change[0],
    )
    wages = {}
    for month in months_between(placement.start_date, last):
        wage = placement.monthly_wage
        for changed_from, wage_now in changes:
            if changed_from <= month:
                wage = wage_now
        wages[month] = wage
    return wages


def placement_evidence(placement: JobPlacement) -> str:
    marked = (
        _("declared")
        if placement.verification == WageVerification.DECLARED
        else _("verified: %(how)s") % {"how": placement.get_verification_display().lower()}
    )
    text = _("Job placement: %(position)s at %(employer)s (%(marked)s)") % {
        "position": placement.position,
        "employer": placement.employer_name,
        "marked": marked,
    }
    return text[:255]


@transaction.atomic
def placement_income_sync(
    placement: JobPlacement, *, today: date | None = None, history_user=None
) -> int:
    """Bring the placement's months (and so the household's income) in line with its dates
    and wages: the months it covers written through the core's one income service, those it
    no longer covers (an end date moved earlier) removed. Returns the months written."""
    from django.contrib.contenttypes.models import ContentType

    from beneficiaries.services import IncomeEntry, income_records_delete

    wanted = placement_wages_by_month(placement, today=today)
    existing = {row.month: row for row in PlacementMonth.objects.filter(placement=placement)}
    origin_type = ContentType.objects.get_for_model(PlacementMonth)
    gone = [row.pk for month, row in existing.items() if month not in wanted]
    if gone:
        income_records_delete(origin_type=origin_type, origin_ids=gone)
        PlacementMonth.objects.filter(pk__in=gone).delete()
    changed = []
    for month, wage in wanted.items():
        row = existing.get(month)
        if row is None:
            changed.append(PlacementMonth(placement=placement, month=month, wage=wage))
        elif row.wage != wage:
            row.wage = wage
            changed.append(row)
    new = [row for row in changed if row.pk is None]
    PlacementMonth.objects.bulk_create(new)
    updated = [row for row in changed if row.pk is not None]
    PlacementMonth.objects.bulk_update(updated, ["wage"])
    if not changed:
        return 0
    if any(row.pk is None for row in new):  # backends that return no ids on bulk_create
        ids = dict(PlacementMonth.objects.filter(placement=placement).values_list("month", "pk"))
        for row in new:
            row.pk = ids[row.month]
    evidence = placement_evidence(placement)
    family_id = Person.objects.filter(pk=placement.person_id).values_list("family_id", flat=True)
    family_id = family_id.get()
    income_records_upsert_bulk(
        entries=[
            IncomeEntry(
                family_id=family_id,
                person_id=placement.person_id,
                month=row.month,
                source=IncomeSource.PLACEMENT_WAGES,
                amount=row.wage,
                origin_type=origin_type,
                origin_id=row.pk,
                evidence=evidence,
            )
            for row in changed
        ],
        history_user=history_user,
    )
    return len(changed)


def placements_income_sync_open(*, today: date | None = None) -> int:
    """The nightly step: open placements gain the month that has just begun. Returns the
    months written."""
    today = today or timezone.localdate()
    placements = (
        JobPlacement.objects.placed()
        .filter(end_date__isnull=True)
        .prefetch_related("retention_checks")
    )
    return sum(placement_income_sync(placement, today=today) for placement in placements)


@transaction.atomic
def employment_set_payment(
    *, employment: Employment, payment_method: str, card_number: str, bank_account: str, changed_by
) -> Employment:
    """Where the employee's pay goes: by bank to a card (16 digits, Luhn-checked) or an
    account (20 digits), or in cash. The contract's history keeps every change."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    employment.payment_method = payment_method
    employment.card_number = "".join((card_number or "").split())
    employment.bank_account = "".join((bank_account or "").split())
    employment._history_user = changed_by
    employment.full_clean()
    employment.save(update_fields=["payment_method", "card_number", "bank_account"])
    return employment
