"""The worklist's lines from enterprises (beneficiaries.worklist): unanswered retention
checks of running placements, due by `RetentionCheckQuerySet.due` asked about the horizon
instead of today; and loan instalments not yet paid (enterprises.ledger.unpaid_instalments:
repayments settle the oldest instalment first), due on the last day of their month."""

from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from beneficiaries.worklist import WorkItem, WorklistSource
from common.money import format_uzs
from common.months import add_months
from enterprises.choices import SupportKind
from enterprises.ledger import unpaid_instalments
from enterprises.models import RepaymentLine, RetentionCheck


def instalment_due_on(due_month: date) -> date:
    """An instalment may be paid during its month: it is overdue after the month's last day."""
    return add_months(due_month, 1) - timedelta(days=1)


def loan_items(families, today: date, horizon: date) -> list[WorkItem]:
    """Instalments due by the horizon and not paid, of the families' loans with money paid
    out. One query: the schedule up to the horizon with each loan's repaid total."""
    lines = (
        RepaymentLine.objects.filter(
            support__kind=SupportKind.LOAN,
            support__disbursed_total__gt=0,
            support__business__family__in=families,
            due_month__lte=horizon,
        )
        .select_related("support__business__family")
        .order_by("support_id", "due_month")
    )
    schedules = defaultdict(list)
    for line in lines:
        schedules[line.support].append((line.due_month, line.amount))
    work = []
    for support, schedule in schedules.items():
        business = support.business
        for month, _amount, unpaid in unpaid_instalments(schedule, support.repaid_total):
            due_on = instalment_due_on(month)
            if due_on > horizon:
                continue
            work.append(
                WorkItem(
                    due_on,
                    _("Loan instalment, %(amount)s to pay") % {"amount": format_uzs(unpaid)},
                    business.family,
                    reverse("enterprises:repayment_create", args=[support.pk]),
                    subject=business.name,
                )
            )
    return work


def items(families, today: date, horizon: date) -> list[WorkItem]:
    """One query."""
    checks = (
        RetentionCheck.objects.due(horizon)
        .filter(placement__person__family__in=families)
        .select_related("placement__person__family")
    )
    return [
        WorkItem(
            check.due_on,
            ngettext_lazy(
                "Retention check, %(months)s month",
                "Retention check, %(months)s months",
                "months",
            )
            % {"months": check.months_after},
            check.placement.person.family,
            reverse("enterprises:retention_check", args=[check.pk]),
            subject=str(check.placement.person),
        )
        for check in checks
    ] + loan_items(families, today, horizon)


SOURCE = WorklistSource(items=items)
