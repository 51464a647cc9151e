"""A family import above IMPORT_ROWS_IN_REQUEST runs as a job (beneficiaries/import_jobs.py):
still all or nothing, its problems shown by line in My files, the upload kept for the job;
a retry of a refused file is refused again, a second run imports nothing twice."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from beneficiaries.models import Family, Person
from common.jobs import generated_file_build, generated_files_purge
from common.models import FileStatus, GeneratedFile
from tests.beneficiaries.test_family_import import IMPORT, as_csv, as_xlsx, family_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def registon(samarkand):
    from tests.factories import MakhallaFactory

    return MakhallaFactory(branch=samarkand, name="Registon")


@pytest.fixture
def low_threshold(settings):
    settings.IMPORT_ROWS_IN_REQUEST = 10


def test_a_small_file_is_still_imported_at_once(client_for, personas, registon, low_threshold):
    response = client_for(personas.caseworker).post(IMPORT, {"file": as_csv(family_rows(5))})
    assert response["Location"] == reverse("beneficiaries:family_list")
    assert Family.objects.count() == 5
    assert not GeneratedFile.objects.exists()


@pytest.mark.parametrize("make", [as_csv, as_xlsx])
def test_a_large_file_is_imported_by_the_worker(
    client_for, personas, registon, low_threshold, make
):
    client = client_for(personas.caseworker)
    response = client.post(IMPORT, {"file": make(family_rows(6))})  # 12 data rows
    assert response["Location"] == reverse("accounts:my_files")
    generated = GeneratedFile.objects.get()
    assert generated.status == FileStatus.READY, generated.error
    assert Family.objects.count() == 6
    assert Person.objects.count() == 12
    assert Family.objects.get(case_number="SAM-2015-0003").caseworker == personas.caseworker
    assert default_storage.exists(generated.params["stored"])  # the upload, kept for the job
    report = client.get(reverse("accounts:file_download", args=[generated.pk]))
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert "New families,6" in text
    assert "New members,12" in text
    assert "Family import" in client.get(reverse("accounts:my_files")).content.decode()


def test_a_refused_file_imports_nothing_and_shows_its_lines(
    client_for, personas, registon, low_threshold
):
    rows = family_rows(8)
    rows[5]["birth_date"] = "31.02.2011"  # file line 7
    rows[9]["sex"] = "?"  # file line 11
    client = client_for(personas.caseworker)
    client.post(IMPORT, {"file": as_csv(rows)})
    generated = GeneratedFile.objects.get()
    assert generated.status == FileStatus.FAILED
    assert not Family.objects.exists() and not Person.objects.exists()
    assert "line 7 (birth_date)" in generated.error
    assert "line 11 (sex)" in generated.error
    page = client.get(reverse("accounts:my_files")).content.decode()
    assert "line 7 (birth_date)" in page
    # A retry reads the same kept file: refused again, still nothing written.
    client.post(reverse("accounts:file_retry", args=[generated.pk]))
    generated.refresh_from_db()
    assert generated.status == FileStatus.FAILED
    assert not Family.objects.exists()


def test_running_the_import_job_twice_imports_nothing_twice(
    client_for, personas, registon, low_threshold
):
    client_for(personas.caseworker).post(IMPORT, {"file": as_csv(family_rows(6))})
    generated = GeneratedFile.objects.get()
    GeneratedFile.objects.filter(pk=generated.pk).update(status=FileStatus.QUEUED)
    generated_file_build.call(generated.pk)
    generated.refresh_from_db()
    assert generated.status == FileStatus.READY
    assert (Family.objects.count(), Person.objects.count()) == (6, 12)
    text = generated.file.read().decode("utf-8-sig")
    assert "Families already registered,6" in text


def test_the_report_is_refused_to_another_user_and_the_upload_is_purged(
    client_for, personas, registon, low_threshold
):
    client_for(personas.caseworker).post(IMPORT, {"file": as_csv(family_rows(6))})
    generated = GeneratedFile.objects.get()
    url = reverse("accounts:file_download", args=[generated.pk])
    assert client_for(personas.caseworker_tashkent).get(url).status_code == 404
    assert client_for(personas.director).get(url).status_code == 404
    stored = generated.params["stored"]
    GeneratedFile.objects.update(expires_at=generated.created_at)
    assert generated_files_purge() == 1
    assert not default_storage.exists(stored)
