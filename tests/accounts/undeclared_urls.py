"""A URLconf with one page that forgot its access policy, to prove the guards catch it."""

from django.http import HttpResponse
from django.urls import include, path
from django.views import View

from accounts.access import PermissionAccessMixin


def forgotten(request):
    return HttpResponse("secret")


class ForgotPermission(PermissionAccessMixin, View):
    def get(self, request):
        return HttpResponse("secret")


urlpatterns = [
    path("", include("config.urls")),
    path("forgotten/", forgotten),
    path("no-permission-named/", ForgotPermission.as_view()),
]
