"""People registered twice: how possible duplicates are found, and what a programme manager
decides about them (docs/duplicates.md).

Two records may be one person when

- they have the same PINFL (the database refuses a second one, so this is found when a
  PINFL is typed in: the registration form and the import refuse it, see pinfl_checks), or
- they have the same name key (beneficiaries.names: Latin and Cyrillic spellings and their
  common variants made one) and the same birth date, unless both have a PINFL and the two
  differ (a national ID each: two people).

They are found at registration (the caseworker sees the record and must confirm "not the
same person" to go on), in the import (the line is refused until resolved) and by the
periodic check (`find_duplicate_people`, the `duplicates_scan` task). Every pair goes to the
review queue once. A programme manager marks it "not the same" (remembered: the pair is
never proposed again) or merges the two records into one (`person_merge`).
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count, Q, UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.exceptions import NotHistoricalModelError
from simple_history.models import HistoricalChanges
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_manager_for_model,
)

from beneficiaries.choices import Disability, DuplicateFoundIn, DuplicateReason, DuplicateStatus
from beneficiaries.models import DuplicateCandidate, Person, PersonMerge
from beneficiaries.names import match_key

CHUNK = 500


@dataclass(frozen=True)
class Match:
    """A registered person who may be the one being entered."""

    person: Person
    reason: str  # DuplicateReason


def same_person_possible(a_pinfl, b_pinfl) -> bool:
    """Two different PINFLs are two people, whatever their names."""
    return not (a_pinfl and b_pinfl and a_pinfl != b_pinfl)


def matches_for(entries: list[dict], *, exclude_ids=()) -> list[list[Match]]:
    """For each entry ({full_name, birth_date, pinfl}) the registered people it may be, in
    one query: by PINFL, and by name key and birth date."""
    keyed = [(match_key(e["full_name"]), e["birth_date"], e.get("pinfl") or None) for e in entries]
    keys = {key for key, birth, _pinfl in keyed if key and birth}
    births = {birth for key, birth, _pinfl in keyed if key and birth}
    pinfls = {pinfl for _key, _birth, pinfl in keyed if pinfl}
    condition = Q(pk__in=[])
    if keys:
        condition |= Q(name_key__in=keys, birth_date__in=births)
    if pinfls:
        condition |= Q(pinfl__in=pinfls)
    if not keys and not pinfls:
        return [[] for _entry in entries]
    people = list(
        Person.objects.filter(condition)
        .exclude(pk__in=list(exclude_ids))
        .select_related("family__branch")
        .order_by("pk")
    )
    found = []
    for key, birth, pinfl in keyed:
        matches = []
        for person in people:
            if pinfl and person.pinfl == pinfl:
                matches.append(Match(person, DuplicateReason.PINFL))
            elif (
                key
                and person.name_key == key
                and person.birth_date == birth
                and same_person_possible(pinfl, person.pinfl)
            ):
                matches.append(Match(person, DuplicateReason.NAME_BIRTH))
        found.append(matches)
    return found


def matches_for_people(people: list[Person]) -> list[list[Match]]:
    """The registered people each of these (saved) people may be, apart from themselves and
    the pairs already decided "not the same"."""
    found = matches_for(
        [{"full_name": p.full_name, "birth_date": p.birth_date, "pinfl": p.pinfl} for p in people]
    )
    ids = [p.pk for p in people]
    decided = set(
        DuplicateCandidate.objects.filter(
            Q(person_a__in=ids) | Q(person_b__in=ids), status=DuplicateStatus.NOT_SAME
        ).values_list("person_a_id", "person_b_id")
    )
    return [
        [
            m
            for m in matches
            if m.person.pk != person.pk and _pair(person.pk, m.person.pk) not in decided
        ]
        for person, matches in zip(people, found, strict=True)
    ]


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def record_pairs(pairs, *, found_in: str, found_by=None, confirmed_by=None) -> int:
    """Put these (person id, person id, reason) pairs in the review queue, each pair once
    whatever was decided about it before; returns how many are new."""
    wanted = {}
    for a, b, reason in pairs:
        if a != b:
            wanted.setdefault(_pair(a, b), reason)
    if not wanted:
        return 0
    ids = {pk for pair in wanted for pk in pair}
    known = set(
        DuplicateCandidate.objects.filter(person_a__in=ids, person_b__in=ids).values_list(
            "person_a_id", "person_b_id"
        )
    )
    now = timezone.now()
    new = [
        DuplicateCandidate(
            person_a_id=a,
            person_b_id=b,
            reason=reason,
            found_in=found_in,
            found_at=now,
            found_by=found_by,
            confirmed_different_by=confirmed_by,
        )
        for (a, b), reason in sorted(wanted.items())
        if (a, b) not in known
    ]
    bulk_create_with_history(new, DuplicateCandidate, default_user=found_by)
    return len(new)


def record_for_people(people: list[Person], *, found_in: str, by, confirmed: bool) -> int:
    """After registering people the caseworker said were not the ones found: the pairs go to
    the programme manager's queue all the same (the caseworker may not see both records)."""
    pairs = [
        (person.pk, match.person.pk, match.reason)
        for person, matches in zip(people, matches_for_people(people), strict=True)
        for match in matches
    ]
    return record_pairs(
        pairs, found_in=found_in, found_by=by, confirmed_by=by if confirmed else None
    )


