"""Income certificates: what an enterprise certifies it paid one employee over a span of months.

A certificate is a statement made on its issue date, so its figures are a snapshot taken
then (`months`, and the totals beside it), not recomputed when it is printed or verified:
approved payslips never change, but a run can later be reversed and the month run again,
and a certificate already handed to the Social Registry must keep saying what its paper
says, on the paper and on its public page alike. A certificate whose figures no longer hold
is revoked (with its reason) and a new one issued. The names and numbers printed on it are
snapshotted for the same reason.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import Person
from common.codes import new_verification_code, random_code
from enterprises.models import SocialEnterprise
from payroll.models.runs import money, payroll_scope


class IncomeCertificateQuerySet(models.QuerySet):
    def for_user(self, user):
        condition = payroll_scope(user)
        return self if condition is None else self.filter(condition)


class IncomeCertificate(models.Model):
    """An income certificate issued to one employee of one enterprise for a span of months."""

    number = models.CharField(
        _("number of the certificate"), max_length=24, unique=True, editable=False
    )
    verification_code = models.CharField(
        _("verification code"), max_length=24, unique=True, editable=False
    )
    enterprise = models.ForeignKey(
        SocialEnterprise,
        on_delete=models.PROTECT,
        related_name="income_certificates",
        verbose_name=_("social enterprise"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="income_certificates",
        verbose_name=_("employee"),
    )
    first_month = models.DateField(_("from month"))
    last_month = models.DateField(_("to month"))
    # What the paper says, as it was on the issue date (see the module's docstring).
    holder_name = models.CharField(_("employee's name"), max_length=200, editable=False)
    holder_pinfl = models.CharField(_("employee's PINFL"), max_length=14, editable=False)
    enterprise_name = models.CharField(_("enterprise's name"), max_length=150, editable=False)
    enterprise_tax_number = models.CharField(
        _("enterprise's tax number (INN)"), max_length=9, editable=False
    )
    months = models.JSONField(
        _("figures by month"),
        editable=False,
        help_text=_("Each month of the span: gross pay, income tax and net pay, in whole soum."),
    )
    gross_total = money(_("gross pay (UZS)"), editable=False)
    income_tax_total = money(_("income tax (UZS)"), editable=False)
    net_total = money(_("net pay (UZS)"), editable=False)
    issued_on = models.DateField(_("issued on"), editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_by_name = models.CharField(_("issued by (name)"), max_length=200, editable=False)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)

    objects = IncomeCertificateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("income certificate")
        verbose_name_plural = _("income certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_month__lte=models.F("last_month")),
                name="income_certificate_span_in_order",
                violation_error_message=_("The span ends before it begins."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | ~Q(revoked_reason=""),
                name="income_certificate_revocation_has_reason",
                violation_error_message=_("Revoking a certificate needs its reason."),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("payroll:certificate_detail", args=[self.pk])

    @property
    def is_valid(self) -> bool:
        return self.revoked_on is None

    def month_rows(self) -> list[dict]:
        """The snapshot's months as dates and Decimals, for printing."""
        return [
            {
                "month": date.fromisoformat(f"{row['month']}-01"),
                "payslips": row["payslips"],
                **{field: Decimal(row[field]) for field in ("gross", "income_tax", "net")},
            }
            for row in self.months
        ]

    @property
    def holder_initials(self) -> str:
        """The employee's initials ("Karimova Dilnoza Akmalovna" -> "K. D. A."): enough to
        match the paper in hand, without the public page naming anyone."""
        return " ".join(f"{word[0].upper()}." for word in self.holder_name.split() if word)

    @staticmethod
    def new_number(year: int) -> str:
        return f"MD-{year}-{random_code(4)}-{random_code(4)}"

    @staticmethod
    def new_verification_code() -> str:
        return new_verification_code()
