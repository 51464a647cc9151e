"""Reading django-simple-history's records as "who changed what" rows."""

from dataclasses import dataclass
from datetime import datetime


@dataclass
class HistoryRow:
    when: datetime
    who: str
    action: str
    changes: list[tuple[str, object, object]]


def history_rows(record, limit: int = 200) -> list[HistoryRow]:
    """The record's changes, newest first, each with the fields it changed."""
    entries = list(
        record.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    rows = []
    for index, entry in enumerate(entries[:limit]):
        previous = entries[index + 1] if index + 1 < len(entries) else None
        changes = []
        if previous is not None and entry.history_type == "~":
            delta = entry.diff_against(previous)
            for change in delta.changes:
                field = record._meta.get_field(change.field)
                changes.append((str(field.verbose_name), change.old, change.new))
        rows.append(
            HistoryRow(
                when=entry.history_date,
                who=str(entry.history_user) if entry.history_user else "—",
                action=entry.get_history_type_display(),
                changes=changes,
            )
        )
    return rows
