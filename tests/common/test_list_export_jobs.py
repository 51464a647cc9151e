"""Big list exports are made by the worker (common/list_jobs.py): the queued file is the one
the list used to return, it is refused to anyone else, and a short list stays immediate."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from common.models import FileStatus, GeneratedFile
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db
LIST = reverse("beneficiaries:family_list")


@pytest.fixture
def families(samarkand, tashkent):
    FamilyFactory.create_batch(4, branch=samarkand)
    FamilyFactory.create_batch(2, branch=tashkent)  # out of the Samarkand caseworker's scope


def cells(content: bytes) -> list[tuple]:
    return [
        tuple(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    ]


def queued_content(client, query) -> tuple[GeneratedFile, bytes]:
    response = client.get(LIST, query)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:my_files")
    generated = GeneratedFile.objects.latest("pk")
    assert generated.status == FileStatus.READY, generated.error
    download = client.get(reverse("accounts:file_download", args=[generated.pk]))
    assert download.status_code == 200
    return generated, b"".join(download.streaming_content)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_queued_family_list_equals_the_one_the_page_returned(
    client_for, personas, families, settings, export_format
):
    client = client_for(personas.caseworker)
    query = {"_export": export_format, "sort": "-case_number"}
    settings.EXPORT_ROWS_IN_REQUEST = 100
    immediate = client.get(LIST, query)
    assert immediate.status_code == 200
    settings.EXPORT_ROWS_IN_REQUEST = 3  # the caseworker's 4 families are "many"
    generated, content = queued_content(client, query)
    assert generated.filename == f"families.{export_format}"
    if export_format == "csv":
        assert content == immediate.content
        assert content.decode("utf-8-sig").count("\n") == 5  # header and the 4 in scope
    else:
        assert cells(content) == cells(immediate.content)
        assert len(cells(content)) == 5


def test_the_filters_and_the_language_are_kept(client_for, personas, families, settings):
    client = client_for(personas.caseworker)
    settings.EXPORT_ROWS_IN_REQUEST = 0
    client.cookies["django_language"] = "ru"
    query = {"_export": "csv", "q": "TST"}
    _generated, content = queued_content(client, query)
    settings.EXPORT_ROWS_IN_REQUEST = 100
    assert content == client.get(LIST, query).content


def test_the_queued_list_is_refused_to_another_user(client_for, personas, families, settings):
    settings.EXPORT_ROWS_IN_REQUEST = 0
    generated, _content = queued_content(client_for(personas.caseworker), {"_export": "csv"})
    url = reverse("accounts:file_download", args=[generated.pk])
    for other in (personas.caseworker_tashkent, personas.director):
        assert client_for(other).get(url).status_code == 404


def test_a_user_who_lost_the_permission_cannot_download_it(
    client_for, personas, families, settings
):
    settings.EXPORT_ROWS_IN_REQUEST = 0
    client = client_for(personas.caseworker)
    generated, _content = queued_content(client, {"_export": "csv"})
    # The role changes to the auditor's: may read the list, may not take personal data.
    personas.caseworker.groups.set(personas.auditor.groups.all())
    client = client_for(get_user_model().objects.get(pk=personas.caseworker.pk))
    assert client.get(reverse("accounts:file_download", args=[generated.pk])).status_code == 404


def test_a_short_list_is_answered_at_once(client_for, personas, families):
    response = client_for(personas.caseworker).get(LIST, {"_export": "csv"})
    assert response.status_code == 200
    assert not GeneratedFile.objects.exists()


def test_a_role_without_the_export_permission_is_refused_before_anything_is_queued(
    client_for, personas, families, settings
):
    settings.EXPORT_ROWS_IN_REQUEST = 0
    assert client_for(personas.auditor).get(LIST, {"_export": "csv"}).status_code == 403
    assert not GeneratedFile.objects.exists()
