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
from beneficiaries.choices import (
    ConsentPurpose,
    ConsentStatus,
    ExitReason,
    FamilyStatus,
    IncomeSource,
    Relationship,
)
from beneficiaries.models import (
    Branch,
    ChildPlacement,
    ConsentRecord,
    DevelopmentPlan,
    Family,
    IncomeRecord,
    Person,
)
from beneficiaries.selectors import members_without_processing_consent
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
    check_processing_consent_for_intake(family)
    family.intake_date = intake_date
    family.status = FamilyStatus.ACTIVE
    family.full_clean()
    family.save()
    return family


def check_processing_consent_for_intake(family: Family) -> None:
    """A family is taken into service only when every member consents to the processing of
    their data (the law on personal data); a referred family may be registered without."""
    missing = members_without_processing_consent(family)
    if missing:
        raise ValidationError(
            _(
                "Consent to the processing of personal data does not hold for: %(names)s. "
                "Record their consent in the family's consent section before the intake."
            )
            % {"names": ", ".join(member.full_name for member in missing)},
            code="no_processing_consent",
        )


@transaction.atomic
def consent_record(
    *,
    person: Person,
    purpose: str,
    status: str,
    decided_on: date,
    recorded_by,
    partner: str = "",
    expires_on: date | None = None,
    given_by: Person | None = None,
    paper_reference: str = "",
) -> ConsentRecord:
    """Record a member's decision (given, refused, withdrawn) about one use of their data.

    A new decision is a new record; the latest one holds (selectors.current_consents). For a
    child a parent or guardian of the family decides; a given consent names its signed form."""
    partner = " ".join(partner.split())
    paper_reference = paper_reference.strip()
    errors = {}
    if purpose == ConsentPurpose.SHARING and not partner:
        errors["partner"] = _("Name the partner the data may be shared with.")
    elif purpose != ConsentPurpose.SHARING and partner:
        errors["partner"] = _("A partner is named only for sharing.")
    if decided_on and decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    if decided_on and person.birth_date and decided_on < person.birth_date:
        errors["decided_on"] = _("The date cannot be before the member's birth.")
    if expires_on is not None:
        if status != ConsentStatus.GIVEN:
            errors["expires_on"] = _("Only a given consent has an end date.")
        elif decided_on and expires_on <= decided_on:
            errors["expires_on"] = _("The end date must be after the date of the consent.")
    if status == ConsentStatus.GIVEN and not paper_reference:
        errors["paper_reference"] = _("Enter the reference of the signed form.")
    minor = decided_on is not None and person.age_on(decided_on) < 18
    if given_by is None and minor:
        errors["given_by"] = _("For a child, choose the parent or guardian who decided.")
    elif given_by is not None and (
        given_by.family_id != person.family_id
        or given_by.pk == person.pk
        or (decided_on is not None and given_by.age_on(decided_on) < 18)
    ):
        errors["given_by"] = _("The guardian must be another adult member of the family.")
    if errors:
        raise ValidationError(errors)
    record = ConsentRecord(
        person=person,
        purpose=purpose,
        partner=partner,
        status=status,
        decided_on=decided_on,
        expires_on=expires_on,
        given_by=given_by,
        paper_reference=paper_reference,
        recorded_by=recorded_by,
    )
    record.full_clean()
    record.save()
    return record


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
