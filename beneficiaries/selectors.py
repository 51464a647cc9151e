"""Reads over families: the programme's counts (counted in the database, never in Python
loops), the family list's rows, a family's members, and the core's entries on the family
timeline (intake, exit and the children's moves)."""

from datetime import date

from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext as _

from beneficiaries.access import sees_sensitive
from beneficiaries.choices import CHILDREN, IN_CARE, FamilyStatus, LivingArrangement, Relationship
from beneficiaries.models import ChildPlacement, Family, Person
from beneficiaries.timeline import TimelineEntry


def family_status_counts(families) -> dict[str, int]:
    """{"total": n, "referred": n, "active": n, "exited": n, "closed": n} in one query.

    Grouped by status rather than one filtered count per status: the database then counts
    index entries (branch, status, ...) without reading the rows, twice as fast at 45,000
    families a branch."""
    counts = dict.fromkeys(FamilyStatus.values, 0)
    for status, number in families.order_by().values_list("status").annotate(n=Count("*")):
        counts[status] = number
    return {"total": sum(counts.values()), **counts}


def families_by_branch(families) -> list[dict]:
    """Per branch: families by status, one query."""
    aggregates = {"total": Count("id")}
    for status in FamilyStatus.values:
        aggregates[status] = Count("id", filter=Q(status=status))
    return list(
        families.values("branch__id", "branch__name")
        .annotate(**aggregates)
        .order_by("branch__name")
    )


def people_count(user) -> int:
    return Person.objects.for_user(user).count()


def visible_families(user):
    return Family.objects.for_user(user)


# The programme's figures about families and children: one definition each, which the home
# page, the programme report, its PDF/XLSX and its drill-down lists all use.


def served_q(*, start: date | None = None, end: date | None = None, prefix: str = "") -> Q:
    """ "Families served", as a condition on the family at `prefix` (e.g. "family__"): taken
    in (every status but *referred*: a referral not yet taken in is not served), with the
    intake on or before `end` and no exit before `start` when they are given."""
    condition = ~Q(**{f"{prefix}status": FamilyStatus.REFERRED})
    if end is not None:
        condition &= Q(**{f"{prefix}intake_date__lte": end})
    if start is not None:
        condition &= Q(**{f"{prefix}exit_date__isnull": True}) | Q(
            **{f"{prefix}exit_date__gte": start}
        )
    return condition


def families_served(families, *, start: date | None = None, end: date | None = None):
    """Of `families`, those served on at least one day from `start` to `end` (`served_q`)."""
    return families.filter(served_q(start=start, end=end))


def children_served(families, *, start: date | None = None, end: date | None = None):
    """Children and grandchildren of the families served among `families`."""
    return Person.objects.filter(
        served_q(start=start, end=end, prefix="family__"), family__in=families
    ).filter(relationship__in=CHILDREN)


def _previous_arrangement():
    """The child's arrangement just before the row's (the rows of a child have distinct
    start days, so "just before" is one row)."""
    return Subquery(
        ChildPlacement.objects.filter(
            person=OuterRef("person"), start_date__lt=OuterRef("start_date")
        )
        .order_by("-start_date")
        .values("arrangement")[:1]
    )


def returns_home(*, start: date | None = None, end: date | None = None):
    """The children's actual returns home: a "with the family" row whose previous row is
    short-term or alternative care, starting from `start` to `end` when given. A second
    "with the family" row with no care in between is not a return."""
    rows = ChildPlacement.objects.filter(arrangement=LivingArrangement.WITH_FAMILY)
    if start is not None:
        rows = rows.filter(start_date__gte=start)
    if end is not None:
        rows = rows.filter(start_date__lte=end)
    return rows.alias(previous=_previous_arrangement()).filter(previous__in=IN_CARE)


def returned_children(people, *, start: date | None = None, end: date | None = None):
    """Of `people`, those who came back from care to live with the family from `start` to
    `end` (`returns_home`); each child counts once, however often they came back."""
    return people.filter(Exists(returns_home(start=start, end=end).filter(person=OuterRef("pk"))))


def children_figures(families, *, start=None, end=None) -> dict[str, int]:
    """{"served": children of the families served, "returned": of them, those back home
    after care} in one query: the figures the programme report counts the same way."""
    return Person.objects.filter(
        served_q(start=start, end=end, prefix="family__"), family__in=families
    ).aggregate(
        served=Count("id", filter=Q(relationship__in=CHILDREN)),
        returned=Count(
            "id",
            filter=Q(Exists(returns_home(start=start, end=end).filter(person=OuterRef("pk")))),
        ),
    )


# The head of household first, then the others from the oldest (search.head_of: the
# name the list shows).
HEAD_FIRST = Case(When(relationship=Relationship.HEAD, then=Value(0)), default=Value(1))


def family_list_rows(families):
    """The family list's rows: one query per page, whatever the page shows. The head of
    household and the member count are columns of the family (kept by
    beneficiaries.search.refresh), so the list sorts by them from an index."""
    return families.select_related("branch", "makhalla", "caseworker")


def family_for_detail(family: Family):
    """Members with their living-arrangement history, read in two queries."""
    members = list(
        family.members.order_by(HEAD_FIRST, "birth_date", "id")
        .select_related("looking_for_work_marked_by")
        .prefetch_related("placements")
    )
    for member in members:
        history = sorted(member.placements.all(), key=lambda p: (p.start_date, p.pk))
        member.placement_history = history
        member.current_placement = history[-1] if history else None
    return members


def case_events(family, user):
    """Two entries from the family row, plus one per placement (one query)."""
    first = _("Referred") if family.status == FamilyStatus.REFERRED else _("Intake")
    entries = [TimelineEntry(day=family.intake_date, kind=_("Case"), title=first)]
    if family.exit_date:
        title = (
            _("Closed without success")
            if family.status == FamilyStatus.CLOSED
            else _("Exit: %(reason)s") % {"reason": family.get_exit_reason_display()}
        )
        entries.append(TimelineEntry(day=family.exit_date, kind=_("Case"), title=title))
    if sees_sensitive(user, family):
        placements = ChildPlacement.objects.filter(person__family=family).select_related("person")
        entries.extend(
            TimelineEntry(
                day=placement.start_date,
                kind=_("Child"),
                title=f"{placement.person.full_name}: {placement.get_arrangement_display()}",
                detail=placement.notes,
            )
            for placement in placements
        )
    return entries
