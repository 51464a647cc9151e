"""Demo day care: each centre's capacity, the children of parents in the recent cohorts and
at the social enterprises, and the registers of the last weeks, taken through the register's
own service (so every day in care is linked as the register links it).

The programme description says the social centres' day care is where "children play and
study while their parents consult with specialists or work and study at the Social
Enterprise": so the demo's children in care are those of parents training in a cohort of
the last months or working at one of the three pilot enterprises (the 15 jobs stay 15).
Today's register is left to take for the demo user `daycare` (Samarkand).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.test.utils import override_settings
from django.utils import timezone

from beneficiaries.models import Branch, Person
from daycare.models import DayCareAttendance, DayCareCapacity, DayCarePlace
from daycare.services import Mark, register_record
from enterprises.models import Employment
from payroll.calculation import month_calendar
from training.choices import SEAT_HOLDING, AttendanceStatus
from training.models import Attendance, Enrolment

# Places per centre: Samarkand's centre is the largest (it also runs the short-term care).
CAPACITY = {"SAM": 20, "TAS": 15, "URG": 12}
WEEKS = 6  # registers of the last six weeks
# The demo families are those of 2007-2016, so their youngest children are of school age
# now: the centre's after-school care (children "play and study") takes those under 14.
CHILD_AGES = (3, 14)


def reset(run) -> None:
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        DayCareAttendance.objects.all().delete()
        DayCarePlace.objects.all().delete()
        DayCareCapacity.objects.all().delete()
    for model in (DayCareAttendance, DayCarePlace, DayCareCapacity):
        model.history.all().delete()


def seed(run) -> None:
    today = timezone.localdate()
    since = today - timedelta(weeks=WEEKS)
    director = run.users.get("director")
    branches = {b.code: b for b in Branch.objects.all()}
    for code, branch in branches.items():
        if not DayCareCapacity.objects.filter(branch=branch).exists():
            DayCareCapacity.objects.create(
                branch=branch,
                effective_from=date(2007, 1, 1),
                places=CAPACITY.get(code, 12),
                recorded_by=director,
            )
    families = set(run.new_family_ids)
    places = _places(run, branches, families, since, today)
    run.log.write(f"  {len(places)} children with a day-care place")
    days = _registers(run, places, since, today, director)
    run.log.write(f"  {days} days in day care over the last {WEEKS} weeks")


def _children_by_family(family_ids, today) -> dict[int, list[Person]]:
    young, old = CHILD_AGES
    born_after = today.replace(year=today.year - old)
    born_before = today.replace(year=today.year - young)
    children: dict[int, list[Person]] = {}
    for child in Person.objects.filter(
        family_id__in=family_ids, birth_date__gt=born_after, birth_date__lte=born_before
    ).order_by("pk"):
        children.setdefault(child.family_id, []).append(child)
    return children


def _places(run, branches, families, since, today) -> list[DayCarePlace]:
    """One place for a young child of each parent training or working lately, up to the
    centre's capacity."""
    parents = []  # (parent, branch, start, end)
    for enrolment in (
        Enrolment.objects.filter(
            person__family_id__in=families,
            status__in=SEAT_HOLDING,
            cohort__end_date__gte=since,
            cohort__start_date__lte=today,
        )
        .select_related("person", "cohort__branch")
        .order_by("pk")
    ):
        cohort = enrolment.cohort
        parents.append((enrolment.person, cohort.branch, cohort.start_date, cohort.end_date))
    for job in (
        Employment.objects.active_during(since, today)
        .filter(person__family_id__in=families)
        .select_related("person__family__branch")
        .order_by("pk")
    ):
        parents.append((job.person, job.person.family.branch, job.start_date, job.end_date))
    children = _children_by_family({p.family_id for p, *_rest in parents}, today)
    taken: dict[int, int] = {}
    used: set[int] = set()
    places = []
    for parent, branch, start, end in parents:
        young = [c for c in children.get(parent.family_id, []) if c.pk not in used]
        if not young or taken.get(branch.pk, 0) >= CAPACITY.get(branch.code, 12):
            continue
        child = young[0]
        used.add(child.pk)
        taken[branch.pk] = taken.get(branch.pk, 0) + 1
        places.append(
            DayCarePlace(
                child=child,
                parent=parent,
                branch=branch,
                start_date=max(start, since),
                end_date=end if end and end < today else None,
                usual_hours=Decimal(4) if run.rng.random() < 0.6 else Decimal(8),
                created_by=None,
            )
        )
    DayCarePlace.objects.bulk_create(places)
    return places


def _registers(run, places, since, today, by) -> int:
    """Each past day's register of each centre: a child comes when the parent trains (and
    was there) or works that day, and now and then on another day."""
    present_at = set(
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            session__date__gte=since,
            enrolment__person_id__in={p.parent_id for p in places},
        ).values_list("enrolment__person_id", "session__date")
    )
    working = {
        p.pk: set(
            Employment.objects.active_during(since, today)
            .filter(person_id=p.parent_id)
            .values_list("pk", flat=True)
        )
        for p in places
    }
    count = 0
    day = since
    calendars = {}
    while day < today:
        month = day.replace(day=1)
        calendar = calendars.setdefault(month, month_calendar(month))
        workday = calendar.working_days(day, day) == 1
        by_branch: dict[int, dict[int, Mark]] = {}
        for place in places:
            if place.start_date > day or (place.end_date and place.end_date < day):
                continue
            comes = (place.parent_id, day) in present_at or (
                workday and working[place.pk] and run.rng.random() < 0.9
            )
            if not comes and workday and run.rng.random() < 0.05:
                comes = True  # a consultation or an errand: reason not known
            if comes:
                hours = place.usual_hours + Decimal(run.rng.choice([0, 0, 0.5, -0.5]))
                by_branch.setdefault(place.branch_id, {})[place.pk] = Mark(True, hours)
        for branch_id, marks in by_branch.items():
            register_record(
                branch=Branch(pk=branch_id), day=day, marks=marks, recorded_by=by, today=today
            )
            count += len(marks)
        day += timedelta(days=1)
    return count
