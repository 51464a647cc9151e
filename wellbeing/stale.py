"""Stale cases: when each kind of a family's follow-up work is overdue, defined once here.

Registered with the core (`beneficiaries.stale`), so the family list filters by these same
conditions; the family page's flags and the home pages' counts read them too
(docs/wellbeing.md, "Stale cases"). A kind is overdue on a day when its due date is before
that day:

- assessment: a family in service whose next assessment (`FamilyScore.next_due`: the
  intake assessment at once, then the rule's months between assessments) is past; a family
  without a score row yet is due since its intake;
- plan review: a family in service whose development plan's next review date is past;
- follow-up after exit: a family that left with well-being restored whose next follow-up
  (`FamilyScore.next_due`: the rule's months after exit) is past;
- business follow-up: a family in service with a business started or operating since before
  the last two full months that has a follow-up for neither of them (follow-ups are monthly);
- child in care: a family in service with a child whose current living arrangement is
  short-term or alternative care since the rule's months (`care_alert_months`) or longer.
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import IN_CARE, ExitReason, FamilyStatus
from beneficiaries.models import ChildPlacement, Family
from beneficiaries.stale import StaleSource
from common.months import add_months, month_start, shift_months
from enterprises.choices import BusinessStatus
from enterprises.models import Business, FollowUp
from wellbeing.models import WellbeingRule

IN_SERVICE = [FamilyStatus.ACTIVE, FamilyStatus.REFERRED]

KINDS = (
    ("assessment", _("Assessment overdue")),
    ("plan_review", _("Plan review overdue")),
    ("follow_up", _("Follow-up after exit overdue")),
    ("business_follow_up", _("Business follow-up overdue")),
    ("child_in_care", _("Child in care too long")),
)
LABELS = dict(KINDS)


def conditions(day: date, rule: WellbeingRule | None = None) -> dict[str, Q]:
    """{kind: condition on Family} for the day (reads the rule: one query unless given)."""
    rule = rule or WellbeingRule.current()
    in_service = Q(status__in=IN_SERVICE)
    window = add_months(month_start(day), -2)  # the last two full months
    running = Business.objects.filter(
        family=OuterRef("pk"),
        status__in=[BusinessStatus.STARTED, BusinessStatus.OPERATING],
        started_on__lt=window,
    ).exclude(Exists(FollowUp.objects.filter(business=OuterRef("pk"), month__gte=window)))
    in_care = ChildPlacement.objects.filter(
        person__family=OuterRef("pk"),
        arrangement__in=IN_CARE,
        start_date__lte=shift_months(day, -rule.care_alert_months),
    ).exclude(
        Exists(
            ChildPlacement.objects.filter(
                person=OuterRef("person"), start_date__gt=OuterRef("start_date")
            )
        )
    )
    return {
        "assessment": in_service
        & (Q(score__next_due__lt=day) | Q(score__isnull=True, intake_date__lt=day)),
        "plan_review": in_service & Q(plan__next_review__lt=day),
        "follow_up": Q(
            status=FamilyStatus.EXITED,
            exit_reason=ExitReason.WELL_BEING_RESTORED,
            score__next_due__lt=day,
        ),
        "business_follow_up": in_service & Q(Exists(running)),
        "child_in_care": in_service & Q(Exists(in_care)),
    }


SOURCE = StaleSource(kinds=KINDS, conditions=conditions)


def stale_counts(families, day: date | None = None, rule=None) -> dict[str, int]:
    """{kind: families of `families` overdue for it, "any": for at least one} (two queries:
    the rule, unless given, and one aggregate)."""
    found = conditions(day or timezone.localdate(), rule)
    combined = Q(pk__in=[])
    for condition in found.values():
        combined |= condition
    return families.order_by().aggregate(
        any=Count("pk", filter=combined),
        **{code: Count("pk", filter=condition) for code, condition in found.items()},
    )


def family_flags(family, day: date | None = None, rule=None) -> list[tuple[str, str]]:
    """The kinds the family is overdue for, as (code, label), in the kinds' order."""
    counts = stale_counts(Family.objects.filter(pk=family.pk), day, rule)
    return [(code, LABELS[code]) for code, _label in KINDS if counts[code]]
