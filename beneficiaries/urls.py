from django.urls import path

from beneficiaries.views import duplicates, families, imports, referrals, worklist

app_name = "beneficiaries"

urlpatterns = [
    path("worklist/", worklist.WorklistView.as_view(), name="worklist"),
    path("duplicates/", duplicates.DuplicateListView.as_view(), name="duplicate_list"),
    path(
        "duplicates/<int:pk>/not-same/",
        duplicates.DuplicateNotSameView.as_view(),
        name="duplicate_not_same",
    ),
    path(
        "duplicates/<int:pk>/merge/",
        duplicates.DuplicateMergeView.as_view(),
        name="duplicate_merge",
    ),
    path("families/", families.FamilyListView.as_view(), name="family_list"),
    path("families/export/", families.FamilyExportView.as_view(), name="family_export"),
    path("families/new/", families.FamilyCreateView.as_view(), name="family_create"),
    path("families/import/", imports.FamilyImportView.as_view(), name="family_import"),
    path(
        "families/import/template.<slug:fmt>",
        imports.FamilyImportTemplateView.as_view(),
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
    path(
        "families/<int:pk>/consents/new/",
        families.ConsentCreateView.as_view(),
        name="family_consent_create",
    ),
    path(
        "families/<int:pk>/referrals/new/",
        referrals.ReferralCreateView.as_view(),
        name="family_referral_create",
    ),
    path("referrals/mine/", referrals.ReferralQueueView.as_view(), name="referral_queue"),
    path("referrals/<int:pk>/", referrals.ReferralDetailView.as_view(), name="referral_detail"),
    *[
        path(f"referrals/<int:pk>/{slug}/", referrals.step_view(slug), name=f"referral_{slug}")
        for slug in referrals.STEPS
    ],
    path("families/<int:pk>/plan/", families.PlanEditView.as_view(), name="family_plan"),
    path(
        "families/<int:pk>/members/<int:person_pk>/looking-for-work/",
        families.LookingForWorkView.as_view(),
        name="person_looking_for_work",
    ),
]
