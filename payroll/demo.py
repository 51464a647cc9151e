"""Demo payroll: every month of the pilot enterprises' recent history (since January 2024:
the minimum-wage changes of 10.2024 and 08.2025, the public holidays of the shipped calendar,
the yearly raises and the reduced social tax all show), drafted,
approved and paid through the same services as the pages use. Older months are left out to
keep seeding quick; the services would draft them the same way back to 2019, when the
shipped statutory rules begin.

Daily, hourly and piece workers get a plausible timesheet; now and then someone is absent a
few days or earns a bonus. Last month's run is approved but not yet paid; this month's is a
draft (a month is approved only once it has ended). A manager prepares each run and the
programme manager (or the enterprise's other manager) approves it. Runs after enterprises' demo seed (the order of INSTALLED_APPS).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from beneficiaries.models import IncomeRecord
from common.months import add_months, month_start
from enterprises.choices import PayBasis
from enterprises.models import SocialEnterprise
from payroll import locks, services
from payroll.models import (
    Adjustment,
    IncomeCertificate,
    PayrollRun,
    Payslip,
    ReversalLine,
    TimesheetEntry,
)

FIRST_MONTH = date(2024, 1, 1)


def reset(run) -> None:
    # Approved payroll is locked by the database too: the demo's reset is the one
    # deliberate exception (payroll/locks.py).
    IncomeCertificate.objects.all().delete()  # issued by hand in a demo; they hold people
    with locks.overridden("seed_demo --reset"):
        for model in (Payslip, ReversalLine):
            IncomeRecord.objects.filter(
                origin_type=ContentType.objects.get_for_model(model)
            ).delete()
        ReversalLine.objects.all()._raw_delete(ReversalLine.objects.db)
        for model in (Adjustment, Payslip, TimesheetEntry, PayrollRun):
            model.objects.all()._raw_delete(model.objects.db)
            if hasattr(model, "history"):
                model.history.all().delete()


def _approver(enterprise, preparer, director):
    """Who approves the demo's runs: the programme manager, else another manager of the
    enterprise than the one who prepared it (the four-eyes rule), else that manager."""
    if director is not None:
        return director
    other = enterprise.managers.exclude(pk=getattr(preparer, "pk", None)).first()
    return other or preparer


def seed(run) -> None:
    if PayrollRun.objects.exists():
        return
    rng = run.rng
    manager = run.users.get("manager")
    director = run.users.get("director")
    today = timezone.localdate()
    this_month = month_start(today)
    count = 0
    for enterprise in SocialEnterprise.objects.order_by("name"):
        approver = _approver(enterprise, manager, director)
        month = max(FIRST_MONTH, month_start(enterprise.opening_date))
        while month <= this_month:
            payroll = services.payroll_run_generate(
                enterprise=enterprise, month=month, generated_by=manager
            )
            if not payroll.headcount:  # nobody employed that month
                services.payroll_run_delete(run=payroll)
                month = add_months(month, 1)
                continue
            _fill_timesheet(rng, payroll, manager)
            if month < this_month:  # ended: approvable; this month's stays a draft
                services.payroll_run_approve(run=payroll, approved_by=approver)
                paid_on = add_months(month, 1) + timedelta(days=4)
                if paid_on <= today and month < add_months(this_month, -1):
                    services.payroll_run_mark_paid(run=payroll, paid_on=paid_on, paid_by=manager)
            count += 1
            month = add_months(month, 1)
    corrections = _corrections(manager, director, this_month)
    run.log.write(f"  {count} payroll runs, {corrections}")


def _corrections(manager, director, this_month) -> str:
    """Show both ways of correcting an approved payroll: a run reversed with a reason and run
    again, and an adjustment line in this month's draft for an earlier month's mistake."""
    enterprise = SocialEnterprise.objects.order_by("name").first()
    if enterprise is None:
        return "no corrections"
    shown = []
    wrong = (
        PayrollRun.objects.filter(enterprise=enterprise, status="paid", month__year=2024)
        .order_by("month")
        .first()
    )
    if wrong is not None:
        services.payroll_run_reverse(
            run=wrong,
            reason="Hours of the bakers entered twice; run again with the corrected timesheet.",
            reversed_by=director or manager,
        )
        redo = services.payroll_run_generate(
            enterprise=enterprise, month=wrong.month, generated_by=manager
        )
        services.payroll_run_approve(run=redo, approved_by=_approver(enterprise, manager, director))
        services.payroll_run_mark_paid(
            run=redo, paid_on=add_months(wrong.month, 1) + timedelta(days=9), paid_by=manager
        )
        shown.append("1 reversal")
    current = PayrollRun.objects.filter(
        enterprise=enterprise, month=this_month, status="draft"
    ).first()
    earlier = (
        PayrollRun.objects.filter(enterprise=enterprise, status="paid").order_by("-month").first()
    )
    line = current.timesheet.select_related("employment").first() if current else None
    if line is not None and earlier is not None:
        services.adjustment_add(
            run=current,
            employment=line.employment,
            amount=Decimal("120000"),
            reason="Overtime of the last month's inventory, left out of its payroll.",
            corrects=earlier,
            created_by=manager,
        )
        shown.append("1 adjustment")
    return ", ".join(shown) or "no corrections"


def _fill_timesheet(rng, payroll, manager) -> None:
    lines = {}
    for line in payroll.timesheet.select_related("employment__position"):
        position = line.employment.position
        values = {}
        days = line.days_worked
        if days and rng.random() < 0.15:  # a few days off
            days = max(Decimal(0), days - rng.randint(1, 3))
            values["days_worked"] = days
        hours_per_day = position.hours_per_week / 5
        if position.pay_basis == PayBasis.HOURLY:
            values["hours_worked"] = (days * hours_per_day).quantize(Decimal("1"))
        if position.pay_basis == PayBasis.PIECE:
            values["pieces"] = Decimal(int(days * rng.randint(12, 18)))
        elif rng.random() < 0.1:
            values["overtime_hours"] = Decimal(rng.randint(2, 12))
        if rng.random() < 0.08:
            values["bonus"] = Decimal(rng.choice([100000, 150000, 200000, 300000]))
        if values:
            lines[line.pk] = values
    if lines:
        services.timesheet_save(run=payroll, lines=lines, saved_by=manager)
