"""Writes with rules in the core: a family's case (registration, intake, exit, closing, the
children's placements, the plan) and the household income ledger other apps write through."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from beneficiaries import exit_rules
from beneficiaries.choices import ExitReason, FamilyStatus, IncomeSource, Relationship
from beneficiaries.models import (
    Branch,
    ChildPlacement,
    DevelopmentPlan,
    Family,
    IncomeRecord,
    Person,
)
from beneficiaries.signals import income_written_in_bulk
from common.money import round_soum


def next_case_number(*, branch: Branch, year: int) -> str:
    """The branch's next case number for the year, e.g. SAM-2016-0042.

    Call inside a transaction that holds the branch row locked.
    """
    prefix = f"{branch.code}-{year}-"
    last = (
        Family.objects.filter(case_number__startswith=prefix)
        .order_by("-case_number")
        .values_list("case_number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


@transaction.atomic
def family_create(*, branch: Branch, intake_date: date, **fields) -> Family:
    """Register a family; it gets the branch's next case number for its intake year."""
    Branch.objects.select_for_update().get(pk=branch.pk)
    family = Family(branch=branch, intake_date=intake_date, **fields)
    family.case_number = next_case_number(branch=branch, year=intake_date.year)
    family.full_clean()
    family.save()
    return family


@transaction.atomic
def income_record_upsert(
    *,
    family: Family,
    person: Person | None,
    month: date,
    source: str,
    amount: Decimal,
    origin,
    evidence: str = "",
) -> IncomeRecord:
    """Write the household income a fact causes (a payslip, a follow-up), keyed by that fact.

    Called by the origin's service inside the same transaction as the fact, so the ledger
    and its origin never disagree. Calling it again for the same origin updates the record.
    """
    if month.day != 1:
        raise ValidationError({"month": _("A month is stored as its first day.")})
    if person is not None and person.family_id != family.pk:
        raise ValidationError({"person": _("This person is not a member of the family.")})
    origin_type = ContentType.objects.get_for_model(origin)
    record = (
        IncomeRecord.objects.select_for_update()
        .filter(origin_type=origin_type, origin_id=origin.pk)
        .first()
    )
    if record is not None:
        _refuse_rewrite(origin_type)
    else:
        record = IncomeRecord(origin_type=origin_type, origin_id=origin.pk)
    record.family = family
    record.person = person
    record.month = month
    record.source = source
    record.amount = round_soum(amount)
    record.evidence = evidence
    record.full_clean()
    record.save()
    return record


# Origins whose income record, once written, is never rewritten (an approved payslip):
# registered by their app (payroll), refused here as the database refuses it there.
WRITE_ONCE_ORIGINS: set[str] = set()


def register_write_once_origin(model) -> None:
    WRITE_ONCE_ORIGINS.add(model._meta.label_lower)


def _refuse_rewrite(origin_type: ContentType) -> None:
    if f"{origin_type.app_label}.{origin_type.model}" in WRITE_ONCE_ORIGINS:
        raise ValidationError(
            _(
                "This income record was written by an approved payroll: it does not change. "
                "Correct it through the payroll (a reversal or an adjustment)."
            ),
            code="write_once",
        )


@dataclass(frozen=True)
class IncomeEntry:
    """One income record for `income_records_upsert_bulk`: the upsert's fields, with the origin
    given as its content type and id (so thousands of origins need not be loaded)."""

    family_id: int
    person_id: int | None
    month: date
    source: str
    amount: Decimal
    origin_type: ContentType
    origin_id: int
    evidence: str = ""


BULK_CHUNK = 2000


