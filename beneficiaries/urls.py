from django.urls import path

from beneficiaries import views_wellbeing as wellbeing

app_name = "beneficiaries"

# Family pages arrive with the families issue; the root URLconf already includes this module.
urlpatterns = [
    path(
        "families/<int:family_pk>/income/",
        wellbeing.IncomeListView.as_view(),
        name="income_list",
    ),
    path(
        "families/<int:family_pk>/income/add/",
        wellbeing.IncomeCreateView.as_view(),
        name="income_create",
    ),
    path(
        "families/<int:family_pk>/income/<int:pk>/edit/",
        wellbeing.IncomeUpdateView.as_view(),
        name="income_update",
    ),
    path(
        "families/<int:family_pk>/income/<int:pk>/delete/",
        wellbeing.IncomeDeleteView.as_view(),
        name="income_delete",
    ),
    path(
        "families/<int:family_pk>/assessments/",
        wellbeing.AssessmentListView.as_view(),
        name="assessment_list",
    ),
    path(
        "families/<int:family_pk>/assessments/new/",
        wellbeing.AssessmentCreateView.as_view(),
        name="assessment_create",
    ),
    path(
        "families/<int:family_pk>/assessments/<int:pk>/",
        wellbeing.AssessmentDetailView.as_view(),
        name="assessment_detail",
    ),
    path(
        "families/<int:family_pk>/progress/",
        wellbeing.ProgressView.as_view(),
        name="progress",
    ),
    path(
        "families/<int:family_pk>/progress.pdf",
        wellbeing.ProgressPdfView.as_view(),
        name="progress_pdf",
    ),
]
