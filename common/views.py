"""The base view for a form that calls a service.

A service checks its rules and raises Django's ValidationError when one does not hold; the
view shows that refusal on the form, the same way everywhere: on the field the error names
when the form has that field, above the form otherwise. The service's writes are atomic, and
the view calls it inside one more transaction, so a refusal leaves nothing saved even when
`perform` makes more than one call.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.views.generic import FormView


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the fields its error dict names (when the form
    has them), the rest as non-field errors."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceFormMixin:
    """form_valid calls `perform(form)`, which calls the service and returns what it made
    (kept as `self.result`). A ValidationError goes onto the form, which is shown again
    (`form_invalid`); otherwise `success_message`, if any, and a redirect to
    `get_success_url()`."""

    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def get_success_message(self) -> str:
        return self.success_message

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.result = self.perform(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if message := self.get_success_message():
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())


class ServiceFormView(ServiceFormMixin, FormView):
    """A FormView whose valid form goes to one service (see ServiceFormMixin)."""
