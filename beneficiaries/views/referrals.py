"""Referral pages: refer a member (from the family's page), a referral's file with its steps,
and the specialist's queue of the referrals assigned to them."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from accounts.access import PermissionAccessMixin, ScopedAccessMixin, get_scoped_object_or_404
from accounts.roles import Role, has_role
from beneficiaries.access import may_refer
from beneficiaries.choices import ReferralStatus
from beneficiaries.forms.referrals import ReferralForm, ReferralStepForm
from beneficiaries.models import Family, Referral
from beneficiaries.referrals import (
    TRANSITIONS,
    may_take,
    referral_send,
    referral_step,
    specialist_queue,
)
from common.views import ServiceFormView

# URL slug -> step.
STEPS = {
    "accept": ReferralStatus.ACCEPTED,
    "decline": ReferralStatus.DECLINED,
    "serve": ReferralStatus.SERVED,
    "close": ReferralStatus.CLOSED,
}
STEP_TITLES = {
    ReferralStatus.ACCEPTED: gettext_lazy("Accept the referral"),
    ReferralStatus.DECLINED: gettext_lazy("Decline the referral"),
    ReferralStatus.SERVED: gettext_lazy("Record the service given"),
    ReferralStatus.CLOSED: gettext_lazy("Close the referral"),
}


def steps_for(user, referral) -> list[dict]:
    """The steps the user may take on the referral now, as links."""
    return [
        {
            "url": reverse(f"beneficiaries:referral_{slug}", args=[referral.pk]),
            "label": STEP_TITLES[step],
        }
        for slug, step in STEPS.items()
        if referral.status in TRANSITIONS[step] and may_take(user, referral, step)
    ]


class ReferralCreateView(PermissionAccessMixin, ServiceFormView):
    permission_required = ("beneficiaries.view_family", "beneficiaries.add_referral")
    form_class = ReferralForm
    template_name = "beneficiaries/family_action.html"

    @cached_property
    def family(self):
        family = get_scoped_object_or_404(
            Family.objects.select_related("branch"), self.request.user, pk=self.kwargs["pk"]
        )
        if not may_refer(self.request.user, family):
            raise PermissionDenied
        return family

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "family": self.family,
            "may_override": has_role(self.request.user, Role.PROGRAMME_MANAGER),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            family=self.family,
            title=_("Refer to a service"),
            intro=_(
                "An outside partner receives the member's data only with their consent to "
                "that sharing (a guardian's for a child)."
            ),
            submit=_("Send the referral"),
            **kwargs,
        )

    def get_success_message(self):
        return _("The referral is sent.")

    def get_success_url(self):
        return self.result.get_absolute_url()

    def perform(self, form):
        data = form.cleaned_data
        return referral_send(
            family=self.family,
            person=data["person"],
            service=data["service"],
            partner=data["partner"],
            assigned_to=data["assigned_to"],
            reason=data["reason"],
            urgency=data["urgency"],
            sent_on=data["sent_on"],
            consent_override_reason=data.get("consent_override_reason", ""),
            made_by=self.request.user,
        )


class ReferralDetailView(ScopedAccessMixin, DetailView):
    """A referral's file: reason, steps, outcome; the steps the user may take."""

    model = Referral
    permission_required = "beneficiaries.view_referral"
    template_name = "beneficiaries/referral_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("family", "person", "made_by", "assigned_to", "consent_overridden_by")
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            steps=steps_for(user, self.object),
            family_link=user.has_perm("beneficiaries.view_family")
            and Family.objects.for_user(user).filter(pk=self.object.family_id).exists(),
            **kwargs,
        )


class ReferralStepView(PermissionAccessMixin, ServiceFormView):
    permission_required = "beneficiaries.view_referral"
    form_class = ReferralStepForm
    template_name = "beneficiaries/referral_step.html"
    slug = ""

    @cached_property
    def step(self):
        return STEPS[self.slug]

    @cached_property
    def referral(self):
        referral = get_scoped_object_or_404(
            Referral.objects.select_related("family", "person"),
            self.request.user,
            pk=self.kwargs["pk"],
        )
        if not may_take(self.request.user, referral, self.step):
            raise PermissionDenied
        return referral

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "step": self.step}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            referral=self.referral, title=STEP_TITLES[self.step], **kwargs
        )

    def get_success_message(self):
        return _("The referral is now “%(status)s”.") % {"status": ReferralStatus(self.step).label}

    def get_success_url(self):
        return self.referral.get_absolute_url()

    def perform(self, form):
        data = form.cleaned_data
        return referral_step(
            referral=self.referral,
            step=self.step,
            by=self.request.user,
            on=data["on"],
            decline_reason=data.get("decline_reason", ""),
            service_given=data.get("service_given", ""),
            outcome=data.get("outcome", ""),
        )


class ReferralQueueView(PermissionAccessMixin, ListView):
    """A specialist's queue: the internal referrals assigned to them at their centre."""

    permission_required = "beneficiaries.answer_referral"
    template_name = "beneficiaries/referral_queue.html"
    paginate_by = 50
    context_object_name = "referrals"

    def get_queryset(self):
        referrals = specialist_queue(self.request.user)
        if self.status:
            referrals = referrals.filter(status=self.status)
        return referrals

    @cached_property
    def status(self) -> str:
        status = self.request.GET.get("status", "")
        return status if status in ReferralStatus.values else ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=ReferralStatus.choices, status=self.status, **kwargs
        )


def step_view(slug):
    if slug not in STEPS:
        raise Http404
    return ReferralStepView.as_view(slug=slug)
