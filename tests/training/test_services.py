"""The rules of training, through its services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beneficiaries.choices import FamilyStatus
from common.codes import CODE_ALPHABET
from tests.factories import ChildFactory, FamilyFactory, PersonFactory, UserFactory
from tests.training.factories import CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from training import services
from training.choices import AttendanceStatus, EnrolmentStatus
from training.models import Attendance, Enrolment, Qualification, Session

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


@pytest.fixture
def cohort():
    return CohortFactory(start_date=days_ago(40), end_date=TODAY() + datetime.timedelta(days=5))


@pytest.fixture
def last_day():
    """A cohort on its last day: once every planned register is taken, its sessions are over."""
    return CohortFactory(start_date=days_ago(40), end_date=TODAY())


def test_an_adult_of_an_active_family_is_enrolled(cohort):
    person = PersonFactory()
    enrolment = services.enrolment_create(person=person, cohort=cohort)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.enrolled_on == TODAY()


def test_a_referred_family_is_on_the_programme_too(cohort):
    person = PersonFactory(family=FamilyFactory(status=FamilyStatus.REFERRED))
    assert services.enrolment_create(person=person, cohort=cohort).pk


def test_a_child_cannot_be_enrolled(cohort):
    child = ChildFactory()
    with pytest.raises(ValidationError, match="Only adults"):
        services.enrolment_create(person=child, cohort=cohort)
    assert not Enrolment.objects.exists()


def test_someone_turning_18_tomorrow_is_not_an_adult_yet(cohort):
    today = TODAY()
    birth = today.replace(year=today.year - 18) + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="Only adults"):
        services.enrolment_create(person=PersonFactory(birth_date=birth), cohort=cohort)


@pytest.mark.parametrize("status", [FamilyStatus.EXITED, FamilyStatus.CLOSED])
def test_a_family_that_left_the_programme_cannot_enrol(cohort, status):
    family = FamilyFactory(status=status, exit_date=days_ago(10))
    with pytest.raises(ValidationError, match="families on the programme"):
        services.enrolment_create(person=PersonFactory(family=family), cohort=cohort)


def test_nobody_is_enrolled_twice_in_the_same_cohort(cohort):
    person = PersonFactory()
    services.enrolment_create(person=person, cohort=cohort)
    with pytest.raises(ValidationError, match="already enrolled"):
        services.enrolment_create(person=person, cohort=cohort)
    assert Enrolment.objects.count() == 1


def test_capacity_is_enforced_and_a_drop_out_frees_a_place():
    cohort = CohortFactory(capacity=2)
    first = services.enrolment_create(person=PersonFactory(), cohort=cohort)
    services.enrolment_create(person=PersonFactory(), cohort=cohort)
    late = PersonFactory()
    with pytest.raises(ValidationError, match="full"):
        services.enrolment_create(person=late, cohort=cohort)
    services.enrolment_withdraw(enrolment=first, reason="Found a job")
    assert services.enrolment_create(person=late, cohort=cohort).pk


def test_a_cohort_that_has_ended_takes_nobody():
    cohort = CohortFactory(start_date=days_ago(60), end_date=days_ago(1))
    with pytest.raises(ValidationError, match="ended"):
        services.enrolment_create(person=PersonFactory(), cohort=cohort)


def test_a_drop_out_needs_a_reason(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    with pytest.raises(ValidationError):
        services.enrolment_withdraw(enrolment=enrolment, reason="  ")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


@pytest.mark.parametrize("offset", [-1, 6])
def test_a_session_outside_the_cohort_dates_is_refused(cohort, offset):
    day = (
        cohort.start_date - datetime.timedelta(days=1)
        if offset < 0
        else cohort.end_date + datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="must fall between"):
        services.session_create(cohort=cohort, day=day)
    assert not Session.objects.exists()


def test_attendance_cannot_be_recorded_for_a_date_outside_the_cohort(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    # A session that slipped outside the dates (the cohort was shortened afterwards).
    session = SessionFactory(cohort=cohort, date=days_ago(3))
    cohort.end_date = days_ago(5)
    cohort.save()
    with pytest.raises(ValidationError, match="outside the cohort"):
        services.attendance_record(
            session=session, marks={enrolment.pk: AttendanceStatus.PRESENT}, recorded_by=None
        )
    assert not Attendance.objects.exists()


def test_attendance_cannot_be_taken_for_a_session_still_to_come(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    session = SessionFactory(cohort=cohort, date=TODAY() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="still to come"):
        services.attendance_record(
            session=session, marks={enrolment.pk: AttendanceStatus.PRESENT}, recorded_by=None
        )


def test_attendance_only_for_learners_of_the_cohort(cohort):
    stranger = EnrolmentFactory()
    session = SessionFactory(cohort=cohort, date=days_ago(1))
    with pytest.raises(ValidationError, match="not on this cohort"):
        services.attendance_record(
            session=session, marks={stranger.pk: AttendanceStatus.PRESENT}, recorded_by=None
        )


def held_sessions(cohort, count, start=30):
    return [SessionFactory(cohort=cohort, date=days_ago(start - index)) for index in range(count)]


def take(sessions, enrolment, statuses, user=None):
    issued = []
    for session, status in zip(sessions, statuses, strict=True):
        issued += services.attendance_record(
            session=session, marks={enrolment.pk: status}, recorded_by=user
        )
    return issued


P, A, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED


def test_completion_issues_a_qualification_once_attendance_and_assessment_pass(last_day):
    trainer = UserFactory()
    enrolment = EnrolmentFactory(cohort=last_day)
    sessions = held_sessions(last_day, 5)
    # 4 of 5 sessions = 80%: exactly the default bar.
    assert take(sessions[:4], enrolment, [P, A, P, P], trainer) == []
    assert (
        services.final_assessment_record(
            enrolment=enrolment, score=75, assessed_on=days_ago(2), by=trainer
        )
        is None
    )  # 3 of 4 held = 75%: below the bar
    issued = take(sessions[4:], enrolment, [P], trainer)
    assert len(issued) == 1
    qualification = issued[0]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert qualification.enrolment == enrolment
    assert qualification.issued_by == trainer
    assert qualification.grade == "good"
    assert qualification.level == last_day.course.level
    assert len(qualification.verification_code) == 20
    assert set(qualification.verification_code) <= set(CODE_ALPHABET)
    assert qualification.number.startswith(f"MQ-{TODAY().year}-")


def test_below_80_percent_no_qualification_while_sessions_remain(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    sessions = held_sessions(cohort, 5)
    SessionFactory(cohort=cohort, date=TODAY() + datetime.timedelta(days=3))  # still to come
    take(sessions, enrolment, [P, P, P, E, A])  # 60%: an excused absence is still an absence
    services.final_assessment_record(
        enrolment=enrolment, score=95, assessed_on=days_ago(1), by=None
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert not Qualification.objects.exists()


def test_below_80_percent_when_every_session_is_held_fails(last_day):
    enrolment = EnrolmentFactory(cohort=last_day)
    take(held_sessions(last_day, 5), enrolment, [A, P, P, P, A])  # 3 of 5
    services.final_assessment_record(
        enrolment=enrolment, score=95, assessed_on=days_ago(1), by=None
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.FAILED
    assert "3 of 5" in enrolment.status_reason
    assert not Qualification.objects.exists()


def test_a_failing_assessment_fails_the_enrolment(last_day):
    enrolment = EnrolmentFactory(cohort=last_day)
    take(held_sessions(last_day, 3), enrolment, [P, P, P])
    result = services.final_assessment_record(
        enrolment=enrolment, score=40, assessed_on=days_ago(1), by=None
    )
    enrolment.refresh_from_db()
    assert result is None
    assert enrolment.status == EnrolmentStatus.FAILED
    assert "40" in enrolment.status_reason
    assert not Qualification.objects.exists()


def test_the_rule_is_configurable_per_course():
    course = CourseFactory(min_attendance_percent=50, final_assessment_required=False)
    cohort = CohortFactory(course=course, start_date=days_ago(40), end_date=days_ago(0))
    enrolment = EnrolmentFactory(cohort=cohort)
    sessions = held_sessions(cohort, 4)
    # Without an assessment, the course ends with its last session: nothing before.
    assert take(sessions[:3], enrolment, [P, A, A]) == []
    issued = take(sessions[3:], enrolment, [P])
    assert [q.enrolment for q in issued] == [enrolment]  # 2 of 4 = 50%


def test_without_assessment_too_little_attendance_fails_at_the_last_session():
    course = CourseFactory(final_assessment_required=False)
    cohort = CohortFactory(course=course, start_date=days_ago(40), end_date=days_ago(0))
    enrolment = EnrolmentFactory(cohort=cohort)
    take(held_sessions(cohort, 2), enrolment, [P, A])
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.FAILED


def test_saving_a_register_again_corrects_it_and_keeps_history(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    session = SessionFactory(cohort=cohort, date=days_ago(1))
    services.attendance_record(session=session, marks={enrolment.pk: A}, recorded_by=None)
    services.attendance_record(session=session, marks={enrolment.pk: E}, recorded_by=None)
    mark = Attendance.objects.get()
    assert mark.status == E
    assert list(mark.history.order_by("history_date").values_list("status", flat=True)) == [A, E]


def test_certificate_codes_are_unique_and_random(cohort):
    codes = {Qualification.new_verification_code() for _ in range(500)}
    assert len(codes) == 500
    numbers = {Qualification.new_number(2026) for _ in range(500)}
    assert len(numbers) == 500


def test_assessment_date_must_fall_within_the_cohort(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    with pytest.raises(ValidationError):
        services.final_assessment_record(
            enrolment=enrolment,
            score=80,
            assessed_on=cohort.start_date - datetime.timedelta(days=1),
            by=None,
        )
