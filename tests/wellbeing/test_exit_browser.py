"""A caseworker's early "well-being restored" exit waits for a programme manager's
approval; the manager approves it and the family shows exited."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from beneficiaries.models import Family
from common.months import add_months, month_start
from tests.conftest import screenshot
from tests.factories import IncomeRecordFactory, UserFactory, branch
from tests.wellbeing.factories import household, record_levels, ship_wellbeing_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_early_restored_exit_waits_for_a_managers_approval(signed_in_page, live_server):
    ship_wellbeing_data()
    samarkand = branch("SAM")
    caseworker = UserFactory(username="cw_exit", role=Role.CASEWORKER, branches=[samarkand])
    director = UserFactory(username="pm_exit", role=Role.PROGRAMME_MANAGER)
    family = household(
        3,
        branch=samarkand,
        caseworker=caseworker,
        intake_date=datetime.date(2024, 1, 1),
        consent_date=datetime.date(2024, 1, 1),
    )
    today = timezone.localdate()
    last = add_months(month_start(today), -1)
    for back in range(6):
        IncomeRecordFactory(family=family, month=add_months(last, -back), amount=2_400_000)
    # Housing at 2: below the minimum level, so the checklist fails.
    record_levels(family, today - datetime.timedelta(days=20), {"housing": 2}, default=4)

    page = signed_in_page(caseworker)
    page.on("dialog", lambda dialog: dialog.accept())  # "Record the family's exit?"
    page.goto(f"{live_server.url}/families/{family.pk}/")
    page.click("a:has-text('Record exit')")
    page.select_option("#id_reason", "well_being_restored")
    page.click("button:has-text('Record the exit')")
    error = page.locator(".error").inner_text()
    assert "exit checklist does not hold" in error and "Housing" in error
    screenshot(page, "exit-restored-refused")

    page.goto(f"{live_server.url}/families/{family.pk}/")
    page.click("#request-early-exit")
    assert page.locator("[data-condition=domains]").get_attribute("class").endswith("check-no")
    page.fill("#id_reason", "The family moved to a repaired flat last week.")
    page.click("button:has-text('Send the request')")
    page.wait_for_url(f"{live_server.url}/families/{family.pk}/")
    assert "a programme manager will approve" in page.locator(".messages").inner_text()
    assert "waits for a programme manager" in page.locator("#exit-request-pending").inner_text()
    assert "Active" in page.locator("h1 .badge").inner_text()
    screenshot(page, "exit-request-pending")

    manager = signed_in_page(director)
    assert manager.locator("#count-exit-requests").inner_text() == "1"
    screenshot(manager, "exit-request-home-count")
    manager.click("#count-exit-requests")
    rows = manager.locator("#pending-exit-requests tbody tr")
    assert rows.count() == 1 and family.case_number in rows.first.inner_text()
    rows.first.locator("a:has-text('Decide')").click()
    manager.check("input[name=decision][value=approve]")
    manager.fill("#id_notes", "Seen the new flat.")
    screenshot(manager, "exit-request-decide")
    manager.click("button:has-text('Record the decision')")
    assert "has exited with well-being restored" in manager.locator(".messages").inner_text()
    assert manager.locator("#pending-exit-requests tbody tr").inner_text().strip() == (
        "No request is waiting."
    )
    assert "override" in manager.locator("#decided-exit-requests").inner_text()

    page.goto(f"{live_server.url}/families/{family.pk}/")
    assert "Exited" in page.locator("h1 .badge").inner_text()
    assert "Well-being restored" in page.locator(".facts").inner_text()
    screenshot(page, "exit-approved-family")
    family = Family.objects.get(pk=family.pk)
    assert (family.status, family.exit_reason) == ("exited", "well_being_restored")
