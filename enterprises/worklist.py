"""The worklist's retention checks (beneficiaries.worklist): unanswered checks of running
placements, due by `RetentionCheckQuerySet.due` asked about the horizon instead of today."""

from datetime import date

from django.urls import reverse
from django.utils.translation import ngettext_lazy

from beneficiaries.worklist import WorkItem, WorklistSource
from enterprises.models import RetentionCheck


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
    ]


SOURCE = WorklistSource(items=items)
