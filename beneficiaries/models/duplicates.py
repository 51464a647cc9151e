from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import Role, has_role
from beneficiaries.choices import DuplicateFoundIn, DuplicateReason, DuplicateStatus
from beneficiaries.models.families import Person


class ReviewQuerySet(models.QuerySet):
    def for_user(self, user):
        """The review queue and the merges are the programme manager's alone."""
        if has_role(user, Role.PROGRAMME_MANAGER):
            return self
        return self.none()


class DuplicateCandidate(models.Model):
    """Two people who may be one (beneficiaries.duplicates): waiting for a programme manager,
    found not to be the same (remembered: never proposed again), or merged.

    The pair is stored once, the lower id first. A merge keeps the row: the person merged
    away is then empty here and the merge record (`merge`) holds their data."""

    person_a = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("person"),
    )
    person_b = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("possible duplicate"),
    )
    reason = models.CharField(_("found by"), max_length=12, choices=DuplicateReason.choices)
    found_in = models.CharField(_("found in"), max_length=14, choices=DuplicateFoundIn.choices)
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("found by"),
    )
    confirmed_different_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered anyway by"),
        help_text=_("The caseworker who said at registration that this is another person."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    merge = models.ForeignKey(
        "PersonMerge",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("merge"),
    )

    objects = ReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["found_at", "id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="one_candidate_per_pair"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b"))
                | Q(person_a__isnull=True)
                | Q(person_b__isnull=True),
                name="candidate_pair_ordered",
            ),
        ]
        indexes = [models.Index(fields=["status", "found_at"], name="candidate_status_idx")]

    def __str__(self):
        return f"{self.person_a_id} ~ {self.person_b_id}"


class PersonMerge(models.Model):
    """One merge of two records of a person: who merged whom into whom, when, and all that was
    known of the person merged away (their fields and which records moved to the kept one)."""

    kept = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("kept person"),
    )
    kept_name = models.CharField(_("kept person"), max_length=200)
    merged_person_id = models.PositiveIntegerField(_("merged person's id"))
    merged_name = models.CharField(_("merged person"), max_length=200)
    merged_case_number = models.CharField(_("merged person's family"), max_length=20)
    merged_data = models.JSONField(
        _("merged person's data"),
        help_text=_("The merged person's fields, and the records that moved, by kind and id."),
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)

    objects = ReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge of two people")
        verbose_name_plural = _("merges of two people")

    def __str__(self):
        return f"{self.merged_name} → {self.kept_name}"
