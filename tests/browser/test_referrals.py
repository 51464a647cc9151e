"""A caseworker refers a mother to the centre's psychologist; the psychologist finds the
referral in their queue, accepts it and records the service and its outcome; the
caseworker's worklist and the family's timeline show the answer."""

import datetime

import pytest

from accounts.roles import Role
from beneficiaries.choices import FamilyStatus, ReferralStatus
from beneficiaries.models import Referral
from tests.conftest import screenshot
from tests.factories import FamilyFactory, PersonFactory, UserFactory, branch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_referral_to_the_centres_psychologist(signed_in_page, live_server):
    samarkand = branch("SAM")
    caseworker = UserFactory(
        username="cw_ref", first_name="Dilnoza", last_name="Karimova", role=Role.CASEWORKER,
        branches=[samarkand],
    )  # fmt: skip
    psychologist = UserFactory(
        username="psy_ref", first_name="Nodira", last_name="Alimova", role=Role.SPECIALIST,
        branches=[samarkand],
    )  # fmt: skip
    family = FamilyFactory(
        branch=samarkand,
        caseworker=caseworker,
        status=FamilyStatus.ACTIVE,
        intake_date=datetime.date(2025, 1, 10),
    )
    PersonFactory(family=family, full_name="Xolmatova Sevara", birth_date=datetime.date(1991, 4, 5))

    page = signed_in_page(caseworker)
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    page.click("a:has-text('Refer to a service')")
    page.select_option("#id_person", label="Xolmatova Sevara")
    page.select_option("#id_service", "psychologist")
    page.select_option("#id_assigned_to", label="Nodira Alimova")
    page.fill("#id_reason", "Stress after losing her job; asks for support.")
    page.select_option("#id_urgency", "urgent")
    screenshot(page, "referral-form")
    page.click("button:has-text('Send the referral')")
    assert "The referral is sent." in page.content()
    referral = Referral.objects.get()
    assert referral.assigned_to == psychologist

    specialist = signed_in_page(psychologist)
    specialist.click("nav >> text=My referrals")
    assert specialist.locator("#referral-queue tbody tr").count() == 1
    screenshot(specialist, "referral-queue")
    specialist.click("#referral-queue a")
    specialist.click("a:has-text('Accept the referral')")
    specialist.click("button:has-text('Save')")
    specialist.click("a:has-text('Record the service given')")
    specialist.fill("#id_service_given", "Four individual sessions.")
    specialist.fill("#id_outcome", "Sleeps better; back at the training.")
    specialist.click("button:has-text('Save')")
    assert "Service given" in specialist.locator("h1").inner_text()
    screenshot(specialist, "referral-served")
    response = specialist.goto(f"{live_server.url}{family.get_absolute_url()}")
    assert response.status == 403  # the specialist sees no family pages
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SERVED

    page.goto(f"{live_server.url}/worklist/")
    line = page.locator("tr", has_text="Referral answered")
    assert line.count() == 1
    assert "Psychologist" in line.inner_text()
    screenshot(page, "referral-worklist")
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    timeline = page.locator(".timeline").inner_text()
    assert "Service given — Xolmatova Sevara: Psychologist" in timeline
    assert "Accepted — Xolmatova Sevara: Psychologist" in timeline
    assert "Sleeps better" in page.locator("#referrals").inner_text()
