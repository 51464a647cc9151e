"""Writes with rules for vocational training: enrol, take attendance, assess, certify."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Person
from training.choices import SEAT_HOLDING, AttendanceStatus, EnrolmentStatus, GradeDecision
from training.models import Attendance, Cohort, Enrolment, Qualification, Session
from training.rules import CompletionRule, grade_for, sessions_over
from training.selectors import session_counts

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
    *, enrolment: Enrolment, score: int, assessed_on: date, by, today: date | None = None
) -> Qualification | None:
    """Record the final assessment; the completion rule decides once the cohort's sessions
    are over (before that the score is kept and can still be corrected)."""
    today = today or timezone.localdate()
    enrolment = Enrolment.objects.select_for_update().select_related("cohort").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("The assessment of a finished enrolment cannot change."))
    if not enrolment.cohort.covers(assessed_on):
        raise ValidationError(
            {"assessed_on": _("The assessment date must fall within the cohort's dates.")}
        )
    if assessed_on > today:
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    enrolment.final_score = score
    enrolment.assessed_on = assessed_on
    enrolment.full_clean()
    enrolment.save()
    issued = cohort_evaluate(cohort=enrolment.cohort, by=by, on=today, only=[enrolment.pk])
    return issued[0] if issued else None


def _open_enrolments(cohort: Cohort, only=None):
    """The cohort's open enrolments with `present`: marks of present at sessions held."""
    enrolments = (
        cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .annotate(
            present=Count(
                "attendances",
                filter=Q(
                    attendances__status=AttendanceStatus.PRESENT,
                    attendances__session__recorded_at__isnull=False,
                ),
            )
        )
        .order_by("pk")
    )
    if only is not None:
        enrolments = enrolments.filter(pk__in=only)
    return list(enrolments)


@transaction.atomic
def cohort_evaluate(
    *, cohort: Cohort, by, on: date, only: list[int] | None = None
) -> list[Qualification]:
    """Apply the completion rule to the cohort's open enrolments once its sessions are over
    (training.rules.sessions_over, on the day `on`); issue the qualifications.

    Before that nothing is decided. The cohort's row is locked, as by the grading page and
    the early completion, so two of them cannot decide the same learner at once. A fixed
    number of queries, whatever the cohort's size.
    """
    cohort = Cohort.objects.select_for_update().select_related("course").get(pk=cohort.pk)
    counts = session_counts(cohort)
    if not sessions_over(end_date=cohort.end_date, remaining=counts["remaining"], today=on):
        return []
    rule = CompletionRule.for_course(cohort.course)
    decided = []
    for enrolment in _open_enrolments(cohort, only):
        outcome = rule.outcome(
            present=enrolment.present, held=counts["held"], over=True, score=enrolment.final_score
        )
        if outcome.status == EnrolmentStatus.ENROLLED:
            continue
        enrolment.status = outcome.status
        enrolment.status_reason = outcome.reason
        enrolment.ended_on = on
        decided.append(enrolment)
    _save_enrolments(decided, by=by)
    return _issue_qualifications(
        [e for e in decided if e.status == EnrolmentStatus.COMPLETED], cohort=cohort, by=by, on=on
    )


@dataclass(frozen=True)
class GradeRow:
    score: int | None
    decision: str  # a GradeDecision


@transaction.atomic
def cohort_grade(
    *,
    cohort: Cohort,
    rows: dict[int, GradeRow],
    assessed_on: date,
    by,
    today: date | None = None,
) -> list[Qualification]:
    """The whole cohort graded and completed at once, after its sessions are over.

    rows: open enrolment id -> its final score and the trainer's decision. "Completes" needs
    the course's rule met, "does not complete" needs it not met (the rule, not the form,
    decides who completes); "decide later" keeps the score and leaves the enrolment open.
    All or nothing: any row refused refuses the whole save, with each refusal keyed
    "score_<id>" or "decision_<id>" (the grading form's fields). Returns the qualifications
    issued. A fixed number of queries, whatever the cohort's size.
    """
    today = today or timezone.localdate()
    cohort = Cohort.objects.select_for_update().select_related("course").get(pk=cohort.pk)
    counts = session_counts(cohort)
    if not sessions_over(end_date=cohort.end_date, remaining=counts["remaining"], today=today):
        raise ValidationError(not_over_message(cohort))
    if not cohort.covers(assessed_on) or assessed_on > today:
        raise ValidationError(
            {
                "assessed_on": _(
                    "The assessment date must fall within the cohort's dates and not after today."
                )
            }
        )
    enrolments = {enrolment.pk: enrolment for enrolment in _open_enrolments(cohort)}
    if set(rows) - set(enrolments):
        raise ValidationError(_("Some learners are no longer open on this cohort's register."))
    rule = CompletionRule.for_course(cohort.course)
    errors: dict[str, list] = {}
    changed, decided = [], []
    for pk, row in rows.items():
        enrolment = enrolments[pk]
        if row.score is not None and not 0 <= row.score <= 100:
            errors[f"score_{pk}"] = [_("A score is out of 100.")]
            continue
        score = enrolment.final_score if row.score is None else row.score
        rescored = score != enrolment.final_score
        if rescored:
            enrolment.final_score, enrolment.assessed_on = score, assessed_on
        shortfalls = rule.shortfalls(present=enrolment.present, held=counts["held"], score=score)
        if row.decision == GradeDecision.COMPLETE:
            if shortfalls:
                errors[f"decision_{pk}"] = shortfalls
                continue
            enrolment.status, enrolment.status_reason = EnrolmentStatus.COMPLETED, ""
        elif row.decision == GradeDecision.NOT_COMPLETE:
            if not shortfalls:
                errors[f"decision_{pk}"] = [
                    _("Meets the course's rule: mark as completing, or decide later.")
                ]
                continue
            enrolment.status, enrolment.status_reason = EnrolmentStatus.FAILED, " ".join(shortfalls)
        elif row.decision != GradeDecision.LATER:
            errors[f"decision_{pk}"] = [_("Choose whether the learner completes.")]
            continue
        if enrolment.status != EnrolmentStatus.ENROLLED:
            enrolment.ended_on = today
            decided.append(enrolment)
        elif rescored:
            changed.append(enrolment)
    if errors:
        raise ValidationError(errors)
    _save_enrolments(changed + decided, by=by)
    return _issue_qualifications(
        [e for e in decided if e.status == EnrolmentStatus.COMPLETED],
        cohort=cohort,
        by=by,
        on=today,
    )


