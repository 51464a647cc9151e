"""A session ends after SESSION_IDLE_TIMEOUT without a request, and after SESSION_COOKIE_AGE
since sign-in however busy it is."""

import pytest
from django.urls import reverse

from accounts import middleware
from tests.factories import UserFactory


@pytest.fixture
def clock(monkeypatch):
    """clock.now: the seconds the session middleware reads; tests move it forward."""

    class Clock:
        now = 1_800_000_000.0

    clock = Clock()
    monkeypatch.setattr(middleware.time, "time", lambda: clock.now)
    return clock


@pytest.fixture
def signed_in(client, db, clock):
    UserFactory(username="dilnoza", password="right-password-1")
    response = client.post(
        reverse("accounts:login"), {"username": "dilnoza", "password": "right-password-1"}
    )
    assert response.status_code == 302
    return client


def home(client):
    return client.get(reverse("reports:home"))


def test_the_default_idle_timeout_is_thirty_minutes(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60


def test_idle_for_less_than_the_timeout_stays_signed_in(signed_in, clock, settings):
    clock.now += settings.SESSION_IDLE_TIMEOUT - 5
    assert home(signed_in).status_code == 200
    # Activity restarts the idle clock: another almost-timeout later it still holds.
    clock.now += settings.SESSION_IDLE_TIMEOUT - 5
    assert home(signed_in).status_code == 200


def test_idle_past_the_timeout_signs_out(signed_in, clock, settings):
    clock.now += settings.SESSION_IDLE_TIMEOUT + 1
    response = home(signed_in)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in signed_in.session
    # Signed out for good: the next page asks to sign in again, and says why.
    page = signed_in.get(response["Location"])
    assert "session has ended" in page.content.decode()
    assert home(signed_in).status_code == 302


def test_the_idle_timeout_is_a_setting(signed_in, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 120
    clock.now += 121
    assert home(signed_in).status_code == 302


def test_a_busy_session_still_ends_after_its_absolute_lifetime(signed_in, clock, settings):
    step = settings.SESSION_IDLE_TIMEOUT // 2
    elapsed = 0
    while elapsed + step <= settings.SESSION_COOKIE_AGE:
        clock.now += step
        elapsed += step
        assert home(signed_in).status_code == 200
    clock.now += step
    assert home(signed_in).status_code == 302


def test_most_requests_write_no_session(signed_in, clock):
    home(signed_in)
    stamp = signed_in.session[middleware.SESSION_SEEN]
    clock.now += 10
    home(signed_in)
    assert signed_in.session[middleware.SESSION_SEEN] == stamp
    clock.now += middleware.SEEN_RESOLUTION
    home(signed_in)
    assert signed_in.session[middleware.SESSION_SEEN] == stamp + 10 + middleware.SEEN_RESOLUTION
