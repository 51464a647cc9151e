"""A URLconf with a file download that forgot to declare its kind of data."""

from django.http import HttpResponse
from django.urls import include, path

from accounts.access import signed_in_view


@signed_in_view
def forgotten_download(request):
    response = HttpResponse("Rahimova Nodira,12345678901234", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response


@signed_in_view
def forgotten_pdf(request):
    return HttpResponse(b"%PDF-1.7 payslip", content_type="application/pdf")


urlpatterns = [
    path("", include("config.urls")),
    path("forgotten-download/", forgotten_download),
    path("forgotten-pdf/", forgotten_pdf),
]