@transaction.atomic
def enrolment_complete_early(
    *, enrolment: Enrolment, reason: str, by, today: date | None = None
) -> Qualification:
    """A trainer completes one learner before the cohort's sessions are over, saying why.

    The course's rule must hold on what has been held so far (attendance and, where the
    course has one, a passing final assessment); who, when and why are kept on the
    enrolment and shown on the certificate's record and its public verification page.
    """
    today = today or timezone.localdate()
    cohort = Cohort.objects.select_for_update().select_related("course").get(pk=enrolment.cohort_id)
    found = _open_enrolments(cohort, only=[enrolment.pk])
    if not found:
        raise ValidationError(_("Only a learner still on the course can complete early."))
    enrolment = found[0]
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the learner completes before the cohort's sessions are over.")}
        )
    counts = session_counts(cohort)
    if sessions_over(end_date=cohort.end_date, remaining=counts["remaining"], today=today):
        raise ValidationError(
            _("The cohort's sessions are over: record the outcome on the cohort's grading page.")
        )
    shortfalls = CompletionRule.for_course(cohort.course).shortfalls(
        present=enrolment.present, held=counts["held"], score=enrolment.final_score
    )
    if shortfalls:
        raise ValidationError(shortfalls)
    enrolment.status, enrolment.status_reason, enrolment.ended_on = (
        EnrolmentStatus.COMPLETED,
        "",
        today,
    )
    enrolment.early_completion_reason = reason
    enrolment.early_completion_by = by
    enrolment.early_completion_at = timezone.now()
    _save_enrolments([enrolment], by=by)
    return _issue_qualifications([enrolment], cohort=cohort, by=by, on=today)[0]


def not_over_message(cohort: Cohort) -> str:
    return _(
        "The cohort's sessions are not over: its outcomes are recorded from its last day"
        " (%(end)s), once every session's register is taken."
    ) % {"end": date_format(cohort.end_date, "SHORT_DATE_FORMAT")}


ENROLMENT_DECISION_FIELDS = [
    "status", "status_reason", "ended_on", "final_score", "assessed_on",
    "early_completion_reason", "early_completion_by", "early_completion_at",
]  # fmt: skip


def _save_enrolments(enrolments: list[Enrolment], *, by) -> None:
    """One UPDATE and one history INSERT for all of them. Field checks run here; the
    constraints (an ended enrolment has its date, an early one its reason) are the
    database's, which refuses the whole write."""
    if not enrolments:
        return
    for enrolment in enrolments:
        enrolment.full_clean(
            exclude=["person", "cohort", "enrolled_by", "early_completion_by"],
            validate_constraints=False,
        )
    bulk_update_with_history(enrolments, Enrolment, ENROLMENT_DECISION_FIELDS, default_user=by)


def _issue_qualifications(
    enrolments: list[Enrolment], *, cohort: Cohort, by, on: date
) -> list[Qualification]:
    """The certificates of completed enrolments, with random numbers and verification codes,
    written in one INSERT (drawn again in the unlikely case a code collides)."""
    if not enrolments:
        return []
    for _attempt in range(5):
        qualifications = [
            Qualification(
                enrolment=enrolment,
                number=Qualification.new_number(on.year),
                verification_code=Qualification.new_verification_code(),
                issued_on=on,
                level=cohort.course.level,
                grade=grade_for(enrolment.final_score),
                issued_by=by,
            )
            for enrolment in enrolments
        ]
        for qualification in qualifications:
            qualification.full_clean(exclude=["enrolment", "issued_by"], validate_unique=False)
        try:
            with transaction.atomic():
                return bulk_create_with_history(qualifications, Qualification, default_user=by)
        except IntegrityError:
            continue  # a random code collided: draw again
    raise RuntimeError("Could not draw unique certificate numbers.")


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
