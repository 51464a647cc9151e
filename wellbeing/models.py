"""The poverty line, the well-being instrument, assessments and the derived family score."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import sees_whole_programme
from beneficiaries.access import NOTHING, caseworker_branch_ids
from beneficiaries.models.families import Family, Person
from wellbeing.choices import AssessmentKind, TrafficLight, Trend

LEVELS = [MinValueValidator(1), MaxValueValidator(5)]


def _translated(obj, stem: str) -> str:
    """The field `<stem>_<language>` for the active language, English when that is empty."""
    language = (get_language() or "en")[:2]
    return getattr(obj, f"{stem}_{language}", "") or getattr(obj, f"{stem}_en")


class SensitiveFamilyQuerySet(models.QuerySet):
    """Well-being facts are sensitive: caseworkers of the family's branch and programme-wide
    roles see them; trainers and enterprise managers never do."""

    family_field = "family"

    def for_user(self, user):
        if sees_whole_programme(user):
            return self
        branch_ids = caseworker_branch_ids(user)
        if not branch_ids:
            return self.filter(NOTHING)
        return self.filter(**{f"{self.family_field}__branch_id__in": branch_ids})


class PovertyLine(models.Model):
    """Uzbekistan's minimum consumption expenditure per person per month, from a date on.

    The figure in force for a month is the latest one announced on or before the month's
    last day (see docs/poverty-line.md).
    """

    valid_from = models.DateField(_("in force from"), unique=True)
    amount = models.DecimalField(
        _("amount per person per month (UZS)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"))],
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("The announcement this figure comes from."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("poverty line")
        verbose_name_plural = _("poverty lines")

    def __str__(self):
        return f"{date_format(self.valid_from, 'SHORT_DATE_FORMAT')}: {self.amount}"


class Domain(models.Model):
    """One area of a family's life the well-being instrument rates from 1 (crisis) to 5."""

    class Proposal(models.TextChoices):
        NONE = "", _("None: the caseworker rates it")
        INCOME = "income", _("From per-capita income against the poverty line")
        EMPLOYMENT = "employment", _("From stable work or an operating business")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Share of this domain in the well-being score, relative to the others."),
    )
    proposal = models.CharField(
        _("level proposed from data"),
        max_length=20,
        choices=Proposal.choices,
        blank=True,
        default=Proposal.NONE,
    )
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("well-being domain")
        verbose_name_plural = _("well-being domains")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _translated(self, "name")


