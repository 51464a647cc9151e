"""The read log: written for each kind of read that matters, listed for programme managers
and auditors only, kept READ_LOG_DAYS days."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import ReadLogEntry
from beneficiaries.models import Family
from tests.factories import FamilyFactory, PersonFactory
from tests.wellbeing.factories import record_levels

pytestmark = pytest.mark.django_db
LOG = reverse("accounts:read_log")


@pytest.fixture
def family(personas, samarkand):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    PersonFactory(family=family, full_name="Rahimova Nodira")
    return family


def only_entry():
    assert ReadLogEntry.objects.count() == 1
    return ReadLogEntry.objects.get()


def test_opening_a_family_file_is_logged(client_for, personas, family):
    assert client_for(personas.caseworker).get(family.get_absolute_url()).status_code == 200
    entry = only_entry()
    assert (entry.user, entry.username, entry.kind) == (
        personas.caseworker,
        "p_caseworker",
        "family",
    )
    assert entry.content_type == ContentType.objects.get_for_model(Family)
    assert entry.object_id == str(family.pk)
    assert entry.path == family.get_absolute_url()
    assert timezone.now() - entry.at < datetime.timedelta(minutes=1)


def test_a_family_file_out_of_scope_is_not_logged_as_read(client_for, personas, family):
    assert (
        client_for(personas.caseworker_tashkent).get(family.get_absolute_url()).status_code == 404
    )
    assert not ReadLogEntry.objects.exists()


def test_the_progress_report_page_is_logged(client_for, personas, family):
    record_levels(family, datetime.date(2025, 2, 1), {}, kind="intake", default=2)
    url = reverse("wellbeing:progress", args=[family.pk])
    assert client_for(personas.auditor).get(url).status_code == 200
    entry = only_entry()
    assert (entry.user, entry.kind, entry.object_id) == (
        personas.auditor,
        "progress",
        str(family.pk),
    )


def test_the_history_page_is_logged(client_for, personas, family):
    url = reverse("accounts:history", args=["beneficiaries", "family", family.pk])
    assert client_for(personas.auditor).get(url).status_code == 200
    entry = only_entry()
    assert (entry.kind, entry.object_id, entry.path) == ("history", str(family.pk), url)


def test_an_export_is_logged_with_its_filters(client_for, personas, family):
    url = reverse("beneficiaries:family_list")
    response = client_for(personas.caseworker).get(url, {"q": "Rahimova", "_export": "csv"})
    assert response.status_code == 200
    entry = only_entry()
    assert (entry.kind, entry.data_kind, entry.path) == ("download", "personal", url)
    assert entry.query == "q=Rahimova&_export=csv"
    assert entry.content_type is None  # a list, not one record


def test_the_list_page_itself_is_not_a_download(client_for, personas, family):
    client_for(personas.caseworker).get(reverse("beneficiaries:family_list"), {"q": "R"})
    assert not ReadLogEntry.objects.exists()


def test_a_refused_export_is_not_logged(client_for, personas, family):
    url = reverse("beneficiaries:family_list")
    assert client_for(personas.auditor).get(url, {"_export": "csv"}).status_code == 403
    assert not ReadLogEntry.objects.exists()


# The list ---------------------------------------------------------------------------------


def entries(user, count, kind="family", at=None):
    ReadLogEntry.objects.bulk_create(
        ReadLogEntry(
            user=user,
            username=user.username,
            kind=kind,
            path=f"/families/{index}/",
            at=at or timezone.now(),
        )
        for index in range(count)
    )


@pytest.mark.parametrize("persona", ["caseworker", "trainer", "manager", "outsider"])
def test_the_read_log_is_refused_to_other_roles(client_for, personas, persona):
    entries(personas.director, 1)
    response = client_for(getattr(personas, persona)).get(LOG)
    assert response.status_code == 403
    assert b"/families/0/" not in response.content


@pytest.mark.parametrize("persona", ["director", "auditor"])
def test_programme_managers_and_auditors_read_the_log(client_for, personas, persona):
    entries(personas.caseworker, 1)
    response = client_for(getattr(personas, persona)).get(LOG)
    assert response.status_code == 200
    page = response.content.decode()
    assert "p_caseworker" in page and "/families/0/" in page
    assert "Read log" in page


def test_the_read_log_filters_by_user_and_kind(client_for, personas):
    entries(personas.caseworker, 2, kind="family")
    entries(personas.trainer, 3, kind="download")
    client = client_for(personas.director)
    response = client.get(LOG, {"username": "p_trainer"})
    assert len(response.context["table"].rows) == 3
    response = client.get(LOG, {"kind": "family"})
    assert len(response.context["table"].rows) == 2
    assert {row.record.username for row in response.context["table"].rows} == {"p_caseworker"}


def test_the_read_log_filters_by_date(client_for, personas):
    entries(personas.caseworker, 2, at=timezone.now() - datetime.timedelta(days=40))
    entries(personas.caseworker, 1)
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    response = client_for(personas.director).get(LOG, {"since": since})
    assert len(response.context["table"].rows) == 1


def test_the_read_log_is_paginated_with_a_fixed_number_of_queries(
    client_for, personas, django_assert_max_num_queries
):
    entries(personas.caseworker, 120)
    client = client_for(personas.director)
    client.get(LOG)
    with django_assert_max_num_queries(8) as few:  # session, user and roles, count, page
        response = client.get(LOG, {"page": 2})
    assert len(response.context["table"].page.object_list) == 50
    entries(personas.caseworker, 120)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LOG, {"page": 3})


def test_the_menu_shows_the_read_log_to_those_who_may_read_it(client_for, personas):
    assert LOG in client_for(personas.auditor).get("/").content.decode()
    assert LOG not in client_for(personas.caseworker).get("/").content.decode()


# Retention --------------------------------------------------------------------------------


def test_purge_removes_entries_older_than_the_setting(personas, settings, capsys):
    settings.READ_LOG_DAYS = 30
    now = timezone.now()
    entries(personas.caseworker, 2, at=now - datetime.timedelta(days=31))
    entries(personas.caseworker, 1, at=now - datetime.timedelta(days=29))
    call_command("purge_read_log")
    assert ReadLogEntry.objects.count() == 1
    assert "Deleted 2" in capsys.readouterr().out


def test_purge_days_can_be_given(personas):
    entries(personas.caseworker, 1, at=timezone.now() - datetime.timedelta(days=10))
    call_command("purge_read_log", days=365)
    assert ReadLogEntry.objects.count() == 1
    call_command("purge_read_log", days=5)
    assert not ReadLogEntry.objects.exists()


def test_a_deleted_user_leaves_the_entry_with_their_name(personas):
    entries(personas.trainer, 1)
    personas.trainer.delete()
    entry = ReadLogEntry.objects.get()
    assert entry.user is None and entry.username == "p_trainer"
