"""The caseworker's week: what is due or overdue for a set of families, sorted by date.

The core does not know when an assessment or a retention check is due: each app registers a
source here (in its AppConfig.ready): a function (families, today, horizon) -> work items due
on or before `horizon` for those families, in a fixed number of queries. "Overdue" is each
kind's own definition (wellbeing/stale.py, RetentionCheckQuerySet.due, the consent's end
date); the worklist adds "due within WORKLIST_DUE_DAYS days" by asking the same rule about the
horizon instead of today.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import ConsentStatus
from beneficiaries.models import Person


@dataclass(frozen=True)
class WorkItem:
    due_on: date
    kind: str  # the label shown
    family: object
    url: str
    subject: str = ""  # the member or placement it is about, when not the whole family


@dataclass(frozen=True)
class WorklistSource:
    items: Callable[[object, date, date], Iterable[WorkItem]]


_sources: list[WorklistSource] = []


def register_worklist_source(source: WorklistSource) -> None:
    if source not in _sources:
        _sources.append(source)


def due_days() -> int:
    return settings.WORKLIST_DUE_DAYS


def worklist(families, today: date, days: int | None = None) -> list[WorkItem]:
    """Every registered kind's items due up to `days` after today (overdue ones included) for
    the families (a queryset), the earliest first."""
    horizon = today + timedelta(days=due_days() if days is None else days)
    items = [item for source in _sources for item in source.items(families, today, horizon)]
    return sorted(items, key=lambda item: (item.due_on, item.family.case_number, str(item.kind)))


# The core's own kind: consents that have run out or run out soon ---------------------------


def consents_expiring(families, today: date, horizon: date) -> list[WorkItem]:
    """A member's given consent whose end date is on or before the horizon, when it is still
    the latest decision for its purpose (a renewal or a withdrawal replaces it): two queries
    (the members, their consents through `current_consents`)."""
    from beneficiaries.selectors import current_consents

    members = list(Person.objects.filter(family__in=families).select_related("family"))
    states = current_consents(members, on=today)
    by_id = {member.pk: member for member in members}
    items = []
    for person_id, by_purpose in states.items():
        for state in by_purpose.values():
            record = state.record
            if (
                record is None
                or record.status != ConsentStatus.GIVEN
                or record.expires_on is None
                or record.expires_on > horizon
            ):
                continue
            member = by_id[person_id]
            items.append(
                WorkItem(
                    due_on=record.expires_on,
                    kind=_("Consent expires: %(purpose)s") % {"purpose": state.heading},
                    family=member.family,
                    url=reverse("beneficiaries:family_consent_create", args=[member.family_id]),
                    subject=str(member),
                )
            )
    return items


CONSENT_SOURCE = WorklistSource(items=consents_expiring)
