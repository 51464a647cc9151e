"""The programme report: dashboard, drill-down lists, donor PDF and XLSX, and the report
pages per social enterprise and per course. Programme managers and auditors only."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from accounts.access import PermissionAccessMixin
from accounts.file_views import queue_and_show
from beneficiaries.choices import ReferralService
from common import exports
from common.downloads import AGGREGATE
from common.exports import ExportGuardMixin, ExportMixin
from common.pdf import render_pdf
from common.xlsx import XlsxBook
from enterprises.models import SocialEnterprise
from enterprises.selectors import with_figures
from reports import jobs, outcomes, selectors
from reports.charts import GREEN, GREY, grouped_bars
from reports.figures import BY_SLUG, FIGURES
from reports.forms import PeriodForm
from reports.tables import TABLES, OutcomeFigureTable
from training.models import Cohort, Course, Enrolment
from training.selectors import courses_for_list

REPORT_PERMISSION = "accounts.view_programme_reports"


class ReportAccessMixin(PermissionAccessMixin):
    permission_required = REPORT_PERMISSION


class PeriodMixin:
    """Reads the period form from the query string; an invalid one shows its errors."""

    def get_period_form(self):
        if not hasattr(self, "_period_form"):
            self._period_form = PeriodForm(self.request.GET)
        return self._period_form

    def filter_query(self, period) -> str:
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        if period.branch:
            params["branch"] = period.branch.pk
        return urlencode(params)


class IndexView(ReportAccessMixin, TemplateView):
    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enterprises"] = with_figures(SocialEnterprise.objects.select_related("branch"))
        context["courses"] = courses_for_list(self.request.user)
        return context


class ProgrammeView(ExportGuardMixin, PeriodMixin, ReportAccessMixin, TemplateView):
    """The dashboard; `_export=pdf` or `_export=xlsx` give the donor report (programme
    figures, no personal data: every role that reads the report may download it)."""

    template_name = "reports/programme.html"
    export_formats = ("pdf", "xlsx")
    download_kind = AGGREGATE

    def get(self, request, *args, **kwargs):
        form = self.get_period_form()
        wanted = self.requested_export()
        if wanted and form.is_valid():
            language = form.cleaned_data.get("lang") or translation.get_language()
            with translation.override(language):
                data = report_data(form.period)
                if wanted == "pdf":
                    return pdf_response(request, data)
                return xlsx_response(data)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.get_period_form()
        context["form"] = form
        if form.is_valid():
            context.update(report_data(form.period))
            context["query"] = self.filter_query(form.period)
            context["outcome_base"] = outcome_base("reports:programme_outcome")
        return context


class DonorPdfQueueView(PeriodMixin, ReportAccessMixin, View):
    """The programme page's PDF button: the donor report is made in the background and
    waits in My files. An invalid period goes back to the page, which shows its errors."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = PeriodForm(request.POST)
        if not form.is_valid():
            return HttpResponseRedirect(reverse("reports:programme"))
        return queue_and_show(
            request,
            kind=jobs.DONOR_PDF,
            params=jobs.period_params(form),
            title=jobs.donor_title(form),
        )


def report_data(period) -> dict:
    """Everything the dashboard, the donor PDF and the XLSX show, computed once here so the
    three hold the same numbers."""
    by_branch = selectors.branch_figures(period)
    figures = selectors.programme_figures(period, by_branch)
    referrals_by_service = selectors.referrals_by_service(period)
    branches = selectors.branch_breakdown(period, by_branch)
    years = selectors.exits_by_year(period)
    rows = [
        {"figure": figure, "value": figures[figure.key]}
        for figure in FIGURES
        if figure.key != "income_compared"
    ]
    return {
        "period": period,
        "figures": figures,
        "figure_rows": rows,
        "outcomes": outcomes.outcome_figures(
            outcomes.completer_outcomes(outcomes.period_completions(period))
        ),
        "outcome_methods": outcomes.OUTCOME_METHODS,
        "daycare": selectors.daycare_figures(period),
        "branches": branches,
        "years": years,
        "referrals_by_service": referrals_by_service,
        "charts": [
            grouped_bars(
                [
                    (str(row["branch"]), [row["families_served"], row["restored_exits"]])
                    for row in branches
                ],
                [(_("Families served"), GREY), (_("Left with well-being restored"), GREEN)],
                title=_("Families per branch"),
                description=_("Families served and families that left with well-being restored."),
                dom_id="chart-branches",
            ),
            grouped_bars(
                [(str(row["year"]), [row["exits"], row["restored"]]) for row in years],
                [(_("Families that left"), GREY), (_("Left with well-being restored"), GREEN)],
                title=_("Exits per year"),
                description=_(
                    "Families that left each year, and of them with well-being restored."
                ),
                dom_id="chart-years",
            ),
        ],
        "methods": FIGURES,
    }


