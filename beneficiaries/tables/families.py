import functools
from operator import attrgetter

import django_tables2 as tables
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Family
from common.prerendered import TEMPLATE as PRERENDERED_TEMPLATE
from common.prerendered import PrerenderedTable
from common.tables import NUM, CellColumn

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


class FamilyTable(PrerenderedTable, tables.Table):
    """The caseload. Each column is declared once, here: the page (written in Python by
    PrerenderedTable, or by django-tables2), the sorting and the CSV/XLSX export read it."""

    case_number = CellColumn(
        verbose_name=_("Case number"),
        value=attrgetter("case_number"),
        html=lambda f: _family_link(f, f.case_number),
    )
    head_name = CellColumn(
        verbose_name=_("Head of household"),
        value=lambda f: f.head_name or None,
        html=lambda f: _family_link(f, f.head_name),
        default="—",
    )
    member_count = CellColumn(
        verbose_name=_("Members"), value=attrgetter("member_count"), attrs=NUM
    )
    branch = CellColumn(verbose_name=_("Branch"), value=lambda f: str(f.branch))
    makhalla = CellColumn(
        verbose_name=_("Makhalla"),
        value=lambda f: f.makhalla.name if f.makhalla_id else None,
        default="—",
    )
    caseworker = CellColumn(
        verbose_name=_("Caseworker"),
        value=lambda f: _person_name(f.caseworker) or None,
        default="—",
        order_by=("caseworker__last_name", "caseworker__first_name"),
    )
    status = CellColumn(
        verbose_name=_("Status"), value=lambda f: f.get_status_display(), html=_status_badge
    )
    intake_date = CellColumn(
        verbose_name=_("Intake date"),
        value=attrgetter("intake_date"),
        date_format="SHORT_DATE_FORMAT",
    )
    phone = CellColumn(verbose_name=_("Phone"), value=lambda f: f.phone or None, default="")
    # In the export only: the list stays readable on a laptop.
    address = CellColumn(verbose_name=_("Address"), value=attrgetter("address"), visible=False)
    exit_date = CellColumn(
        verbose_name=_("Exit date"),
        value=attrgetter("exit_date"),
        date_format="SHORT_DATE_FORMAT",
        visible=False,
    )
    exit_reason = CellColumn(
        verbose_name=_("Exit reason"),
        value=lambda f: f.get_exit_reason_display() if f.exit_reason else None,
        visible=False,
    )

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


def _person_name(user):
    return (user.get_full_name() or user.username) if user else ""
