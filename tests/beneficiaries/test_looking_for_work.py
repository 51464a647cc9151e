"""The caseworker's mark that an adult is looking for work: dated, with who set it, in scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Person
from tests.factories import ChildFactory, FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def url(person):
    return reverse("beneficiaries:person_looking_for_work", args=[person.family_id, person.pk])


@pytest.fixture
def mother(personas, samarkand):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    return PersonFactory(family=family, full_name="Nazarova Gulnora")


def test_the_caseworker_marks_and_unmarks_an_adult_from_the_family_page(
    client_for, personas, mother
):
    client = client_for(personas.caseworker)
    page = client.get(mother.family.get_absolute_url()).content.decode()
    assert url(mother) in page and "Mark as looking for work" in page

    response = client.post(url(mother), {"looking": "on"})
    assert response.status_code == 302
    mother.refresh_from_db()
    assert mother.looking_for_work_since == timezone.localdate()
    assert mother.looking_for_work_marked_by == personas.caseworker
    assert mother.history.first().history_user == personas.caseworker
    page = client.get(mother.family.get_absolute_url()).content.decode()
    assert "Nazarova Gulnora is marked as looking for work." in page
    assert "looking for work since" in page and "No longer looking for work" in page

    # Marking again keeps the first mark's date and author.
    Person.objects.filter(pk=mother.pk).update(looking_for_work_since=datetime.date(2026, 1, 5))
    client.post(url(mother), {"looking": "on"})
    mother.refresh_from_db()
    assert mother.looking_for_work_since == datetime.date(2026, 1, 5)

    assert client.post(url(mother), {}).status_code == 302  # the unmark button sends nothing
    mother.refresh_from_db()
    assert (mother.looking_for_work_since, mother.looking_for_work_marked_by) == (None, None)


def test_a_child_cannot_be_marked(client_for, personas, mother):
    child = ChildFactory(family=mother.family)
    client = client_for(personas.caseworker)
    page = client.get(mother.family.get_absolute_url()).content.decode()
    assert url(child) not in page  # no button for a child
    response = client.post(url(child), {"looking": "on"})
    assert response.status_code == 200
    assert "Only an adult can be marked as looking for work." in response.content.decode()
    child.refresh_from_db()
    assert child.looking_for_work_since is None


def test_out_of_scope_is_404_and_other_roles_403(client_for, personas, mother, tashkent):
    # Another branch's caseworker does not see the family at all.
    assert (
        client_for(personas.caseworker_tashkent).post(url(mother), {"looking": "on"}).status_code
        == 404
    )
    # A person of another family through this family's address: 404.
    stranger = PersonFactory(family=FamilyFactory(branch=tashkent))
    wrong = reverse("beneficiaries:person_looking_for_work", args=[mother.family_id, stranger.pk])
    assert client_for(personas.caseworker).post(wrong, {"looking": "on"}).status_code == 404
    for user in (personas.manager, personas.auditor, personas.trainer):
        assert client_for(user).post(url(mother), {"looking": "on"}).status_code in (403, 404)
    mother.refresh_from_db()
    stranger.refresh_from_db()
    assert mother.looking_for_work_since is None and stranger.looking_for_work_since is None


def test_a_family_that_left_the_service_is_read_only(client_for, personas, mother):
    type(mother.family).objects.filter(pk=mother.family_id).update(
        status=FamilyStatus.EXITED, exit_date=datetime.date(2025, 1, 1), exit_reason="moved_away"
    )
    assert client_for(personas.caseworker).post(url(mother), {"looking": "on"}).status_code == 403
