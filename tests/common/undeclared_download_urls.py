"""A URLconf with a file download that forgot to declare its kind of data."""

from django.http import HttpResponse
from django.urls import include, path

from accounts.access import signed_in_view


@signed_in_view
def forgotten_download(request):
    response = HttpResponse("Rahimova Nodira,12345678901234", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response


urlpatterns = [
    path("", include("config.urls")),
    path("forgotten-download/", forgotten_download),
]
