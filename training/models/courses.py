from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import sees_whole_programme
from beneficiaries.models import Branch
from training.access import cohort_condition
from training.choices import Level, Provider, Trade


class CourseQuerySet(models.QuerySet):
    def for_user(self, user):
        """The course catalogue holds no personal data: every training role reads all of it."""
        return self


class Course(models.Model):
    """A course that gives a trade, run by the programme or a partner college.

    The completion rule lives here so each course can set its own bar; the defaults are the
    programme's: attendance of at least 80% of the sessions held and a passing final
    assessment.
    """

    trade = models.CharField(_("trade"), max_length=20, choices=Trade.choices)
    title = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_uz = models.CharField(_("title (Uzbek)"), max_length=200)
    level = models.CharField(_("level"), max_length=15, choices=Level.choices, default=Level.BASIC)
    hours = models.PositiveSmallIntegerField(
        _("hours"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    description = models.TextField(_("description"), blank=True)
    provider = models.CharField(
        _("provider"), max_length=20, choices=Provider.choices, default=Provider.PROGRAMME
    )
    provider_name = models.CharField(
        _("partner college"),
        max_length=200,
        blank=True,
        help_text=_("Name of the college when a partner college teaches the course."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of the sessions held that a learner must attend to complete."),
    )
    final_assessment_required = models.BooleanField(
        _("final assessment required"),
        default=True,
        help_text=_("Completion also needs a passing final assessment."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Lowest passing score of the final assessment, out of 100."),
    )
    is_active = models.BooleanField(_("offered"), default=True)

    objects = CourseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=~Q(provider=Provider.PARTNER_COLLEGE) | ~Q(provider_name=""),
                name="course_partner_college_named",
                violation_error_message=_("Name the partner college that teaches the course."),
            ),
        ]

    def __str__(self):
        return self.title_in(get_language())

    def get_absolute_url(self):
        return reverse("training:course_detail", args=[self.pk])

    def title_in(self, language: str | None) -> str:
        """The course's title in uz, ru or en (English when the language has none)."""
        code = (language or "en").split("-")[0]
        return {"ru": self.title_ru, "uz": self.title_uz}.get(code) or self.title


class CohortQuerySet(models.QuerySet):
    def for_user(self, user):
        if sees_whole_programme(user):
            return self
        return self.filter(cohort_condition(user))

    def running_on(self, day):
        return self.filter(start_date__lte=day, end_date__gte=day)


class Cohort(models.Model):
    """One run of a course: a group of learners with a trainer, a place and dates."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("course")
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("trainer"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("branch")
    )
    location = models.CharField(_("location"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    schedule = models.CharField(
        _("schedule"),
        max_length=200,
        blank=True,
        help_text=_("When the group meets, e.g. Mon, Wed, Fri 10:00–13:00."),
    )
    session_hours = models.DecimalField(
        _("hours per session"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(3),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(12))],
        help_text=_(
            "How long one session lasts (10:00–13:00 is 3). A certificate states the hours"
            " attended: the sessions attended times this."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CohortQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        indexes = [models.Index(fields=["trainer", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="cohort_ends_after_it_starts",
                violation_error_message=_("A cohort cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return (
            f"{self.course} · {self.branch} · {date_format(self.start_date, 'SHORT_DATE_FORMAT')}"
        )

    def get_absolute_url(self):
        return reverse("training:cohort_detail", args=[self.pk])

    def covers(self, day) -> bool:
        return self.start_date <= day <= self.end_date

    @property
    def is_running(self) -> bool:
        return self.covers(timezone.localdate())


class SessionQuerySet(models.QuerySet):
    def for_user(self, user):
        if sees_whole_programme(user):
            return self
        return self.filter(cohort__in=Cohort.objects.for_user(user).values("pk"))

    def held(self):
        """Sessions whose attendance has been taken: the base of the attendance rule."""
        return self.filter(recorded_at__isnull=False)


class Session(models.Model):
    """One meeting of a cohort on one day; its attendance register is taken once."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("attendance taken"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance taken by"),
    )

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "date"],
                name="one_session_per_cohort_per_day",
                violation_error_message=_("This cohort already has a session on that day."),
            ),
        ]

    def __str__(self):
        return date_format(self.date, "SHORT_DATE_FORMAT")

    def get_absolute_url(self):
        return reverse("training:session_register", args=[self.pk])

    def clean(self):
        if self.date and self.cohort_id and not self.cohort.covers(self.date):
            raise ValidationError(
                {
                    "date": _(
                        "The date must fall between the cohort's start %(start)s and end %(end)s."
                    )
                    % {
                        "start": date_format(self.cohort.start_date, "SHORT_DATE_FORMAT"),
                        "end": date_format(self.cohort.end_date, "SHORT_DATE_FORMAT"),
                    }
                }
            )

    @property
    def is_held(self) -> bool:
        return self.recorded_at is not None
