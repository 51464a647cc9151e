"""Reads over families: the programme's counts (counted in the database, never in Python
loops), the family list's rows, a family's members, and the core's entries on the family
timeline (intake, exit and the children's moves), and the family's consents: which one holds
now, for whom and for what (the one place that decides it)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beneficiaries.access import sees_sensitive
from beneficiaries.choices import (
    CHILDREN,
    IN_CARE,
    ConsentPurpose,
    ConsentStatus,
    FamilyStatus,
    LivingArrangement,
    Relationship,
)
from beneficiaries.models import ChildPlacement, ConsentRecord, Family, Person
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


# Consent -------------------------------------------------------------------------------

EXPIRED = "expired"
NOT_RECORDED = "none"
# The purposes every member is asked about, with the family page's short column headings;
# sharing is asked per partner.
ASKED_PURPOSES = {
    ConsentPurpose.PROCESSING: gettext_lazy("Data processing"),
    ConsentPurpose.PHOTOS: gettext_lazy("Photos"),
    ConsentPurpose.CONTACT: gettext_lazy("Contact"),
}


def partner_key(name: str) -> str:
    """One partner however its name was typed: spaces and letter case do not count."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class ConsentState:
    """What holds for one member, purpose (and partner) on a day: the latest record's
    decision, "expired" when a given consent's end date has passed, "none" without a record."""

    purpose: str
    partner: str
    state: str
    record: ConsentRecord | None

    @property
    def is_given(self) -> bool:
        return self.state == ConsentStatus.GIVEN

    @property
    def purpose_label(self) -> str:
        return ConsentPurpose(self.purpose).label

    @property
    def heading(self) -> str:
        return ASKED_PURPOSES.get(self.purpose) or ConsentPurpose(self.purpose).label

    @property
    def label(self) -> str:
        if self.state == EXPIRED:
            return _("Expired")
        if self.state == NOT_RECORDED:
            return _("Not recorded")
        return ConsentStatus(self.state).label


def _state_of(record: ConsentRecord | None, purpose: str, partner: str, on: date) -> ConsentState:
    if record is None:
        return ConsentState(purpose, partner, NOT_RECORDED, None)
    state = record.status
    if state == ConsentStatus.GIVEN and record.expires_on is not None and record.expires_on < on:
        state = EXPIRED
    return ConsentState(purpose, partner, state, record)


def _records_of(people) -> list[ConsentRecord]:
    ids = [person.pk for person in people] if isinstance(people, list) else people.values("pk")
    return list(
        ConsentRecord.objects.filter(person_id__in=ids)
        .select_related("recorded_by", "given_by")
        .order_by("decided_on", "id")
    )


def _latest(records: list[ConsentRecord], on: date) -> dict[int, dict[tuple, ConsentState]]:
    latest: dict[int, dict[tuple, ConsentRecord]] = {}
    for record in records:  # by date, then by entry: the last one for a key holds
        key = (record.purpose, partner_key(record.partner))
        latest.setdefault(record.person_id, {})[key] = record
    return {
        person_id: {
            key: _state_of(record, key[0], record.partner, on) for key, record in by_key.items()
        }
        for person_id, by_key in latest.items()
    }


def current_consents(people, *, on: date | None = None) -> dict[int, dict[tuple, ConsentState]]:
    """{person id: {(purpose, partner key): ConsentState}} for the people given (a list or a
    queryset), from one query. The latest record (by its date, then by when it was entered)
    for a member, purpose and partner decides; a given consent past its end date has expired.
    Purposes never recorded are absent (see `consent_state`)."""
    return _latest(_records_of(people), on or timezone.localdate())


def consent_state(states: dict, person_id: int, purpose: str, partner: str = "") -> ConsentState:
    """One member's state for one purpose out of `current_consents`."""
    found = states.get(person_id, {}).get((purpose, partner_key(partner)))
    return found or ConsentState(purpose, partner, NOT_RECORDED, None)


def members_without_processing_consent(family: Family, *, on: date | None = None) -> list[Person]:
    """The family's members for whom no consent to processing holds on the day (never
    recorded, refused, withdrawn or expired)."""
    members = list(family.members.order_by(HEAD_FIRST, "birth_date", "id"))
    states = current_consents(members, on=on)
    return [
        member
        for member in members
        if not consent_state(states, member.pk, ConsentPurpose.PROCESSING).is_given
    ]


def has_processing_consent(family: Family, *, on: date | None = None) -> bool:
    """Every member of the family consents to the processing of their data for the programme
    (a family without members has nobody's consent)."""
    return family.members.exists() and not members_without_processing_consent(family, on=on)


def may_share_with(person: Person, partner: str, *, on: date | None = None) -> bool:
    """The member's data may go to this outside partner: consent to processing and consent to
    sharing with that partner both hold (a withdrawal of either stops it)."""
    if not partner_key(partner):
        return False
    states = current_consents([person], on=on)
    return (
        consent_state(states, person.pk, ConsentPurpose.PROCESSING).is_given
        and consent_state(states, person.pk, ConsentPurpose.SHARING, partner).is_given
    )


@dataclass
class MemberConsents:
    person: Person
    asked: list[ConsentState]
    sharing: list[ConsentState]
    records: list[ConsentRecord]


def family_consent_rows(members: list[Person], *, on: date | None = None) -> list[MemberConsents]:
    """The family page's consent section: per member the state of each purpose asked of
    everyone, one line per partner a sharing decision names, and every record, newest first
    (one query)."""
    records = _records_of(members)
    states = _latest(records, on or timezone.localdate())
    rows = []
    for member in members:
        mine = states.get(member.pk, {})
        sharing = sorted(
            (state for key, state in mine.items() if key[0] == ConsentPurpose.SHARING),
            key=lambda state: partner_key(state.partner),
        )
        asked = [consent_state(states, member.pk, purpose) for purpose in ASKED_PURPOSES]
        history = [record for record in reversed(records) if record.person_id == member.pk]
        rows.append(MemberConsents(person=member, asked=asked, sharing=sharing, records=history))
    return rows
