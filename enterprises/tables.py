import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from common.tables import DateColumn, MoneyColumn, NumberColumn
from enterprises.models import Business, Employment, JobPlacement, SocialEnterprise


class SurvivalColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", "—")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return _("yes") if value else _("no")


class EnterpriseTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    sector = tables.Column(verbose_name=_("Sector"))
    branch = tables.Column(verbose_name=_("Branch"))
    makhalla = tables.Column(verbose_name=_("Makhalla"))
    opening_date = DateColumn(verbose_name=_("Opened"))
    status = tables.Column(verbose_name=_("Status"))
    headcount = NumberColumn(verbose_name=_("Headcount"))
    jobs_created = NumberColumn(verbose_name=_("Jobs created"))
    jobs_filled = NumberColumn(verbose_name=_("Jobs filled"))

    class Meta:
        model = SocialEnterprise
        fields = [
            "name",
            "sector",
            "branch",
            "makhalla",
            "opening_date",
            "status",
            "headcount",
            "jobs_created",
            "jobs_filled",
        ]
        empty_text = _("No social enterprises to show.")
        attrs = {"class": "table"}


class EmploymentTable(tables.Table):
    person = tables.Column(verbose_name=_("Employee"), order_by=("person__full_name",))
    family = tables.Column(
        verbose_name=_("Family"),
        accessor="person__family__case_number",
        order_by=("person__family__case_number",),
    )
    enterprise = tables.Column(
        verbose_name=_("Social enterprise"),
        accessor="position__enterprise",
        linkify=True,
        order_by=("position__enterprise__name",),
    )
    position = tables.Column(
        verbose_name=_("Position"),
        accessor="position__title",
        linkify=lambda record: record.position.get_absolute_url(),
    )
    start_date = DateColumn(verbose_name=_("Contract start"))
    end_date = DateColumn(verbose_name=_("Contract end"))
    status = tables.Column(verbose_name=_("Status"))
    rate = MoneyColumn(verbose_name=_("Rate (UZS)"))

    class Meta:
        model = Employment
        fields = [
            "person",
            "family",
            "enterprise",
            "position",
            "start_date",
            "end_date",
            "status",
            "rate",
        ]
        empty_text = _("No jobs to show.")
        attrs = {"class": "table"}


class BusinessTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__full_name",))
    family = tables.Column(verbose_name=_("Family"), accessor="family__case_number")
    branch = tables.Column(verbose_name=_("Branch"), accessor="family__branch")
    sector = tables.Column(verbose_name=_("Sector"))
    status = tables.Column(verbose_name=_("Status"))
    started_on = DateColumn(verbose_name=_("Started"))
    operating_6 = SurvivalColumn(verbose_name=_("At 6 months"))
    operating_12 = SurvivalColumn(verbose_name=_("At 12 months"))
    operating_24 = SurvivalColumn(verbose_name=_("At 24 months"))

    class Meta:
        model = Business
        fields = [
            "name",
            "owner",
            "family",
            "branch",
            "sector",
            "status",
            "started_on",
            "operating_6",
            "operating_12",
            "operating_24",
        ]
        empty_text = _("No businesses to show.")
        attrs = {"class": "table"}


class PlacementTable(tables.Table):
    person = tables.Column(
        verbose_name=_("Family member"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("person__full_name",),
    )
    family = tables.Column(
        verbose_name=_("Family"),
        accessor="person__family__case_number",
        order_by=("person__family__case_number",),
    )
    stage = tables.Column(verbose_name=_("Stage"))
    employer_name = tables.Column(verbose_name=_("Employer"))
    position = tables.Column(verbose_name=_("Position"))
    start_date = DateColumn(verbose_name=_("Start"))
    end_date = DateColumn(verbose_name=_("End"))
    monthly_wage = MoneyColumn(verbose_name=_("Monthly wage (UZS)"))
    verification = tables.Column(verbose_name=_("Wage verified by"))

    class Meta:
        model = JobPlacement
        fields = [
            "person",
            "family",
            "stage",
            "employer_name",
            "position",
            "start_date",
            "end_date",
            "monthly_wage",
            "verification",
        ]
        empty_text = _("No job searches, referrals or placements to show.")
        attrs = {"class": "table"}
