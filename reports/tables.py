import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Family, Person
from common.money import format_uzs, round_soum
from enterprises.models import Business, Position

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class PerCapitaColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUM)
        kwargs.setdefault("default", "—")
        super().__init__(*args, **kwargs)

    # The database hands back floats; common.money rounds them (half up) from their text.
    def render(self, value):
        return format_uzs(round_soum(str(value)), with_currency=False)

    def value(self, value):
        return int(round_soum(str(value))) if value is not None else None


class FamilyFigureTable(tables.Table):
    case_number = tables.Column(verbose_name=_("Case number"), linkify=True)
    branch = tables.Column(verbose_name=_("Branch"), order_by=("branch__name",))
    status = tables.Column(verbose_name=_("Status"))
    intake_date = tables.DateColumn(verbose_name=_("Intake date"), format="SHORT_DATE_FORMAT")
    exit_date = tables.DateColumn(
        verbose_name=_("Exit date"), format="SHORT_DATE_FORMAT", default="—"
    )
    exit_reason = tables.Column(verbose_name=_("Exit reason"), default="—")

    class Meta:
        model = Family
        fields = ["case_number", "branch", "status", "intake_date", "exit_date", "exit_reason"]
        order_by = ["case_number"]
        attrs = {"class": "table"}
        empty_text = _("No families.")


class IncomeFigureTable(FamilyFigureTable):
    first_month = tables.DateColumn(
        verbose_name=_("First income month"), format="YEAR_MONTH_FORMAT"
    )
    first_per_capita = PerCapitaColumn(verbose_name=_("Then, per person"))
    last_month = tables.DateColumn(
        verbose_name=_("Latest income month"), format="YEAR_MONTH_FORMAT"
    )
    last_per_capita = PerCapitaColumn(verbose_name=_("Latest, per person"))
    income_change = PerCapitaColumn(verbose_name=_("Change"))

    class Meta(FamilyFigureTable.Meta):
        fields = ["case_number", "branch", "status", "intake_date"]
        exclude = ["exit_date", "exit_reason"]
        sequence = [
            "case_number",
            "branch",
            "status",
            "intake_date",
            "first_month",
            "first_per_capita",
            "last_month",
            "last_per_capita",
            "income_change",
        ]


class PersonFigureTable(tables.Table):
    full_name = tables.Column(verbose_name=_("Name"), linkify=True)
    family = tables.Column(
        verbose_name=_("Family"),
        accessor="family__case_number",
        order_by=("family__case_number",),
        linkify=lambda record: record.family.get_absolute_url(),
    )
    branch = tables.Column(
        verbose_name=_("Branch"), accessor="family__branch", order_by=("family__branch__name",)
    )
    relationship = tables.Column(verbose_name=_("Relationship"))
    birth_date = tables.DateColumn(verbose_name=_("Birth date"), format="SHORT_DATE_FORMAT")

    class Meta:
        model = Person
        fields = ["full_name", "family", "branch", "relationship", "birth_date"]
        order_by = ["family", "full_name"]
        attrs = {"class": "table"}
        empty_text = _("No people.")


class PositionFigureTable(tables.Table):
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    enterprise = tables.Column(
        verbose_name=_("Social enterprise"), linkify=True, order_by=("enterprise__name",)
    )
    makhalla = tables.Column(
        verbose_name=_("Makhalla"), accessor="enterprise__makhalla", default="—", orderable=False
    )
    opened_on = tables.DateColumn(verbose_name=_("Opened on"), format="SHORT_DATE_FORMAT")
    closed_on = tables.DateColumn(
        verbose_name=_("Closed on"), format="SHORT_DATE_FORMAT", default="—"
    )

    class Meta:
        model = Position
        fields = ["title", "enterprise", "makhalla", "opened_on", "closed_on"]
        order_by = ["opened_on"]
        attrs = {"class": "table"}
        empty_text = _("No jobs.")


class BusinessFigureTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    family = tables.Column(
        verbose_name=_("Family"),
        accessor="family__case_number",
        order_by=("family__case_number",),
        linkify=lambda record: record.family.get_absolute_url(),
    )
    status = tables.Column(verbose_name=_("Status"))
    started_on = tables.DateColumn(verbose_name=_("Started on"), format="SHORT_DATE_FORMAT")
    closed_on = tables.DateColumn(
        verbose_name=_("Closed on"), format="SHORT_DATE_FORMAT", default="—"
    )

    class Meta:
        model = Business
        fields = ["name", "family", "status", "started_on", "closed_on"]
        order_by = ["started_on"]
        attrs = {"class": "table"}
        empty_text = _("No businesses.")


TABLES = {
    "family": (FamilyFigureTable, ["branch"]),
    "income": (IncomeFigureTable, ["branch"]),
    "person": (PersonFigureTable, ["family__branch"]),
    "position": (PositionFigureTable, ["enterprise__makhalla"]),
    "business": (BusinessFigureTable, ["family"]),
}
