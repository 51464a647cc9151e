"""Early exits with well-being restored (four eyes): a caseworker's request, the programme
managers' queue of pending requests, and the page where one of them decides.

A family outside the user's branches is 404; a role that may not request or decide, or a
family not in the caseworker's own caseload, is 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.access import PermissionAccessMixin
from beneficiaries.access import may_edit_family
from common.views import ServiceFormView
from wellbeing.forms import ExitDecisionForm, ExitRequestForm
from wellbeing.models import ExitRequest
from wellbeing.selectors import family_checklist, pending_exit_requests
from wellbeing.services import exit_request_create, exit_request_decide
from wellbeing.views import FamilyWellbeingMixin


class ExitRequestCreateView(FamilyWellbeingMixin, ServiceFormView):
    permission_required = "wellbeing.add_exitrequest"
    template_name = "wellbeing/exit_request_form.html"
    form_class = ExitRequestForm
    success_message = gettext_lazy(
        "The request is sent: a programme manager will approve or refuse the exit."
    )

    def get_form(self, form_class=None):
        family = self.family  # 404 before anything else
        if not (family.is_open and may_edit_family(self.request.user, family)):
            raise PermissionDenied
        return super().get_form(form_class)

    def get_initial(self):
        return {"exit_date": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["checklist"] = family_checklist(self.family)[2]
        return context

    def perform(self, form):
        return exit_request_create(
            family=self.family,
            exit_date=form.cleaned_data["exit_date"],
            reason=form.cleaned_data["reason"],
            requested_by=self.request.user,
        )

    def get_success_url(self):
        return self.family.get_absolute_url()


class ExitRequestQueueView(PermissionAccessMixin, TemplateView):
    """The requests waiting for a programme manager's decision, oldest first, and the latest
    decided ones."""

    permission_required = "wellbeing.decide_exitrequest"
    template_name = "wellbeing/exit_request_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = ExitRequest.objects.for_user(self.request.user).select_related(
            "family", "requested_by", "decided_by"
        )
        context["pending"] = pending_exit_requests(self.request.user).select_related(
            "family", "requested_by"
        )
        context["decided"] = visible.exclude(status=ExitRequest.Status.PENDING).order_by(
            "-decided_at", "-id"
        )[:20]
        return context


class ExitRequestDetailView(PermissionAccessMixin, ServiceFormView):
    """One request with the family's checklist now; a programme manager who did not make it
    approves or refuses it here."""

    permission_required = "wellbeing.view_exitrequest"
    template_name = "wellbeing/exit_request_detail.html"
    form_class = ExitDecisionForm

    @cached_property
    def exit_request(self) -> ExitRequest:
        return get_object_or_404(
            ExitRequest.objects.for_user(self.request.user).select_related(
                "family", "requested_by", "decided_by"
            ),
            pk=self.kwargs["pk"],
        )

    def post(self, request, *args, **kwargs):
        self.exit_request  # noqa: B018 - 404 before 403
        if not request.user.has_perm("wellbeing.decide_exitrequest"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exit_request = self.exit_request
        user = self.request.user
        context["exit_request"] = exit_request
        context["family"] = exit_request.family
        if exit_request.status == ExitRequest.Status.PENDING:
            context["checklist"] = family_checklist(exit_request.family)[2]
        context["may_decide"] = (
            exit_request.status == ExitRequest.Status.PENDING
            and user.has_perm("wellbeing.decide_exitrequest")
            and exit_request.requested_by_id != user.pk
        )
        context["own_request"] = exit_request.requested_by_id == user.pk
        return context

    def perform(self, form):
        return exit_request_decide(
            request=self.exit_request,
            approve=form.cleaned_data["decision"] == ExitDecisionForm.APPROVE,
            by=self.request.user,
            notes=form.cleaned_data["notes"],
        )

    def get_success_message(self):
        if self.result.status == ExitRequest.Status.APPROVED:
            return gettext_lazy("Approved: the family has exited with well-being restored.")
        return gettext_lazy("Refused: the family stays in the service.")

    def get_success_url(self):
        return reverse("wellbeing:exit_request_queue")
