"""Writes of income certificates: issue one (a snapshot of the figures, see
payroll.models.certificates) and revoke one. Both atomic."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.months import month_start, months_between
from payroll.models import IncomeCertificate
from payroll.selectors import EARNINGS_FIELDS, employee_months, months_totals

# The longest span one certificate covers: three years, a page of months.
MAX_SPAN_MONTHS = 36
CERTIFIED_FIELDS = ("gross", "income_tax", "net")


def certificate_refusal(*, enterprise, person, first_month: date, last_month: date, today=None):
    """Why no certificate can be issued for this employee and span (None when it can)."""
    today = today or timezone.localdate()
    if last_month < first_month:
        return {"last_month": _("The span ends before it begins.")}
    if last_month > month_start(today):
        return {"last_month": _("The span cannot end after the current month.")}
    if len(months_between(first_month, last_month)) > MAX_SPAN_MONTHS:
        return {
            "first_month": _("One certificate covers at most %(count)s months.")
            % {"count": MAX_SPAN_MONTHS}
        }
    if not enterprise.tax_number:
        return {
            "enterprise": _(
                "%(enterprise)s has no tax number (INN) yet: the programme enters it in the "
                "admin, and it is printed on the certificate."
            )
            % {"enterprise": enterprise}
        }
    if not person.pinfl:
        return {
            "person": _(
                "%(person)s has no PINFL on their record: enter it on the family's page first; "
                "the certificate names the employee by it."
            )
            % {"person": person.full_name}
        }
    return None


@transaction.atomic
def income_certificate_issue(
    *, enterprise, person, first_month: date, last_month: date, issued_by=None, today=None
) -> IncomeCertificate:
    """Issue a certificate of what `enterprise` paid `person` from `first_month` to
    `last_month`: the approved payslips' gross pay, income tax and net pay month by month
    (payroll.selectors.employee_months), kept as they are today."""
    today = today or timezone.localdate()
    first_month, last_month = month_start(first_month), month_start(last_month)
    if refusal := certificate_refusal(
        enterprise=enterprise,
        person=person,
        first_month=first_month,
        last_month=last_month,
        today=today,
    ):
        raise ValidationError(refusal)
    rows = employee_months(enterprise, person, first_month, last_month)
    if not any(row["payslips"] for row in rows):
        raise ValidationError(
            _("%(person)s has no approved payslip at %(enterprise)s from %(first)s to %(last)s.")
            % {
                "person": person.full_name,
                "enterprise": enterprise,
                "first": date_format(first_month, "YEAR_MONTH_FORMAT"),
                "last": date_format(last_month, "YEAR_MONTH_FORMAT"),
            }
        )
    totals = months_totals(rows)
    issuer = ""
    if issued_by is not None:
        issuer = issued_by.get_full_name() or issued_by.get_username()
    for _attempt in range(5):  # a clash of 100 random bits is not expected; retried all the same
        try:
            with transaction.atomic():
                return IncomeCertificate.objects.create(
                    number=IncomeCertificate.new_number(today.year),
                    verification_code=IncomeCertificate.new_verification_code(),
                    enterprise=enterprise,
                    person=person,
                    first_month=first_month,
                    last_month=last_month,
                    holder_name=person.full_name,
                    holder_pinfl=person.pinfl,
                    enterprise_name=enterprise.name,
                    enterprise_tax_number=enterprise.tax_number,
                    months=[snapshot_row(row) for row in rows],
                    gross_total=totals["gross"],
                    income_tax_total=totals["income_tax"],
                    net_total=totals["net"],
                    issued_on=today,
                    issued_by=issued_by,
                    issued_by_name=issuer,
                )
        except IntegrityError:
            continue
    raise RuntimeError("No free certificate number after five tries")


def snapshot_row(row: dict) -> dict:
    """One month of `employee_months` as the certificate keeps it (JSON: the month as
    YYYY-MM, whole soum as strings, never floats)."""
    return {
        "month": f"{row['month']:%Y-%m}",
        "payslips": row["payslips"],
        **{field: str(row[field]) for field in EARNINGS_FIELDS if field in CERTIFIED_FIELDS},
    }


@transaction.atomic
def income_certificate_revoke(*, certificate: IncomeCertificate, reason: str, revoked_by=None):
    """Revoke a certificate: its public page then says it is not valid, and why not."""
    locked = IncomeCertificate.objects.select_for_update().get(pk=certificate.pk)
    if not locked.is_valid:
        raise ValidationError(_("This certificate is already revoked."), code="revoked")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    locked.revoked_on = timezone.localdate()
    locked.revoked_by = revoked_by
    locked.revoked_reason = reason
    locked._change_reason = reason
    locked.save(update_fields=["revoked_on", "revoked_by", "revoked_reason"])
    certificate.refresh_from_db()
    return locked
