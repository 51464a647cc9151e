"""Writes with rules for the core: families and the household income ledger."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from beneficiaries.models import Branch, Family, IncomeRecord, Person
from beneficiaries.money import round_soum


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
    ) or IncomeRecord(origin_type=origin_type, origin_id=origin.pk)
    record.family = family
    record.person = person
    record.month = month
    record.source = source
    record.amount = round_soum(amount)
    record.evidence = evidence
    record.full_clean()
    record.save()
    return record


@dataclass(frozen=True)
class IncomeEntry:
    """One income record for `income_records_upsert_bulk`: the same fields as the upsert."""

    family_id: int
    person_id: int | None
    month: date
    source: str
    amount: Decimal
    origin: object
    evidence: str = ""


BULK_CHUNK = 2000


@transaction.atomic
def income_records_upsert_bulk(*, entries: list[IncomeEntry]) -> int:
    """`income_record_upsert` for many facts at once (a payroll run of thousands of payslips).

    The same rules and the same result as calling the upsert for each entry, in a few queries:
    months are first days, each person belongs to the family given, amounts are rounded by the
    one helper, and an origin that already has its record gets it updated, never doubled.
    History rows are written in bulk too. Returns how many records were written.
    """
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    if not entries:
        return 0
    sources = set(IncomeRecord._meta.get_field("source").get_choices(include_blank=False))
    known_sources = {value for value, _label in sources}
    by_type: dict[int, dict[int, IncomeEntry]] = {}
    person_ids = set()
    for entry in entries:
        if entry.month.day != 1:
            raise ValidationError({"month": _("A month is stored as its first day.")})
        if entry.source not in known_sources:
            raise ValidationError({"source": _("Unknown income source.")})
        origin_type = ContentType.objects.get_for_model(entry.origin)
        by_type.setdefault(origin_type.pk, {})[entry.origin.pk] = entry
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
    to_create, to_update = [], []
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
            record = existing.get(origin_id) or IncomeRecord(
                origin_type_id=type_id, origin_id=origin_id
            )
            record.family_id = entry.family_id
            record.person_id = entry.person_id
            record.month = entry.month
            record.source = entry.source
            record.amount = round_soum(entry.amount)
            record.evidence = entry.evidence
            (to_update if record.pk else to_create).append(record)
    if to_create:
        bulk_create_with_history(to_create, IncomeRecord, batch_size=BULK_CHUNK)
    if to_update:
        bulk_update_with_history(
            to_update,
            IncomeRecord,
            ["family", "person", "month", "source", "amount", "evidence"],
            batch_size=BULK_CHUNK,
        )
    return len(to_create) + len(to_update)
