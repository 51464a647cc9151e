"""The completion rule: when a learner has completed a course, failed it, or is still on it.

Each course carries its own figures (minimum attendance, whether a final assessment is
needed, the pass mark); the programme's defaults are 80% of the sessions held and a
passing final assessment. The rule is pure: it reads counts, never the database.
"""

from dataclasses import dataclass

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

    def outcome(self, *, present: int, held: int, remaining: int, score: int | None) -> Outcome:
        """remaining: the cohort's sessions not yet held."""
        if self.final_assessment_required:
            if score is None:
                return Outcome(EnrolmentStatus.ENROLLED)
            if score < self.pass_mark:
                return Outcome(
                    EnrolmentStatus.FAILED,
                    _("Final assessment %(score)s below the pass mark %(mark)s.")
                    % {"score": score, "mark": self.pass_mark},
                )
        elif remaining > 0:
            # Without a final assessment the course ends with its last session.
            return Outcome(EnrolmentStatus.ENROLLED)
        if self.attendance_met(present=present, held=held):
            return Outcome(EnrolmentStatus.COMPLETED)
        if remaining == 0 and held > 0:
            return Outcome(
                EnrolmentStatus.FAILED,
                _("Attended %(present)s of %(held)s sessions (%(rate)s%%), below %(bar)s%%.")
                % {
                    "present": present,
                    "held": held,
                    "rate": number_format(
                        attendance_rate(present, held, self.min_attendance_percent)
                    ),
                    "bar": self.min_attendance_percent,
                },
            )
        return Outcome(EnrolmentStatus.ENROLLED)


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
