"""The family timeline: what happened to a family, gathered from every app.

The core imports no other app, so training, enterprises, payroll and the well-being
modules register a source here (in their AppConfig.ready). A source answers for one family
with a fixed number of queries, whatever the family's history holds.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str  # a short translated label: "Training", "Job", "Income", ...
    title: str
    url: str | None = None
    detail: str = ""


TimelineSource = Callable[[object, object], Iterable[TimelineEntry]]

_sources: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    """source(family, user) -> entries the user may see about that family."""
    if source not in _sources:
        _sources.append(source)
    return source


def timeline_for(family, user) -> list[TimelineEntry]:
    """Every registered source's entries for the family, newest first."""
    entries: list[TimelineEntry] = []
    for source in _sources:
        entries.extend(source(family, user))
    return sorted(entries, key=lambda entry: entry.day, reverse=True)
