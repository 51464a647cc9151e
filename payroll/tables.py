import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from common.tables import DateColumn, MoneyColumn, MonthColumn, NumberColumn
from payroll.models import PayrollRun


class PayrollRunTable(tables.Table):
    """The runs list and its CSV/XLSX export; `TOTALLED` columns get a totals line in the
    export (payroll.views.RunListView)."""

    TOTALLED = (
        "headcount",
        "gross_total",
        "income_tax_total",
        "inps_total",
        "net_total",
        "social_tax_total",
        "cost_total",
    )

    month = MonthColumn(verbose_name=_("Month"), linkify=True)
    enterprise = tables.Column(verbose_name=_("Social enterprise"), linkify=True)
    status = tables.Column(verbose_name=_("Status"))
    headcount = NumberColumn(verbose_name=_("Employees"))
    gross_total = MoneyColumn(verbose_name=_("Gross pay (UZS)"))
    income_tax_total = MoneyColumn(verbose_name=_("Income tax withheld (UZS)"))
    inps_total = MoneyColumn(verbose_name=_("of which INPS (UZS)"))
    net_total = MoneyColumn(verbose_name=_("Net pay (UZS)"))
    social_tax_total = MoneyColumn(verbose_name=_("Social tax (UZS)"))
    cost_total = MoneyColumn(verbose_name=_("Total cost (UZS)"))
    paid_on = DateColumn(verbose_name=_("Paid on"))

    class Meta:
        model = PayrollRun
        fields = [
            "month",
            "enterprise",
            "status",
            "headcount",
            "gross_total",
            "income_tax_total",
            "inps_total",
            "net_total",
            "social_tax_total",
            "cost_total",
            "paid_on",
        ]
        order_by = ["-month"]
        attrs = {"class": "table"}
