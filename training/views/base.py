"""What the training views share: posted actions on one record."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView
from django.views.generic.detail import SingleObjectMixin

from accounts.access import ScopedAccessMixin


class ObjectActionView(ScopedAccessMixin, SingleObjectMixin, FormView):
    """A small form posted from a record's page (enrol, add a session, assess, revoke).

    The record comes through `for_user` (out of scope: 404); `act(form)` calls the service.
    Form errors and the service's ValidationErrors go back to the record's page as messages.
    """

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def act(self, form) -> None:
        raise NotImplementedError

    def form_invalid(self, form):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            for error in errors:
                messages.error(self.request, f"{label}: {error}" if label else error)
        return redirect(self.object)

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
        return redirect(self.object)
