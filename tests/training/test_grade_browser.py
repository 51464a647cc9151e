"""A trainer completes a whole cohort in the browser after its last session: one form, each
learner's score and outcome, a refused row shown on its row with nothing saved, then one
save that issues the certificates."""

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
from training.models import Enrolment, Qualification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def finished_cohort():
    """A cohort whose last session (yesterday, its last day) has been taken: Dilnoza came to
    all 4 sessions, Malika to 3 (75%, below the 80% bar), Zarina to all 4."""
    today = timezone.localdate()
    trainer = UserFactory(
        username="grading_trainer", first_name="Gulnora", last_name="Yusupova", role=Role.TRAINER
    )
    cohort = CohortFactory(
        branch=branch("SAM"),
        trainer=trainer,
        start_date=today - datetime.timedelta(days=20),
        end_date=today - datetime.timedelta(days=1),
        course__title="Carpet weaving",
        course__hours=12,
    )
    people = {
        name: EnrolmentFactory(cohort=cohort, person=PersonFactory(full_name=name))
        for name in ("Karimova Dilnoza", "Rahimova Malika", "Toshmatova Zarina")
    }
    for days in (8, 6, 4, 1):
        session = SessionFactory(
            cohort=cohort, date=today - datetime.timedelta(days=days), recorded_at=timezone.now()
        )
        for name, enrolment in people.items():
            came = not (name == "Rahimova Malika" and days == 4)
            AttendanceFactory(
                enrolment=enrolment, session=session, status="present" if came else "absent"
            )
    return trainer, cohort, people


def test_a_trainer_completes_the_whole_cohort_after_its_last_session(
    signed_in_page, finished_cohort
):
    trainer, cohort, people = finished_cohort
    dilnoza, malika, zarina = people.values()
    page = signed_in_page(trainer)
    page.goto(page.url.rstrip("/") + f"/training/cohorts/{cohort.pk}/")
    page.click("#grade-cohort")
    page.wait_for_selector("#grade-table")
    assert page.locator("#grade-table tbody tr").count() == 3

    # First try: Malika marked as completing although her attendance is below the bar.
    for enrolment, score in ((dilnoza, "91"), (malika, "85"), (zarina, "77")):
        page.fill(f"#id_score_{enrolment.pk}", score)
        page.select_option(f"#id_decision_{enrolment.pk}", "complete")
    page.click("button[type=submit].primary")
    page.wait_for_selector(".form-errors")
    row = page.locator(f"#grade-row-{malika.pk}")
    assert "Attended 3 of 4 sessions (75%), below 80%." in row.inner_text()
    assert "Nothing was saved" in page.locator(".form-errors").inner_text()
    assert not Qualification.objects.exists()
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"enrolled"}
    screenshot(page, "training-grade-refused")

    # The scores typed stay on the form; Malika does not complete.
    assert page.input_value(f"#id_score_{zarina.pk}") == "77"
    page.select_option(f"#id_decision_{malika.pk}", "not_complete")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/training/cohorts/{cohort.pk}/")
    assert "Grades saved: 2 certificates issued." in page.locator(".messages").inner_text()
    statuses = dict(Enrolment.objects.values_list("person__full_name", "status"))
    assert statuses == {
        "Karimova Dilnoza": "completed", "Rahimova Malika": "failed",
        "Toshmatova Zarina": "completed",
    }  # fmt: skip
    for name in ("Karimova Dilnoza", "Toshmatova Zarina"):
        number = Qualification.objects.get(enrolment__person__full_name=name).number
        assert number in page.locator("#learners-table tr", has_text=name).inner_text()
    screenshot(page, "training-grade-done")

    # The certificate's record states the hours attended: 4 sessions of 3 hours, 12.
    page.click("#learners-table a:has-text('Karimova Dilnoza')")
    assert page.locator(".hours-attended").inner_text() == "12"
