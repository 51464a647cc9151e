import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from common.money import format_uzs
from payroll.models import PayrollRun


class MoneyColumn(tables.Column):
    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        return format_uzs(value, with_currency=False)

    def value(self, value):
        return value


class PayrollRunTable(tables.Table):
    month = tables.DateColumn(verbose_name=_("Month"), format="YEAR_MONTH_FORMAT", linkify=True)
    enterprise = tables.Column(verbose_name=_("Social enterprise"), linkify=True)
    status = tables.Column(verbose_name=_("Status"))
    headcount = tables.Column(verbose_name=_("Employees"), attrs={"td": {"class": "num"}})
    gross_total = MoneyColumn(verbose_name=_("Gross pay (UZS)"))
    net_total = MoneyColumn(verbose_name=_("Net pay (UZS)"))
    cost_total = MoneyColumn(verbose_name=_("Total cost (UZS)"))
    paid_on = tables.DateColumn(verbose_name=_("Paid on"), format="SHORT_DATE_FORMAT")

    class Meta:
        model = PayrollRun
        fields = [
            "month",
            "enterprise",
            "status",
            "headcount",
            "gross_total",
            "net_total",
            "cost_total",
            "paid_on",
        ]
        order_by = ["-month"]
        attrs = {"class": "table"}
