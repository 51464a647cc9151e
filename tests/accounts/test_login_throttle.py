from axes.models import AccessAttempt
from axes.utils import reset
from django.urls import reverse

from accounts.models import FailedPassword
from tests.factories import UserFactory


def attempt(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


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


def test_one_password_tried_against_twenty_users_from_one_address_is_locked(client, db):
    users = [UserFactory(username=f"staff{n}", password=f"own-password-{n}") for n in range(20)]
    answers = [attempt(client, user.username, "Summer2026!").status_code for user in users]
    # Refused from the tenth username on (LOGIN_LOCK_USERNAMES), never reaching a fifth
    # failure for any one username.
    assert answers[:9] == [200] * 9
    assert set(answers[9:]) == {429}
    # The address stays locked, even for a right password of another user...
    assert attempt(client, "staff19", "own-password-19").status_code == 429
    # ...while a colleague elsewhere still signs in.
    assert attempt(client, "staff19", "own-password-19", address="10.1.1.1").status_code == 302


def test_one_password_sprayed_from_many_addresses_is_locked_everywhere(client, db, settings):
    victim = UserFactory(username="victim", password="Summer2026!")
    users = [UserFactory(username=f"staff{n}", password=f"own-password-{n}") for n in range(20)]
    answers = [
        attempt(client, user.username, "Summer2026!", address=f"10.0.0.{n}").status_code
        for n, user in enumerate(users)
    ]
    assert answers[:9] == [200] * 9
    assert set(answers[9:]) == {429}
    # The sprayed password no longer opens the account it belongs to, from a fresh address...
    assert attempt(client, victim.username, "Summer2026!", address="10.9.9.9").status_code == 429
    # ...but other passwords still work from there.
    assert attempt(client, "staff3", "own-password-3", address="10.9.9.9").status_code == 302
    # The password is kept only as a keyed fingerprint.
    stored = set(FailedPassword.objects.values_list("fingerprint", flat=True))
    assert len(stored) == 1 and "Summer2026!" not in next(iter(stored))


def test_one_colleague_mistyping_does_not_lock_the_office(client, db):
    UserFactory(username="dilnoza", password="right-password-1")
    UserFactory(username="jasur", password="right-password-2")
    for typo in ["right-pasword-1", "rigth-password-1", "right-password1", "Right-password-1"]:
        assert attempt(client, "dilnoza", typo).status_code == 200
    assert attempt(client, "jasur", "right-password-2").status_code == 302
