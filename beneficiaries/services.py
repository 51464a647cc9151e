"""Writes with rules for the core: families and the household income ledger."""

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
