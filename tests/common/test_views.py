"""The base view for a form that calls a service (common.views.ServiceFormView): the
service's refusal on the form, nothing saved, the page shown again."""

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from common.views import ServiceFormView

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField()


class GroupCreateView(ServiceFormView):
    """Writes a group, then refuses as `refusal` says (a service that checks after writing)."""

    form_class = NameForm
    template_name = "never/rendered.html"
    success_url = "/done/"
    success_message = "Saved."
    refusal = None

    def perform(self, form):
        group = Group.objects.create(name=form.cleaned_data["name"])
        if self.refusal is not None:
            raise self.refusal  # after writing: the view must take the write back
        return group


def post(refusal, name="Tikuvchilar"):
    request = RequestFactory().post("/groups/new/", {"name": name})
    request._messages = CookieStorage(request)
    response = GroupCreateView.as_view(refusal=refusal)(request)
    return request, response


def test_a_refusal_naming_a_field_goes_on_that_field_and_nothing_is_saved():
    request, response = post(ValidationError({"name": "This name is taken."}))
    assert response.status_code == 200
    form = response.context_data["form"]
    assert form.errors == {"name": ["This name is taken."]}
    assert not Group.objects.filter(
        name="Tikuvchilar"
    ).exists()  # the view's transaction took the group back
    assert list(get_messages(request)) == []


def test_a_refusal_without_a_field_or_naming_another_goes_above_the_form():
    _request, response = post(ValidationError("The month is closed."))
    assert response.status_code == 200
    assert response.context_data["form"].non_field_errors() == ["The month is closed."]

    _request, response = post(
        ValidationError({"month": "Not a working month.", "name": "Too short."})
    )
    form = response.context_data["form"]
    assert form.non_field_errors() == ["Not a working month."]  # the form has no `month`
    assert form.errors["name"] == ["Too short."]
    assert not Group.objects.filter(name="Tikuvchilar").exists()


def test_a_service_that_accepts_saves_says_so_and_redirects():
    request, response = post(None)
    assert response.status_code == 302
    assert response["Location"] == "/done/"
    assert Group.objects.filter(name="Tikuvchilar").count() == 1
    assert [str(message) for message in get_messages(request)] == ["Saved."]


def test_an_invalid_form_never_reaches_the_service():
    groups = Group.objects.count()
    _request, response = post(None, name="")
    assert response.status_code == 200
    assert "name" in response.context_data["form"].errors
    assert Group.objects.count() == groups
