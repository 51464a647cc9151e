"""Writes of day care that have rules: registering a child, a centre's capacity, the day's
register (all or nothing, within capacity)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from beneficiaries.models import Branch
from daycare.choices import MAX_CARE_HOURS, CareReason
from daycare.models import DayCareAttendance, DayCareCapacity, DayCarePlace
from daycare.selectors import capacity_on, reasons_for


@transaction.atomic
def place_register(
    *, child, parent, branch, start_date: date, usual_hours: Decimal, by
) -> DayCarePlace:
    """Register a child for day care at a centre from `start_date` on."""
    if DayCarePlace.objects.filter(child=child).open_on(start_date).exists():
        raise ValidationError({"child": _("This child already has a day-care place then.")})
    place = DayCarePlace(
        child=child,
        parent=parent,
        branch=branch,
        start_date=start_date,
        usual_hours=usual_hours,
        created_by=by,
    )
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def place_end(*, place: DayCarePlace, end_date: date) -> DayCarePlace:
    place = DayCarePlace.objects.select_for_update().get(pk=place.pk)
    if place.attendances.filter(date__gt=end_date).exists():
        raise ValidationError(
            {"end_date": _("The child has days in care after this date; end the place later.")}
        )
    place.end_date = end_date
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def capacity_set(*, branch, effective_from: date, places: int, by) -> DayCareCapacity:
    """From `effective_from` on, the centre takes at most `places` children a day."""
    row = DayCareCapacity(branch=branch, effective_from=effective_from, places=places)
    row.recorded_by = by
    row.full_clean()
    row.save()
    return row


@dataclass(frozen=True)
class Mark:
    """One child's line of the register: in care or not, and for how many hours."""

    present: bool
    hours: Decimal | None = None


def _field(place_id: int) -> str:
    return f"h{place_id}"


@transaction.atomic
def register_record(
    *,
    branch: Branch,
    day: date,
    marks: dict[int, Mark],
    recorded_by,
    today: date | None = None,
) -> list[DayCareAttendance]:
    """Save a centre's register of one day at once: every child expected that day (a place
    running that day) is in care or not. Refused as a whole when any line is refused, when
    the day is still to come, or when more children are in care than the centre has places.
    Each day in care is linked to the parent's training session or working day that day."""
    today = today or timezone.localdate()
    # One register of a centre at a time: two staff saving the same day wait for each other,
    # so the capacity holds.
    branch = Branch.objects.select_for_update().get(pk=branch.pk)
    if day > today:
        raise ValidationError(_("The register cannot be taken for a day still to come."))
    places = {p.pk: p for p in DayCarePlace.objects.filter(branch=branch).open_on(day)}
    if set(marks) - set(places):
        raise ValidationError(_("Some children are not expected at this centre that day."))
    errors = {}
    for place_id, mark in marks.items():
        if not mark.present:
            continue
        if mark.hours is None:
            errors[_field(place_id)] = _("Enter the hours the child was in care.")
        elif not Decimal("0.5") <= mark.hours <= MAX_CARE_HOURS:
            errors[_field(place_id)] = _("Hours in care run from 0.5 to %(max)s.") % {
                "max": MAX_CARE_HOURS
            }
    if errors:
        raise ValidationError(errors)
    present = [pid for pid, mark in marks.items() if mark.present]
    capacity = capacity_on(branch, day)
    if present and capacity is None:
        raise ValidationError(
            _("%(centre)s has no day-care capacity set for %(day)s: the programme manager sets it.")
            % {"centre": branch, "day": date_format(day, "SHORT_DATE_FORMAT")}
        )
    if capacity is not None:
        # Children of this day outside the marks (none today, but a place ended later on).
        others = (
            DayCareAttendance.objects.filter(branch=branch, date=day)
            .exclude(place_id__in=marks)
            .count()
        )
        if len(present) + others > capacity:
            raise ValidationError(
                ngettext(
                    "%(centre)s has %(capacity)s place on %(day)s; %(count)s children are"
                    " marked in care. Untick the children who did not come, or ask the"
                    " programme manager to raise the capacity.",
                    "%(centre)s has %(capacity)s places on %(day)s; %(count)s children are"
                    " marked in care. Untick the children who did not come, or ask the"
                    " programme manager to raise the capacity.",
                    capacity,
                )
                % {
                    "centre": branch,
                    "capacity": capacity,
                    "day": date_format(day, "SHORT_DATE_FORMAT"),
                    "count": len(present) + others,
                }
            )

    reasons = reasons_for({places[pid].parent_id for pid in present}, day)
    existing = {
        a.place_id: a
        for a in DayCareAttendance.objects.select_for_update().filter(place_id__in=marks, date=day)
    }
    to_create, to_update, to_delete = [], [], []
    for place_id, mark in marks.items():
        row = existing.get(place_id)
        if not mark.present:
            if row is not None:
                to_delete.append(row)
            continue
        place = places[place_id]
        reason = reasons.get(place.parent_id)
        values = {
            "hours": mark.hours,
            "reason": reason.kind if reason else CareReason.OTHER,
            "session": reason.session if reason else None,
            "employment_id": reason.employment_id if reason else None,
        }
        if row is None:
            to_create.append(
                DayCareAttendance(
                    place=place,
                    child_id=place.child_id,
                    branch=branch,
                    date=day,
                    recorded_by=recorded_by,
                    **values,
                )
            )
            continue
        changed = False
        for name, value in values.items():
            if name == "session":
                if row.session_id != (value.pk if value else None):
                    row.session = value
                    changed = True
            elif getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
        if changed:
            row.recorded_by = recorded_by
            to_update.append(row)
    for row in to_delete:
        row._history_user = recorded_by
        row.delete()
    if to_create:
        bulk_create_with_history(to_create, DayCareAttendance, default_user=recorded_by)
    if to_update:
        bulk_update_with_history(
            to_update,
            DayCareAttendance,
            ["hours", "reason", "session", "employment", "recorded_by"],
            default_user=recorded_by,
        )
    return to_create + to_update
