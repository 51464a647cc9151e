from django.urls import path

from beneficiaries import views_wellbeing as wellbeing
from beneficiaries.views import families, family_import

app_name = "beneficiaries"

urlpatterns = [
    path("families/", families.FamilyListView.as_view(), name="family_list"),
    path("families/export/", families.FamilyExportView.as_view(), name="family_export"),
    path("families/new/", families.FamilyCreateView.as_view(), name="family_create"),
    path("families/import/", family_import.FamilyImportView.as_view(), name="family_import"),
    path(
        "families/import/template.<slug:fmt>",
        family_import.FamilyImportTemplateView.as_view(),
        name="family_import_template",
    ),
    path("families/<int:pk>/", families.FamilyDetailView.as_view(), name="family_detail"),
    path("families/<int:pk>/edit/", families.FamilyUpdateView.as_view(), name="family_update"),
    path("families/<int:pk>/intake/", families.FamilyIntakeView.as_view(), name="family_intake"),
    path("families/<int:pk>/exit/", families.FamilyExitView.as_view(), name="family_exit"),
    path("families/<int:pk>/close/", families.FamilyCloseView.as_view(), name="family_close"),
    path(
        "families/<int:pk>/placements/new/",
        families.PlacementCreateView.as_view(),
        name="family_placement_create",
    ),
    path("families/<int:pk>/plan/", families.PlanEditView.as_view(), name="family_plan"),
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
