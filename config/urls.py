from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Mustaqil"
admin.site.site_title = "Mustaqil"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("reports.urls")),
    path("", include("beneficiaries.urls")),
    path("", include("training.urls")),
    path("", include("enterprises.urls")),
    path("", include("payroll.urls")),
    path("daycare/", include("daycare.urls")),
    path("", include("wellbeing.urls")),
]
