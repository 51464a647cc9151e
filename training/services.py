"""Writes with rules for vocational training: enrol, take attendance, assess, certify."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Person
from training.choices import SEAT_HOLDING, AttendanceStatus, EnrolmentStatus
from training.models import Attendance, Cohort, Enrolment, Qualification, Session
from training.rules import CompletionRule, grade_for

ADULT_AGE = 18
ON_THE_PROGRAMME = [FamilyStatus.REFERRED, FamilyStatus.ACTIVE]


@transaction.atomic
def enrolment_create(
    *, person: Person, cohort: Cohort, enrolled_by=None, on: date | None = None
) -> Enrolment:
    """Give a family member a place in a cohort.

    Only adults of families on the programme (referred or active), never twice in one cohort,
    never beyond the cohort's capacity, never into a cohort that has ended.
    """
    on = on or timezone.localdate()
    # Lock the cohort so two caseworkers cannot fill its last seat at the same moment.
    cohort = Cohort.objects.select_for_update().select_related("course").get(pk=cohort.pk)
    person = Person.objects.select_related("family").get(pk=person.pk)
    errors = []
    if person.age_on(on) < ADULT_AGE:
        errors.append(_("Only adults can be enrolled; %(name)s is under 18.") % {"name": person})
    if person.family.status not in ON_THE_PROGRAMME:
        errors.append(
            _("Only members of families on the programme (referred or active) can be enrolled.")
        )
    if cohort.end_date < on:
        errors.append(_("This cohort has already ended."))
    if Enrolment.objects.filter(person=person, cohort=cohort).exists():
        errors.append(_("This person is already enrolled in this cohort."))
    taken = cohort.enrolments.filter(status__in=SEAT_HOLDING).count()
    if taken >= cohort.capacity:
        errors.append(
            _("The cohort is full: all %(capacity)s places are taken.")
            % {"capacity": cohort.capacity}
        )
    if errors:
        raise ValidationError(errors)
    enrolment = Enrolment(person=person, cohort=cohort, enrolled_on=on, enrolled_by=enrolled_by)
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, reason: str, on: date | None = None) -> Enrolment:
    """The learner left the course; the place is free again."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("Only a learner still on the course can drop out."))
    if not reason.strip():
        raise ValidationError({"status_reason": _("Say why the learner dropped out.")})
    enrolment.status = EnrolmentStatus.DROPPED_OUT
    enrolment.status_reason = reason.strip()
    enrolment.ended_on = on or timezone.localdate()
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def session_create(*, cohort: Cohort, day: date, topic: str = "") -> Session:
    """Plan a session; its date must fall within the cohort's dates."""
    session = Session(cohort=cohort, date=day, topic=topic)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def attendance_record(
    *, session: Session, marks: dict[int, str], recorded_by, today: date | None = None
) -> list[Qualification]:
    """Save a session's whole register at once and apply the completion rule to its cohort.

    marks: enrolment id -> AttendanceStatus. Returns the qualifications this issued.
    """
    today = today or timezone.localdate()
    session = Session.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    cohort = session.cohort
    if not cohort.covers(session.date):
        raise ValidationError(
            _("Attendance cannot be recorded for a date outside the cohort's dates.")
        )
    if session.date > today:
        raise ValidationError(_("Attendance cannot be recorded for a session still to come."))
    on_register = set(
        cohort.enrolments.filter(status__in=SEAT_HOLDING).values_list("pk", flat=True)
    )
    unknown = set(marks) - on_register
    if unknown:
        raise ValidationError(_("Some learners are not on this cohort's register."))
    if set(marks.values()) - set(AttendanceStatus.values):
        raise ValidationError(_("Mark each learner present, absent or excused."))

    existing = {row.enrolment_id: row for row in session.attendances.all()}
    to_create, to_update = [], []
    for enrolment_id, status in marks.items():
        row = existing.get(enrolment_id)
        if row is None:
            to_create.append(Attendance(enrolment_id=enrolment_id, session=session, status=status))
        elif row.status != status:
            row.status = status
            to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, Attendance, default_user=recorded_by)
    if to_update:
        bulk_update_with_history(to_update, Attendance, ["status"], default_user=recorded_by)
    session.recorded_at = timezone.now()
    session.recorded_by = recorded_by
    session.save(update_fields=["recorded_at", "recorded_by"])
    return cohort_evaluate(cohort=cohort, by=recorded_by, on=today)


