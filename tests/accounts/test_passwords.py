"""Every user changes their own password; reset by e-mail where e-mail is configured."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

OLD = "right-password-1"
NEW = "a-new-Passw0rd-for-2027"


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.parametrize(
    "role", ["director", "caseworker", "trainer", "manager", "auditor", "outsider"]
)
def test_every_role_opens_the_password_page(client_for, personas, role):
    response = client_for(getattr(personas, role)).get(reverse("accounts:password_change"))
    assert response.status_code == 200
    assert b'name="old_password"' in response.content


def test_the_header_links_to_the_password_page(client_for, personas):
    response = client_for(personas.caseworker).get(reverse("reports:home"))
    assert reverse("accounts:password_change").encode() in response.content


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_changing_the_password_keeps_this_session_and_retires_the_old_one(client, db):
    UserFactory(username="dilnoza", password=OLD)
    assert sign_in(client, "dilnoza", OLD).status_code == 302
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(reverse("reports:home")).status_code == 200  # still signed in
    client.logout()
    assert sign_in(client, "dilnoza", OLD).status_code == 200  # refused: the form again
    assert sign_in(client, "dilnoza", NEW).status_code == 302


def test_a_wrong_old_password_changes_nothing(client, db):
    user = UserFactory(username="dilnoza", password=OLD)
    sign_in(client, "dilnoza", OLD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    user.refresh_from_db()
    assert user.check_password(OLD)


def test_a_weak_new_password_is_refused_with_the_reason(client, db):
    user = UserFactory(username="dilnoza", password=OLD)
    sign_in(client, "dilnoza", OLD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": OLD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password(OLD)


def test_the_page_is_translated(client_for, personas):
    client = client_for(personas.caseworker)
    client.cookies["django_language"] = "ru"
    assert "Сменить пароль" in client.get(reverse("accounts:password_change")).content.decode()
    client.cookies["django_language"] = "uz"
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Parolni o" in page
    # Django's own field and rule texts too, which its Uzbek catalogue leaves empty.
    assert "Eski parol" in page and "kamida 8 ta belgidan" in page
    assert "Your password" not in page and "Old password" not in page


def test_reset_by_email_sets_a_new_password(client, db, settings):
    settings.PASSWORD_RESET_BY_EMAIL = True
    UserFactory(username="dilnoza", password=OLD, email="dilnoza@example.org")
    login_page = client.get(reverse("accounts:login"))
    assert reverse("accounts:password_reset").encode() in login_page.content
    response = client.post(reverse("accounts:password_reset"), {"email": "dilnoza@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form = client.get(link.group(1), follow=True)
    assert form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert done.status_code == 200
    assert sign_in(client, "dilnoza", OLD).status_code == 200
    assert sign_in(client, "dilnoza", NEW).status_code == 302
    # The link works once.
    client.logout()
    assert not client.get(link.group(1), follow=True).context["validlink"]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db, settings):
    settings.PASSWORD_RESET_BY_EMAIL = True
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_without_email_configured_there_is_no_reset(client, db, settings):
    settings.PASSWORD_RESET_BY_EMAIL = False
    assert (
        reverse("accounts:password_reset").encode()
        not in client.get(reverse("accounts:login")).content
    )
    assert client.get(reverse("accounts:password_reset")).status_code == 404
    assert (
        client.post(
            reverse("accounts:password_reset"), {"email": "dilnoza@example.org"}
        ).status_code
        == 404
    )
