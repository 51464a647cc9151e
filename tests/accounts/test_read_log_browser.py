"""The read log page in the browser, as an auditor: a screenshot to look at."""

import pytest

from tests.conftest import screenshot
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_auditor_reads_who_opened_a_family(signed_in_page, personas, samarkand, live_server):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    caseworker = signed_in_page(personas.caseworker)
    caseworker.goto(f"{live_server.url}{family.get_absolute_url()}")
    page = signed_in_page(personas.auditor)
    page.goto(f"{live_server.url}/accounts/read-log/")
    table = page.locator("table.table").inner_text()
    assert "p_caseworker" in table and family.get_absolute_url() in table
    page.select_option("#id_kind", "download")
    page.click("form.filters button[type=submit]")
    assert "p_caseworker" not in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/accounts/read-log/")
    screenshot(page, "read-log")
