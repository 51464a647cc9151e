"""What the training views share: posted actions on one record."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic.detail import SingleObjectMixin

from accounts.access import ScopedAccessMixin
from common.views import ServiceFormView


class ObjectActionView(ScopedAccessMixin, SingleObjectMixin, ServiceFormView):
    """A small form posted from a record's page (enrol, add a session, assess, revoke).

    The record comes through `for_user` (out of scope: 404); `act(form)` calls the service
    (common.views puts its ValidationErrors on the form). There is no page of its own to show
    the form again, so form errors go back to the record's page as messages.
    """

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        return self.act(form)

    def act(self, form) -> None:
        raise NotImplementedError

    def form_invalid(self, form):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            for error in errors:
                messages.error(self.request, f"{label}: {error}" if label else error)
        return redirect(self.object)

    def get_success_url(self):
        return self.object.get_absolute_url()
