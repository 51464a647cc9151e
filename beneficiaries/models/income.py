from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import sees_whole_programme
from beneficiaries.access import NOTHING, caseworker_branch_ids
from beneficiaries.choices import IncomeSource
from beneficiaries.models.families import Family, Person


class IncomeRecordQuerySet(models.QuerySet):
    def for_user(self, user):
        """Income is sensitive: the family's branch caseworkers and programme-wide roles."""
        if sees_whole_programme(user):
            return self
        branch_ids = caseworker_branch_ids(user)
        if not branch_ids:
            return self.filter(NOTHING)
        return self.filter(family__branch_id__in=branch_ids)


class IncomeRecord(models.Model):
    """One month's income of a household from one source, in UZS.

    Records that another fact causes (a payslip, a business follow-up) carry a link to that
    origin and are written only through `income_record_upsert` by the origin's own service.
    """

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="income_records", verbose_name=_("family")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="income_records",
        verbose_name=_("family member"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    source = models.CharField(_("source"), max_length=20, choices=IncomeSource.choices)
    amount = models.DecimalField(_("amount (UZS)"), max_digits=14, decimal_places=2)
    evidence = models.CharField(
        _("evidence"),
        max_length=255,
        blank=True,
        help_text=_(
            "What the amount rests on: a payslip, a pension certificate, the family's word."
        ),
    )
    origin_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("origin type"),
    )
    origin_id = models.PositiveBigIntegerField(_("origin id"), null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IncomeRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "family_id", "source"]
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        indexes = [
            # With the amount, a family's monthly totals are read from the index alone
            # (the programme report's income figures: a third less CPU at 100,000 families).
            models.Index(fields=["family", "month", "amount"], name="income_family_month_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_type", "origin_id"],
                condition=Q(origin_type__isnull=False),
                name="one_income_record_per_origin",
                violation_error_message=_("This fact already has its income record."),
            ),
            models.CheckConstraint(
                condition=Q(origin_type__isnull=True, origin_id__isnull=True)
                | Q(origin_type__isnull=False, origin_id__isnull=False),
                name="income_origin_complete",
                violation_error_message=_("An origin needs both its type and its id."),
            ),
        ]

    def __str__(self):
        return f"{self.family} {self.month:%Y-%m} {self.get_source_display()}"

    @property
    def is_automatic(self) -> bool:
        return self.origin_type_id is not None


class FamilyIncomeSummary(models.Model):
    """A household's first and latest month with recorded income and its total in each.

    Derived from the income records, and kept right by the database itself: triggers
    rewrite a family's row whenever one of its income records is added, changed or
    removed, whoever writes it (beneficiaries/income_summary.py). The programme report
    reads it instead of every family's records, and divides by `Family.member_count` (the
    one place a family's member count is kept). Never written by the application.
    """

    family = models.OneToOneField(
        Family,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="income_summary",
        verbose_name=_("family"),
    )
    first_month = models.DateField(_("first month"))
    first_total = models.DecimalField(
        _("income in the first month (UZS)"), max_digits=16, decimal_places=2
    )
    last_month = models.DateField(_("latest month"))
    last_total = models.DecimalField(
        _("income in the latest month (UZS)"), max_digits=16, decimal_places=2
    )

    class Meta:
        verbose_name = _("family income summary")
        verbose_name_plural = _("family income summaries")

    def __str__(self):
        return f"{self.family_id} {self.first_month:%Y-%m}..{self.last_month:%Y-%m}"
