"""The register PDF as a background job: queued from the run's page, made by the worker
(at once in tests), downloaded from My files by its owner only, while the run is in scope."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from common.jobs import generated_file_build
from common.models import FileStatus, GeneratedFile
from payroll import documents, services
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire
from tests.payroll.test_register_pdf import pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(enterprise):
    for rate in ("3000000", "2500000", "4100000"):
        hire(enterprise, rate=rate)
    return services.payroll_run_generate(enterprise=enterprise, month=MARCH)


def queue(client, run, lang="en"):
    return client.post(reverse("payroll:register_queue", args=[run.pk]), {"lang": lang})


def test_the_run_page_button_queues_the_register(client_for, personas, run):
    page = client_for(personas.manager).get(reverse("payroll:run_detail", args=[run.pk]))
    assert reverse("payroll:register_queue", args=[run.pk]).encode() in page.content


def test_a_queued_register_equals_the_one_the_page_returned(client_for, personas, run, tmp_path):
    client = client_for(personas.manager)
    direct = client.get(reverse("payroll:register_pdf", args=[run.pk]), {"lang": "en"})
    response = queue(client, run)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:my_files")
    generated = GeneratedFile.objects.get()
    assert (generated.user, generated.status) == (personas.manager, FileStatus.READY)
    assert generated.steps_done == generated.steps_total > 0  # the progress reached the end
    listing = client.get(reverse("accounts:my_files"))
    assert f'id="file-{generated.pk}"'.encode() in listing.content
    assert reverse("accounts:file_download", args=[generated.pk]).encode() in listing.content
    assert b'http-equiv="refresh"' not in listing.content  # nothing pending: no refresh
    download = client.get(reverse("accounts:file_download", args=[generated.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert f"payroll-{run.enterprise_id}-2025-03-en.pdf" in download["Content-Disposition"]
    queued = b"".join(download.streaming_content)
    assert pages_text(queued, tmp_path) == pages_text(direct.content, tmp_path)
    assert len(pages_text(queued, tmp_path)) >= 1


def test_the_file_is_refused_to_another_user(client, client_for, personas, run, other_enterprise):
    queue(client_for(personas.manager), run)
    generated = GeneratedFile.objects.get()
    url = reverse("accounts:file_download", args=[generated.pk])
    # The director may open the run and take personal files out, but the file is not theirs.
    for other in (personas.director, personas.caseworker, personas.outsider):
        client.force_login(other)
        assert client.get(url).status_code == 404, other
        assert (
            f'id="file-{generated.pk}"'
            not in client.get(reverse("accounts:my_files")).content.decode()
        )
    # The owner, once the run is no longer theirs (moved off the enterprise), is refused too.
    run.enterprise.managers.remove(personas.manager)
    client.force_login(personas.manager)
    assert client.get(url).status_code == 404


def test_a_role_that_may_not_take_personal_files_cannot_queue_one(client_for, personas, run):
    assert queue(client_for(personas.auditor), run).status_code == 403
    assert queue(client_for(personas.trainer), run).status_code == 403
    assert not GeneratedFile.objects.exists()


def test_a_run_out_of_scope_cannot_be_queued(client_for, personas, other_enterprise):
    hire(other_enterprise, rate="2000000")
    foreign = services.payroll_run_generate(enterprise=other_enterprise, month=MARCH)
    assert queue(client_for(personas.manager), foreign).status_code == 404


def test_a_failed_job_shows_its_error_and_a_retry_succeeds(client_for, personas, run, monkeypatch):
    real = documents.register_pdf

    def broken(*args, **kwargs):
        raise RuntimeError("the printer caught fire")

    monkeypatch.setattr(documents, "register_pdf", broken)
    client = client_for(personas.manager)
    queue(client, run)
    generated = GeneratedFile.objects.get()
    assert generated.status == FileStatus.FAILED
    assert not generated.file
    page = client.get(reverse("accounts:my_files")).content.decode()
    assert "RuntimeError: the printer caught fire" in page
    retry = reverse("accounts:file_retry", args=[generated.pk])
    assert retry in page
    assert client.get(reverse("accounts:file_download", args=[generated.pk])).status_code == 404

    monkeypatch.setattr(documents, "register_pdf", real)
    assert client.post(retry).status_code == 302
    generated.refresh_from_db()
    assert (generated.status, generated.error) == (FileStatus.READY, "")
    download = client.get(reverse("accounts:file_download", args=[generated.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_running_a_job_twice_writes_one_file(client_for, personas, run):
    queue(client_for(personas.manager), run)
    generated = GeneratedFile.objects.get()
    generated_file_build.call(generated.pk)  # made already: nothing to do
    GeneratedFile.objects.filter(pk=generated.pk).update(status=FileStatus.QUEUED)
    generated_file_build.call(generated.pk)  # made again: replaces the file
    generated.refresh_from_db()
    assert generated.status == FileStatus.READY
    _folders, files = default_storage.listdir(f"generated/{generated.pk}")
    assert files == [generated.filename]
