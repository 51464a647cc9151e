"""What training adds to a family's timeline: enrolments, completions, certificates."""

from django.utils.translation import gettext as _

from beneficiaries.timeline import TimelineEntry
from training.choices import EnrolmentStatus
from training.models import Enrolment


def training_timeline(family, user):
    """One query: the family's enrolments the user may see, with course and certificate."""
    enrolments = (
        Enrolment.objects.for_user(user)
        .filter(person__family=family)
        .select_related("person", "cohort__course", "cohort__branch", "qualification")
    )
    kind = _("Training")
    for enrolment in enrolments:
        course = enrolment.cohort.course
        url = enrolment.get_absolute_url()
        yield TimelineEntry(
            day=enrolment.enrolled_on,
            kind=kind,
            title=_("%(person)s enrolled in %(course)s")
            % {"person": enrolment.person, "course": course},
            url=url,
            detail=str(enrolment.cohort.branch),
        )
        if enrolment.status == EnrolmentStatus.COMPLETED:
            yield TimelineEntry(
                day=enrolment.ended_on,
                kind=kind,
                title=_("%(person)s completed %(course)s")
                % {"person": enrolment.person, "course": course},
                url=url,
            )
        elif enrolment.status in (EnrolmentStatus.DROPPED_OUT, EnrolmentStatus.FAILED):
            yield TimelineEntry(
                day=enrolment.ended_on,
                kind=kind,
                title=_("%(person)s did not complete %(course)s")
                % {"person": enrolment.person, "course": course},
                url=url,
                detail=enrolment.status_reason,
            )
        qualification = getattr(enrolment, "qualification", None)
        if qualification is not None:
            yield TimelineEntry(
                day=qualification.issued_on,
                kind=kind,
                title=_("Certificate %(number)s issued to %(person)s")
                % {"number": qualification.number, "person": enrolment.person},
                url=url,
                detail=qualification.get_grade_display(),
            )
