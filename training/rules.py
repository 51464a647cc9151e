"""The completion rule: when a learner has completed a course, failed it, or is still on it.

Each course carries its own figures (minimum attendance, whether a final assessment is
needed, the pass mark); the programme's defaults are 80% of the sessions held and a
passing final assessment. Nothing is decided before the cohort's sessions are over
(`sessions_over`); a trainer may complete one learner earlier only by the explicit early
completion, with a reason (`training.services.enrolment_complete_early`). The rule is pure:
it reads counts and dates, never the database.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.percent import at_least, percent, whole_percent
from training.choices import EnrolmentStatus, Grade


@dataclass(frozen=True)
class Outcome:
    status: str  # an EnrolmentStatus, ENROLLED while undecided
    reason: str = ""


@dataclass(frozen=True)
class CompletionRule:
    min_attendance_percent: int = 80
    final_assessment_required: bool = True
    pass_mark: int = 60

    @classmethod
    def for_course(cls, course) -> "CompletionRule":
        return cls(
            min_attendance_percent=course.min_attendance_percent,
            final_assessment_required=course.final_assessment_required,
            pass_mark=course.pass_mark,
        )

    def attendance_met(self, *, present: int, held: int) -> bool:
        """On the exact ratio, never on the shown (rounded) rate: 35 of 44 is 79.5%, shown
        as 80% and still below an 80% bar."""
        return at_least(present, held, self.min_attendance_percent)

    def at_risk(self, *, present: int, held: int, minimum_held: int = 2) -> bool:
        """Below the attendance bar once a few sessions have been held."""
        return held >= minimum_held and not self.attendance_met(present=present, held=held)

    def shortfalls(self, *, present: int, held: int, score: int | None) -> list[str]:
        """What keeps a learner from completing on what has been held so far: an empty list
        when the course's rule is met (the sessions' end aside)."""
        reasons = []
        if self.final_assessment_required:
            if score is None:
                reasons.append(_("No final assessment score yet."))
            elif score < self.pass_mark:
                reasons.append(
                    _("Final assessment %(score)s below the pass mark %(mark)s.")
                    % {"score": score, "mark": self.pass_mark}
                )
        if held == 0:
            reasons.append(_("No session has been held yet."))
        elif not self.attendance_met(present=present, held=held):
            reasons.append(
                _("Attended %(present)s of %(held)s sessions (%(rate)s%%), below %(bar)s%%.")
                % {
                    "present": present,
                    "held": held,
                    "rate": number_format(
                        attendance_rate(present, held, self.min_attendance_percent)
                    ),
                    "bar": self.min_attendance_percent,
                }
            )
        return reasons

    def outcome(self, *, present: int, held: int, over: bool, score: int | None) -> Outcome:
        """over: the cohort's sessions are over (`sessions_over`). Before that nothing is
        decided; after it, a learner completes when the rule is met and fails when it is not,
        except while a required final assessment is still to be recorded."""
        if not over:
            return Outcome(EnrolmentStatus.ENROLLED)
        if self.final_assessment_required and score is None:
            return Outcome(EnrolmentStatus.ENROLLED)
        if held == 0:
            return Outcome(EnrolmentStatus.ENROLLED)
        reasons = self.shortfalls(present=present, held=held, score=score)
        if reasons:
            return Outcome(EnrolmentStatus.FAILED, " ".join(reasons))
        return Outcome(EnrolmentStatus.COMPLETED)


def sessions_over(*, end_date: date, remaining: int, today: date) -> bool:
    """Whether a cohort's sessions are over: its last day has come and no planned session is
    still without its register, or its last day has passed (a session never taken by then
    was not held).

    The end date, not "every planned session held", is what counts: sessions are planned one
    at a time from the cohort's page, so "all planned ones held" is true after every register.
    A group that finishes before its end date is completed early, with a reason, or the
    programme manager moves the cohort's end date.
    """
    return today > end_date or (today == end_date and remaining == 0)


def attended_hours(present: int, session_hours) -> Decimal:
    """The hours a learner attended: the sessions attended times the cohort's session length,
    to the half hour (half up). The enrolment page, the certificate, the verification page
    and the enrolment export all read it here; never the course's total hours."""
    exact = Decimal(present) * Decimal(session_hours)
    hours = (exact * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2
    return hours.quantize(Decimal("0.1") if hours % 1 else Decimal(1))


def grade_for(score: int | None) -> str:
    if score is None:
        return Grade.SATISFACTORY
    if score >= 90:
        return Grade.EXCELLENT
    if score >= 75:
        return Grade.GOOD
    return Grade.SATISFACTORY


def attendance_rate(present: int, held: int, bar: int | None = None):
    """The share of the held sessions attended, as shown: whole percent, half up; None
    before any session is held. Whether it meets a bar is decided on the exact ratio
    (`CompletionRule.attendance_met`); when the whole percent would reach `bar` while the
    exact ratio is below it (35 of 44 is 79.55%, "80%"), it is shown with as many decimals
    as it takes to read below the bar (79.5%), so "80%" never stands beside "below 80%"."""
    rate = whole_percent(present, held)
    if rate is None or bar is None or rate < bar or at_least(present, held, bar):
        return rate
    for places in range(1, 6):
        shown = percent(present, held, places=places)
        if shown < bar:
            return shown
    return shown
