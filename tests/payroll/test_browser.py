"""An enterprise manager enters a timesheet with the keyboard only, saves once, approves."""

import datetime
from decimal import Decimal

import pytest

from accounts.roles import Role
from enterprises.choices import PayBasis
from payroll import services
from payroll.models import Payslip
from tests.conftest import screenshot
from tests.factories import UserFactory
from tests.payroll.factories import SocialEnterpriseFactory, hire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("rules")
def test_keyboard_timesheet_then_approve(signed_in_page):
    manager = UserFactory(username="browser_manager", role=Role.ENTERPRISE_MANAGER)
    enterprise = SocialEnterpriseFactory(name="Mehr tikuvchilik", managers=[manager])
    monthly = hire(enterprise, rate="3000000", low_income=True)
    piece = hire(enterprise, basis=PayBasis.PIECE, rate="9000")
    run = services.payroll_run_generate(enterprise=enterprise, month=datetime.date(2025, 3, 1))
    page = signed_in_page(manager)
    page.goto(page.url + f"payroll/runs/{run.pk}/")
    # Tab through the first row: days, overtime, bonus, the four absence days; then the piece
    # worker's row.
    page.focus("#id_ts-0-days_worked")
    page.keyboard.press("Control+a")
    page.keyboard.type("19")
    page.keyboard.press("Tab")  # overtime
    page.keyboard.press("Tab")  # bonus
    page.keyboard.press("Control+a")
    page.keyboard.type("150000")
    for _absence in range(4):  # annual leave, sick, maternity, unpaid
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # next row: days
    page.keyboard.press("Tab")  # pieces
    page.keyboard.press("Control+a")
    page.keyboard.type("300")
    page.keyboard.press("Enter")  # one save for the whole timesheet
    page.wait_for_selector(".messages")
    screenshot(page, "payroll-run-draft")
    names = sorted([monthly, piece], key=lambda e: e.person.full_name)
    assert names[0] == monthly  # rows are by name: the monthly worker is first
    m = Payslip.objects.get(employment=monthly)
    p = Payslip.objects.get(employment=piece)
    # 3 000 000 × 19/20 (Navruz) = 2 850 000 + 150 000 bonus; 300 pieces × 9 000 = 2 700 000.
    assert (m.base, m.bonus, m.gross) == (Decimal(2850000), Decimal(150000), Decimal(3000000))
    assert p.piece_work == Decimal(2700000)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Approve")
    page.click("button.primary")
    page.wait_for_selector("#run-status")
    assert page.locator("#run-status").inner_text() == "Approved"
    assert page.locator("#id_ts-0-days_worked").count() == 0
    screenshot(page, "payroll-run-approved")
    page.click(f"text={m.person.full_name}")
    page.wait_for_selector("#payslip-lines")
    screenshot(page, "payroll-payslip")
    assert "reduced rate" in page.locator("#payslip-lines").inner_text()


@pytest.mark.usefixtures("rules")
def test_run_list_and_manager_dashboard(signed_in_page):
    manager = UserFactory(username="browser_manager2", role=Role.ENTERPRISE_MANAGER)
    enterprise = SocialEnterpriseFactory(name="Barakali non", managers=[manager])
    hire(enterprise, rate="3000000")
    for month in (1, 2, 3):
        run = services.payroll_run_generate(
            enterprise=enterprise, month=datetime.date(2025, month, 1)
        )
        if month < 3:
            services.payroll_run_approve(run=run)
    page = signed_in_page(manager)
    assert "March 2025" in page.locator("#payroll-status").inner_text()
    screenshot(page, "payroll-manager-dashboard")
    page.click("nav >> text=Payroll")
    page.wait_for_selector("table")
    rows = page.locator("tbody tr")
    assert rows.count() == 3
    screenshot(page, "payroll-run-list")


@pytest.mark.usefixtures("rules")
def test_the_preparer_sees_why_a_second_manager_approves(signed_in_page):
    first = UserFactory(username="browser_first", role=Role.ENTERPRISE_MANAGER)
    second = UserFactory(username="browser_second", role=Role.ENTERPRISE_MANAGER)
    enterprise = SocialEnterpriseFactory(name="Ikki menejer", managers=[first, second])
    hire(enterprise, rate="3000000")
    run = services.payroll_run_generate(
        enterprise=enterprise, month=datetime.date(2025, 3, 1), generated_by=first
    )
    page = signed_in_page(first)
    page.goto(page.url + f"payroll/runs/{run.pk}/")
    assert "You prepared this run" in page.locator("#approval-refusal").inner_text()
    assert page.get_by_role("link", name="Approve").count() == 0
    screenshot(page, "payroll-run-four-eyes")
    other = signed_in_page(second)
    other.goto(other.url + f"payroll/runs/{run.pk}/")
    other.once("dialog", lambda dialog: dialog.accept())
    other.get_by_role("link", name="Approve").click()
    other.get_by_role("button", name="Confirm").click()
    other.wait_for_selector("#run-status")
    screenshot(other, "payroll-run-approved-by-the-second")
    assert other.locator("#run-status").inner_text() == "Approved"
