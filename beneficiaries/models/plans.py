from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import sees_whole_programme
from beneficiaries.access import NOTHING, caseworker_branch_ids
from beneficiaries.choices import GoalStatus, PlanDomain
from beneficiaries.models.families import Family


class PlanQuerySet(models.QuerySet):
    """Plans are sensitive: caseworkers of the family's branch and programme-wide roles."""

    family_path = "family__branch_id__in"

    def for_user(self, user):
        if sees_whole_programme(user):
            return self
        branch_ids = caseworker_branch_ids(user)
        if not branch_ids:
            return self.filter(NOTHING)
        return self.filter(**{self.family_path: branch_ids})


class GoalQuerySet(PlanQuerySet):
    family_path = "plan__family__branch_id__in"


class DevelopmentPlan(models.Model):
    """What the family and its caseworker agreed to change, goal by goal, and when they
    last looked at it together."""

    family = models.OneToOneField(
        Family, on_delete=models.CASCADE, related_name="plan", verbose_name=_("family")
    )
    agreed_on = models.DateField(_("agreed on"), default=timezone.localdate)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    review_notes = models.TextField(
        _("review notes"), blank=True, help_text=_("What the last review found.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_id"]
        verbose_name = _("family development plan")
        verbose_name_plural = _("family development plans")

    def __str__(self):
        return str(_("Development plan of %(family)s") % {"family": self.family})

    def get_absolute_url(self):
        return self.family.get_absolute_url()


class PlanGoal(models.Model):
    """One goal of a development plan in one domain of the family's life."""

    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    domain = models.CharField(_("domain"), max_length=20, choices=PlanDomain.choices)
    description = models.CharField(_("goal"), max_length=255)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )
    review_notes = models.TextField(_("review notes"), blank=True)

    objects = GoalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "domain", "target_date", "id"]
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")

    def __str__(self):
        return f"{self.get_domain_display()}: {self.description}"
