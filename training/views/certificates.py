"""Certificates: the PDF, revoking one, and the public verification page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin

from accounts.access import PublicAccessMixin, ScopedAccessMixin
from common.codes import normalise_code
from common.downloads import PERSONAL, DownloadMixin
from training import selectors, services
from training.certificates import CERTIFICATE_LANGUAGES, render_certificate
from training.forms import (
    ReasonForm,
)
from training.models import Qualification
from training.views.base import ObjectActionView


def verify_url(request, qualification) -> str:
    return request.build_absolute_uri(
        reverse("training:verify", args=[qualification.verification_code])
    )


class CertificatePdfView(DownloadMixin, ScopedAccessMixin, SingleObjectMixin, TemplateView):
    download_kind = PERSONAL
    permission_required = "training.view_qualification"
    model = Qualification

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "enrolment__person",
                "enrolment__cohort__course",
                "enrolment__cohort__branch",
                "enrolment__cohort__trainer",
            )
        )

    def get(self, request, *args, **kwargs):
        language = kwargs["language"]
        if language not in CERTIFICATE_LANGUAGES:
            raise Http404(_("No certificate in that language."))
        qualification = self.get_object()
        if not qualification.is_valid:
            raise Http404(_("This certificate has been revoked."))
        pdf = render_certificate(
            qualification, language=language, verify_url=verify_url(request, qualification)
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="certificate-{qualification.number}-{language}.pdf"'
        )
        return response


class RevokeView(ObjectActionView):
    permission_required = "training.change_qualification"
    model = Qualification
    form_class = ReasonForm

    def act(self, form):
        services.qualification_revoke(qualification=self.object, reason=form.cleaned_data["reason"])
        messages.success(self.request, _("The certificate is revoked."))


class VerifyView(PublicAccessMixin, TemplateView):
    """Public: whether a certificate is valid, the holder's name, the course, the date. Nothing else."""

    template_name = "training/verify.html"

    def get(self, request, *args, **kwargs):
        code = normalise_code(request.GET.get("code", ""))
        if code and not kwargs.get("code"):
            return redirect("training:verify", code=code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = kwargs.get("code")
        context["code"] = code
        if code:
            qualification = (
                Qualification.objects.filter(verification_code=code.upper())
                .select_related("enrolment__person", "enrolment__cohort__course")
                .first()
            )
            context["found"] = qualification is not None
            if qualification is not None:
                context["valid"] = qualification.is_valid
                context["holder"] = qualification.enrolment.person.full_name
                context["course"] = str(qualification.enrolment.cohort.course)
                context["issued_on"] = qualification.issued_on
                context["hours_attended"] = selectors.hours_attended(qualification.enrolment)
                context["early_reason"] = qualification.enrolment.early_completion_reason
        return context

    def render_to_response(self, context, **response_kwargs):
        if context.get("code") and not context.get("found"):
            response_kwargs.setdefault("status", 404)
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response
