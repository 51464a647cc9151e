"""Reading django-simple-history's records as "who changed what" rows."""

from dataclasses import dataclass
from datetime import datetime

from simple_history.models import HistoricalRecords


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


class HistoricalRecordsBothSides(HistoricalRecords):
    """HistoricalRecords whose many-to-many history also follows changes made from the other
    side (`branch.staff_profiles.add(profile)`, `group.user_set.add(user)`): the library
    only follows the side the field is declared on, and fails on the other."""

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        records = self.cls._default_manager
        if action == "pre_clear":
            instance._history_cleared = list(
                records.filter(**{attr: instance}).values_list("pk", flat=True)
            )
        elif action in ("post_add", "post_remove", "post_clear"):
            pks = (
                pk_set if action != "post_clear" else instance.__dict__.pop("_history_cleared", [])
            )
            for record in records.filter(pk__in=pks or []):
                super().m2m_changed(record, action, attr, None, False, **kwargs)
        return None