def refresh_name_keys() -> int:
    """The name key of people written without it (rows inserted in bulk)."""
    stale = [
        person
        for person in Person.objects.filter(name_key="").only("pk", "full_name")
        if match_key(person.full_name)
    ]
    for person in stale:
        person.name_key = match_key(person.full_name)
    Person.objects.bulk_update(stale, ["name_key"], batch_size=CHUNK)
    return len(stale)


def find_all(*, found_by=None) -> int:
    """The periodic check: every pair of people with the same name key and birth date (and
    no two different PINFLs) not yet in the queue goes in; returns how many are new."""
    refresh_name_keys()
    groups = list(
        Person.objects.exclude(name_key="")
        .values_list("name_key", "birth_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by()
    )
    new = 0
    for start in range(0, len(groups), CHUNK):
        chunk = groups[start : start + CHUNK]
        wanted = {(key, birth) for key, birth, _n in chunk}
        people = defaultdict(list)
        rows = (
            Person.objects.filter(
                name_key__in={key for key, _birth in wanted},
                birth_date__in={birth for _key, birth in wanted},
            )
            .order_by("pk")
            .values_list("pk", "name_key", "birth_date", "pinfl")
        )
        for pk, key, birth, pinfl in rows:
            if (key, birth) in wanted:
                people[(key, birth)].append((pk, pinfl))
        pairs = [
            (a, b, DuplicateReason.NAME_BIRTH)
            for group in people.values()
            for (a, a_pinfl), (b, b_pinfl) in combinations(group, 2)
            if same_person_possible(a_pinfl, b_pinfl)
        ]
        new += record_pairs(pairs, found_in=DuplicateFoundIn.CHECK, found_by=found_by)
    return new


def _open_candidate(candidate: DuplicateCandidate) -> DuplicateCandidate:
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != DuplicateStatus.OPEN:
        raise ValidationError(_("This pair has already been decided."))
    return candidate


@transaction.atomic
def mark_not_same(*, candidate: DuplicateCandidate, by) -> DuplicateCandidate:
    """Two different people: remembered, so the pair is never proposed again."""
    candidate = _open_candidate(candidate)
    candidate.status = DuplicateStatus.NOT_SAME
    candidate.decided_by = by
    candidate.decided_at = timezone.now()
    candidate._history_user = by
    candidate.save()
    return candidate


# --- the merge ------------------------------------------------------------------------


def person_relations():
    """(model, foreign key) of every record that points at a person, whichever app holds it
    (the core imports none: Person's own meta lists them), hidden ones (related_name "+")
    included. History rows stay as they were (what was true then), and the review queue is
    handled by the merge itself."""
    for relation in Person._meta.get_fields(include_hidden=True):
        if relation.concrete or not relation.auto_created or relation.many_to_many:
            continue
        model = relation.related_model
        if issubclass(model, HistoricalChanges) or model is DuplicateCandidate:
            continue
        yield model, relation.field


def _unique_field_sets(model, field):
    """The sets of fields (with the condition, if any) that are unique together and include
    this foreign key: a merge could make two of its rows clash there."""
    if field.unique:
        yield (field.name,), None
    for fields in model._meta.unique_together:
        if field.name in fields:
            yield tuple(fields), None
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and field.name in (constraint.fields or ()):
            yield tuple(constraint.fields), constraint.condition


def merge_clashes(keep: Person, away: Person) -> list[str]:
    """Why the two people's records could not all be one person's, or [] if they can."""
    problems = []
    for model, field in person_relations():
        for fields, condition in _unique_field_sets(model, field):
            others = [name for name in fields if name != field.name]
            rows = model._base_manager.filter(**{f"{field.name}__in": [keep.pk, away.pk]})
            if condition is not None:
                rows = rows.filter(condition)
            seen = defaultdict(set)
            for owner, *values in rows.values_list(field.attname, *others):
                seen[owner].add(tuple(values))
            if seen[keep.pk] & seen[away.pk]:
                what = ", ".join(str(model._meta.get_field(name).verbose_name) for name in others)
                problems.append(
                    _(
                        "Both people have %(records)s that one person cannot have twice "
                        "(the same %(what)s). Correct or remove one of them first, then merge."
                    )
                    % {"records": model._meta.verbose_name_plural, "what": what or field.name}
                )
    return problems


def _snapshot(person: Person) -> dict:
    return {
        field.attname: (
            value.isoformat() if hasattr(value := getattr(person, field.attname), "isoformat")
            else value
        )
        for field in Person._meta.concrete_fields
    }  # fmt: skip


def _fill_blanks(keep: Person, away: Person) -> list[str]:
    """What the kept person takes from the merged one where their own is unknown."""
    taken = []
    for name in ("phone", "education_level"):
        if not getattr(keep, name) and getattr(away, name):
            setattr(keep, name, getattr(away, name))
            taken.append(name)
    if keep.disability == Disability.NONE and away.disability != Disability.NONE:
        keep.disability = away.disability
        taken.append("disability")
    if keep.looking_for_work_since is None and away.looking_for_work_since is not None:
        keep.looking_for_work_since = away.looking_for_work_since
        keep.looking_for_work_marked_by_id = away.looking_for_work_marked_by_id
        taken.append("looking_for_work_since")
    if away.is_caregiver and not keep.is_caregiver:
        keep.is_caregiver = True
        taken.append("is_caregiver")
    return taken


def _move_records(keep: Person, away: Person, by, reason: str) -> dict:
    moved = {}
    for model, field in person_relations():
        rows = list(model._base_manager.filter(**{field.attname: away.pk}).order_by("pk"))
        if not rows:
            continue
        for row in rows:
            setattr(row, field.attname, keep.pk)
        try:
            get_history_manager_for_model(model)
        except NotHistoricalModelError:
            model._base_manager.filter(pk__in=[row.pk for row in rows]).update(
                **{field.attname: keep.pk}
            )
        else:
            bulk_update_with_history(
                rows,
                model,
                [field.name],
                default_user=by,
                default_change_reason=reason,
                manager=model._base_manager,
            )
        moved.setdefault(model._meta.label, {})[field.name] = [row.pk for row in rows]
    return moved


def _repoint_candidates(keep: Person, away: Person, current: DuplicateCandidate) -> None:
    """The other pairs the merged person was in become the kept person's (a pair that exists
    already for the kept person stays as it is)."""
    others = DuplicateCandidate.objects.filter(Q(person_a=away) | Q(person_b=away)).exclude(
        pk=current.pk
    )
    for candidate in others:
        other = candidate.person_b_id if candidate.person_a_id == away.pk else candidate.person_a_id
        if other == keep.pk:
            candidate.delete()
            continue
        a, b = _pair(keep.pk, other)
        if DuplicateCandidate.objects.filter(person_a=a, person_b=b).exists():
            candidate.delete()
            continue
        candidate.person_a_id, candidate.person_b_id = a, b
        candidate.save()


@transaction.atomic
def person_merge(*, candidate: DuplicateCandidate, keep: Person, by) -> PersonMerge:
    """Merge the pair into `keep`: every record of the other person (income, enrolments, jobs,
    businesses, consents, …) becomes the kept person's, what the kept record leaves unknown
    is taken from the other, the other is deleted, and the merge record keeps all its data.
    One transaction: all of it or nothing. Refused when the two cannot be one person (two
    PINFLs), when their records would clash (two enrolments in one cohort), or when the
    database refuses to move a record (an approved payroll's payslip)."""
    candidate = _open_candidate(candidate)
    ids = {candidate.person_a_id, candidate.person_b_id}
    if keep.pk not in ids or None in ids:
        raise ValidationError(_("Choose one of the two people to keep."))
    people = {
        person.pk: person
        for person in Person.objects.select_for_update()
        .select_related("family")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    keep = people[keep.pk]
    away = people[(ids - {keep.pk}).pop()]
    if not same_person_possible(keep.pinfl, away.pinfl):
        raise ValidationError(_("The two people have different PINFLs: they are two people."))
    problems = merge_clashes(keep, away)
    if problems:
        raise ValidationError(problems)
    reason = _("Merged: person %(away)s into %(keep)s") % {"away": away.pk, "keep": keep.pk}
    snapshot = _snapshot(away)
    try:
        with transaction.atomic():
            moved = _move_records(keep, away, by, reason)
    except DatabaseError as error:
        raise ValidationError(
            _(
                "The database refused to move a record of %(name)s (%(error)s), so nothing was "
                "merged. Try keeping the record of %(name)s instead."
            )
            % {"name": away.full_name, "error": str(error).splitlines()[0][:200]}
        ) from error
    taken = _fill_blanks(keep, away)
    pinfl = away.pinfl if not keep.pinfl else None
    record = PersonMerge(
        kept=keep,
        kept_name=keep.full_name,
        merged_person_id=away.pk,
        merged_name=away.full_name,
        merged_case_number=away.family.case_number,
        merged_data={
            "person": snapshot,
            "family_id": away.family_id,
            "moved": moved,
            "taken": taken + (["pinfl"] if pinfl else []),
        },
        merged_by=by,
    )
    record._history_user = by
    record.save()
    _repoint_candidates(keep, away, candidate)
    candidate.status = DuplicateStatus.MERGED
    candidate.decided_by = by
    candidate.decided_at = timezone.now()
    candidate.merge = record
    candidate._history_user = by
    candidate.save()
    away._history_user = by
    away._change_reason = reason
    away.delete()
    if pinfl:
        keep.pinfl = pinfl
    keep._history_user = by
    keep._change_reason = reason
    keep.full_clean()
    keep.save()
    return record
