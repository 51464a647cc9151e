"""The read log: one helper writes it, from the views that matter and the download door.

`record_read(request, kind, subject=None, data_kind="")` stores who read what, when, and the
query string used (a list's filters, a download's format). Kept `READ_LOG_DAYS` days:
`manage.py purge_read_log` removes older entries (run it nightly).
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import ReadLogEntry

Kind = ReadLogEntry.Kind


def record_read(request, kind: str, subject=None, data_kind: str = "") -> ReadLogEntry | None:
    """Log that `request.user` read `subject` (a record, or None for a list or figures)."""
    user = request.user
    if not user.is_authenticated:
        return None
    content_type = object_id = None
    if subject is not None and getattr(subject, "pk", None) is not None:
        content_type = ContentType.objects.get_for_model(subject)
        object_id = str(subject.pk)
    return ReadLogEntry.objects.create(
        user=user,
        username=user.get_username(),
        kind=kind,
        data_kind=data_kind,
        path=request.path[:500],
        query=request.META.get("QUERY_STRING", "")[:2000],
        content_type=content_type,
        object_id=object_id or "",
    )


def on_download_served(sender, request, kind, subject=None, **kwargs):
    """The download door's announcement (common.downloads.download_served), logged."""
    record_read(request, Kind.DOWNLOAD, subject, data_kind=kind)


def retention_days() -> int:
    return int(getattr(settings, "READ_LOG_DAYS", 365))


def read_log_purge(*, days: int | None = None, now=None) -> int:
    """Delete the entries older than `days` (READ_LOG_DAYS by default); the number deleted."""
    days = retention_days() if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _ = ReadLogEntry.objects.filter(at__lt=cutoff).delete()
    return deleted
