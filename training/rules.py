"""The completion rule: when a learner has completed a course, failed it, or is still on it.

Each course carries its own figures (minimum attendance, whether a final assessment is
needed, the pass mark); the programme's defaults are 80% of the sessions held and a
passing final assessment. The rule is pure: it reads counts, never the database.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

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
        if held == 0:
            return False
        return present * 100 >= self.min_attendance_percent * held

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
                _("Attended %(present)s of %(held)s sessions, below %(bar)s%%.")
                % {"present": present, "held": held, "bar": self.min_attendance_percent},
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


def attendance_rate(present: int, held: int) -> int | None:
    """Whole percent, or None before any session is held."""
    if not held:
        return None
    return round(present * 100 / held)
