from django.urls import path

from wellbeing import exit_views, views

app_name = "wellbeing"

# Under the family's own address: a family's income, assessments and progress.
urlpatterns = [
    path(
        "families/<int:family_pk>/income/",
        views.IncomeListView.as_view(),
        name="income_list",
    ),
    path(
        "families/<int:family_pk>/income/add/",
        views.IncomeCreateView.as_view(),
        name="income_create",
    ),
    path(
        "families/<int:family_pk>/income/<int:pk>/edit/",
        views.IncomeUpdateView.as_view(),
        name="income_update",
    ),
    path(
        "families/<int:family_pk>/income/<int:pk>/delete/",
        views.IncomeDeleteView.as_view(),
        name="income_delete",
    ),
    path(
        "families/<int:family_pk>/assessments/",
        views.AssessmentListView.as_view(),
        name="assessment_list",
    ),
    path(
        "families/<int:family_pk>/assessments/new/",
        views.AssessmentCreateView.as_view(),
        name="assessment_create",
    ),
    path(
        "families/<int:family_pk>/assessments/<int:pk>/",
        views.AssessmentDetailView.as_view(),
        name="assessment_detail",
    ),
    path(
        "families/<int:family_pk>/progress/",
        views.ProgressView.as_view(),
        name="progress",
    ),
    path(
        "families/<int:family_pk>/progress.pdf",
        views.ProgressPdfView.as_view(),
        name="progress_pdf",
    ),
    path(
        "families/<int:family_pk>/exit-request/",
        exit_views.ExitRequestCreateView.as_view(),
        name="exit_request_create",
    ),
    path("exit-requests/", exit_views.ExitRequestQueueView.as_view(), name="exit_request_queue"),
    path(
        "exit-requests/<int:pk>/",
        exit_views.ExitRequestDetailView.as_view(),
        name="exit_request_detail",
    ),
]
