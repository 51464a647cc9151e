from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import sees_whole_programme
from beneficiaries.access import NOTHING, caseworker_branch_ids
from beneficiaries.choices import LivingArrangement
from beneficiaries.models.families import Person


class ChildPlacementQuerySet(models.QuerySet):
    def for_user(self, user):
        """Sensitive: caseworkers of the family's branch and programme-wide roles."""
        if sees_whole_programme(user):
            return self
        branch_ids = caseworker_branch_ids(user)
        if not branch_ids:
            return self.filter(NOTHING)
        return self.filter(person__family__branch_id__in=branch_ids)


class ChildPlacement(models.Model):
    """From a date on, where a child lives: with the family, in short-term care or in
    alternative care. The rows of one child, in date order, are the child's history; a
    row ends when the next one starts."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="placements", verbose_name=_("child")
    )
    arrangement = models.CharField(
        _("living arrangement"), max_length=20, choices=LivingArrangement.choices
    )
    start_date = models.DateField(_("since"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ChildPlacementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["person_id", "start_date", "id"]
        verbose_name = _("child's living arrangement")
        verbose_name_plural = _("children's living arrangements")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "start_date"],
                name="one_placement_per_child_and_day",
                violation_error_message=_(
                    "This child already has a living arrangement starting that day."
                ),
            )
        ]

    def __str__(self):
        return f"{self.person}: {self.get_arrangement_display()} ({date_format(self.start_date, 'SHORT_DATE_FORMAT')})"

    def get_absolute_url(self):
        return self.person.get_absolute_url()
