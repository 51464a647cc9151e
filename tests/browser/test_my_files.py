"""The donor report's button queues the file; My files shows it ready and downloads it."""

import pytest

from accounts.roles import Role
from tests.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_donor_report_button_leads_to_my_files_and_the_download(signed_in_page, live_server):
    user = UserFactory(username="files_director", role=Role.PROGRAMME_MANAGER)
    page = signed_in_page(user)
    page.goto(f"{live_server.url}/reports/programme/?start=2025-01-01&end=2025-12-31")
    page.get_by_role("button", name="Donor report (PDF)").click()
    page.wait_for_url(f"{live_server.url}/accounts/files/")
    row = page.locator("#my-files tbody tr").first
    assert "Ready" in row.inner_text()
    assert "Your file is being made" in page.locator(".messages").inner_text()
    screenshot(page, "my-files")
    with page.expect_download() as download:
        row.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "programme-report-20250101-20251231.pdf"
