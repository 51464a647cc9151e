"""Pages of a family's income, assessments and progress. Thin: forms validate, services write.

Income, assessments and scores are sensitive: a role without the permission gets 403, a
family outside the user's branches (or reached only through a cohort or an enterprise) 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.access import PermissionAccessMixin, get_scoped_object_or_404
from accounts.readlog import Kind as ReadKind
from accounts.readlog import record_read
from beneficiaries.access import sees_sensitive
from beneficiaries.choices import IncomeSource
from beneficiaries.models import Family, IncomeRecord
from common.charts import income_chart, score_chart
from common.downloads import PERSONAL, DownloadMixin
from common.exports import ExportMixin
from common.months import add_months, month_start
from common.pdf import render_pdf
from common.views import ServiceFormMixin, ServiceFormView
from wellbeing.filtersets import IncomeRecordFilterSet
from wellbeing.forms import AssessmentForm, IncomeRecordForm, assessment_day
from wellbeing.models import Assessment, Domain, DomainLevel, Rating
from wellbeing.selectors import (
    family_assessments,
    income_months,
    last_full_month,
    propose_levels,
    wellbeing_summary,
)
from wellbeing.services import (
    assessment_record,
    income_record_create,
    income_record_delete,
    income_record_update,
    school_age_children,
)
from wellbeing.tables import IncomeRecordTable

PROGRESS_MONTHS = 24


class FamilyWellbeingMixin(PermissionAccessMixin):
    """The family comes from the URL through `Family.objects.for_user`, and only users who
    may see its sensitive data reach it (others: 404)."""

    @cached_property
    def family(self) -> Family:
        family = get_scoped_object_or_404(
            Family.objects.select_related("branch", "caseworker"),
            self.request.user,
            pk=self.kwargs["family_pk"],
        )
        if not sees_sensitive(self.request.user, family):
            raise Http404
        return family

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["family"] = self.family
        context["can_change_income"] = self.request.user.has_perm(
            "beneficiaries.change_incomerecord"
        )
        context["can_add_assessment"] = self.request.user.has_perm("wellbeing.add_assessment")
        return context


# --- Income ---------------------------------------------------------------------------------


class IncomeListView(ExportMixin, FamilyWellbeingMixin, SingleTableMixin, FilterView):
    permission_required = "beneficiaries.view_incomerecord"
    template_name = "wellbeing/income_list.html"
    table_class = IncomeRecordTable
    filterset_class = IncomeRecordFilterSet
    paginate_by = 24
    export_name = "income"

    def get_queryset(self):
        return (
            IncomeRecord.objects.for_user(self.request.user)
            .filter(family=self.family)
            .select_related("person", "origin_type")
        )

    def get_export_filename(self, export_format):
        return f"income-{self.family.case_number}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        last = last_full_month()
        series = income_months([self.family.pk], add_months(last, -11), last)[self.family.pk]
        context["months"] = list(reversed(series))
        return context


class IncomeFormMixin(FamilyWellbeingMixin, ServiceFormMixin):
    """`perform` saves the record through its service."""

    template_name = "wellbeing/income_form.html"
    form_class = IncomeRecordForm
    success_message = gettext_lazy("The income record was saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["family"] = self.family
        return kwargs

    def get_success_url(self):
        return reverse("wellbeing:income_list", args=[self.family.pk])


class IncomeCreateView(IncomeFormMixin, FormView):
    permission_required = "beneficiaries.add_incomerecord"

    def get_initial(self):
        return {"month": last_full_month(), "source": IncomeSource.EMPLOYMENT}

    def perform(self, form):
        data = form.cleaned_data
        income_record_create(
            family=self.family,
            month=data["month"],
            source=data["source"],
            amount=data["amount"],
            person=data["person"],
            evidence=data["evidence"],
            recorded_by=self.request.user,
        )


class ManualRecordMixin:
    @cached_property
    def record(self) -> IncomeRecord:
        record = get_object_or_404(
            IncomeRecord.objects.for_user(self.request.user).filter(family=self.family),
            pk=self.kwargs["pk"],
        )
        if record.is_automatic:
            raise PermissionDenied(_("This record changes only through its origin."))
        return record


class IncomeUpdateView(ManualRecordMixin, IncomeFormMixin, FormView):
    permission_required = "beneficiaries.change_incomerecord"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.record
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = self.record
        return context

    def perform(self, form):
        data = form.cleaned_data
        # The form has written the cleaned values onto the instance; read it afresh.
        self.record.refresh_from_db()
        income_record_update(
            record=self.record,
            month=data["month"],
            source=data["source"],
            amount=data["amount"],
            person=data["person"],
            evidence=data["evidence"],
        )


class IncomeDeleteView(ManualRecordMixin, FamilyWellbeingMixin, View):
    permission_required = "beneficiaries.delete_incomerecord"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        income_record_delete(record=self.record)
        messages.success(request, _("The income record was deleted."))
        return HttpResponseRedirect(reverse("wellbeing:income_list", args=[self.family.pk]))


# --- Assessments ------------------------------------------------------------------------------


class AssessmentListView(FamilyWellbeingMixin, TemplateView):
    permission_required = "wellbeing.view_assessment"
    template_name = "wellbeing/assessment_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessments"] = family_assessments(self.family, self.request.user)
        context["wellbeing"] = wellbeing_summary(self.family, self.request.user)
        return context


class AssessmentDetailView(FamilyWellbeingMixin, TemplateView):
    permission_required = "wellbeing.view_assessment"
    template_name = "wellbeing/assessment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = get_object_or_404(
            Assessment.objects.for_user(self.request.user)
            .filter(family=self.family)
            .select_related("recorded_by")
            .prefetch_related("children_out_of_school"),
            pk=self.kwargs["pk"],
        )
        ratings = list(
            Rating.objects.filter(assessment=assessment)
            .select_related("domain")
            .order_by("domain__position")
        )
        descriptions = {
            (level.domain_id, level.level): level.description
            for level in DomainLevel.objects.filter(domain__in=[r.domain_id for r in ratings])
        }
        for rating in ratings:
            rating.description = descriptions.get((rating.domain_id, rating.level), "")
        scores = {a.pk: a for a in family_assessments(self.family, self.request.user)}
        context["assessment"] = assessment
        context["score"] = getattr(scores.get(assessment.pk), "score", None)
        context["ratings"] = ratings
        return context


class AssessmentCreateView(FamilyWellbeingMixin, ServiceFormView):
    permission_required = "wellbeing.add_assessment"
    template_name = "wellbeing/assessment_form.html"
    success_message = gettext_lazy("The assessment was recorded.")

    @cached_property
    def domains(self) -> list[Domain]:
        return list(
            Domain.objects.filter(is_active=True).prefetch_related(
                Prefetch("levels", queryset=DomainLevel.objects.order_by("level"))
            )
        )

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        probe = AssessmentForm(data, domains=[], proposals={}, children=self._children())
        self.day = assessment_day(probe)
        self.proposal = propose_levels([self.family.pk], self.day)[self.family.pk]
        proposals = {domain.pk: self.proposal.level_for(domain) for domain in self.domains}
        return AssessmentForm(
            data,
            initial=self.get_initial(),
            domains=self.domains,
            proposals=proposals,
            children=self._children(),
        )

    def _children(self):
        return school_age_children(self.family, timezone.localdate())

    def get_initial(self):
        has_any = Assessment.objects.filter(family=self.family).exists()
        if not has_any:
            kind = "intake"
        elif self.family.status == "exited":
            kind = "follow_up"
        else:
            kind = "six_monthly"
        return {"date": timezone.localdate(), "kind": kind}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposal"] = self.proposal
        context["proposal_day"] = self.day
        return context

    def perform(self, form):
        data = form.cleaned_data
        return assessment_record(
            family=self.family,
            day=data["date"],
            kind=data["kind"],
            levels=form.levels(),
            reasons=form.reasons(),
            children_out_of_school=data["children_out_of_school"],
            notes=data["notes"],
            recorded_by=self.request.user,
        )

    def get_success_url(self):
        return reverse("wellbeing:progress", args=[self.result.family_id])


# --- Progress ---------------------------------------------------------------------------------


def progress_context(family, user) -> dict:
    """Charts, checklist and the assessment table for the page and the PDF."""
    last = last_full_month()
    start = max(month_start(family.intake_date), add_months(last, -(PROGRESS_MONTHS - 1)))
    if family.exit_date:
        last = min(last, add_months(month_start(family.exit_date), 12))
        start = min(start, add_months(last, -(PROGRESS_MONTHS - 1)))
    series = income_months([family.pk], start, last)[family.pk] if start <= last else []
    assessments = family_assessments(family, user)
    summary = wellbeing_summary(family, user)
    labels = {
        "above": _("Per-capita income at or above the line"),
        "below": _("Per-capita income below the line"),
        "line": _("Poverty line"),
        "no_line": _("No poverty line published for the month"),
        "green": _("Green"),
        "amber": _("Amber"),
        "red": _("Red"),
    }
    return {
        "family": family,
        "wellbeing": summary,
        "assessments": assessments,
        "months": series,
        "income_chart": income_chart(
            series,
            title=_("Per-capita income and the poverty line"),
            description=_(
                "Monthly household income per member in UZS, bars, against the poverty line in force, dashed."
            ),
            labels=labels,
        ),
        "score_chart": score_chart(
            assessments,
            title=_("Well-being score over time"),
            description=_("The score of each assessment, 0 to 100, over the traffic-light bands."),
            rule=summary["rule"],
            labels=labels,
        ),
        "generated": timezone.localtime(),
    }


class ProgressView(FamilyWellbeingMixin, TemplateView):
    permission_required = "wellbeing.view_familyscore"
    template_name = "wellbeing/progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record_read(self.request, ReadKind.PROGRESS, self.family)
        context.update(progress_context(self.family, self.request.user))
        return context


class ProgressPdfView(DownloadMixin, FamilyWellbeingMixin, View):
    """The printable family progress report for case conferences (common.pdf)."""

    permission_required = "wellbeing.view_familyscore"
    download_kind = PERSONAL

    def get(self, request, *args, **kwargs):
        context = progress_context(self.family, request.user)
        pdf = render_pdf("wellbeing/progress_pdf.html", context, request=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="progress-{self.family.case_number}.pdf"'
        )
        return response