@transaction.atomic
def income_records_upsert_bulk(*, entries: list[IncomeEntry], history_user=None) -> int:
    """`income_record_upsert` for many facts at once (a payroll run of thousands of payslips).

    The same rules and the same records as calling the upsert for each entry, in a few
    queries: months are first days, each person belongs to the family given, amounts are
    rounded by the one helper, and an origin that already has its record gets it updated,
    never doubled. New records and their history rows go in with multi-row inserts.
    Returns how many records were written.
    """
    from django.utils import timezone
    from simple_history.utils import bulk_update_with_history

    from beneficiaries.bulk import insert_rows

    if not entries:
        return 0
    known_sources = {value for value, _label in IncomeSource.choices}
    by_type: dict[int, dict[int, IncomeEntry]] = {}
    person_ids = set()
    for entry in entries:
        if entry.month.day != 1:
            raise ValidationError({"month": _("A month is stored as its first day.")})
        if entry.source not in known_sources:  # a programming error, not a user's
            raise ValueError(f"Unknown income source {entry.source!r}")
        by_type.setdefault(entry.origin_type.pk, {})[entry.origin_id] = entry
        if entry.person_id is not None:
            person_ids.add(entry.person_id)
    person_ids = sorted(person_ids)
    family_of = {}
    for start in range(0, len(person_ids), BULK_CHUNK):
        family_of.update(
            Person.objects.filter(pk__in=person_ids[start : start + BULK_CHUNK]).values_list(
                "pk", "family_id"
            )
        )
    for entry in entries:
        if entry.person_id is not None and family_of.get(entry.person_id) != entry.family_id:
            raise ValidationError({"person": _("This person is not a member of the family.")})
    now = timezone.now()
    new_rows, to_update = [], []
    for type_id, wanted in by_type.items():
        origin_ids = sorted(wanted)
        existing = {}
        for start in range(0, len(origin_ids), BULK_CHUNK):
            existing.update(
                (record.origin_id, record)
                for record in IncomeRecord.objects.select_for_update().filter(
                    origin_type_id=type_id, origin_id__in=origin_ids[start : start + BULK_CHUNK]
                )
            )
        for origin_id, entry in wanted.items():
            values = {
                "family_id": entry.family_id,
                "person_id": entry.person_id,
                "month": entry.month,
                "source": entry.source,
                "amount": round_soum(entry.amount),
                "evidence": entry.evidence,
            }
            record = existing.get(origin_id)
            if record is None:
                new_rows.append(
                    {
                        **values,
                        "origin_type_id": type_id,
                        "origin_id": origin_id,
                        "recorded_by_id": None,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            else:
                _refuse_rewrite(ContentType.objects.get_for_id(type_id))
                for name, value in values.items():
                    setattr(record, name, value)
                to_update.append(record)
    if new_rows:
        insert_rows(IncomeRecord, new_rows)
        _income_history_rows(new_rows, now=now, history_user=history_user)
    if to_update:
        bulk_update_with_history(
            to_update,
            IncomeRecord,
            ["family", "person", "month", "source", "amount", "evidence"],
            batch_size=BULK_CHUNK,
            default_user=history_user,
        )
    income_written_in_bulk.send(
        sender=IncomeRecord, family_ids={entry.family_id for entry in entries}
    )
    return len(new_rows) + len(to_update)


@transaction.atomic
def income_records_delete(*, origin_type: ContentType, origin_ids: list[int]) -> int:
    """Remove the income records of origins that no longer exist (the months of a job after
    its end date moved earlier). Only the origin's own service calls it, in its transaction;
    a write-once origin's records (an approved payslip) are refused as a rewrite is.
    Returns how many records were removed; each removal sends post_delete (the score follows)."""
    if not origin_ids:
        return 0
    records = IncomeRecord.objects.filter(origin_type=origin_type, origin_id__in=origin_ids)
    if not records.exists():
        return 0
    _refuse_rewrite(origin_type)
    removed, _by_model = records.delete()
    return removed


def _income_history_rows(rows: list[dict], *, now, history_user) -> None:
    """History rows ('+', created) for income records just inserted in bulk."""
    from beneficiaries.bulk import insert_rows

    by_type: dict[int, list[int]] = {}
    for row in rows:
        by_type.setdefault(row["origin_type_id"], []).append(row["origin_id"])
    ids = {}
    for type_id, origin_ids in by_type.items():
        for start in range(0, len(origin_ids), BULK_CHUNK):
            ids.update(
                ((type_id, origin_id), pk)
                for pk, origin_id in IncomeRecord.objects.filter(
                    origin_type_id=type_id, origin_id__in=origin_ids[start : start + BULK_CHUNK]
                ).values_list("pk", "origin_id")
            )
    history = [
        {
            **row,
            "id": ids[(row["origin_type_id"], row["origin_id"])],
            "history_date": now,
            "history_change_reason": None,
            "history_type": "+",
            "history_user_id": history_user.pk if history_user else None,
        }
        for row in rows
    ]
    insert_rows(IncomeRecord.history.model, history)


CHILD_RELATIONSHIPS = {Relationship.CHILD, Relationship.GRANDCHILD}


@transaction.atomic
def family_register(
    *, branch: Branch, intake_date: date, members: list[dict], recorded_by, **fields
) -> Family:
    """Register a family and its members; it gets the branch's next case number."""
    if fields.get("consent_date"):
        fields.setdefault("consent_recorded_by", recorded_by)
    family = family_create(branch=branch, intake_date=intake_date, **fields)
    for member in members:
        person = Person(family=family, **member)
        person.full_clean()
        person.save()
    return family


@transaction.atomic
def family_update(*, family: Family, updated_by, **fields) -> Family:
    """Change a family's registration data (not its status: that has its own actions)."""
    consent_before = (
        Family.objects.filter(pk=family.pk).values_list("consent_date", flat=True).get()
    )
    for name, value in fields.items():
        setattr(family, name, value)
    if family.consent_date != consent_before:
        family.consent_recorded_by = updated_by if family.consent_date else None
    family.full_clean()
    family.save()
    return family


def check_leaving_date(family: Family, day: date | None, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("Enter the date.")})
    if day < family.intake_date:
        message = _("The date cannot be before the intake date (%(day)s).") % {
            "day": date_format(family.intake_date, "SHORT_DATE_FORMAT")
        }
        raise ValidationError({field: message})
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def family_intake(*, family: Family, intake_date: date, by) -> Family:
    """Take a referred family into the service: it becomes active from the intake date."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.status != FamilyStatus.REFERRED:
        raise ValidationError(_("Only a referred family can be taken in."))
    if intake_date is None:
        raise ValidationError({"intake_date": _("Enter the date.")})
    if intake_date > timezone.localdate():
        raise ValidationError({"intake_date": _("The date cannot be in the future.")})
    if not family.members.exists():
        raise ValidationError(_("Register the family's members before the intake."))
    family.intake_date = intake_date
    family.status = FamilyStatus.ACTIVE
    family.full_clean()
    family.save()
    return family


@transaction.atomic
def person_mark_looking_for_work(*, person: Person, looking: bool, by) -> Person:
    """The caseworker marks an adult of an open case as looking for work (dated, with who
    marked it), or takes the mark away. Enterprise managers hire among the marked adults."""
    person = Person.objects.select_for_update().select_related("family").get(pk=person.pk)
    if looking:
        if not person.family.is_open:
            raise ValidationError(_("The family has left the service."))
        if person.age < 18:
            raise ValidationError(_("Only an adult can be marked as looking for work."))
        if person.looking_for_work_since is not None:
            return person  # already marked: the first mark's date and author stay
        person.looking_for_work_since = timezone.localdate()
        person.looking_for_work_marked_by = by
    else:
        person.looking_for_work_since = None
        person.looking_for_work_marked_by = None
    person.full_clean()
    person.save()
    return person


def check_consent_for_leaving(family: Family) -> None:
    if not family.consent_date:
        raise ValidationError(
            _(
                "No consent to the processing of personal data is recorded: record it in the "
                "family's data first."
            )
        )


@transaction.atomic
def family_exit(
    *,
    family: Family,
    exit_date: date,
    reason: str,
    notes: str = "",
    by,
    approved_early: bool = False,
) -> Family:
    """The family leaves the service (graduation, moving away, ...), on a date, for a reason.

    "Well-being restored" only when exit readiness holds at this moment (the checks the apps
    above register in `beneficiaries.exit_rules`); otherwise the caseworker requests it and a
    programme manager decides. `approved_early` is passed only by that approval
    (wellbeing.services.exit_request_decide), never from a form."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.status != FamilyStatus.ACTIVE:
        raise ValidationError(_("Only an active family can exit the service."))
    check_consent_for_leaving(family)
    if not reason:
        raise ValidationError({"reason": _("Choose the reason of the exit.")})
    if reason == ExitReason.OTHER and not notes.strip():
        raise ValidationError({"notes": _("Say what the other reason is.")})
    check_leaving_date(family, exit_date, "exit_date")
    if reason == ExitReason.WELL_BEING_RESTORED and not approved_early:
        unmet = exit_rules.unmet_exit_conditions(family)
        if unmet:
            raise ValidationError(
                {
                    "reason": _(
                        "The exit checklist does not hold today (%(unmet)s). Request the exit "
                        "for a programme manager's approval from the family's well-being panel, "
                        "or choose another reason."
                    )
                    % {"unmet": "; ".join(unmet)}
                }
            )
    family.status = FamilyStatus.EXITED
    family.exit_date = exit_date
    family.exit_reason = reason
    family.exit_notes = notes
    family.full_clean()
    family.save()
    return family


@transaction.atomic
def family_close(*, family: Family, close_date: date, notes: str, by) -> Family:
    """Close the case without success: the family left before its situation improved."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.status not in (FamilyStatus.REFERRED, FamilyStatus.ACTIVE):
        raise ValidationError(_("This case is already closed."))
    check_consent_for_leaving(family)
    if not notes.strip():
        raise ValidationError({"notes": _("Say why the case is closed.")})
    check_leaving_date(family, close_date, "exit_date")
    family.status = FamilyStatus.CLOSED
    family.exit_date = close_date
    family.exit_reason = ExitReason.OTHER
    family.exit_notes = notes
    family.full_clean()
    family.save()
    return family


@transaction.atomic
def child_placement_record(
    *, person: Person, arrangement: str, start_date: date, notes: str = "", recorded_by
) -> ChildPlacement:
    """Record where a child lives from a date on (at home, short-term or alternative care)."""
    if person.relationship not in CHILD_RELATIONSHIPS and person.age_on(start_date) >= 18:
        raise ValidationError({"person": _("Living arrangements are recorded for children.")})
    if start_date < person.birth_date:
        raise ValidationError({"start_date": _("The date cannot be before the child's birth.")})
    if start_date > timezone.localdate():
        raise ValidationError({"start_date": _("The date cannot be in the future.")})
    placement = ChildPlacement(
        person=person,
        arrangement=arrangement,
        start_date=start_date,
        notes=notes,
        recorded_by=recorded_by,
    )
    placement.full_clean()
    placement.save()
    return placement


@transaction.atomic
def development_plan_for(*, family: Family, updated_by) -> DevelopmentPlan:
    """The family's plan, started today if it has none yet."""
    plan, _created = DevelopmentPlan.objects.get_or_create(
        family=family, defaults={"updated_by": updated_by}
    )
    return plan
