from axes.models import AccessAttempt
from axes.utils import reset
from django.urls import reverse

from tests.factories import UserFactory


def attempt(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_five_failures_lock_the_username_for_fifteen_minutes(client, db, settings):
    UserFactory(username="dilnoza", password="right-password-1")
    for _ in range(4):
        response = attempt(client, "dilnoza", "wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = attempt(client, "dilnoza", "wrong")
    assert locked.status_code == 429
    assert "15 minutes" in locked.content.decode()
    # Even the right password is refused while the lock holds, and the lock is recorded.
    assert attempt(client, "dilnoza", "right-password-1").status_code == 429
    assert AccessAttempt.objects.get(username="dilnoza").failures_since_start >= 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_lock_is_per_username_and_an_admin_can_lift_it(client, db):
    UserFactory(username="dilnoza", password="right-password-1")
    UserFactory(username="jasur", password="right-password-2")
    for _ in range(5):
        attempt(client, "dilnoza", "wrong")
    # Another colleague at the same office still signs in.
    assert attempt(client, "jasur", "right-password-2").status_code == 302
    client.logout()
    reset(username="dilnoza")  # what "delete access attempts" in the admin does
    assert attempt(client, "dilnoza", "right-password-1").status_code == 302
