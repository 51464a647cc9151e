from django.urls import path

from reports import family_views, report_views, views

app_name = "reports"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("reports/", report_views.IndexView.as_view(), name="index"),
    path("reports/programme/", report_views.ProgrammeView.as_view(), name="programme"),
    path(
        "reports/programme/donor-report/queue/",
        report_views.DonorPdfQueueView.as_view(),
        name="donor_pdf_queue",
    ),
    path(
        "reports/programme/outcomes/<slug:slug>/",
        report_views.ProgrammeOutcomeRecordsView.as_view(),
        name="programme_outcome",
    ),
    path(
        "reports/programme/<slug:figure>/",
        report_views.FigureRecordsView.as_view(),
        name="figure",
    ),
    path(
        "reports/enterprises/<int:pk>/",
        report_views.EnterpriseReportView.as_view(),
        name="enterprise",
    ),
    path(
        "families/<int:family_pk>/economy/",
        family_views.FamilyEconomyView.as_view(),
        name="family_economy",
    ),
    path("reports/courses/<int:pk>/", report_views.CourseReportView.as_view(), name="course"),
    path(
        "reports/courses/<int:pk>/outcomes/<slug:slug>/",
        report_views.CourseOutcomeRecordsView.as_view(),
        name="course_outcome",
    ),
]
