"""The worklist's well-being kinds (beneficiaries.worklist): assessments, plan reviews and
follow-ups after exit, due by the same conditions as the stale cases (wellbeing/stale.py)
asked about the horizon instead of today: a kind overdue the day after the horizon is due on
or before it."""

from datetime import date, timedelta

from django.db.models import BooleanField, ExpressionWrapper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beneficiaries.worklist import WorkItem, WorklistSource
from wellbeing import stale

KINDS = ("assessment", "plan_review", "follow_up")
LABELS = {
    "assessment": _("Assessment"),
    "plan_review": _("Plan review"),
    "follow_up": _("Follow-up after exit"),
}


def items(families, today: date, horizon: date) -> list[WorkItem]:
    """Two queries: the rule and the families due for any of the kinds."""
    conditions = stale.conditions(horizon + timedelta(days=1))
    flags = {
        f"due_{kind}": ExpressionWrapper(conditions[kind], output_field=BooleanField())
        for kind in KINDS
    }
    due_any = conditions[KINDS[0]] | conditions[KINDS[1]] | conditions[KINDS[2]]
    found = []
    rows = families.filter(due_any).annotate(**flags).select_related("score", "plan").order_by()
    for family in rows:
        score = getattr(family, "score", None)
        if family.due_assessment:
            found.append(
                WorkItem(
                    score.next_due if score else family.intake_date,
                    LABELS["assessment"],
                    family,
                    reverse("wellbeing:assessment_create", args=[family.pk]),
                )
            )
        if family.due_plan_review:
            found.append(
                WorkItem(
                    family.plan.next_review,
                    LABELS["plan_review"],
                    family,
                    reverse("beneficiaries:family_plan", args=[family.pk]),
                )
            )
        if family.due_follow_up:
            found.append(
                WorkItem(
                    score.next_due,
                    LABELS["follow_up"],
                    family,
                    reverse("wellbeing:assessment_create", args=[family.pk]),
                )
            )
    return found


SOURCE = WorklistSource(items=items)
