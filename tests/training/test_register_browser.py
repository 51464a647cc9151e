"""A trainer takes the register in the browser; on the cohort's last day, the qualification
appears once the rule is met."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.conftest import screenshot
from tests.factories import PersonFactory, UserFactory, branch
from tests.training.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
)
from training.models import Attendance, Qualification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort_with_history():
    today = timezone.localdate()
    trainer = UserFactory(
        username="browser_trainer", first_name="Gulnora", last_name="Yusupova", role=Role.TRAINER
    )
    cohort = CohortFactory(
        branch=branch("SAM"),
        trainer=trainer,
        start_date=today - datetime.timedelta(days=20),
        end_date=today,  # today's session is the last: once taken, the sessions are over
        course__title="Carpet weaving",
    )
    # Dilnoza passed the final assessment and came to 3 of the 4 sessions held (75%).
    dilnoza = EnrolmentFactory(
        cohort=cohort,
        person=PersonFactory(full_name="Karimova Dilnoza"),
        final_score=88,
        assessed_on=today - datetime.timedelta(days=1),
    )
    # Malika has not been assessed yet.
    malika = EnrolmentFactory(cohort=cohort, person=PersonFactory(full_name="Rahimova Malika"))
    for days, dilnoza_came in ((8, True), (6, True), (4, False), (2, True)):
        session = SessionFactory(
            cohort=cohort, date=today - datetime.timedelta(days=days), recorded_at=timezone.now()
        )
        AttendanceFactory(
            enrolment=dilnoza, session=session, status="present" if dilnoza_came else "absent"
        )
        AttendanceFactory(enrolment=malika, session=session, status="present")
    today_session = SessionFactory(cohort=cohort, date=today)
    return trainer, cohort, dilnoza, malika, today_session


def test_a_trainer_takes_attendance_and_a_certificate_is_issued(
    signed_in_page, cohort_with_history
):
    trainer, cohort, dilnoza, malika, session = cohort_with_history
    page = signed_in_page(trainer)
    # The dashboard offers today's register.
    page.click(".today-sessions a")
    page.wait_for_selector("form.register")
    assert page.locator(".register-row").count() == 2
    # Everyone starts present; the keyboard moves Malika to "Absent".
    malika_present = page.locator(f"#id_e{malika.pk}_0")
    assert malika_present.is_checked()
    malika_present.focus()
    page.keyboard.press("ArrowRight")
    assert page.locator(f"#id_e{malika.pk}_1").is_checked()
    screenshot(page, "training-register")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/training/cohorts/{cohort.pk}/")

    message = page.locator(".messages").inner_text()
    assert "Attendance saved." in message
    qualification = Qualification.objects.get()
    assert qualification.enrolment_id == dilnoza.pk  # 4 of 5 = 80% and a passing assessment
    assert (
        f"Karimova Dilnoza completed the course: certificate {qualification.number} issued."
        in message
    )
    row = page.locator("#learners-table tr", has_text="Karimova Dilnoza")
    assert "Completed" in row.inner_text()
    assert qualification.number in row.inner_text()
    assert dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status")) == {
        dilnoza.pk: "present", malika.pk: "absent",
    }  # fmt: skip
    screenshot(page, "training-cohort-after-register")

    # The certificate's public page confirms it, without signing in.
    page.goto(page.url.split("/training/")[0] + f"/verify/{qualification.verification_code}/")
    assert "This certificate is valid." in page.locator(".verify-result").inner_text()


def test_the_register_fits_a_phone(signed_in_page, cohort_with_history):
    trainer, _cohort, _dilnoza, _malika, session = cohort_with_history
    page = signed_in_page(trainer, viewport={"width": 375, "height": 740})
    page.goto(page.url.rstrip("/") + f"/training/sessions/{session.pk}/register/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px screen"
    box = page.locator(".register-choice").first.bounding_box()
    assert box["height"] >= 40  # a thumb-sized target
    screenshot(page, "training-register-phone")
