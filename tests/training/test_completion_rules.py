"""Completion only once the cohort's sessions are over; early completion only by an explicit
action with a reason; the hours a certificate states are the hours attended.

Each refusal is checked through the service and through the page a trainer uses.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.roles import Role
from tests.factories import UserFactory
from tests.training.factories import CohortFactory, CourseFactory, EnrolmentFactory
from training import services
from training.choices import AttendanceStatus, EnrolmentStatus
from training.models import Attendance, Enrolment, Qualification, Session
from training.rules import attended_hours, sessions_over

pytestmark = pytest.mark.django_db

P, A = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def plan(cohort, count, *, held, first=None):
    """`count` sessions a day apart from `first` (the cohort's start); the first `held` of
    them with their register taken."""
    first = first or cohort.start_date
    return Session.objects.bulk_create(
        Session(
            cohort=cohort,
            date=first + datetime.timedelta(days=n),
            recorded_at=timezone.now() if n < held else None,
        )
        for n in range(count)
    )


def mark(enrolment, sessions, status=P):
    Attendance.objects.bulk_create(
        Attendance(enrolment=enrolment, session=session, status=status)
        for session in sessions
        if session.recorded_at
    )


@pytest.fixture
def halfway(personas, samarkand):
    """The issue's case: 39 sessions planned, 20 held, the learner at every one of them."""
    cohort = CohortFactory(
        branch=samarkand,
        trainer=personas.trainer,
        start_date=days(-25),
        end_date=days(20),
        course=CourseFactory(hours=117),
    )
    sessions = plan(cohort, 39, held=20, first=days(-20))
    enrolment = EnrolmentFactory(cohort=cohort)
    mark(enrolment, sessions)
    return enrolment


# The rule, pure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "remaining", "over"),
    [
        (1, 0, False),  # every planned session held, but the cohort's last day is tomorrow
        (0, 1, False),  # the last day, its register not taken yet
        (0, 0, True),  # the last day, every register taken
        (-1, 3, True),  # ended: a session never taken by then was not held
    ],
)
def test_sessions_are_over_on_the_last_day_or_after(end, remaining, over):
    assert sessions_over(end_date=days(end), remaining=remaining, today=today()) is over


def test_hours_attended_are_sessions_attended_times_their_length():
    assert attended_hours(35, Decimal(3)) == 105
    assert str(attended_hours(21, Decimal("2.5"))) == "52.5"
    assert str(attended_hours(0, Decimal(3))) == "0"


# Completion before the sessions are over: refused ----------------------------------------


def test_a_passing_final_score_halfway_completes_nobody(halfway, personas):
    issued = services.final_assessment_record(
        enrolment=halfway, score=95, assessed_on=today(), by=personas.trainer
    )
    halfway.refresh_from_db()
    assert issued is None
    assert halfway.status == EnrolmentStatus.ENROLLED
    assert halfway.final_score == 95  # the score is kept for when the cohort ends
    assert not Qualification.objects.exists()


def test_a_passing_final_score_halfway_through_the_page(client_for, halfway, personas):
    response = client_for(personas.trainer).post(
        reverse("training:enrolment_assessment", args=[halfway.pk]),
        {"score": 95, "assessed_on": today().isoformat()},
        follow=True,
    )
    page = response.content.decode()
    assert "Final assessment saved." in page
    assert "recorded once the cohort&#x27;s sessions are over" in page
    halfway.refresh_from_db()
    assert halfway.status == EnrolmentStatus.ENROLLED
    assert not Qualification.objects.exists()


def test_every_planned_session_held_before_the_last_day_is_not_the_end(personas):
    """Sessions are planned one at a time: "all planned ones held" holds after each register."""
    cohort = CohortFactory(start_date=days(-10), end_date=days(10))
    enrolment = EnrolmentFactory(cohort=cohort, final_score=90, assessed_on=days(-1))
    session = Session.objects.create(cohort=cohort, date=today())
    issued = services.attendance_record(
        session=session, marks={enrolment.pk: P}, recorded_by=personas.trainer
    )
    assert issued == []
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_a_failing_attendance_halfway_fails_nobody_yet(personas):
    cohort = CohortFactory(
        start_date=days(-10),
        end_date=days(10),
        course=CourseFactory(final_assessment_required=False),
    )
    sessions = plan(cohort, 4, held=4)
    enrolment = EnrolmentFactory(cohort=cohort)
    mark(enrolment, sessions, A)
    assert services.cohort_evaluate(cohort=cohort, by=None, on=today()) == []
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_after_the_end_date_the_assessment_completes_on_the_sessions_held(personas):
    cohort = CohortFactory(start_date=days(-30), end_date=days(-2), session_hours=Decimal("2.5"))
    sessions = plan(cohort, 6, held=5)  # the sixth was never taken: it was not held
    enrolment = EnrolmentFactory(cohort=cohort)
    mark(enrolment, sessions[:4])
    qualification = services.final_assessment_record(
        enrolment=enrolment, score=70, assessed_on=days(-2), by=personas.trainer
    )
    assert qualification is not None  # 4 of 5 held = 80%
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.ended_on == today()
    assert not enrolment.completed_early


# Early completion: an explicit action with a reason ---------------------------------------


