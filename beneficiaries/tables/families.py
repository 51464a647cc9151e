import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Family

STATUS_LIGHTS = {
    FamilyStatus.REFERRED: "light-amber",
    FamilyStatus.ACTIVE: "light-green",
    FamilyStatus.EXITED: "",
    FamilyStatus.CLOSED: "light-red",
}


class FamilyTable(tables.Table):
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
    intake_date = tables.DateColumn(verbose_name=_("Intake date"), format="d.m.Y")
    phone = tables.Column(verbose_name=_("Phone"), default="")
    # In the export only: the list stays readable on a laptop.
    address = tables.Column(verbose_name=_("Address"), visible=False)
    exit_date = tables.DateColumn(verbose_name=_("Exit date"), format="d.m.Y", visible=False)
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

    def render_caseworker(self, value):
        return value.get_full_name() or value.username

    def value_caseworker(self, value):
        return value.get_full_name() or value.username

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            STATUS_LIGHTS.get(record.status, ""),
            record.get_status_display(),
        )

    def value_status(self, record):
        return record.get_status_display()
