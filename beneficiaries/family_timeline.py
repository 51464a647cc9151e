"""The core's own entries on the family timeline: intake, exit and the children's moves."""

from django.utils.translation import gettext as _

from beneficiaries.access import sees_sensitive
from beneficiaries.choices import FamilyStatus
from beneficiaries.models import ChildPlacement
from beneficiaries.timeline import TimelineEntry


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