def _filename(data, extension: str) -> str:
    period = data["period"]
    branch = f"-{period.branch.code}" if period.branch else ""
    return f"programme-report-{period.start:%Y%m%d}-{period.end:%Y%m%d}{branch}.{extension}"


def pdf_response(request, data) -> HttpResponse:
    pdf = render_pdf("reports/programme_pdf.html", data, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(data, "pdf")}"'
    return response


def xlsx_response(data) -> HttpResponse:
    period = data["period"]
    book = XlsxBook()
    sheet = book.sheet(_("Figures"), widths=[52, 18, 12])
    sheet.title(_("Programme results"))
    sheet.row([_("Period"), period.start, period.end])  # real dates, not text
    sheet.row([_("Branch"), str(period.branch) if period.branch else _("All branches")])
    sheet.blank()
    sheet.row([_("Figure"), _("Value"), _("Share (%)")], bold=True)
    shares = {
        "restored_exits": data["figures"]["restored_share"],
        "jobs_filled": data["figures"]["filled_share"],
        "businesses_survived": data["figures"]["survival_share"],
        "above_poverty_line": data["figures"]["poverty_share"],
    }
    for row in data["figure_rows"]:
        sheet.row([row["figure"].label, row["value"], shares.get(row["figure"].key)])
    sheet.row(
        [
            _("Median change of income per person since intake"),
            data["figures"]["median_income_change"],
        ]
    )
    # The figures the dashboard and the PDF give beside the others.
    for label, key in (
        (_("Families whose income change is compared"), "income_compared"),
        (_("Social enterprises with jobs created"), "job_enterprises"),
        (_("Makhallas of those social enterprises"), "job_makhallas"),
    ):
        sheet.row([label, data["figures"][key]])
    # The employment outcomes of training and the day care, as the dashboard and PDF give
    # them (reports.outcomes, daycare.figures).
    outcome = data["outcomes"]
    sheet.blank()
    sheet.row([_("Employment outcomes of training")], bold=True)
    for item in outcomes.OUTCOME_LISTS:  # the counts, each with its drill-down's label
        rate = outcome.get(f"q{item.quarter}_rate") if item.slug.endswith("employed") else None
        sheet.row([item.label, outcome[item.key], rate])
    sheet.row([_("Median monthly earnings, 2nd quarter after"), outcome["q2_median_earnings"]])
    sheet.blank()
    sheet.row([_("Day care at the social centres")], bold=True)
    for label, key in (
        (_("Children cared for"), "children"),
        (_("Care hours"), "care_hours"),
        (_("Hours of parents' training made possible"), "training_hours"),
        (_("Hours of parents' work made possible"), "work_hours"),
    ):
        sheet.row([label, data["daycare"][key]])
    branches = book.sheet(_("Branches"), widths=[24], freeze_header=True)
    branches.row(
        [
            _("Branch"),
            _("Families served"),
            _("Active families"),
            _("Families that left"),
            _("Left with well-being restored"),
            _("Share (%)"),
            _("Children in those families"),
            _("Children returned to their families"),
            _("Jobs created at social enterprises"),
        ],
        bold=True,
    )
    for row in data["branches"]:
        branches.row(
            [
                str(row["branch"]),
                row["families_served"],
                row["active_families"],
                row["exits"],
                row["restored_exits"],
                row["restored_share"],
                row["children"],
                row["returned_children"],
                row["jobs_created"],
            ]
        )
    years = book.sheet(_("Exits per year"), freeze_header=True)
    years.row([_("Year"), _("Families that left"), _("Left with well-being restored")], bold=True)
    for row in data["years"]:
        years.row([row["year"], row["exits"], row["restored"]])
    methods = book.sheet(_("Methods"), widths=[40, 120])
    methods.row([_("Figure"), _("Definition")], bold=True)
    for figure in data["methods"]:
        methods.row([figure.label, figure.definition])
    for label, definition in data["outcome_methods"]:
        methods.row([label, definition])
    return exports.xlsx_response(book.bytes(), _filename(data, "xlsx"))


