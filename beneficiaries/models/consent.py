from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.choices import ConsentPurpose, ConsentStatus
from beneficiaries.models.families import Person
from beneficiaries.models.plans import PlanQuerySet
from common.validators import validate_plain_text, validate_programme_date


class ConsentQuerySet(PlanQuerySet):
    """Consents are read like plans: caseworkers of the family's branch and the
    programme-wide roles (manager, auditor)."""

    family_path = "person__family__branch_id__in"


class ConsentRecord(models.Model):
    """One decision of a family member about one use of their data, on a date, as the signed
    paper records it: given, refused or withdrawn. Records are never edited: a new decision is
    a new record, and the latest one for a member and purpose (and partner) holds
    (beneficiaries.selectors.current_consents)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("family member")
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=ConsentPurpose.choices)
    partner = models.CharField(
        _("partner"),
        max_length=200,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("For sharing only: the organisation the data may be passed to."),
    )
    status = models.CharField(_("decision"), max_length=10, choices=ConsentStatus.choices)
    decided_on = models.DateField(
        _("date"),
        validators=[validate_programme_date],
        help_text=_("The date on the signed form, or of the withdrawal."),
    )
    expires_on = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Only when the form gives an end date; empty means until withdrawn."),
    )
    given_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by (guardian)"),
        help_text=_("For a child: the parent or guardian who signed."),
    )
    paper_reference = models.CharField(
        _("reference of the signed form"),
        max_length=60,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("The number or file reference of the paper, e.g. SAM-2026-0042/1."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["person_id", "purpose", "decided_on", "id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["person", "purpose"], name="consent_person_purpose_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(purpose=ConsentPurpose.SHARING) & ~Q(partner=""))
                | (~Q(purpose=ConsentPurpose.SHARING) & Q(partner="")),
                name="consent_partner_only_for_sharing",
                violation_error_message=_("Name the partner for sharing, and only for sharing."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("decided_on")),
                name="consent_expires_after_date",
                violation_error_message=_("The end date must be after the date of the consent."),
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_purpose_display()} — {self.get_status_display()}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()
