"""Outcomes of one enterprise and of one course: what became of the people they reached."""

from datetime import timedelta

from django.db.models import Count, DateField, Exists, ExpressionWrapper, OuterRef, Q

from beneficiaries.choices import ExitReason, FamilyStatus
from beneficiaries.models import Family
from common.percent import whole_percent
from enterprises.choices import EmploymentStatus
from enterprises.models import Business, Employment, Position
from training.choices import EnrolmentStatus
from training.models import Enrolment
from training.selectors import completion_rate

OUTCOME_DAYS = 183  # "within six months" of completing a course


def enterprise_report(enterprise) -> dict:
    """An enterprise's outcomes: jobs, the people who held them, their families (3 queries)."""
    positions = Position.objects.filter(enterprise=enterprise)
    jobs = positions.aggregate(
        positions=Count("pk"),
        created=Count("pk", filter=Q(created_by_programme=True)),
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        filled=Count(
            "pk",
            filter=Q(
                Exists(
                    Employment.objects.filter(
                        position=OuterRef("pk"), status=EmploymentStatus.ACTIVE
                    )
                )
            ),
        ),
    )
    contracts = Employment.objects.filter(position__enterprise=enterprise)
    people = contracts.aggregate(
        contracts=Count("pk"),
        people=Count("person", distinct=True),
        employed_now=Count("person", filter=Q(status=EmploymentStatus.ACTIVE), distinct=True),
        families=Count("person__family", distinct=True),
    )
    families = Family.objects.filter(pk__in=contracts.values("person__family_id")).aggregate(
        restored=Count(
            "pk",
            filter=Q(status=FamilyStatus.EXITED, exit_reason=ExitReason.WELL_BEING_RESTORED),
        ),
        in_service=Count("pk", filter=Q(status=FamilyStatus.ACTIVE)),
    )
    return {"jobs": jobs, "people": people, "families": families}


def _window_end():
    return ExpressionWrapper(
        OuterRef("ended_on") + timedelta(days=OUTCOME_DAYS), output_field=DateField()
    )


def _employed_within():
    return Exists(
        Employment.objects.filter(person=OuterRef("person"), start_date__lte=_window_end()).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("ended_on"))
        )
    )


def _running_within():
    return Exists(
        Business.objects.filter(
            owner=OuterRef("person"), started_on__isnull=False, started_on__lte=_window_end()
        ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=OuterRef("ended_on")))
    )


def course_report(course) -> dict:
    """A course's outcomes (2 queries): enrolments by status, certificates, and completers
    employed or running a business within six months of completing."""
    enrolments = Enrolment.objects.filter(cohort__course=course).aggregate(
        cohorts=Count("cohort", distinct=True),
        enrolled=Count("pk"),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        dropped_out=Count("pk", filter=Q(status=EnrolmentStatus.DROPPED_OUT)),
        failed=Count("pk", filter=Q(status=EnrolmentStatus.FAILED)),
        certified=Count(
            "qualification", filter=Q(qualification__revoked_on__isnull=True), distinct=True
        ),
    )
    outcomes = Enrolment.objects.filter(
        cohort__course=course, status=EnrolmentStatus.COMPLETED
    ).aggregate(
        completers=Count("pk"),
        employed=Count("pk", filter=Q(_employed_within())),
        running_business=Count("pk", filter=Q(_running_within())),
        working=Count("pk", filter=Q(_employed_within()) | Q(_running_within())),
    )
    outcomes["working_share"] = whole_percent(outcomes["working"], outcomes["completers"])
    outcomes["completion_share"] = completion_rate(enrolments)
    return {"enrolments": enrolments, "outcomes": outcomes}
