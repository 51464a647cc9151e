"""In the browser: a caseworker records a parent's placement from the family page, sees its
wages in the family's income and its retention check due on the home page, and answers it."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from beneficiaries.models import IncomeRecord
from common.months import months_between, shift_months
from enterprises.models import JobPlacement
from tests.conftest import screenshot
from tests.factories import FamilyFactory, PersonFactory, UserFactory, branch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_records_a_placement_and_answers_its_check(signed_in_page, live_server):
    samarkand = branch("SAM")
    caseworker = UserFactory(username="cw", role=Role.CASEWORKER, branches=[samarkand])
    family = FamilyFactory(branch=samarkand, caseworker=caseworker)
    parent = PersonFactory(family=family, full_name="Rahimova Gulnora")
    start = shift_months(timezone.localdate(), -4)

    page = signed_in_page(caseworker, viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    page.click("#family-placements >> text=Record a job search, referral or placement")
    page.select_option("#id_person", str(parent.pk))
    page.select_option("#id_stage", "placed")
    page.fill("#id_employer_name", "Afrosiyob Tekstil MChJ")
    page.fill("#id_employer_inn", "30511840")  # one digit short
    page.fill("#id_position", "Tikuvchi")
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_monthly_wage", "2400000")
    page.select_option("#id_contract", "formal")
    page.select_option("#id_working_time", "full")
    page.select_option("#id_verification", "payslip")
    page.click("button[type=submit].primary")
    assert page.locator("text=A tax number (INN) has exactly 9 digits.").is_visible()
    assert not JobPlacement.objects.exists()
    page.fill("#id_employer_inn", "305118402")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#retention-checks")
    screenshot(page, "placement-detail-1366-en")
    placement = JobPlacement.objects.get()
    months = sorted(IncomeRecord.objects.filter(person=parent).values_list("month", flat=True))
    assert months == months_between(start, timezone.localdate())
    assert page.locator("#placement-months tbody tr").count() == len(months)

    # The 3-month check is due: on the home page, linking to its form.
    page.goto(f"{live_server.url}/")
    page.click("#retention-due >> text=Rahimova Gulnora")
    page.check("input[name=still_employed][value=yes]")
    page.fill("#id_wage_now", "2600000")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#retention-checks")
    check = placement.retention_checks.get(months_after=3)
    assert check.wage_now == 2600000 and check.checked_by == caseworker
    page.goto(f"{live_server.url}/")
    assert page.locator("#retention-due >> text=Rahimova Gulnora").count() == 0

    # Uzbek, on a phone.
    phone = signed_in_page(caseworker, viewport={"width": 375, "height": 800})
    phone.goto(f"{live_server.url}{placement.get_absolute_url()}")
    phone.click("button[name=language][value=uz]")
    phone.wait_for_selector("#retention-checks")
    assert phone.locator("text=Ishda qolganlik tekshiruvlari").is_visible()
    screenshot(phone, "placement-detail-375-uz")
    phone.goto(f"{live_server.url}{family.get_absolute_url()}")
    screenshot(phone, "placement-family-375-uz")
