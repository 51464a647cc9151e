"""The employer's obligations across months: a summary per enterprise of what is due and
unpaid (overdue marked), and the same as XLSX for the tax report. The enterprise comes from
`payroll_enterprises(user)`: another enterprise is 404, a role without payroll 403."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accounts.access import PermissionAccessMixin
from common import xlsx
from common.downloads import AGGREGATE, DownloadMixin
from common.validators import YEAR_MAX, YEAR_MIN
from payroll.obligations import enterprise_summary
from payroll.selectors import payroll_enterprises

PERMISSION = "payroll.view_taxpayment"


def year_asked(request) -> int:
    """The year of the summary: ?year=, else this year (a year out of range is this year)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if YEAR_MIN <= year <= YEAR_MAX else today.year


class TaxSummaryIndexView(PermissionAccessMixin, TemplateView):
    """The enterprises whose taxes the user follows, each linking to its summary."""

    permission_required = PERMISSION
    template_name = "payroll/tax_index.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "enterprises": list(payroll_enterprises(self.request.user)),
            "year": timezone.localdate().year,
        }


class EnterpriseMixin:
    def get_enterprise(self):
        return get_object_or_404(
            payroll_enterprises(self.request.user), pk=self.kwargs["enterprise"]
        )


class TaxSummaryView(EnterpriseMixin, PermissionAccessMixin, TemplateView):
    permission_required = PERMISSION
    template_name = "payroll/tax_summary.html"

    def get_context_data(self, **kwargs):
        enterprise = self.get_enterprise()
        year = year_asked(self.request)
        rows, totals = enterprise_summary(enterprise, year)
        return {
            **super().get_context_data(**kwargs),
            "enterprise": enterprise,
            "year": year,
            "years": [year - 1, year + 1],
            "rows": rows,
            "totals": totals,
            "unpaid": sum(t["unpaid"] for t in totals.values()),
            "can_pay_taxes": self.request.user.has_perm("payroll.add_taxpayment"),
        }


SUMMARY_HEADER = [
    lambda: _("Month"),
    lambda: _("Tax"),
    lambda: _("Due by"),
    lambda: _("Due (UZS)"),
    lambda: _("Paid (UZS)"),
    lambda: _("Unpaid (UZS)"),
    lambda: _("Overdue"),
]


def summary_xlsx(enterprise, year, rows, totals) -> bytes:
    """The summary as the page shows it: a line per month and tax, then a total per tax."""
    book = xlsx.XlsxBook()
    sheet = book.sheet(str(year), widths=[12, 44, 12, 16, 16, 16, 10], freeze_header=False)
    sheet.row([_("The employer's taxes"), str(enterprise), enterprise.tax_number or None, year])
    sheet.blank()
    sheet.row([label() for label in SUMMARY_HEADER], bold=True)
    formats = [xlsx.MONTH, None, xlsx.DATE, xlsx.WHOLE, xlsx.WHOLE, xlsx.WHOLE, None]
    for row in rows:
        for line in row.lines:
            sheet.row(
                [
                    row.run.month,
                    str(line.label),
                    line.due_on,
                    line.due,
                    line.paid,
                    line.unpaid,
                    _("yes") if line.overdue else None,
                ],
                formats=formats,
            )
    for total in totals.values():
        sheet.row(
            [_("Total"), str(total["label"]), None, total["due"], total["paid"], total["unpaid"]],
            formats=formats,
            bold=True,
        )
    return book.bytes()


class TaxSummaryXlsxView(DownloadMixin, EnterpriseMixin, PermissionAccessMixin, View):
    """The summary as XLSX: enterprise totals, nobody named (an aggregate download)."""

    permission_required = PERMISSION
    download_kind = AGGREGATE

    def get(self, request, *args, year, **kwargs):
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise Http404
        enterprise = self.get_enterprise()
        rows, totals = enterprise_summary(enterprise, year)
        response = HttpResponse(
            summary_xlsx(enterprise, year, rows, totals), content_type=xlsx.CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f'attachment; filename="taxes-{enterprise.pk}-{year}.xlsx"'
        )
        return response
