"""A manager hires a family member into a position; the caseworker sees the job."""

import pytest

from accounts.roles import Role
from enterprises.models import Employment
from tests.conftest import screenshot
from tests.enterprises.factories import PositionFactory, SocialEnterpriseFactory
from tests.factories import FamilyFactory, PersonFactory, UserFactory, branch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_hires_and_caseworker_sees_the_job(signed_in_page, live_server):
    samarkand = branch("SAM")
    manager = UserFactory(username="b_manager", role=Role.ENTERPRISE_MANAGER)
    caseworker = UserFactory(username="b_caseworker", role=Role.CASEWORKER, branches=[samarkand])
    enterprise = SocialEnterpriseFactory(
        name="Mehr tikuvchilik", branch=samarkand, managers=[manager]
    )
    position = PositionFactory(enterprise=enterprise, title="Tikuvchi")
    family = FamilyFactory(branch=samarkand, caseworker=caseworker)
    mother = PersonFactory(family=family, full_name="Qodirova Malika")
    PersonFactory(family=FamilyFactory(branch=samarkand), full_name="Boshqa Ona")

    # The caseworker marks the mother as looking for work on the family's page.
    desk = signed_in_page(caseworker)
    desk.goto(f"{live_server.url}{family.get_absolute_url()}")
    desk.click("#members >> button:has-text('Mark as looking for work')")
    desk.wait_for_selector(".messages")
    assert "looking for work since" in desk.locator("#members").inner_text()
    screenshot(desk, "beneficiaries-looking-for-work")

    page = signed_in_page(manager)
    page.click("nav.main-nav >> text=Enterprises")
    page.click("text=Mehr tikuvchilik")
    page.click("#positions >> text=Tikuvchi")
    assert "vacant" in page.locator("main").inner_text()
    page.click("a.button:has-text('Hire')")
    # Only the marked mother is offered, found by name; the unmarked neighbour is not.
    assert "Boshqa Ona" not in page.locator("main").inner_text()
    page.fill("#id_q", "qodir")
    page.click("form[role=search] button")
    page.check(f"input[name=person][value='{mother.pk}']")
    page.fill("#id_start_date", "2025-03-03")
    page.check("#id_low_income_family")
    screenshot(page, "enterprises-hire-form")
    page.click("button[type=submit].primary")
    page.wait_for_selector(".message")
    assert "The contract is registered." in page.locator(".messages").inner_text()
    row = page.locator("#contracts tbody tr").first
    assert "Qodirova Malika" in row.inner_text()
    assert "03.03.2025" in row.inner_text()
    screenshot(page, "enterprises-position-history")

    employment = Employment.objects.get(position=position)
    assert employment.person == mother and employment.low_income_family

    page.goto(f"{live_server.url}/")
    panel = page.locator("section.panel", has_text="My enterprises")
    assert "Mehr tikuvchilik" in panel.inner_text()
    assert panel.locator("dd").first.inner_text() == "1"  # headcount
    screenshot(page, "enterprises-manager-home")

    # The caseworker of the family's branch sees the job on the family's page, from which
    # the position page opens, and on the jobs list of their families.
    other = signed_in_page(caseworker)
    other.goto(f"{live_server.url}{family.get_absolute_url()}")
    timeline = other.locator("ol.timeline")
    assert "Qodirova Malika hired as Tikuvchi at Mehr tikuvchilik" in timeline.inner_text()
    assert "03.03.2025" in timeline.inner_text()
    screenshot(other, "enterprises-family-timeline")
    other.goto(f"{live_server.url}/enterprises/jobs/")
    table = other.locator("table")
    assert "Qodirova Malika" in table.inner_text()
    assert family.case_number in table.inner_text()
    screenshot(other, "enterprises-caseworker-jobs")
    other.goto(f"{live_server.url}{family.get_absolute_url()}")
    other.click("ol.timeline >> text=Qodirova Malika hired as Tikuvchi")
    assert "Qodirova Malika" in other.locator("#contracts").inner_text()
    assert other.locator("a.button:has-text('Hire')").count() == 0  # caseworkers do not hire


def test_pages_fit_a_phone(signed_in_page, live_server):
    samarkand = branch("SAM")
    manager = UserFactory(username="b_phone_manager", role=Role.ENTERPRISE_MANAGER)
    enterprise = SocialEnterpriseFactory(name="Barakali non", branch=samarkand, managers=[manager])
    PositionFactory(enterprise=enterprise, title="Novvoy")
    page = signed_in_page(manager, viewport={"width": 375, "height": 740})
    page.goto(f"{live_server.url}{enterprise.get_absolute_url()}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px screen"
    screenshot(page, "enterprises-detail-phone")
