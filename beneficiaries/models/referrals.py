from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.access import referral_condition
from beneficiaries.choices import (
    INTERNAL_SERVICES,
    ReferralService,
    ReferralStatus,
    ReferralUrgency,
)
from beneficiaries.models.families import Family, Person
from common.validators import validate_plain_text, validate_programme_date


class ReferralQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(referral_condition(user))

    def internal(self):
        return self.filter(service__in=INTERNAL_SERVICES)

    def external(self):
        return self.exclude(service__in=INTERNAL_SERVICES)


class Referral(models.Model):
    """A family member sent to a service: one of the centre's own (a psychologist, a lawyer,
    day care, training, employment help), assigned to a specialist of the centre, or an
    outside partner's (a clinic, the makhalla committee, a state centre, another
    organisation). Its steps (sent, accepted, service given, closed, or declined) are taken
    only through beneficiaries.referrals.referral_step, which dates each one."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("family")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("family member"),
    )
    service = models.CharField(_("service"), max_length=20, choices=ReferralService.choices)
    partner = models.CharField(
        _("partner"),
        max_length=200,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("For an outside service: the organisation the member is referred to."),
    )
    reason = models.TextField(_("reason"), validators=[validate_plain_text])
    urgency = models.CharField(
        _("urgency"),
        max_length=10,
        choices=ReferralUrgency.choices,
        default=ReferralUrgency.ROUTINE,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField(_("sent on"), validators=[validate_programme_date])
    answer_due_on = models.DateField(
        _("answer due by"),
        help_text=_("When the service should have accepted or declined the referral."),
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    served_on = models.DateField(_("service given on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    declined_on = models.DateField(_("declined on"), null=True, blank=True)
    decline_reason = models.TextField(
        _("why it was declined"), blank=True, validators=[validate_plain_text]
    )
    service_given = models.TextField(
        _("service given"), blank=True, validators=[validate_plain_text]
    )
    outcome = models.TextField(_("outcome"), blank=True, validators=[validate_plain_text])
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_referrals",
        verbose_name=_("handled by"),
        help_text=_("For the centre's own services: the specialist who handles it."),
    )
    consent_override_reason = models.TextField(
        _("why it is shared without consent"),
        blank=True,
        validators=[validate_plain_text],
        help_text=_(
            "Only a programme manager may refer to an outside partner without the member's "
            "consent to that sharing, and must say why."
        ),
    )
    consent_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared without consent by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ReferralQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        permissions = [
            ("answer_referral", _("Can answer the internal referrals assigned to them")),
        ]
        indexes = [
            models.Index(fields=["family", "sent_on"], name="referral_family_sent_idx"),
            models.Index(fields=["assigned_to", "status"], name="referral_assignee_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(service__in=INTERNAL_SERVICES) & Q(partner=""))
                | (~Q(service__in=INTERNAL_SERVICES) & ~Q(partner="")),
                name="referral_partner_only_outside",
                violation_error_message=_(
                    "Name the partner for an outside service, and only for one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(answer_due_on__gte=models.F("sent_on")),
                name="referral_answer_due_after_sent",
                violation_error_message=_("The answer cannot be due before the referral."),
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.service_label}"

    def get_absolute_url(self):
        return reverse("beneficiaries:referral_detail", args=[self.pk])

    @property
    def is_internal(self) -> bool:
        return self.service in INTERNAL_SERVICES

    @property
    def service_label(self) -> str:
        label = self.get_service_display()
        return label if self.is_internal else f"{label} — {self.partner}"

    @property
    def consent_overridden(self) -> bool:
        return bool(self.consent_override_reason)
