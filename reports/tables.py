import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Family, Person, Referral
from common.money import round_soum
from common.tables import DateColumn, MoneyColumn, MonthColumn
from enterprises.models import Business, Position


def _whole_soum(value):
    """The selector's per-person figures are floats (for ordering): whole soum, half up."""
    return None if value is None else round_soum(str(value))


class PerCapitaColumn(MoneyColumn):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", "—")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return super().render(_whole_soum(value))

    def value(self, value):
        return _whole_soum(value)


class FamilyFigureTable(tables.Table):
    case_number = tables.Column(verbose_name=_("Case number"), linkify=True)
    branch = tables.Column(verbose_name=_("Branch"), order_by=("branch__name",))
    status = tables.Column(verbose_name=_("Status"))
    intake_date = DateColumn(verbose_name=_("Intake date"))
    exit_date = DateColumn(verbose_name=_("Exit date"), default="—")
    exit_reason = tables.Column(verbose_name=_("Exit reason"), default="—")

    class Meta:
        model = Family
        fields = ["case_number", "branch", "status", "intake_date", "exit_date", "exit_reason"]
        order_by = ["case_number"]
        attrs = {"class": "table"}
        empty_text = _("No families.")


class IncomeFigureTable(FamilyFigureTable):
    first_month = MonthColumn(verbose_name=_("First income month"))
    first_per_capita = PerCapitaColumn(verbose_name=_("Then, per person"))
    last_month = MonthColumn(verbose_name=_("Latest income month"))
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
    birth_date = DateColumn(verbose_name=_("Birth date"))

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
    opened_on = DateColumn(verbose_name=_("Opened on"))
    closed_on = DateColumn(verbose_name=_("Closed on"), default="—")

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
    started_on = DateColumn(verbose_name=_("Started on"))
    closed_on = DateColumn(verbose_name=_("Closed on"), default="—")

    class Meta:
        model = Business
        fields = ["name", "family", "status", "started_on", "closed_on"]
        order_by = ["started_on"]
        attrs = {"class": "table"}
        empty_text = _("No businesses.")


class ReferralFigureTable(tables.Table):
    """The referrals behind a figure: who, to which service, its steps. Not the reason or
    the outcome: they are sensitive like case notes and stay on the referral."""

    sent_on = DateColumn(verbose_name=_("Sent on"), linkify=True)
    family = tables.Column(
        verbose_name=_("Family"),
        accessor="family__case_number",
        order_by=("family__case_number",),
        linkify=lambda record: record.family.get_absolute_url(),
    )
    branch = tables.Column(
        verbose_name=_("Branch"), accessor="family__branch", order_by=("family__branch__name",)
    )
    person = tables.Column(
        verbose_name=_("Family member"),
        accessor="person__full_name",
        order_by=("person__full_name",),
    )
    service = tables.Column(verbose_name=_("Service"))
    partner = tables.Column(verbose_name=_("Partner"), default="—")
    status = tables.Column(verbose_name=_("Status"))
    served_on = DateColumn(verbose_name=_("Service given on"), default="—")

    class Meta:
        model = Referral
        fields = [
            "sent_on",
            "family",
            "branch",
            "person",
            "service",
            "partner",
            "status",
            "served_on",
        ]
        order_by = ["sent_on"]
        attrs = {"class": "table"}
        empty_text = _("No referrals.")


TABLES = {
    "family": (FamilyFigureTable, ["branch"]),
    "income": (IncomeFigureTable, ["branch"]),
    "person": (PersonFigureTable, ["family__branch"]),
    "position": (PositionFigureTable, ["enterprise__makhalla"]),
    "business": (BusinessFigureTable, ["family"]),
    "referral": (ReferralFigureTable, ["family__branch", "person"]),
}


class OutcomeFigureTable(tables.Table):
    """The completions behind one employment outcome (reports.outcomes.outcome_table_rows)."""

    person = tables.Column(
        verbose_name=_("Name"), linkify=lambda record: record["person"].get_absolute_url()
    )
    family = tables.Column(
        verbose_name=_("Family"), linkify=lambda record: record["person"].get_absolute_url()
    )
    branch = tables.Column(verbose_name=_("Branch"))
    course = tables.Column(verbose_name=_("Course"))
    cohort_start = DateColumn(verbose_name=_("Cohort start"))
    completed_on = DateColumn(verbose_name=_("Completed on"))
    quarter_first = DateColumn(verbose_name=_("Quarter from"))
    quarter_last = DateColumn(verbose_name=_("Quarter to"))
    state = tables.Column(verbose_name=_("In that quarter"))
    employed_by = tables.Column(verbose_name=_("Employed by"), default="—")
    monthly_earnings = MoneyColumn(verbose_name=_("Monthly earnings"), default="—")

    class Meta:
        attrs = {"class": "table"}
        orderable = False
        empty_text = _("No completers.")
