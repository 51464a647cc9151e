"""Stale cases: the kinds of overdue work a family can have, for the family list's filter.

The core lists families but does not know when an assessment or a follow-up is due: an app
above it registers a source here (in its AppConfig.ready) with the kinds it defines (code,
label) and a function (day) -> {code: condition on Family}. The conditions are the one
definition of each kind (wellbeing/stale.py), shared by the family list's "overdue" filter,
the family page's flags and the home pages' counts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

ANY = "any"


@dataclass(frozen=True)
class StaleSource:
    kinds: tuple[tuple[str, str], ...]  # (code, label)
    conditions: Callable[[date], dict[str, Q]]


_sources: list[StaleSource] = []


def register_stale_source(source: StaleSource) -> None:
    if source not in _sources:
        _sources.append(source)


def stale_kinds() -> list[tuple[str, str]]:
    return [kind for source in _sources for kind in source.kinds]


def stale_conditions(day: date) -> dict[str, Q]:
    """{code: condition on Family} of every kind, for the day."""
    conditions: dict[str, Q] = {}
    for source in _sources:
        conditions.update(source.conditions(day))
    return conditions


def stale_q(code: str, day: date) -> Q | None:
    """The condition of one kind, or of any kind for `ANY`; None for an unknown code."""
    conditions = stale_conditions(day)
    if code == ANY:
        combined = Q(pk__in=[])
        for condition in conditions.values():
            combined |= condition
        return combined if conditions else None
    return conditions.get(code)
