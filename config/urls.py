from django.conf import settings
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
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
