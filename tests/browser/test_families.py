"""A caseworker registers a family with two children, is refused the intake until every
member consents to processing, records the consents (the mother for the children), takes
the family in, finds it by part of a name, and records the family's exit."""

import pytest

from accounts.roles import Role
from beneficiaries.models import Family
from tests.conftest import screenshot
from tests.factories import FamilyFactory, MakhallaFactory, UserFactory, branch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_member(page, index, name, sex, birth, relationship):
    page.fill(f"#id_members-{index}-full_name", name)
    page.select_option(f"#id_members-{index}-sex", sex)
    page.fill(f"#id_members-{index}-birth_date", birth)
    page.select_option(f"#id_members-{index}-relationship", relationship)


def test_caseworker_registers_finds_and_exits_a_family(signed_in_page, live_server):
    samarkand = branch("SAM")
    MakhallaFactory(branch=samarkand, name="Registon")
    caseworker = UserFactory(username="cw_browser", role=Role.CASEWORKER, branches=[samarkand])
    FamilyFactory.create_batch(3, branch=samarkand, caseworker=caseworker)  # other families
    page = signed_in_page(caseworker)
    page.on("dialog", lambda dialog: dialog.accept())

    page.click("nav >> text=Families")
    page.click("text=Register a family")
    page.select_option("#id_makhalla", label="Registon")
    page.fill("#id_address", "Registon koʻchasi, 7-uy")
    page.fill("#id_phone", "+998 91 555 44 33")
    page.fill("#id_intake_date", "2025-02-03")
    page.fill("#id_consent_date", "2025-02-03")
    fill_member(page, 0, "Xolmatova Sevara", "F", "1991-04-05", "head")
    page.check("#id_members-0-is_caregiver")
    fill_member(page, 1, "Xolmatov Sherzod", "M", "2014-06-07", "child")
    fill_member(page, 2, "Xolmatova Munisa", "F", "2017-08-09", "child")
    screenshot(page, "family-register-form")
    page.click("button:has-text('Save')")

    heading = page.locator("h1").inner_text()
    assert heading.startswith("Family SAM-2025-0001")
    assert page.locator("#members tbody tr").count() == 3
    family = Family.objects.get(case_number="SAM-2025-0001")
    assert family.caseworker == caseworker
    screenshot(page, "family-detail-registered")

    page.click("a:has-text('Intake')")
    page.click("button:has-text('Take the family in')")
    refusal = page.locator(".form-errors").inner_text()
    assert "Consent to the processing of personal data does not hold for" in refusal
    assert "Xolmatova Sevara" in refusal and "Xolmatova Munisa" in refusal
    screenshot(page, "family-intake-refused-without-consent")
    page.click("a:has-text('Cancel')")
    for index, name in enumerate(["Xolmatova Sevara", "Xolmatov Sherzod", "Xolmatova Munisa"]):
        row = page.locator("#consents tbody tr", has_text=name)
        row.locator("td[data-purpose='processing'] a:has-text('record')").click()
        page.fill("#id_decided_on", "2025-02-03")
        page.fill("#id_paper_reference", f"SAM-2025-0001/{index + 1}")
        if index:  # a child: the mother signs
            page.select_option("#id_given_by", label="Xolmatova Sevara")
        page.click("button:has-text('Record')")
        assert "The decision is recorded." in page.locator(".messages").inner_text()
    given = page.locator("#consents td[data-purpose='processing'][data-state='given']")
    assert given.count() == 3
    screenshot(page, "family-consents-given")

    page.click("a:has-text('Intake')")
    page.click("button:has-text('Take the family in')")
    assert "Active" in page.locator("h1 .badge").inner_text()

    page.click("nav >> text=Families")
    page.fill("#id_q", "olmatova sev")
    page.click("button:has-text('Filter')")
    rows = page.locator("table.table tbody tr")
    assert rows.count() == 1
    assert "SAM-2025-0001" in rows.first.inner_text()
    assert "Xolmatova Sevara" in rows.first.inner_text()
    screenshot(page, "family-list-search")
    rows.first.locator("a").first.click()
    assert page.locator("h1").inner_text().startswith("Family SAM-2025-0001")

    page.click("a:has-text('Record exit')")
    page.fill("#id_exit_date", "2025-01-15")  # before the intake: refused
    page.select_option("#id_reason", "moved_away")  # restored: tests/wellbeing/test_browser.py
    page.click("button:has-text('Record the exit')")
    assert "cannot be before the intake date" in page.locator(".error").inner_text()
    screenshot(page, "family-exit-refused")
    page.fill("#id_exit_date", "2025-11-20")
    page.click("button:has-text('Record the exit')")
    assert "Exited" in page.locator("h1 .badge").inner_text()
    assert "Moved away" in page.locator(".facts").inner_text()
    screenshot(page, "family-detail-exited")
    family.refresh_from_db()
    assert family.status == "exited"
