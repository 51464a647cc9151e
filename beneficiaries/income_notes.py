"""Notes on automatic income records, from the app that wrote them.

An income record with an origin (a payslip, a reversal) is written by that origin's app;
the core cannot read those apps, so each registers a source here (in its AppConfig.ready)
that, given a page of records, says what the family's income page should add beside some of
them: "reversed", "re-run of …". A source answers in a fixed number of queries for any
number of records.
"""

from collections.abc import Callable, Iterable

NoteSource = Callable[[list], dict[int, str]]

_sources: list[NoteSource] = []


def register_income_note_source(source: NoteSource) -> NoteSource:
    """source(records) -> {record pk: note} for the records it knows."""
    if source not in _sources:
        _sources.append(source)
    return source


def income_notes(records: Iterable) -> dict[int, str]:
    """Every registered source's notes on `records` (income records with origin_type_id)."""
    automatic = [record for record in records if record.origin_type_id is not None]
    notes: dict[int, str] = {}
    if not automatic:
        return notes
    for source in _sources:
        notes.update(source(automatic))
    return notes
