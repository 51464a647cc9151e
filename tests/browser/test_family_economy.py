"""In the browser: a caseworker records a job placement for a parent who completed a course;
the course's employment outcome (employed in the 2nd quarter after completion) counts her,
and the family's economic picture shows the new job beside the certificate, with its wages
among the month's income sources."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from common.months import add_months, month_start, shift_months
from tests.conftest import screenshot
from tests.factories import FamilyFactory, PersonFactory, UserFactory, branch
from tests.training.factories import EnrolmentFactory, QualificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_placement_shows_on_the_familys_economic_picture(signed_in_page, live_server):
    samarkand = branch("SAM")
    caseworker = UserFactory(username="cw_econ", role=Role.CASEWORKER, branches=[samarkand])
    family = FamilyFactory(branch=samarkand, caseworker=caseworker)
    parent = PersonFactory(family=family, full_name="Yusupova Dilfuza")
    today = timezone.localdate()
    # Ten months ago: the 2nd quarter after completion is over, so it is measured.
    course_end = shift_months(today, -10)
    certificate = QualificationFactory(
        enrolment=EnrolmentFactory(
            person=parent,
            status="completed",
            ended_on=course_end,
            cohort__branch=samarkand,
            cohort__start_date=shift_months(course_end, -3),
            cohort__end_date=course_end,
        ),
        issued_on=course_end,
    )
    start = course_end + datetime.timedelta(days=20)
    director = UserFactory(username="pm_econ", role=Role.PROGRAMME_MANAGER)
    report = signed_in_page(director, viewport={"width": 1366, "height": 900})
    course_url = f"{live_server.url}/reports/courses/{certificate.enrolment.cohort.course_id}/"
    report.goto(course_url)
    employed = report.locator("#outcomes-heading + dl.figures a[href$='q2-employed/']")
    assert employed.inner_text() == "0"

    page = signed_in_page(caseworker, viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    page.click("#economy-link")
    assert page.locator("#trainings", has_text=certificate.number).is_visible()
    assert page.locator("#current-jobs").count() == 0  # no job yet

    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    page.click("#family-placements >> text=Record a job search, referral or placement")
    page.select_option("#id_person", str(parent.pk))
    page.select_option("#id_stage", "placed")
    page.fill("#id_employer_name", "Samarqand Chinni MChJ")
    page.fill("#id_position", "Qadoqlovchi")
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_monthly_wage", "2300000")
    page.select_option("#id_contract", "formal")
    page.select_option("#id_working_time", "full")
    page.select_option("#id_verification", "payslip")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#retention-checks")

    page.goto(f"{live_server.url}{family.get_absolute_url()}")
    page.click("#economy-link")
    job = page.locator("#current-jobs tr[data-kind=placement]")
    assert job.count() == 1
    assert "Samarqand Chinni MChJ" in job.inner_text() and "Yusupova Dilfuza" in job.inner_text()
    last_month = add_months(month_start(today), -1)
    row = page.locator(f"#economy-income-months tr[data-month='{last_month:%Y-%m}']")
    assert row.locator("[data-source=placement_wages]").count() == 1
    assert "2\u202f300\u202f000" in row.inner_text() or "2 300 000" in row.inner_text()
    screenshot(page, "family-economy-1366-en")

    report.goto(course_url)
    assert employed.inner_text() == "1"
    employed.click()
    assert report.locator("main", has_text="Yusupova Dilfuza").count() == 1

    phone = signed_in_page(caseworker, viewport={"width": 375, "height": 800})
    phone.goto(f"{live_server.url}/families/{family.pk}/economy/")
    phone.click("button[name=language][value=uz]")
    phone.wait_for_selector("#current-jobs")
    assert phone.locator("h2", has_text="Hozirgi ish joylari").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "family-economy-375-uz")
