from django.apps import apps
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django.views.i18n import set_language
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.access import (
    PermissionAccessMixin,
    PublicAccessMixin,
    ScopedAccessMixin,
    SignedInAccessMixin,
    get_scoped_object_or_404,
    public_view,
)
from accounts.filtersets import ReadLogFilterSet
from accounts.history import history_rows
from accounts.models import ReadLogEntry
from accounts.readlog import Kind, record_read, retention_days
from accounts.tables import ReadLogTable


class LoginView(PublicAccessMixin, auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["password_reset_by_email"] = settings.PASSWORD_RESET_BY_EMAIL
        return context


class LogoutView(SignedInAccessMixin, auth_views.LogoutView):
    pass


# The language switcher must work on the login page too.
switch_language = public_view(set_language)


def _healthz(request):
    """'ok' without touching the database: for load balancers, and the trivial view the
    throughput benchmark (bench/run.py) compares the family list against."""
    return HttpResponse("ok", content_type="text/plain")


healthz = public_view(_healthz)


class RecordHistoryView(PermissionAccessMixin, TemplateView):
    """Who changed a record, when, and which fields: for programme managers and auditors."""

    permission_required = "accounts.view_history"
    template_name = "accounts/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            model = apps.get_model(self.kwargs["app_label"], self.kwargs["model_name"])
        except LookupError as exc:
            raise Http404(_("No such kind of record.")) from exc
        if not hasattr(model, "history") or not hasattr(model._default_manager, "for_user"):
            raise Http404(_("This kind of record keeps no history."))
        record = get_scoped_object_or_404(
            model._default_manager.all(), self.request.user, pk=self.kwargs["pk"]
        )
        record_read(self.request, Kind.HISTORY, record)
        context.update(
            record=record,
            model_name=model._meta.verbose_name,
            rows=history_rows(record),
        )
        return context


class PasswordChangeView(SignedInAccessMixin, auth_views.PasswordChangeView):
    """Every signed-in user changes their own password; other sessions of theirs end."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(SignedInAccessMixin, auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetEnabledMixin(PublicAccessMixin):
    """Reset by e-mail only where e-mail is configured (settings.PASSWORD_RESET_BY_EMAIL)."""

    @login_not_required
    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_EMAIL:
            raise Http404(_("Password reset by e-mail is not configured here."))
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(PasswordResetEnabledMixin, auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(PasswordResetEnabledMixin, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(PasswordResetEnabledMixin, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(PasswordResetEnabledMixin, auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class ReadLogListView(ScopedAccessMixin, SingleTableMixin, FilterView):
    """The read log: who opened which family file, progress report, history or download,
    when and with which query. Programme managers and auditors; newest first."""

    model = ReadLogEntry
    permission_required = "accounts.view_readlogentry"
    table_class = ReadLogTable
    filterset_class = ReadLogFilterSet
    template_name = "accounts/read_log.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kept_days"] = retention_days()
        return context
