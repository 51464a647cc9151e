"""Reads over training that aggregate or scope: counted in the database, never row by row."""

from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.roles import sees_whole_programme
from common.percent import whole_percent
from training.choices import SEAT_HOLDING, AttendanceStatus, EnrolmentStatus
from training.models import Cohort, Course, Enrolment, Session


def held_sessions(cohort_ref: str = "cohort_id"):
    """Subquery: how many sessions of the row's cohort have had their attendance taken."""
    counts = (
        Session.objects.filter(cohort=OuterRef(cohort_ref), recorded_at__isnull=False)
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def session_counts(cohort) -> dict:
    """The cohort's sessions held (register taken) and remaining (planned, not yet taken),
    in one query; training.rules.sessions_over reads `remaining`."""
    return cohort.sessions.aggregate(
        held=Count("pk", filter=Q(recorded_at__isnull=False)),
        remaining=Count("pk", filter=Q(recorded_at__isnull=True)),
    )


def with_attendance(enrolments):
    """Each enrolment with `present`, `held` and its course's bar (`bar_percent`);
    Enrolment.attendance_rate reads them."""
    return enrolments.annotate(
        present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
        held=held_sessions(),
        bar_percent=F("cohort__course__min_attendance_percent"),
    )


def hours_attended(enrolment):
    """One enrolment's hours attended (Enrolment.hours_attended over with_attendance's
    count): what the certificate and its verification page state. One query."""
    return (
        with_attendance(Enrolment.objects.filter(pk=enrolment.pk))
        .select_related("cohort")
        .get()
        .hours_attended
    )


def cohorts_for_list(user):
    return (
        Cohort.objects.for_user(user)
        .select_related("course", "branch", "trainer")
        .annotate(
            enrolled_count=Count("enrolments", filter=Q(enrolments__status__in=SEAT_HOLDING)),
            completed_count=Count(
                "enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED)
            ),
        )
        .order_by("-start_date", "pk")
    )


def courses_for_list(user):
    """The course catalogue with each course's cohorts and completions among the cohorts the
    user may open (Cohort.for_user): a trainer counts their own cohorts, not the
    programme's."""
    visible = Q()
    if not sees_whole_programme(user):
        visible = Q(cohorts__in=Cohort.objects.for_user(user).values("pk"))
    return Course.objects.annotate(
        cohort_count=Count("cohorts", filter=visible, distinct=True),
        completed_count=Count(
            "cohorts__enrolments",
            filter=visible & Q(cohorts__enrolments__status=EnrolmentStatus.COMPLETED),
        ),
    ).order_by("title", "pk")


def course_outcomes(course, user) -> dict:
    """A course's outcomes over the cohorts of it that the user may open."""
    return outcomes(
        Enrolment.objects.filter(
            cohort__in=Cohort.objects.for_user(user).filter(course=course).values("pk")
        )
    )


def outcomes(enrolments) -> dict:
    """Enrolled, in progress, completed, dropped out, failed, and the completion rate.

    The completion rate is the share of completed among those whose enrolment has ended
    (completed, failed or dropped out); None while nobody has finished. One query.
    """
    figures = enrolments.aggregate(
        enrolled=Count("pk"),
        in_progress=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED)),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        dropped_out=Count("pk", filter=Q(status=EnrolmentStatus.DROPPED_OUT)),
        failed=Count("pk", filter=Q(status=EnrolmentStatus.FAILED)),
    )
    figures["completion_rate"] = completion_rate(figures)
    return figures


def completion_rate(counts) -> int | None:
    """The programme's one completion rate, from counts by status (`completed`,
    `dropped_out`, `failed`): the share completed of the enrolments that have ended, whole
    percent half up; None while none has. The course page, the cohort page and the course
    report all read it here."""
    finished = counts["completed"] + counts["dropped_out"] + counts["failed"]
    return whole_percent(counts["completed"], finished)


def at_risk(enrolments, minimum_held: int = 2):
    """Open enrolments whose attendance is below their course's bar after a few sessions:
    on the exact ratio (present × 100 < bar × held), as CompletionRule.attendance_met."""
    return (
        with_attendance(enrolments.filter(status=EnrolmentStatus.ENROLLED))
        .annotate(
            present_share=F("present") * 100,
            bar=F("cohort__course__min_attendance_percent") * F("held"),
        )
        .filter(held__gte=minimum_held, present_share__lt=F("bar"))
    )


def trainer_dashboard(user, today: date) -> dict:
    """A trainer's cohorts that have not ended, today's sessions, and who is at risk.

    Three queries, whatever the number of cohorts and learners.
    """
    cohorts = list(
        Cohort.objects.filter(trainer=user, end_date__gte=today)
        .select_related("course", "branch")
        .annotate(
            enrolled_count=Count(
                "enrolments",
                filter=Q(enrolments__status__in=SEAT_HOLDING),
                distinct=True,
            ),
            present_count=Count(
                "enrolments__attendances",
                filter=Q(enrolments__attendances__status=AttendanceStatus.PRESENT),
            ),
            marked_count=Count("enrolments__attendances"),
        )
        .order_by("start_date", "pk")
    )
    for cohort in cohorts:
        cohort.attendance_rate = whole_percent(cohort.present_count, cohort.marked_count)
    sessions = list(
        Session.objects.filter(cohort__trainer=user, date=today)
        .select_related("cohort__course", "cohort__branch")
        .order_by("cohort__course__title")
    )
    risky = list(
        at_risk(Enrolment.objects.filter(cohort__trainer=user, cohort__end_date__gte=today))
        .select_related("person", "cohort__course", "cohort__branch")
        .order_by("cohort__start_date", "person__full_name")[:50]
    )
    return {
        "title": _("My training"),
        "cohorts": cohorts,
        "sessions": sessions,
        "at_risk": risky,
        "to_grade": list(cohorts_to_grade(user, today)),
    }


def cohorts_to_grade(user, today: date):
    """The trainer's cohorts whose sessions are over (training.rules.sessions_over, in SQL)
    with learners whose outcome is not recorded yet: their grading page is due."""
    untaken = Session.objects.filter(cohort=OuterRef("pk"), recorded_at__isnull=True)
    return (
        Cohort.objects.filter(trainer=user)
        .alias(has_untaken=Exists(untaken))
        .filter(Q(end_date__lt=today) | Q(end_date=today, has_untaken=False))
        .annotate(
            open_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED))
        )
        .filter(open_count__gt=0)
        .select_related("course", "branch")
        .order_by("end_date", "pk")
    )
