import functools

import django_tables2 as tables
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2.export import TableExport
from tablib import Dataset

from accounts.prerendered_rows import TEMPLATE as PRERENDERED_TEMPLATE
from accounts.prerendered_rows import PrerenderedRowsMixin
from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Family

STATUS_LIGHTS = {
    FamilyStatus.REFERRED: "light-amber",
    FamilyStatus.ACTIVE: "light-green",
    FamilyStatus.EXITED: "",
    FamilyStatus.CLOSED: "light-red",
}


def _family_link(family, text):
    if text is None or text == "":
        return None
    before, after = _detail_url_parts(get_script_prefix())
    return format_html('<a href="{}{}{}">{}</a>', before, family.pk, after, text)


_SENTINEL = "987654321"


@functools.lru_cache(maxsize=8)
def _detail_url_parts(_script_prefix):
    """The detail URL around its id: two links a row would otherwise cost fifty reverse()
    calls a page. Keyed by the script prefix, which reverse() depends on."""
    before, _, after = reverse("beneficiaries:family_detail", args=[_SENTINEL]).partition(_SENTINEL)
    return before, after


def _status_badge(family):
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_LIGHTS.get(family.status, ""),
        family.get_status_display(),
    )


class FamilyTable(PrerenderedRowsMixin, tables.Table):
    case_number = tables.Column(verbose_name=_("Case number"), linkify=True)
    head_name = tables.Column(verbose_name=_("Head of household"), linkify=True, default="—")
    member_count = tables.Column(
        verbose_name=_("Members"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    branch = tables.Column(verbose_name=_("Branch"))
    makhalla = tables.Column(verbose_name=_("Makhalla"), default="—")
    caseworker = tables.Column(
        verbose_name=_("Caseworker"),
        default="—",
        order_by=("caseworker__last_name", "caseworker__first_name"),
    )
    status = tables.Column(verbose_name=_("Status"))
    intake_date = tables.DateColumn(verbose_name=_("Intake date"), format="SHORT_DATE_FORMAT")
    phone = tables.Column(verbose_name=_("Phone"), default="")
    # In the export only: the list stays readable on a laptop.
    address = tables.Column(verbose_name=_("Address"), visible=False)
    exit_date = tables.DateColumn(
        verbose_name=_("Exit date"), format="SHORT_DATE_FORMAT", visible=False
    )
    exit_reason = tables.Column(verbose_name=_("Exit reason"), visible=False)

    class Meta:
        model = Family
        fields = [
            "case_number",
            "head_name",
            "member_count",
            "branch",
            "makhalla",
            "caseworker",
            "status",
            "intake_date",
            "phone",
            "address",
            "exit_date",
            "exit_reason",
        ]
        attrs = {"class": "table"}
        empty_text = _("No family matches these filters.")
        template_name = PRERENDERED_TEMPLATE

    # The visible cells as the columns above render them (tests compare the two).
    cell_html = {
        "case_number": lambda f: _family_link(f, f.case_number),
        "head_name": lambda f: _family_link(f, f.head_name),
        "member_count": lambda f: f.member_count,
        "branch": lambda f: str(f.branch),
        "makhalla": lambda f: f.makhalla.name if f.makhalla_id else None,
        "caseworker": lambda f: _person_name(f.caseworker) or None,
        "status": _status_badge,
        "intake_date": lambda f: (
            date_format(f.intake_date, "SHORT_DATE_FORMAT") if f.intake_date else None
        ),
        "phone": lambda f: f.phone,
    }

    def render_caseworker(self, value):
        return _person_name(value)

    def value_caseworker(self, value):
        return _person_name(value)

    def render_status(self, record):
        return _status_badge(record)

    def value_status(self, record):
        return record.get_status_display()


def _person_name(user):
    return (user.get_full_name() or user.username) if user else ""


# One function per exported column: django-tables2 renders a cell at a time (and inspects
# each render method's signature per cell), which takes minutes for 100,000 families.
EXPORT_VALUES = {
    "case_number": lambda f: f.case_number,
    "head_name": lambda f: f.head_name or "",
    "member_count": lambda f: f.member_count,
    "branch": lambda f: str(f.branch),
    "makhalla": lambda f: f.makhalla.name if f.makhalla else "",
    "caseworker": lambda f: _person_name(f.caseworker),
    "status": lambda f: f.get_status_display(),
    "intake_date": lambda f: f.intake_date,
    "phone": lambda f: f.phone,
    "address": lambda f: f.address,
    "exit_date": lambda f: f.exit_date or "",
    "exit_reason": lambda f: f.get_exit_reason_display() if f.exit_reason else "",
}


class FamilyExport(TableExport):
    """The table's columns and order, every row of the filtered list, read in chunks."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        columns = [
            column
            for column in table.columns.iterall()
            if column.name in EXPORT_VALUES and column.name not in (exclude_columns or ())
        ]
        dataset = Dataset(**(dataset_kwargs or {}))
        dataset.headers = [str(column.header) for column in columns]
        values = [EXPORT_VALUES[column.name] for column in columns]
        for family in table.data.data.iterator(chunk_size=2000):
            dataset.append([value(family) for value in values])
        return dataset
