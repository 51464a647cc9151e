"""The programme dashboard in a real browser: figures, a drill-down, the menu entry."""

import pytest

from accounts.roles import Role
from tests.conftest import screenshot
from tests.factories import UserFactory
from tests.reports.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_opens_the_report_and_checks_a_figure(signed_in_page, live_server):
    build_world(families=30, seed=7)
    user = UserFactory(username="report_manager", role=Role.PROGRAMME_MANAGER)
    page = signed_in_page(user)
    page.click("nav >> text=Reports")
    page.goto(f"{live_server.url}/reports/programme/?start=2020-01-01&end=2022-12-31")
    assert page.locator("h1").inner_text() == "Programme results"
    served = page.locator("dt:text-is('Families served') + dd > a").first
    number = served.inner_text()
    assert number.isdigit()
    assert page.locator("svg[role=img]").count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
    screenshot(page, "reports-programme")
    served.click()
    assert page.locator("h1").inner_text() == "Families served"
    assert page.locator("p.lead").inner_text().startswith(f"{number} record")
    screenshot(page, "reports-drill-down")