class FigureRecordsView(
    ExportMixin, PeriodMixin, SingleTableMixin, ReportAccessMixin, TemplateView
):
    """The records that make up one figure, with the dashboard's filters; as many rows as
    the figure says. Exporting them is exporting personal data."""

    template_name = "reports/figure_records.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        self.figure = BY_SLUG.get(kwargs["figure"])
        if self.figure is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_table_class(self):
        return TABLES[self.figure.kind][0]

    def get_table_data(self):
        form = self.get_period_form()
        if not form.is_valid():
            return self.get_table_class()._meta.model.objects.none()
        related = TABLES[self.figure.kind][1]
        records = self.figure.records(form.period).select_related(*related)
        if self.figure.kind == "referral" and self.service:
            records = records.filter(service=self.service)
        return records

    @property
    def service(self) -> str:
        """The referral figures' drill-down by service (the report's per-service table)."""
        service = self.request.GET.get("service", "")
        return service if service in ReferralService.values else ""

    def get_export_filename(self, export_format):
        return f"{self.figure.slug}.{export_format}"

    def export_title(self):
        return str(self.figure.label)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.get_period_form()
        context["form"] = form
        context["figure"] = self.figure
        if form.is_valid():
            context["query"] = self.filter_query(form.period)
            if self.figure.kind == "referral" and self.service:
                context["service"] = ReferralService(self.service).label
            context["back_url"] = f"{reverse('reports:programme')}?{context['query']}"
        return context


class EnterpriseReportView(ReportAccessMixin, TemplateView):
    template_name = "reports/enterprise_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = get_object_or_404(
            SocialEnterprise.objects.select_related("branch", "makhalla"), pk=kwargs["pk"]
        )
        context["enterprise"] = enterprise
        context["report"] = outcomes.enterprise_report(enterprise)
        return context


class CourseReportView(ReportAccessMixin, TemplateView):
    template_name = "reports/course_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        course = get_object_or_404(Course, pk=kwargs["pk"])
        context["course"] = course
        context["report"] = outcomes.course_report(course)
        context["outcome_base"] = outcome_base("reports:course_outcome", course.pk)
        context["outcome_methods"] = outcomes.OUTCOME_METHODS
        return context


def outcome_base(name: str, *args) -> str:
    """The drill-down URL of the outcome lists up to their slug, for the links to each."""
    return reverse(name, args=[*args, "completers"]).removesuffix("completers/")


class OutcomeRecordsView(ExportMixin, SingleTableMixin, ReportAccessMixin, TemplateView):
    """The completions behind one employment outcome of training (reports.outcomes): as
    many rows as the figure says. Exporting them is exporting personal data."""

    template_name = "reports/outcome_records.html"
    table_class = OutcomeFigureTable
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        self.item = outcomes.OUTCOME_BY_SLUG.get(kwargs["slug"])
        if self.item is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def completions(self):
        raise NotImplementedError

    def get_table_data(self):
        enrolments = self.completions()
        if enrolments is None:
            return []
        return outcomes.outcome_table_rows(outcomes.completer_outcomes(enrolments), self.item.slug)

    def get_export_filename(self, export_format):
        return f"{self.item.slug}.{export_format}"

    def export_title(self):
        return str(self.item.label)

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, **kwargs)


class ProgrammeOutcomeRecordsView(PeriodMixin, OutcomeRecordsView):
    def completions(self):
        form = self.get_period_form()
        return outcomes.period_completions(form.period) if form.is_valid() else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.get_period_form()
        context["form"] = form
        context["action"] = reverse("reports:programme_outcome", args=[self.item.slug])
        if form.is_valid():
            context["back_url"] = f"{reverse('reports:programme')}?{self.filter_query(form.period)}"
        return context


class CourseOutcomeRecordsView(OutcomeRecordsView):
    """One course's (or, with `?cohort=`, one of its cohorts') completions behind a figure."""

    def completions(self):
        self.course = get_object_or_404(Course, pk=self.kwargs["pk"])
        self.cohort = None
        enrolments = Enrolment.objects.filter(cohort__course=self.course)
        if self.request.GET.get("cohort"):
            try:
                cohort_id = int(self.request.GET["cohort"])
            except ValueError:
                raise Http404 from None
            self.cohort = get_object_or_404(Cohort, pk=cohort_id, course=self.course)
            enrolments = enrolments.filter(cohort=self.cohort)
        return enrolments

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["course"] = self.course
        context["cohort"] = self.cohort
        context["back_url"] = reverse("reports:course", args=[self.course.pk])
        return context
