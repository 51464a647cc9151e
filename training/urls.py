from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("training/", views.CohortListView.as_view(), name="cohort_list"),
    path("training/cohorts/new/", views.CohortCreateView.as_view(), name="cohort_create"),
    path("training/cohorts/<int:pk>/", views.CohortDetailView.as_view(), name="cohort_detail"),
    path("training/cohorts/<int:pk>/edit/", views.CohortUpdateView.as_view(), name="cohort_update"),
    path("training/cohorts/<int:pk>/enrol/", views.EnrolView.as_view(), name="cohort_enrol"),
    path(
        "training/cohorts/<int:pk>/sessions/new/",
        views.SessionCreateView.as_view(),
        name="session_create",
    ),
    path("training/cohorts/<int:pk>/grades/", views.CohortGradeView.as_view(), name="cohort_grade"),
    path(
        "training/sessions/<int:pk>/register/",
        views.SessionRegisterView.as_view(),
        name="session_register",
    ),
    path("training/courses/", views.CourseListView.as_view(), name="course_list"),
    path("training/courses/new/", views.CourseCreateView.as_view(), name="course_create"),
    path("training/courses/<int:pk>/", views.CourseDetailView.as_view(), name="course_detail"),
    path("training/courses/<int:pk>/edit/", views.CourseUpdateView.as_view(), name="course_update"),
    path("training/enrolments/", views.EnrolmentListView.as_view(), name="enrolment_list"),
    path(
        "training/enrolments/<int:pk>/",
        views.EnrolmentDetailView.as_view(),
        name="enrolment_detail",
    ),
    path(
        "training/enrolments/<int:pk>/assessment/",
        views.AssessmentView.as_view(),
        name="enrolment_assessment",
    ),
    path(
        "training/enrolments/<int:pk>/withdraw/",
        views.WithdrawView.as_view(),
        name="enrolment_withdraw",
    ),
    path(
        "training/enrolments/<int:pk>/complete-early/",
        views.EarlyCompletionView.as_view(),
        name="enrolment_complete_early",
    ),
    path(
        "training/certificates/<int:pk>/<str:language>.pdf",
        views.CertificatePdfView.as_view(),
        name="certificate_pdf",
    ),
    path(
        "training/certificates/<int:pk>/revoke/",
        views.RevokeView.as_view(),
        name="certificate_revoke",
    ),
    path("verify/", views.VerifyView.as_view(), name="verify_form"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
]
