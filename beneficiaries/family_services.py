"""Writes with rules over a family's case: registration with members, intake, exit, the
children's living arrangements and the development plan.

Kept apart from `services.py` (case numbers, the income ledger) so the two grow without
stepping on each other; both are the core's services.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.choices import ExitReason, FamilyStatus, Relationship
from beneficiaries.models import Branch, ChildPlacement, DevelopmentPlan, Family, Person
from beneficiaries.services import family_create

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


def _check_leaving_date(family: Family, day: date | None, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("Enter the date.")})
    if day < family.intake_date:
        message = _("The date cannot be before the intake date (%(day)s).") % {
            "day": family.intake_date.strftime("%d.%m.%Y")
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


def _missing_for_leaving(family: Family) -> None:
    if not family.consent_date:
        raise ValidationError(
            _(
                "No consent to the processing of personal data is recorded: record it in the "
                "family's data first."
            )
        )


@transaction.atomic
def family_exit(*, family: Family, exit_date: date, reason: str, notes: str = "", by) -> Family:
    """The family leaves the service (graduation, moving away, ...), on a date, for a reason."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.status != FamilyStatus.ACTIVE:
        raise ValidationError(_("Only an active family can exit the service."))
    _missing_for_leaving(family)
    if not reason:
        raise ValidationError({"reason": _("Choose the reason of the exit.")})
    if reason == ExitReason.OTHER and not notes.strip():
        raise ValidationError({"notes": _("Say what the other reason is.")})
    _check_leaving_date(family, exit_date, "exit_date")
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
    _missing_for_leaving(family)
    if not notes.strip():
        raise ValidationError({"notes": _("Say why the case is closed.")})
    _check_leaving_date(family, close_date, "exit_date")
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
