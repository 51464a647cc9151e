"""Files made in the background: the kinds the apps register, the request, the task.

A page whose file takes more than a moment queues it (`generated_file_request`) and sends the
user to "My files" (common/views.py), which shows it queued → being made → ready (or failed,
with the reason and a retry button). The worker (`manage.py db_worker`, django-tasks-db)
runs `generated_file_build`; tests run it at once (settings.TASKS).

Each app registers its kinds in its AppConfig.ready with `register(JobKind(...))`:
`build(params, progress)` returns the file's bytes, `may_access(user, params)` repeats the
page's permission and scope (checked when the file is asked for and again at download, where
`common.downloads` also checks the kind of data). This package imports none of the apps.

A build is idempotent: the file is stored under a name fixed by the record
(generated/<id>/<filename>), so running the task twice, or retrying, leaves one file.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from common.downloads import KIND_PERMISSIONS
from common.models import FileStatus, GeneratedFile

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class JobKind:
    name: str  # "payroll.register_pdf"
    download_kind: str  # common.downloads.PERSONAL or AGGREGATE
    build: Callable[[dict, Progress], bytes]
    may_access: Callable[[object, dict], bool]
    filename: Callable[[dict], str]
    content_type: str = "application/pdf"
    # What else the job keeps in storage (an uploaded file), removed with the record.
    cleanup: Callable[[dict], None] | None = None


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    KIND_PERMISSIONS[kind.download_kind]  # an unknown kind of data is a programming error
    KINDS[kind.name] = kind


def kind_of(generated: GeneratedFile) -> JobKind | None:
    return KINDS.get(generated.kind)


def expiry() -> timedelta:
    return timedelta(hours=settings.GENERATED_FILE_HOURS)


def may_access(user, generated: GeneratedFile) -> bool:
    """The owner, and only while the page it came from would still show it to them."""
    kind = kind_of(generated)
    return (
        kind is not None
        and generated.user_id == user.pk
        and kind.may_access(user, generated.params)
    )


def generated_file_request(*, user, kind: str, params: dict, title: str) -> GeneratedFile:
    """Record the request and queue its build. The worker sees the task when this commits."""
    KINDS[kind]
    with transaction.atomic():
        generated = GeneratedFile.objects.create(
            user=user,
            kind=kind,
            params=params,
            title=title[:255],
            expires_at=timezone.now() + expiry(),
        )
        _enqueue(generated)
    generated.refresh_from_db()
    return generated


def generated_file_retry(*, generated: GeneratedFile) -> None:
    """Queue a failed file again (a ready or pending one is left as it is)."""
    with transaction.atomic():
        locked = GeneratedFile.objects.select_for_update().get(pk=generated.pk)
        if locked.status != FileStatus.FAILED:
            return
        locked.status = FileStatus.QUEUED
        locked.error = ""
        locked.steps_done = locked.steps_total = 0
        locked.finished_at = None
        locked.expires_at = timezone.now() + expiry()
        locked.save()
        _enqueue(locked)


def _enqueue(generated: GeneratedFile) -> None:
    result = generated_file_build.enqueue(generated.pk)
    GeneratedFile.objects.filter(pk=generated.pk).update(task_id=str(result.id))


def _claim(file_id: int) -> GeneratedFile | None:
    """Mark the file as being made, or None when there is nothing to do (made already,
    expired and purged, or another worker has it)."""
    with transaction.atomic():
        generated = GeneratedFile.objects.select_for_update().filter(pk=file_id).first()
        if generated is None or generated.status not in (FileStatus.QUEUED, FileStatus.FAILED):
            return None
        generated.status = FileStatus.RUNNING
        generated.save(update_fields=["status"])
        return generated


@task()
def generated_file_build(file_id: int) -> str:
    """Make the file of one request and store it; a failure is recorded with its reason."""
    generated = _claim(file_id)
    if generated is None:
        return "nothing to do"
    kind = kind_of(generated)

    def progress(done: int, total: int) -> None:
        GeneratedFile.objects.filter(pk=file_id).update(steps_done=done, steps_total=total)

    try:
        if kind is None:
            raise LookupError(f"no file kind {generated.kind!r}")
        with transaction.atomic():  # a database error in the build spoils nothing else
            content = kind.build(generated.params, progress)
        filename = kind.filename(generated.params)
    except Exception as error:
        GeneratedFile.objects.filter(pk=file_id).update(
            status=FileStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    name = f"generated/{file_id}/{filename}"
    storage = generated.file.storage
    if storage.exists(name):
        storage.delete(name)  # a second run replaces the first run's file
    stored = storage.save(name, ContentFile(content))
    GeneratedFile.objects.filter(pk=file_id).update(
        status=FileStatus.READY,
        file=stored,
        filename=filename,
        content_type=kind.content_type,
        error="",
        finished_at=timezone.now(),
    )
    return stored


def generated_files_purge(*, now=None) -> int:
    """Delete the files (and their records) past their expiry. Returns how many."""
    now = now or timezone.now()
    count = 0
    for generated in GeneratedFile.objects.filter(expires_at__lte=now).iterator():
        if generated.file:
            generated.file.storage.delete(generated.file.name)
        kind = kind_of(generated)
        if kind is not None and kind.cleanup is not None:
            kind.cleanup(generated.params)
        generated.delete()
        count += 1
    return count


@task()
def generated_files_purge_task() -> int:
    return generated_files_purge()
