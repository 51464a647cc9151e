"""The day-care figures, one function each (definitions: docs/daycare.md).

Each takes the attendance rows to count (already scoped with `for_user` and narrowed to a
period or a centre) and answers with one query.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Sum

from daycare.choices import CareReason
from payroll.calculation import WORKDAYS_PER_WEEK
from training.choices import AttendanceStatus
from training.models import Attendance as TrainingAttendance

ZERO = Decimal(0)
TENTH = Decimal("0.1")


def hours_total(value) -> Decimal:
    """The one rounding of the day-care hour figures: to a tenth of an hour, half up."""
    return (Decimal(value or 0)).quantize(TENTH, rounding=ROUND_HALF_UP)


def children_cared_for(attendances) -> int:
    """Distinct children with at least one day in care among `attendances`."""
    return attendances.order_by().values("child_id").distinct().count()


def care_hours(attendances) -> Decimal:
    """The hours in care of `attendances`, added up."""
    return hours_total(attendances.order_by().aggregate(total=Sum("hours"))["total"])


def training_hours_enabled(attendances) -> Decimal:
    """Hours of training the care made possible: each training session a child's day in
    care is linked to, at which the parent was marked present, counts once for that parent
    with the cohort's hours per session (two children in care the same day do not double it)."""
    linked = attendances.filter(
        reason=CareReason.TRAINING,
        session_id=OuterRef("session_id"),
        place__parent_id=OuterRef("enrolment__person_id"),
    )
    total = (
        TrainingAttendance.objects.filter(status=AttendanceStatus.PRESENT)
        .filter(Exists(linked))
        .aggregate(total=Sum("session__cohort__session_hours"))["total"]
    )
    return hours_total(total)


def work_hours_enabled(attendances) -> Decimal:
    """Hours of work the care made possible: each (job, day) a child's day in care is linked
    to counts once, with the contract's hours per week over five working days (payroll's
    `WORKDAYS_PER_WEEK`; payroll records work by the month, so a day's hours come from the
    contract, not a shift record)."""
    rows = (
        attendances.filter(reason=CareReason.WORK, employment__isnull=False)
        .order_by()
        .values_list("employment_id", "date", "employment__position__hours_per_week")
        .distinct()
    )
    return hours_total(sum((hours / WORKDAYS_PER_WEEK for _e, _d, hours in rows), ZERO))


def figures(attendances) -> dict:
    return {
        "children": children_cared_for(attendances),
        "care_hours": care_hours(attendances),
        "training_hours": training_hours_enabled(attendances),
        "work_hours": work_hours_enabled(attendances),
    }
