"""The income ledger table."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from beneficiaries.income_notes import income_notes
from beneficiaries.models import IncomeRecord
from common.tables import MoneyColumn, MonthColumn


class IncomeRecordTable(tables.Table):
    month = MonthColumn(verbose_name=_("Month"), format="YEAR_MONTH_FORMAT")
    source = tables.Column(verbose_name=_("Source"))
    person = tables.Column(verbose_name=_("Family member"), order_by=("person__full_name",))
    amount = MoneyColumn(verbose_name=_("Amount"), with_currency=True)
    evidence = tables.Column(verbose_name=_("Evidence"))
    origin = tables.Column(
        verbose_name=_("Recorded"), accessor="origin_type", orderable=False, empty_values=()
    )
    edit = tables.Column(
        verbose_name=_("Actions"), accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta:
        model = IncomeRecord
        fields = ["month", "source", "person", "amount", "evidence", "origin", "edit"]
        order_by = ["-month"]
        attrs = {"class": "table", "id": "income-records"}
        empty_text = _("No income recorded yet.")

    def _note(self, record) -> str:
        """What the record's origin app adds ("reversed", "re-run of …"), for the page's
        records at once (beneficiaries.income_notes)."""
        if not hasattr(self, "_notes"):
            page = getattr(self, "page", None)
            rows = page.object_list if page is not None else self.rows
            self._notes = income_notes([row.record for row in rows])
        return self._notes.get(record.pk, "")

    def render_origin(self, record):
        if record.is_automatic:
            note = self._note(record)
            return format_html(
                '<span class="badge">{}</span>{}',
                _("Automatic: %(origin)s") % {"origin": record.origin_type.name},
                format_html(' <span class="badge light-amber income-note">{}</span>', note)
                if note
                else "",
            )
        return _("By hand")

    def value_origin(self, record):
        if not record.is_automatic:
            return ""
        note = self._note(record)
        return f"{record.origin_type.name} ({note})" if note else record.origin_type.name

    def render_edit(self, record):
        if record.is_automatic:
            return _("Changes only through its origin")
        request = getattr(self, "request", None)
        if request is None or not request.user.has_perm("beneficiaries.change_incomerecord"):
            return "—"
        url = reverse("wellbeing:income_update", args=[record.family_id, record.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit"))
