"""My files: the queue itself (database backend, run by the worker), the donor report job,
expiry and the purge."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.tasks import task_backends
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from common.jobs import generated_files_purge
from common.models import FileStatus, GeneratedFile

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PERIOD = {"start": "2025-01-01", "end": "2025-12-31", "lang": "en"}


def test_the_donor_report_is_queued_and_only_its_owner_downloads_it(client, personas):
    client.force_login(personas.director)
    assert b"donor-report/queue/" in client.get(reverse("reports:programme"), PERIOD).content
    response = client.post(reverse("reports:donor_pdf_queue"), PERIOD)
    assert response.status_code == 302
    generated = GeneratedFile.objects.get()
    assert generated.status == FileStatus.READY
    assert generated.filename == "programme-report-20250101-20251231.pdf"
    download = client.get(reverse("accounts:file_download", args=[generated.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(personas.auditor)  # may read the report, but the file is not theirs
    assert client.get(reverse("accounts:file_download", args=[generated.pk])).status_code == 404
    client.force_login(personas.caseworker)  # may not open the report at all
    assert client.post(reverse("reports:donor_pdf_queue"), PERIOD).status_code == 403


def test_with_the_database_backend_the_job_waits_for_the_worker(
    client, personas, settings, monkeypatch
):
    settings.TASKS = DB_TASKS
    # The worker closes a connection that is inside a transaction (it has no business in
    # one); here the whole test is one transaction, so it keeps the test's connection.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    client.force_login(personas.director)
    client.post(reverse("reports:donor_pdf_queue"), PERIOD)
    generated = GeneratedFile.objects.get()
    assert generated.status == FileStatus.QUEUED
    assert DBTaskResult.objects.filter(id=generated.task_id, status="READY").exists()
    page = client.get(reverse("accounts:my_files")).content.decode()
    assert 'http-equiv="refresh"' in page  # refreshes itself while pending
    assert reverse("accounts:my_files") in page  # and offers a link to refresh without JS
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    generated.refresh_from_db()
    assert generated.status == FileStatus.READY
    assert DBTaskResult.objects.get(id=generated.task_id).status == "SUCCESSFUL"
    assert 'http-equiv="refresh"' not in client.get(reverse("accounts:my_files")).content.decode()


def test_expired_files_are_hidden_and_purged(client, personas):
    client.force_login(personas.director)
    client.post(reverse("reports:donor_pdf_queue"), PERIOD)
    generated = GeneratedFile.objects.get()
    assert default_storage.exists(generated.file.name)
    GeneratedFile.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("accounts:file_download", args=[generated.pk])).status_code == 404
    assert (
        f'id="file-{generated.pk}"' not in client.get(reverse("accounts:my_files")).content.decode()
    )
    assert generated_files_purge() == 1
    assert not GeneratedFile.objects.exists()
    assert not default_storage.exists(generated.file.name)


def test_my_files_lists_in_constant_queries(client, personas, django_assert_num_queries):
    client.force_login(personas.director)
    client.post(reverse("reports:donor_pdf_queue"), PERIOD)
    client.get(reverse("accounts:my_files"))
    # session, user, roles and permissions, the files
    with django_assert_num_queries(4):
        client.get(reverse("accounts:my_files"))
    client.post(reverse("reports:donor_pdf_queue"), PERIOD)
    with django_assert_num_queries(4):
        assert client.get(reverse("accounts:my_files")).status_code == 200
