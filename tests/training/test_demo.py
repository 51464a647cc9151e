"""The training demo: courses, cohorts with the demo trainer, attendance and certificates."""

from decimal import Decimal

from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from training.choices import SEAT_HOLDING, EnrolmentStatus
from training.models import Attendance, Cohort, Course, Enrolment, Qualification, Session
from training.rules import sessions_over


def test_seed_demo_adds_training_that_keeps_the_rules(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", families=120, seed=3)
    assert Course.objects.count() == 6
    assert set(Cohort.objects.values_list("branch__code", flat=True)) == {"SAM", "TAS", "URG"}
    trainer_cohorts = Cohort.objects.filter(trainer__username="trainer")
    assert trainer_cohorts.exists()
    today = timezone.localdate()
    assert Session.objects.filter(cohort__trainer__username="trainer", date=today).exists()
    assert Attendance.objects.count() > 500
    assert Qualification.objects.count() > 5
    # Every certificate belongs to a completed enrolment, with its own code.
    assert not Qualification.objects.exclude(enrolment__status=EnrolmentStatus.COMPLETED).exists()
    # Completed and failed only once the cohort's sessions were over (training.rules), and
    # never early without a reason.
    decided = Enrolment.objects.filter(
        status__in=[EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED]
    ).select_related("cohort")
    assert decided.exists()
    for enrolment in decided:
        over = sessions_over(
            end_date=enrolment.cohort.end_date,
            remaining=enrolment.cohort.sessions.filter(recorded_at__isnull=True).count(),
            today=today,
        )
        assert over or enrolment.early_completion_reason
    # Sessions last what the course's hours spread over them come to, to the half hour.
    for cohort in Cohort.objects.select_related("course").annotate(n=Count("sessions")):
        assert Decimal("0.5") <= cohort.session_hours <= 12
        assert abs(cohort.session_hours * cohort.n - cohort.course.hours) <= cohort.n / 4 + 1
    codes = list(Qualification.objects.values_list("verification_code", flat=True))
    assert len(set(codes)) == len(codes)
    # Only adults, never beyond capacity, attendance only within the cohort's dates.
    for enrolment in Enrolment.objects.select_related("person", "cohort"):
        assert enrolment.person.age_on(enrolment.cohort.start_date) >= 18
    crowded = Cohort.objects.annotate(
        seats=Count("enrolments", filter=Q(enrolments__status__in=SEAT_HOLDING))
    ).values_list("seats", "capacity")
    assert all(seats <= capacity for seats, capacity in crowded)
    for session in (
        Session.objects.select_related("cohort").filter(attendances__isnull=False).distinct()
    ):
        assert session.cohort.start_date <= session.date <= session.cohort.end_date

    call_command("seed_demo", families=5, reset=True)
    assert Cohort.objects.count() == 15  # the old cohorts went with the reset
    assert not Qualification.objects.filter(verification_code__in=codes).exists()
