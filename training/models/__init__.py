from training.models.courses import Cohort, Course, Session
from training.models.enrolments import Attendance, Enrolment, Qualification

__all__ = ["Attendance", "Cohort", "Course", "Enrolment", "Qualification", "Session"]
