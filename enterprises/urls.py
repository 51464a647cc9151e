from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path(
        "enterprises/<int:pk>/results/",
        views.EnterpriseResultsView.as_view(),
        name="enterprise_results",
    ),
    path(
        "enterprises/<int:pk>/results/record/",
        views.MonthlyResultRecordView.as_view(),
        name="result_record",
    ),
    path(
        "enterprises/<int:pk>/positions/new/",
        views.PositionCreateView.as_view(),
        name="position_create",
    ),
    path("enterprises/jobs/", views.EmploymentListView.as_view(), name="employment_list"),
    path(
        "enterprises/positions/<int:pk>/",
        views.PositionDetailView.as_view(),
        name="position_detail",
    ),
    path("enterprises/positions/<int:pk>/hire/", views.HireView.as_view(), name="hire"),
    path(
        "enterprises/employments/<int:pk>/rate/",
        views.RateChangeView.as_view(),
        name="rate_change",
    ),
    path(
        "enterprises/employments/<int:pk>/payment/",
        views.PaymentDetailsView.as_view(),
        name="payment_details",
    ),
    path(
        "enterprises/employments/<int:pk>/end/",
        views.TerminateView.as_view(),
        name="terminate",
    ),
    path("placements/", views.PlacementListView.as_view(), name="placement_list"),
    path("placements/new/", views.PlacementCreateView.as_view(), name="placement_create"),
    path("placements/<int:pk>/", views.PlacementDetailView.as_view(), name="placement_detail"),
    path("placements/<int:pk>/end/", views.PlacementEndView.as_view(), name="placement_end"),
    path(
        "placements/checks/<int:pk>/",
        views.RetentionCheckView.as_view(),
        name="retention_check",
    ),
    path("businesses/", views.BusinessListView.as_view(), name="business_list"),
    path("businesses/new/", views.BusinessCreateView.as_view(), name="business_create"),
    path("businesses/survival/", views.SurvivalView.as_view(), name="survival"),
    path("businesses/<int:pk>/", views.BusinessDetailView.as_view(), name="business_detail"),
    path(
        "businesses/<int:pk>/plan/",
        views.BusinessPlanUpdateView.as_view(),
        name="business_plan",
    ),
    path("businesses/<int:pk>/step/", views.BusinessStepView.as_view(), name="business_step"),
    path(
        "businesses/<int:pk>/support/new/",
        views.SupportCreateView.as_view(),
        name="support_create",
    ),
    path(
        "businesses/<int:pk>/followups/new/",
        views.FollowUpCreateView.as_view(),
        name="followup_create",
    ),
    path(
        "businesses/support/<int:pk>/tranche/",
        views.TrancheCreateView.as_view(),
        name="tranche_create",
    ),
    path(
        "businesses/support/<int:pk>/repayment/",
        views.RepaymentCreateView.as_view(),
        name="repayment_create",
    ),
]
