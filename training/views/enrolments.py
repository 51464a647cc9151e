"""Enrolments: a caseworker's list, one learner's page, assessment and drop-out."""

from django.contrib import messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.access import ScopedAccessMixin
from common.exports import ExportMixin
from training import selectors, services
from training.certificates import CERTIFICATE_LANGUAGES
from training.filtersets import EnrolmentFilterSet
from training.forms import (
    AssessmentForm,
    EarlyCompletionForm,
    ReasonForm,
)
from training.models import Enrolment
from training.rules import sessions_over
from training.tables import EnrolmentTable
from training.views.base import ObjectActionView


class EnrolmentListView(ExportMixin, ScopedAccessMixin, SingleTableMixin, FilterView):
    permission_required = "training.view_enrolment"
    model = Enrolment
    table_class = EnrolmentTable
    filterset_class = EnrolmentFilterSet
    template_name = "training/enrolment_list.html"
    table_pagination = {"per_page": 50}
    export_name = "enrolments"

    def get_queryset(self):
        return (
            selectors.with_attendance(super().get_queryset())
            .select_related("person__family", "cohort__course", "cohort__branch", "qualification")
            .order_by("-enrolled_on", "pk")
        )


class EnrolmentDetailView(ScopedAccessMixin, DetailView):
    permission_required = "training.view_enrolment"
    model = Enrolment
    template_name = "training/enrolment_detail.html"

    def get_queryset(self):
        return selectors.with_attendance(
            super()
            .get_queryset()
            .select_related(
                "person__family",
                "cohort__course",
                "cohort__branch",
                "cohort__trainer",
                "qualification",
                "early_completion_by",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolment, user = self.object, self.request.user
        context["attendances"] = enrolment.attendances.select_related("session").order_by(
            "session__date"
        )
        context["qualification"] = getattr(enrolment, "qualification", None)
        context["sees_family"] = user.has_perm("beneficiaries.view_family")
        context["languages"] = CERTIFICATE_LANGUAGES
        if enrolment.is_open and user.has_perm("training.change_enrolment"):
            context["assessment_form"] = AssessmentForm(initial={"score": enrolment.final_score})
            context["withdraw_form"] = ReasonForm()
            counts = selectors.session_counts(enrolment.cohort)
            if not sessions_over(
                end_date=enrolment.cohort.end_date,
                remaining=counts["remaining"],
                today=timezone.localdate(),
            ):
                context["early_form"] = EarlyCompletionForm()
        if context["qualification"] and user.has_perm("training.change_qualification"):
            context["revoke_form"] = ReasonForm()
        return context


class AssessmentView(ObjectActionView):
    permission_required = "training.change_enrolment"
    model = Enrolment
    form_class = AssessmentForm

    def act(self, form):
        qualification = services.final_assessment_record(
            enrolment=self.object,
            score=form.cleaned_data["score"],
            assessed_on=form.cleaned_data["assessed_on"],
            by=self.request.user,
        )
        messages.success(self.request, _("Final assessment saved."))
        if qualification:
            messages.success(
                self.request,
                _("The course is completed: certificate %(number)s issued.")
                % {"number": qualification.number},
            )
        elif not sessions_over(
            end_date=self.object.cohort.end_date,
            remaining=selectors.session_counts(self.object.cohort)["remaining"],
            today=timezone.localdate(),
        ):
            messages.info(
                self.request,
                _("The outcome is recorded once the cohort's sessions are over (%(end)s).")
                % {"end": date_format(self.object.cohort.end_date, "SHORT_DATE_FORMAT")},
            )


class EarlyCompletionView(ObjectActionView):
    """A trainer completes one learner before the cohort's sessions are over, with a reason."""

    permission_required = "training.change_enrolment"
    model = Enrolment
    form_class = EarlyCompletionForm

    def act(self, form):
        qualification = services.enrolment_complete_early(
            enrolment=self.object, reason=form.cleaned_data["reason"], by=self.request.user
        )
        messages.success(
            self.request,
            _("Completed early: certificate %(number)s issued.") % {"number": qualification.number},
        )


class WithdrawView(ObjectActionView):
    permission_required = "training.change_enrolment"
    model = Enrolment
    form_class = ReasonForm

    def act(self, form):
        services.enrolment_withdraw(enrolment=self.object, reason=form.cleaned_data["reason"])
        messages.success(self.request, _("The learner is recorded as dropped out."))
