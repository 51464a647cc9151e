from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import sees_whole_programme
from beneficiaries.models import Person
from common.codes import new_verification_code, random_code
from training.access import enrolment_condition
from training.choices import AttendanceStatus, EnrolmentStatus, Grade, Level
from training.models.courses import Cohort, Session
from training.rules import attendance_rate, attended_hours


class EnrolmentQuerySet(models.QuerySet):
    def for_user(self, user):
        if sees_whole_programme(user):
            return self
        return self.filter(enrolment_condition(user))


class Enrolment(models.Model):
    """A family member's place in a cohort, and how it ended."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("learner")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("cohort")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    status_reason = models.CharField(
        _("reason"),
        max_length=255,
        blank=True,
        help_text=_("Why the learner dropped out or did not pass."),
    )
    enrolled_on = models.DateField(_("enrolled on"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    final_score = models.PositiveSmallIntegerField(
        _("final assessment score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Out of 100."),
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("When the learner completed, failed or left."),
    )
    early_completion_reason = models.CharField(
        _("reason for completing early"),
        max_length=255,
        blank=True,
        help_text=_("Why the learner completed before the cohort's sessions were over."),
    )
    early_completion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed early by"),
    )
    early_completion_at = models.DateTimeField(_("completed early at"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-enrolled_on", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [models.Index(fields=["cohort", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cohort"],
                name="one_enrolment_per_person_per_cohort",
                violation_error_message=_("This person is already enrolled in this cohort."),
            ),
            models.CheckConstraint(
                condition=Q(status=EnrolmentStatus.ENROLLED) | Q(ended_on__isnull=False),
                name="enrolment_ended_has_date",
                violation_error_message=_("A finished enrolment needs the date it ended."),
            ),
            models.CheckConstraint(
                condition=Q(early_completion_at__isnull=True)
                | (Q(status=EnrolmentStatus.COMPLETED) & ~Q(early_completion_reason="")),
                name="enrolment_early_completion_has_reason",
                violation_error_message=_("An early completion needs its reason."),
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.cohort.course}"

    def get_absolute_url(self):
        return reverse("training:enrolment_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == EnrolmentStatus.ENROLLED

    @property
    def attendance_rate(self):
        """The share of held sessions attended as shown (training.rules.attendance_rate),
        read against the course's bar; needs selectors.with_attendance."""
        if not hasattr(self, "present"):
            return None
        return attendance_rate(self.present, self.held, getattr(self, "bar_percent", None))

    @property
    def hours_attended(self):
        """The hours attended (training.rules.attended_hours); needs selectors.with_attendance
        and the cohort."""
        if not hasattr(self, "present"):
            return None
        return attended_hours(self.present, self.cohort.session_hours)

    @property
    def completed_early(self) -> bool:
        return self.early_completion_at is not None


class AttendanceQuerySet(models.QuerySet):
    def for_user(self, user):
        if sees_whole_programme(user):
            return self
        return self.filter(enrolment_condition(user, prefix="enrolment__"))


class Attendance(models.Model):
    """Whether one learner came to one session."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("enrolment")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)

    objects = AttendanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["session_id", "enrolment_id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"],
                name="one_attendance_per_learner_per_session",
                violation_error_message=_(
                    "Attendance for this learner and session is already recorded."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.session} · {self.get_status_display()}"


class QualificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if sees_whole_programme(user):
            return self
        return self.filter(enrolment_condition(user, prefix="enrolment__"))


class Qualification(models.Model):
    """The qualification a learner earned by completing a course; its certificate proves it.

    The number is printed; the verification code (in the QR code) opens the public page
    that confirms the certificate. Both are random, so neither can be guessed.
    """

    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="qualification",
        verbose_name=_("enrolment"),
    )
    number = models.CharField(_("certificate number"), max_length=20, unique=True, editable=False)
    verification_code = models.CharField(
        _("verification code"), max_length=24, unique=True, editable=False
    )
    issued_on = models.DateField(_("issued on"))
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    grade = models.CharField(_("grade"), max_length=15, choices=Grade.choices)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)

    objects = QualificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("training:enrolment_detail", args=[self.enrolment_id])

    @property
    def is_valid(self) -> bool:
        return self.revoked_on is None

    @staticmethod
    def new_number(year: int) -> str:
        return f"MQ-{year}-{random_code(4)}-{random_code(4)}"

    @staticmethod
    def new_verification_code() -> str:
        return new_verification_code()
