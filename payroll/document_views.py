"""The documents for employees: income certificates (issue, list, detail, PDF, revoke, the
public verification page) and the year's statement. Thin: scope by `for_user`, writes by
payroll.certificates."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView, View
from django_filters.views import FilterView

from accounts.access import PermissionAccessMixin, PublicAccessMixin, ScopedAccessMixin
from common.codes import normalise_code
from common.downloads import PERSONAL, DownloadMixin
from common.views import ServiceFormView
from payroll import certificates
from payroll.document_forms import (
    LANGUAGE_CHOICES,
    IncomeCertificateFilterSet,
    IncomeCertificateForm,
    RevokeForm,
    YearStatementForm,
    last_full_months,
)
from payroll.models import IncomeCertificate
from payroll.people_documents import LANGUAGES, income_certificate_pdf, year_statement_pdf
from payroll.selectors import employees_of, payroll_enterprises


def verify_url(request, certificate) -> str:
    return request.build_absolute_uri(
        reverse("payroll:certificate_verify", args=[certificate.verification_code])
    )


class CertificateListView(ScopedAccessMixin, FilterView):
    model = IncomeCertificate
    permission_required = "payroll.view_incomecertificate"
    template_name = "payroll/certificates/list.html"
    filterset_class = IncomeCertificateFilterSet
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "person")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "can_issue": self.request.user.has_perm("payroll.add_incomecertificate"),
        }


class CertificateCreateView(PermissionAccessMixin, ServiceFormView):
    permission_required = "payroll.add_incomecertificate"
    form_class = IncomeCertificateForm
    template_name = "payroll/form.html"
    extra_context = {"title": gettext_lazy("Issue an income certificate")}
    success_message = gettext_lazy("The income certificate is issued.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        first, last = last_full_months(12)
        initial = {"first_month": first, "last_month": last}
        for field in ("enterprise", "person"):
            if self.request.GET.get(field, "").isdigit():
                initial[field] = int(self.request.GET[field])
        return initial

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "cancel_url": reverse("payroll:certificate_list"),
        }

    def perform(self, form):
        return certificates.income_certificate_issue(
            enterprise=form.cleaned_data["enterprise"],
            person=form.cleaned_data["person"],
            first_month=form.cleaned_data["first_month"],
            last_month=form.cleaned_data["last_month"],
            issued_by=self.request.user,
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class CertificateDetailView(ScopedAccessMixin, DetailView):
    model = IncomeCertificate
    permission_required = "payroll.view_incomecertificate"
    template_name = "payroll/certificates/detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "person", "revoked_by")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "rows": self.object.month_rows(),
            "languages": LANGUAGE_CHOICES,
            "verify_url": verify_url(self.request, self.object),
            "can_revoke": self.object.is_valid
            and self.request.user.has_perm("payroll.change_incomecertificate"),
        }


class CertificatePdfView(DownloadMixin, ScopedAccessMixin, DetailView):
    download_kind = PERSONAL
    model = IncomeCertificate
    permission_required = "payroll.view_incomecertificate"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def render_to_response(self, context, **kwargs):
        certificate = self.object
        language = self.kwargs["language"]
        if language not in LANGUAGES:
            raise Http404(_("No certificate in that language."))
        if not certificate.is_valid:
            raise Http404(_("This certificate has been revoked."))
        response = HttpResponse(
            income_certificate_pdf(
                certificate, language=language, verify_url=verify_url(self.request, certificate)
            ),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = (
            f'inline; filename="income-certificate-{certificate.number}-{language}.pdf"'
        )
        return response


class CertificateRevokeView(PermissionAccessMixin, ServiceFormView):
    model = IncomeCertificate
    permission_required = "payroll.change_incomecertificate"
    form_class = RevokeForm
    template_name = "payroll/form.html"
    success_message = gettext_lazy("The certificate is revoked.")

    def get_queryset(self):
        return IncomeCertificate.objects.for_user(self.request.user)

    def get_certificate(self):
        if not hasattr(self, "_certificate"):
            self._certificate = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return self._certificate

    def has_permission(self):
        allowed = super().has_permission()
        if allowed:
            self.get_certificate()  # 404 outside the user's scope
        return allowed

    def get_context_data(self, **kwargs):
        certificate = self.get_certificate()
        return {
            **super().get_context_data(**kwargs),
            "title": _("Revoke the income certificate %(number)s") % {"number": certificate},
            "confirm": _(
                "Revoke this certificate? Its public page will say it is not valid; issue a "
                "new one if the figures changed."
            ),
            "cancel_url": certificate.get_absolute_url(),
        }

    def perform(self, form):
        return certificates.income_certificate_revoke(
            certificate=self.get_certificate(),
            reason=form.cleaned_data["reason"],
            revoked_by=self.request.user,
        )

    def get_success_url(self):
        return self.get_certificate().get_absolute_url()


class CertificateVerifyView(PublicAccessMixin, TemplateView):
    """Public: whether an income certificate is valid, and what it must show to be matched
    against the paper: its number and date, the employee's initials (not the name, not the
    PINFL), the enterprise and its tax number, the span and the three totals. Not the months."""

    template_name = "payroll/certificates/verify.html"

    def get(self, request, *args, **kwargs):
        code = normalise_code(request.GET.get("code", ""))
        if code and not kwargs.get("code"):
            return redirect("payroll:certificate_verify", code=code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = kwargs.get("code")
        context["code"] = code
        if code:
            context["certificate"] = IncomeCertificate.objects.filter(
                verification_code=normalise_code(code)
            ).first()
        return context

    def render_to_response(self, context, **response_kwargs):
        if context.get("code") and context.get("certificate") is None:
            response_kwargs.setdefault("status", 404)
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
        return response


class YearStatementView(PermissionAccessMixin, View):
    """The form asking for an employee's year's statement (GET); a valid one goes to its PDF."""

    permission_required = "payroll.view_payslip"

    def get(self, request, *args, **kwargs):
        initial = {
            "year": timezone.localdate().year,
            "language": (request.LANGUAGE_CODE or "uz")[:2],
        }
        for field in ("enterprise", "person", "year"):
            if request.GET.get(field, "").isdigit():
                initial[field] = int(request.GET[field])
        bound = "language" in request.GET
        form = YearStatementForm(request.GET if bound else None, initial=initial, user=request.user)
        if bound and form.is_valid():
            data = form.cleaned_data
            url = reverse(
                "payroll:year_statement_pdf",
                args=[data["enterprise"].pk, data["person"].pk, data["year"]],
            )
            return redirect(f"{url}?lang={data['language']}")
        return render(
            request,
            "payroll/certificates/statement_form.html",
            {"form": form, "cancel_url": reverse("payroll:run_list")},
        )


class YearStatementPdfView(DownloadMixin, PermissionAccessMixin, View):
    download_kind = PERSONAL
    permission_required = "payroll.view_payslip"

    def get(self, request, *args, enterprise, person, year, **kwargs):
        if not 2000 <= year <= 2100:
            raise Http404
        enterprise = get_object_or_404(payroll_enterprises(request.user), pk=enterprise)
        person = get_object_or_404(employees_of([enterprise.pk]), pk=person)
        language = request.GET.get("lang", "uz")
        if language not in LANGUAGES:
            language = "uz"
        self.object = person
        response = HttpResponse(
            year_statement_pdf(
                enterprise, person, year, language=language, today=timezone.localdate()
            ),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="statement-{enterprise.pk}-{person.pk}-{year}-{language}.pdf"'
        )
        return response


urlpatterns = [
    path("payroll/certificates/", CertificateListView.as_view(), name="certificate_list"),
    path("payroll/certificates/new/", CertificateCreateView.as_view(), name="certificate_create"),
    path(
        "payroll/certificates/<int:pk>/",
        CertificateDetailView.as_view(),
        name="certificate_detail",
    ),
    path(
        "payroll/certificates/<int:pk>/<str:language>.pdf",
        CertificatePdfView.as_view(),
        name="certificate_pdf",
    ),
    path(
        "payroll/certificates/<int:pk>/revoke/",
        CertificateRevokeView.as_view(),
        name="certificate_revoke",
    ),
    path("verify-income/", CertificateVerifyView.as_view(), name="certificate_verify_form"),
    path("verify-income/<str:code>/", CertificateVerifyView.as_view(), name="certificate_verify"),
    path("payroll/statements/", YearStatementView.as_view(), name="year_statement"),
    path(
        "payroll/statements/<int:enterprise>/<int:person>/<int:year>.pdf",
        YearStatementPdfView.as_view(),
        name="year_statement_pdf",
    ),
]
