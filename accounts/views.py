from django.apps import apps
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponse
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
