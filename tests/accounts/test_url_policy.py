"""Deny by default: every page must declare who may open it."""

import pytest

from accounts.access import undeclared_views


def test_every_url_pattern_declares_an_access_policy():
    assert undeclared_views() == []


def test_an_undeclared_page_is_caught_by_the_walker():
    missing = undeclared_views("tests.accounts.undeclared_urls")
    assert missing == [
        "/forgotten/ -> tests.accounts.undeclared_urls.forgotten",
        "/no-permission-named/ -> tests.accounts.undeclared_urls.ForgotPermission",
    ]


@pytest.mark.urls("tests.accounts.undeclared_urls")
@pytest.mark.parametrize("url", ["/forgotten/", "/no-permission-named/"])
def test_an_undeclared_page_is_refused_even_to_a_programme_manager(client_for, personas, url):
    response = client_for(personas.director).get(url)
    assert response.status_code == 403
    assert b"secret" not in response.content


@pytest.mark.urls("tests.accounts.undeclared_urls")
def test_an_undeclared_page_sends_visitors_to_sign_in(client):
    response = client.get("/forgotten/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