@transaction.atomic
def final_assessment_record(
    *, enrolment: Enrolment, score: int, assessed_on: date, by
) -> Qualification | None:
    """Record the final assessment and apply the completion rule to this learner."""
    enrolment = Enrolment.objects.select_for_update().select_related("cohort").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("The assessment of a finished enrolment cannot change."))
    if not enrolment.cohort.covers(assessed_on):
        raise ValidationError(
            {"assessed_on": _("The assessment date must fall within the cohort's dates.")}
        )
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    enrolment.final_score = score
    enrolment.assessed_on = assessed_on
    enrolment.full_clean()
    enrolment.save()
    issued = cohort_evaluate(cohort=enrolment.cohort, by=by, on=assessed_on, only=[enrolment.pk])
    return issued[0] if issued else None


def cohort_evaluate(
    *, cohort: Cohort, by, on: date, only: list[int] | None = None
) -> list[Qualification]:
    """Apply the completion rule to the cohort's open enrolments; issue qualifications.

    A fixed number of queries for the counts, whatever the size of the cohort.
    """
    rule = CompletionRule.for_course(cohort.course)
    counts = cohort.sessions.aggregate(
        held=Count("pk", filter=Q(recorded_at__isnull=False)),
        remaining=Count("pk", filter=Q(recorded_at__isnull=True)),
    )
    enrolments = cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED).annotate(
        present=Count(
            "attendances",
            filter=Q(
                attendances__status=AttendanceStatus.PRESENT,
                attendances__session__recorded_at__isnull=False,
            ),
        )
    )
    if only is not None:
        enrolments = enrolments.filter(pk__in=only)
    issued = []
    for enrolment in enrolments:
        outcome = rule.outcome(
            present=enrolment.present,
            held=counts["held"],
            remaining=counts["remaining"],
            score=enrolment.final_score,
        )
        if outcome.status == EnrolmentStatus.ENROLLED:
            continue
        enrolment.status = outcome.status
        enrolment.status_reason = outcome.reason
        enrolment.ended_on = on
        enrolment.full_clean(exclude=["person", "cohort"])
        enrolment.save()
        if outcome.status == EnrolmentStatus.COMPLETED:
            issued.append(qualification_issue(enrolment=enrolment, cohort=cohort, by=by, on=on))
    return issued


def qualification_issue(*, enrolment: Enrolment, cohort: Cohort, by, on: date) -> Qualification:
    """The certificate of a completed enrolment, with random number and verification code."""
    for _attempt in range(5):
        qualification = Qualification(
            enrolment=enrolment,
            number=Qualification.new_number(on.year),
            verification_code=Qualification.new_verification_code(),
            issued_on=on,
            level=cohort.course.level,
            grade=grade_for(enrolment.final_score),
            issued_by=by,
        )
        try:
            qualification.full_clean()
            with transaction.atomic():
                qualification.save()
        except (IntegrityError, ValidationError):
            continue  # a random code collided: draw again
        return qualification
    raise RuntimeError("Could not draw a unique certificate number.")


@transaction.atomic
def qualification_revoke(
    *, qualification: Qualification, reason: str, on: date | None = None
) -> Qualification:
    """Withdraw a certificate issued in error; the public page then says it is not valid."""
    if not reason.strip():
        raise ValidationError({"revoked_reason": _("Say why the certificate is revoked.")})
    qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    qualification.revoked_on = on or timezone.localdate()
    qualification.revoked_reason = reason.strip()
    qualification.full_clean()
    qualification.save()
    return qualification
