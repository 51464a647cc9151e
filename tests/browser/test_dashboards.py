"""Each demo role signs in through the real form and sees its own dashboard."""

import pytest

from accounts.roles import Role
from tests.conftest import screenshot
from tests.factories import FamilyFactory, UserFactory, branch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED_HEADINGS = {
    Role.PROGRAMME_MANAGER: "Families in the programme",
    Role.CASEWORKER: "My caseload",
    Role.AUDITOR: "Families in the programme",
    Role.TRAINER: None,
    Role.ENTERPRISE_MANAGER: None,
}


@pytest.mark.parametrize("role", list(EXPECTED_HEADINGS))
def test_each_role_signs_in_and_sees_its_dashboard(signed_in_page, role):
    samarkand = branch("SAM")
    user = UserFactory(username=f"demo_{role}", role=role, branches=[samarkand])
    FamilyFactory.create_batch(2, branch=samarkand, caseworker=user)
    page = signed_in_page(user)
    assert page.locator("h1").inner_text().startswith("Welcome")
    heading = EXPECTED_HEADINGS[role]
    if heading:
        assert page.locator("section.panel h2").first.inner_text() == heading
    else:
        assert page.locator(".empty-state").is_visible()
    screenshot(page, f"dashboard-{role}")


def test_dashboard_fits_a_phone_and_switches_language(signed_in_page):
    user = UserFactory(username="phone_user", role=Role.CASEWORKER, branches=[branch("SAM")])
    page = signed_in_page(user, viewport={"width": 375, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px screen"
    page.click("button[name=language][value=ru]")
    page.wait_for_selector("html[lang=ru]")
    assert "Мои семьи" in page.locator("section.panel h2").first.inner_text()
    screenshot(page, "dashboard-phone-ru")
