"""One completion rate and one attendance reading on every page that shows them.

The completion rate is `training.selectors.completion_rate` on the course page, the cohort
page and the course report; a share of 12.5% reads 13% on all three (half up, not
Python's round()). Whether attendance meets the bar is decided on the exact ratio; the
figure shown beside a "below 80%" flag never reads 80%.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.training.factories import CohortFactory, CourseFactory, EnrolmentFactory
from training.choices import AttendanceStatus, EnrolmentStatus
from training.models import Attendance, Session
from training.rules import CompletionRule, attendance_rate
from training.selectors import at_risk, with_attendance

pytestmark = pytest.mark.django_db


def shown_percent(html: str, label: str) -> str:
    """The percentage shown after `label` in a page's figures."""
    found = re.search(re.escape(label) + r"</dt><dd>[^<]*?(?:<span[^>]*>)?\s*([\d.,]+)%", html)
    assert found, label
    return found.group(1)


def test_completion_rate_is_the_same_half_up_figure_on_every_page(client_for, personas):
    course = CourseFactory()
    cohort = CohortFactory(course=course)
    ended = datetime.date(2024, 5, 31)
    EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.COMPLETED, ended_on=ended)
    for _n in range(7):
        EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.DROPPED_OUT, ended_on=ended)
    EnrolmentFactory(cohort=cohort)  # still on the course: not in the base
    client = client_for(personas.director)
    course_page = client.get(reverse("training:course_detail", args=[course.pk]))
    cohort_page = client.get(reverse("training:cohort_detail", args=[cohort.pk]))
    report = client.get(reverse("reports:course", args=[course.pk]))
    assert course_page.context["outcomes"]["completion_rate"] == 13  # 1 of 8 = 12.5%
    assert cohort_page.context["outcomes"]["completion_rate"] == 13
    assert report.context["report"]["outcomes"]["completion_share"] == 13
    assert shown_percent(course_page.content.decode(), "Completion rate") == "13"
    assert shown_percent(cohort_page.content.decode(), "Completion rate") == "13"
    assert shown_percent(report.content.decode(), "Completed") == "13"


@pytest.mark.parametrize(
    ("present", "held", "shown", "met"),
    [
        (35, 44, "79.5", False),  # 79.545...%: "80%" would stand beside "below 80%"
        (4, 5, "80", True),  # exactly the bar
        (36, 44, "82", True),
        (799, 1000, "79.9", False),
        (7999, 10000, "79.99", False),  # 79.99% would round to 80.0 at one decimal
        (33, 44, "75", False),
        (0, 0, None, False),
    ],
)
def test_attendance_shown_never_contradicts_the_bar(present, held, shown, met):
    rule = CompletionRule(min_attendance_percent=80)
    assert rule.attendance_met(present=present, held=held) is met
    rate = attendance_rate(present, held, 80)
    assert (None if rate is None else str(rate)) == shown
    if rate is not None:
        assert (rate >= 80) is met
    # Without a bar it is the plain whole percent, half up.
    assert attendance_rate(35, 44) == 80


def test_attendance_35_of_44_on_the_pages_and_the_reason(client_for, personas):
    """The enrolment page, the cohort page and the trainer's at-risk list read 79.5% for 35
    of 44; the learner is at risk, and a finished course's failure reason says so."""
    start = timezone.localdate() - datetime.timedelta(days=100)
    cohort = CohortFactory(
        course=CourseFactory(final_assessment_required=False, min_attendance_percent=80),
        trainer=personas.trainer,
        start_date=start,
        end_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    enrolment = EnrolmentFactory(cohort=cohort)
    sessions = Session.objects.bulk_create(
        Session(cohort=cohort, date=start + datetime.timedelta(days=n), recorded_at=timezone.now())
        for n in range(44)
    )
    Attendance.objects.bulk_create(
        Attendance(
            enrolment=enrolment,
            session=session,
            status=AttendanceStatus.PRESENT if n < 35 else AttendanceStatus.ABSENT,
        )
        for n, session in enumerate(sessions)
    )
    assert with_attendance(cohort.enrolments.all()).get().attendance_rate == attendance_rate(
        35, 44, 80
    )
    assert list(at_risk(cohort.enrolments.all())) == [enrolment]
    page = client_for(personas.director).get(
        reverse("training:enrolment_detail", args=[enrolment.pk])
    )
    assert "79.5% (35/44)" in page.content.decode()
    cohort_page = client_for(personas.director).get(
        reverse("training:cohort_detail", args=[cohort.pk])
    )
    assert "79.5%" in cohort_page.content.decode()
    assert "80%" not in cohort_page.content.decode().split("</thead>", 1)[-1].split("</table>")[0]
    home = client_for(personas.trainer).get(reverse("reports:home"))
    assert '79.5%</span> <span class="muted">(35/44)' in home.content.decode()
    outcome = CompletionRule(min_attendance_percent=80, final_assessment_required=False).outcome(
        present=35, held=44, over=True, score=None
    )
    assert outcome.status == EnrolmentStatus.FAILED
    assert outcome.reason == "Attended 35 of 44 sessions (79.5%), below 80%."


@pytest.mark.parametrize(
    ("present", "held", "risky"), [(4, 5, False), (35, 44, True), (3, 4, True), (36, 44, False)]
)
def test_the_at_risk_sql_is_the_exact_ratio_rule(personas, present, held, risky):
    """The at-risk list (SQL: present x 100 < bar x held) and CompletionRule.attendance_met
    agree at the bar: 4 of 5 is exactly 80%, not at risk; 35 of 44 (79.5%) is."""
    start = timezone.localdate() - datetime.timedelta(days=60)
    cohort = CohortFactory(
        course=CourseFactory(min_attendance_percent=80),
        start_date=start,
        end_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    sessions = Session.objects.bulk_create(
        Session(cohort=cohort, date=start + datetime.timedelta(days=n), recorded_at=timezone.now())
        for n in range(held)
    )
    enrolment = EnrolmentFactory(cohort=cohort)
    Attendance.objects.bulk_create(
        Attendance(
            enrolment=enrolment,
            session=session,
            status=AttendanceStatus.PRESENT if n < present else AttendanceStatus.ABSENT,
        )
        for n, session in enumerate(sessions)
    )
    met = CompletionRule(min_attendance_percent=80).attendance_met(present=present, held=held)
    assert met is not risky
    assert (enrolment in set(at_risk(cohort.enrolments.all()))) is risky