class DomainLevel(models.Model):
    """What level 1..5 of a domain means, in the three languages of the programme."""

    domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="levels", verbose_name=_("domain")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVELS)
    description_en = models.CharField(_("description (English)"), max_length=255)
    description_ru = models.CharField(_("description (Russian)"), max_length=255)
    description_uz = models.CharField(_("description (Uzbek)"), max_length=255)

    history = HistoricalRecords()

    class Meta:
        ordering = ["domain__position", "level"]
        verbose_name = _("domain level")
        verbose_name_plural = _("domain levels")
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "level"],
                name="unique_level_per_domain",
                violation_error_message=_("This domain already describes that level."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5),
                name="domain_level_1_to_5",
                violation_error_message=_("Levels run from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.domain} {self.level}: {self.description}"

    @property
    def description(self) -> str:
        return _translated(self, "description")


class WellbeingRule(models.Model):
    """The programme's thresholds for the score's traffic light, exit and follow-up.

    One row (pk 1) ships by migration; a programme manager may change it in the admin.
    """

    green_from = models.PositiveSmallIntegerField(
        _("green from score"), default=70, validators=[MaxValueValidator(100)]
    )
    amber_from = models.PositiveSmallIntegerField(
        _("amber from score"), default=50, validators=[MaxValueValidator(100)]
    )
    income_months = models.PositiveSmallIntegerField(
        _("months of income at or above the poverty line"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Consecutive full months, up to the last one, needed to leave the service."),
    )
    min_domain_level = models.PositiveSmallIntegerField(
        _("lowest level allowed in any domain"), default=3, validators=LEVELS
    )
    require_school = models.BooleanField(_("every school-age child in school"), default=True)
    school_age_from = models.PositiveSmallIntegerField(_("school age from (years)"), default=7)
    school_age_to = models.PositiveSmallIntegerField(_("school age to (years)"), default=17)
    assessment_interval_months = models.PositiveSmallIntegerField(
        _("months between assessments"), default=6, validators=[MinValueValidator(1)]
    )
    follow_up_months = models.CharField(
        _("follow-ups after exit (months)"),
        max_length=50,
        default="6,12",
        help_text=_("Months after exit at which a follow-up assessment is due, e.g. 6,12."),
    )
    fall_back_points = models.PositiveSmallIntegerField(
        _("fall-back drop (score points)"),
        default=10,
        help_text=_("A follow-up this many points below the exit score flags the family."),
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("due soon (days)"),
        default=30,
        help_text=_("Assessments due within this many days show on the dashboard."),
    )
    care_alert_months = models.PositiveSmallIntegerField(
        _("child in care flagged after (months)"),
        default=6,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A family in service whose child has lived in short-term or alternative care this "
            "many months is flagged as a stale case."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("well-being rule")
        verbose_name_plural = _("well-being rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(green_from__gt=models.F("amber_from")),
                name="green_above_amber",
                violation_error_message=_("Green must start above amber."),
            )
        ]

    def __str__(self):
        return str(_("Well-being rule"))

    def clean(self):
        try:
            _months = self.follow_up_list
        except ValueError as exc:
            raise ValidationError(
                {"follow_up_months": _("Write whole months separated by commas, e.g. 6,12.")}
            ) from exc

    @property
    def follow_up_list(self) -> list[int]:
        return sorted(int(part) for part in self.follow_up_months.split(",") if part.strip())

    @classmethod
    def current(cls) -> "WellbeingRule":
        rule = cls.objects.filter(pk=1).first()
        return rule or cls(pk=1)


class AssessmentQuerySet(SensitiveFamilyQuerySet):
    pass


class Assessment(models.Model):
    """A caseworker's rating of a family's well-being on a day, domain by domain."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("family")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind"), max_length=12, choices=AssessmentKind.choices)
    notes = models.TextField(_("notes"), blank=True)
    children_out_of_school = models.ManyToManyField(
        Person,
        blank=True,
        related_name="+",
        verbose_name=_("school-age children not in school"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[children_out_of_school])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("well-being assessment")
        verbose_name_plural = _("well-being assessments")
        # Index names as created when these tables were the core's (before 0001).
        indexes = [models.Index(fields=["family", "date"], name="beneficiari_family__776673_idx")]

    def __str__(self):
        return (
            f"{self.family} {date_format(self.date, 'SHORT_DATE_FORMAT')} {self.get_kind_display()}"
        )

    def get_absolute_url(self):
        return reverse("wellbeing:assessment_detail", args=[self.family_id, self.pk])


class RatingQuerySet(SensitiveFamilyQuerySet):
    family_field = "assessment__family"


class Rating(models.Model):
    """The level an assessment gives one domain, with the level the data proposed."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("assessment")
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("domain")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVELS)
    proposed_level = models.PositiveSmallIntegerField(
        _("proposed level"), null=True, blank=True, validators=LEVELS
    )
    override_reason = models.CharField(
        _("reason for a different level"),
        max_length=255,
        blank=True,
        help_text=_("Required when the level differs from the one the data proposes."),
    )

    objects = RatingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment_id", "domain__position"]
        verbose_name = _("domain rating")
        verbose_name_plural = _("domain ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain"],
                name="one_rating_per_domain",
                violation_error_message=_("This assessment already rates that domain."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5),
                name="rating_level_1_to_5",
                violation_error_message=_("Levels run from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.domain}: {self.level}"

    def clean(self):
        if (
            self.proposed_level is not None
            and self.level != self.proposed_level
            and not self.override_reason.strip()
        ):
            raise ValidationError(
                {"override_reason": _("Say why the level differs from the proposed one.")}
            )

    @property
    def is_override(self) -> bool:
        return self.proposed_level is not None and self.level != self.proposed_level


class FamilyScoreQuerySet(SensitiveFamilyQuerySet):
    pass


class FamilyScore(models.Model):
    """Derived, never edited: the family's score, light, trend and exit readiness.

    Written only by `family_scores_recompute`, in bulk, from assessments and income.
    """

    family = models.OneToOneField(
        Family,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="score",
        verbose_name=_("family"),
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest assessment"),
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    previous_score = models.PositiveSmallIntegerField(_("previous score"), null=True, blank=True)
    light = models.CharField(
        _("traffic light"), max_length=5, choices=TrafficLight.choices, blank=True
    )
    trend = models.CharField(_("trend"), max_length=4, choices=Trend.choices, blank=True)
    lowest_level = models.PositiveSmallIntegerField(_("lowest domain level"), null=True, blank=True)
    children_out_of_school = models.PositiveSmallIntegerField(
        _("school-age children not in school"), default=0
    )
    months_at_or_above_line = models.PositiveSmallIntegerField(
        _("recent months at or above the poverty line"), default=0
    )
    last_month = models.DateField(_("last full month"), null=True, blank=True)
    last_per_capita = models.DecimalField(
        _("last month's per-capita income"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    income_ok = models.BooleanField(_("income at or above the line"), default=False)
    domains_ok = models.BooleanField(_("no domain below the minimum"), default=False)
    school_ok = models.BooleanField(_("school-age children in school"), default=False)
    exit_ready = models.BooleanField(_("ready to exit"), default=False)
    exit_score = models.PositiveSmallIntegerField(_("score at exit"), null=True, blank=True)
    falling_back = models.BooleanField(_("falling back after exit"), default=False)
    next_due = models.DateField(_("next assessment due"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    objects = FamilyScoreQuerySet.as_manager()

    class Meta:
        ordering = ["family_id"]
        verbose_name = _("family well-being score")
        verbose_name_plural = _("family well-being scores")
        indexes = [
            models.Index(fields=["light"], name="beneficiari_light_abc27f_idx"),
            models.Index(fields=["next_due"], name="beneficiari_next_du_48ccd9_idx"),
        ]

    def __str__(self):
        return f"{self.family_id}: {self.score}"


class ExitRequestQuerySet(SensitiveFamilyQuerySet):
    pass


class ExitRequest(models.Model):
    """A caseworker's request that a family leave with "well-being restored" although its exit
    checklist does not hold; a programme manager other than the requester approves (the
    family then exits) or refuses it. An approval while the checklist still fails is an
    override, counted apart in the programme report."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="exit_requests", verbose_name=_("family")
    )
    exit_date = models.DateField(_("exit date"))
    reason = models.TextField(
        _("why the family can leave now"),
        help_text=_("What the programme manager should know about the conditions that fail."),
    )
    unmet = models.TextField(_("conditions not met when requested"), blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_notes = models.TextField(_("notes on the decision"), blank=True)
    override = models.BooleanField(
        _("approved by override"),
        default=False,
        help_text=_("Approved while the exit checklist did not hold."),
    )

    objects = ExitRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("early exit request")
        verbose_name_plural = _("early exit requests")
        permissions = [("decide_exitrequest", _("Can approve or refuse an early exit"))]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(status="pending"),
                name="one_pending_exit_request_per_family",
                violation_error_message=_("This family already has an exit request waiting."),
            ),
            models.CheckConstraint(
                condition=Q(override=False) | Q(status="approved"),
                name="exit_request_override_only_when_approved",
                violation_error_message=_("Only an approved request can be an override."),
            ),
        ]

    def __str__(self):
        return str(
            _("Exit request of %(family)s, %(day)s")
            % {"family": self.family, "day": date_format(self.exit_date, "SHORT_DATE_FORMAT")}
        )

    def get_absolute_url(self):
        return reverse("wellbeing:exit_request_detail", args=[self.pk])

    @property
    def unmet_list(self) -> list[str]:
        return [line for line in self.unmet.splitlines() if line.strip()]
