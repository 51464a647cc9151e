from django.db import models
from django.utils.translation import gettext_lazy as _


class Trade(models.TextChoices):
    SEWING = "sewing", _("Sewing and tailoring")
    CONFECTIONERY = "confectionery", _("Confectionery and cooking")
    HAIRDRESSING = "hairdressing", _("Hairdressing and beauty")
    COMPUTER = "computer", _("Computer literacy")
    CARPET_WEAVING = "carpet_weaving", _("Carpet weaving")
    BOOKKEEPING = "bookkeeping", _("Bookkeeping basics")
    OTHER = "other", _("Other trade")


class Provider(models.TextChoices):
    PROGRAMME = "programme", _("The programme")
    PARTNER_COLLEGE = "partner_college", _("Partner college")


class Level(models.TextChoices):
    BASIC = "basic", _("Basic")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    FAILED = "failed", _("Failed")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    SATISFACTORY = "satisfactory", _("Satisfactory")


class GradeDecision(models.TextChoices):
    """The trainer's choice for each learner on the cohort's grading page."""

    COMPLETE = "complete", _("Completes")
    NOT_COMPLETE = "not_complete", _("Does not complete")
    LATER = "later", _("Decide later")


# Statuses that hold a seat in a cohort (capacity) and appear on its attendance register.
SEAT_HOLDING = [EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED]