def test_early_completion_is_recorded_with_who_when_and_why(halfway, personas):
    halfway.final_score, halfway.assessed_on = 88, today()
    halfway.save()
    qualification = services.enrolment_complete_early(
        enrolment=halfway, reason="Hired by the sewing workshop", by=personas.trainer
    )
    halfway.refresh_from_db()
    assert halfway.status == EnrolmentStatus.COMPLETED
    assert halfway.early_completion_reason == "Hired by the sewing workshop"
    assert halfway.early_completion_by == personas.trainer
    assert halfway.early_completion_at is not None
    assert qualification.enrolment == halfway and qualification.issued_by == personas.trainer
    assert halfway.history.first().history_user == personas.trainer


@pytest.mark.parametrize(
    ("reason", "score", "message"),
    [
        ("  ", 88, "Say why"),
        ("Moved away", None, "No final assessment score yet."),
        ("Moved away", 40, "below the pass mark"),
    ],
)
def test_early_completion_refused(halfway, personas, reason, score, message):
    halfway.final_score = score
    halfway.assessed_on = today() if score is not None else None
    halfway.save()
    with pytest.raises(ValidationError, match=message):
        services.enrolment_complete_early(enrolment=halfway, reason=reason, by=personas.trainer)
    halfway.refresh_from_db()
    assert halfway.status == EnrolmentStatus.ENROLLED
    assert not Qualification.objects.exists()


def test_early_completion_needs_the_attendance_too(personas):
    cohort = CohortFactory(start_date=days(-10), end_date=days(10))
    sessions = plan(cohort, 5, held=5)
    enrolment = EnrolmentFactory(cohort=cohort, final_score=90, assessed_on=today())
    mark(enrolment, sessions[:3])  # 60%
    with pytest.raises(ValidationError, match="Attended 3 of 5"):
        services.enrolment_complete_early(enrolment=enrolment, reason="Job", by=personas.trainer)


def test_early_completion_is_not_for_a_cohort_whose_sessions_are_over(personas):
    cohort = CohortFactory(start_date=days(-10), end_date=days(-1))
    enrolment = EnrolmentFactory(cohort=cohort, final_score=90, assessed_on=days(-1))
    mark(enrolment, plan(cohort, 3, held=3))
    with pytest.raises(ValidationError, match="sessions are over"):
        services.enrolment_complete_early(enrolment=enrolment, reason="Job", by=personas.trainer)


def test_early_completion_through_the_page(client_for, halfway, personas):
    halfway.final_score, halfway.assessed_on = 88, today()
    halfway.save()
    client = client_for(personas.trainer)
    detail = reverse("training:enrolment_detail", args=[halfway.pk])
    assert "early_form" in client.get(detail).context
    url = reverse("training:enrolment_complete_early", args=[halfway.pk])
    refused = client.post(url, {"reason": ""}, follow=True)
    assert "This field is required." in refused.content.decode()
    halfway.refresh_from_db()
    assert halfway.status == EnrolmentStatus.ENROLLED
    response = client.post(url, {"reason": "Hired by the sewing workshop"}, follow=True)
    qualification = Qualification.objects.get()
    page = response.content.decode()
    assert f"Completed early: certificate {qualification.number} issued." in page
    # The certificate's record says it, with the reason and who did it.
    record = page.split('id="certificate"', 1)[1].split("</section>", 1)[0]
    assert "Completed early" in record and "Hired by the sewing workshop" in record
    assert escape(personas.trainer.get_full_name()) in record


def test_early_completion_page_scope(client_for, halfway, personas):
    halfway.final_score, halfway.assessed_on = 88, today()
    halfway.save()
    url = reverse("training:enrolment_complete_early", args=[halfway.pk])
    other = UserFactory(username="other_trainer", role=Role.TRAINER)
    assert client_for(other).post(url, {"reason": "x"}).status_code == 404
    assert client_for(personas.caseworker).post(url, {"reason": "x"}).status_code == 403
    assert client_for(personas.auditor).post(url, {"reason": "x"}).status_code == 403
    assert not Qualification.objects.exists()


def test_the_verification_page_says_completed_early_and_why(client, halfway, personas):
    halfway.final_score, halfway.assessed_on = 88, today()
    halfway.save()
    qualification = services.enrolment_complete_early(
        enrolment=halfway, reason="Hired by the sewing workshop", by=personas.trainer
    )
    page = client.get(reverse("training:verify", args=[qualification.verification_code]))
    early = page.content.decode().split("Completed early", 1)
    assert len(early) == 2 and "Hired by the sewing workshop" in early[1]
    # 20 sessions of 3 hours attended, not the course's 117 hours.
    assert '<dd class="verify-hours">60</dd>' in page.content.decode()


def test_a_normal_completion_says_nothing_of_early(client, personas):
    cohort = CohortFactory(start_date=days(-10), end_date=today())
    enrolment = EnrolmentFactory(cohort=cohort, final_score=90, assessed_on=today())
    mark(enrolment, plan(cohort, 3, held=3))
    [qualification] = services.cohort_evaluate(cohort=cohort, by=None, on=today())
    page = client.get(reverse("training:verify", args=[qualification.verification_code]))
    assert "Completed early" not in page.content.decode()


def test_the_database_refuses_an_early_completion_without_reason(halfway):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=halfway.pk).update(
            status=EnrolmentStatus.COMPLETED, ended_on=today(), early_completion_at=timezone.now()
        )
