"""Reads of day care: the day's register, why each child is in care, the panels."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beneficiaries.access import sees_sensitive
from beneficiaries.models import Branch
from daycare.access import centre_ids
from daycare.choices import CareReason
from daycare.models import DayCareAttendance, DayCareCapacity, DayCarePlace
from enterprises.models import Employment
from payroll.calculation import WORKDAYS_PER_WEEK, month_calendar
from training.choices import SEAT_HOLDING
from training.models import Session


def centres_for(user):
    """The centres whose day care the user sees."""
    ids = centre_ids(user)
    branches = Branch.objects.all()
    return branches if ids is None else branches.filter(pk__in=ids)


def capacity_on(branch, day) -> int | None:
    """How many children the centre may take on `day`, or None when no capacity is set."""
    return DayCareCapacity.objects.on(branch, day).values_list("places", flat=True).first()


@dataclass
class Reason:
    kind: str = CareReason.OTHER
    session: Session | None = None
    employment_id: int | None = None
    label: str = ""


def reasons_for(parent_ids, day: date) -> dict[int, Reason]:
    """Why each parent's child would be in care on `day`: the parent's training session that
    day (a cohort they hold a seat in meets), else their working day at a social enterprise
    (a contract running that day, on a working day of payroll's calendar). Three queries."""
    parent_ids = set(parent_ids)
    reasons: dict[int, Reason] = {}
    if not parent_ids:
        return reasons
    rows = Session.objects.filter(
        date=day,
        cohort__enrolments__person_id__in=parent_ids,
        cohort__enrolments__status__in=SEAT_HOLDING,
    ).values_list("cohort__enrolments__person_id", "pk")
    by_pk = {}
    pairs = list(rows)
    if pairs:
        by_pk = {
            s.pk: s
            for s in Session.objects.filter(pk__in={pk for _p, pk in pairs}).select_related(
                "cohort__course"
            )
        }
    for person_id, session_pk in pairs:
        session = by_pk[session_pk]
        reasons.setdefault(
            person_id,
            Reason(
                CareReason.TRAINING,
                session=session,
                label=_("Training: %(course)s") % {"course": session.cohort.course},
            ),
        )
    working_day = month_calendar(day.replace(day=1)).working_days(day, day) == 1
    if working_day:
        jobs = (
            Employment.objects.active_on(day)
            .filter(person_id__in=parent_ids - set(reasons))
            .values_list("person_id", "pk", "position__title", "position__enterprise__name")
        )
        for person_id, pk, title, enterprise in jobs:
            reasons.setdefault(
                person_id,
                Reason(
                    CareReason.WORK,
                    employment_id=pk,
                    label=_("Work: %(position)s, %(enterprise)s")
                    % {"position": title, "enterprise": enterprise},
                ),
            )
    return reasons


@dataclass
class RegisterRow:
    place: DayCarePlace
    attendance: DayCareAttendance | None
    reason: Reason = field(default_factory=Reason)


@dataclass
class RegisterDay:
    branch: Branch
    day: date
    rows: list[RegisterRow]
    capacity: int | None
    taken: bool


def register_day(branch, day: date, user) -> RegisterDay:
    """The children expected at the centre on `day` (their places run that day), what was
    recorded for them, and why each would be in care. A fixed number of queries."""
    places = list(
        DayCarePlace.objects.for_user(user)
        .filter(branch=branch)
        .open_on(day)
        .select_related("child", "parent")
        .order_by("child__full_name", "pk")
    )
    recorded = {
        a.place_id: a
        for a in DayCareAttendance.objects.filter(place_id__in=[p.pk for p in places], date=day)
    }
    reasons = reasons_for({p.parent_id for p in places}, day)
    rows = [
        RegisterRow(place, recorded.get(place.pk), reasons.get(place.parent_id, Reason()))
        for place in places
    ]
    return RegisterDay(branch, day, rows, capacity_on(branch, day), bool(recorded))


def register_history(branch, day: date, limit: int = 50) -> list:
    """The changes to a centre's register of one day, newest first (one query)."""
    return list(
        DayCareAttendance.history.filter(branch_id=branch.pk, date=day)
        .select_related("history_user", "child")
        .order_by("-history_date", "-history_id")[:limit]
    )


def centre_summaries(branches, day: date) -> list[dict]:
    """Per centre: children expected and in care on `day`, and the capacity (three queries)."""
    branches = list(branches)
    ids = [b.pk for b in branches]
    expected = dict(
        DayCarePlace.objects.filter(branch_id__in=ids)
        .open_on(day)
        .values("branch_id")
        .annotate(n=Count("pk"))
        .values_list("branch_id", "n")
    )
    present = dict(
        DayCareAttendance.objects.filter(branch_id__in=ids, date=day)
        .values("branch_id")
        .annotate(n=Count("pk"))
        .values_list("branch_id", "n")
    )
    capacities = {}
    for branch_id, places in (
        DayCareCapacity.objects.filter(branch_id__in=ids, effective_from__lte=day)
        .order_by("branch_id", "effective_from")
        .values_list("branch_id", "places")
    ):
        capacities[branch_id] = places  # the latest wins
    return [
        {
            "branch": b,
            "expected": expected.get(b.pk, 0),
            "present": present.get(b.pk, 0),
            "capacity": capacities.get(b.pk),
        }
        for b in branches
    ]


def family_daycare(family, user) -> dict | None:
    """The family page's day-care panel: the children's places with their last 30 days in
    care (one query), for those who see the family's sensitive data."""
    if not user.has_perm("daycare.view_daycareplace") or not sees_sensitive(user, family):
        return None
    since = timezone.localdate() - timedelta(days=30)
    recent = Q(attendances__date__gte=since)
    places = list(
        DayCarePlace.objects.for_user(user)
        .filter(child__family=family)
        .select_related("child", "parent", "branch")
        .annotate(
            recent_days=Count("attendances", filter=recent),
            recent_hours=Sum("attendances__hours", filter=recent),
        )
        .order_by("-start_date", "pk")
    )
    totals = {
        "n": sum(p.recent_days for p in places),
        "hours": sum((p.recent_hours or Decimal(0) for p in places), Decimal(0)),
    }
    return {
        "family": family,
        "places": places,
        "days": totals["n"],
        "hours": totals["hours"],
        "can_add": family.is_open and user.has_perm("daycare.add_daycareplace"),
    }


def session_children_in_care(session, enrolments, user) -> dict[int, list[str]]:
    """For the training register: which learners have a child in day care on the session's
    day (recorded) or expected there (a place running that day). Two queries; only counts
    and hours, no child's name (the trainer does not see the children)."""
    by_person = {e.person_id: e.pk for e in enrolments}
    in_care: dict[int, list] = {}
    for parent_id, hours in DayCareAttendance.objects.filter(
        date=session.date, place__parent_id__in=by_person
    ).values_list("place__parent_id", "hours"):
        in_care.setdefault(parent_id, []).append(hours)
    expected = dict(
        DayCarePlace.objects.filter(parent_id__in=set(by_person) - set(in_care))
        .open_on(session.date)
        .values("parent_id")
        .annotate(n=Count("pk"))
        .values_list("parent_id", "n")
    )
    notes: dict[int, list[str]] = {}
    for parent_id, hours in in_care.items():
        notes[by_person[parent_id]] = [
            ngettext(
                "%(n)s child in day care that day (%(hours)s h)",
                "%(n)s children in day care that day (%(hours)s h)",
                len(hours),
            )
            % {"n": len(hours), "hours": max(hours)}
        ]
    for parent_id, n in expected.items():
        notes[by_person[parent_id]] = [
            ngettext(
                "%(n)s child with a day-care place",
                "%(n)s children with a day-care place",
                n,
            )
            % {"n": n}
        ]
    return notes


def work_hours_of(employment_ids) -> dict[int, Decimal]:
    """A day's hours of each contract: its hours per week over payroll's working week."""
    return {
        pk: hours / WORKDAYS_PER_WEEK
        for pk, hours in Employment.objects.filter(pk__in=employment_ids).values_list(
            "pk", "position__hours_per_week"
        )
    }
