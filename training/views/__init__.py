from training.views.certificates import CertificatePdfView, RevokeView, VerifyView
from training.views.cohorts import (
    CohortCreateView,
    CohortDetailView,
    CohortGradeView,
    CohortListView,
    CohortUpdateView,
    EnrolView,
    SessionCreateView,
    SessionRegisterView,
)
from training.views.courses import (
    CourseCreateView,
    CourseDetailView,
    CourseListView,
    CourseUpdateView,
)
from training.views.enrolments import (
    AssessmentView,
    EarlyCompletionView,
    EnrolmentDetailView,
    EnrolmentListView,
    WithdrawView,
)

__all__ = [
    "AssessmentView", "CertificatePdfView", "CohortCreateView", "CohortDetailView",
    "CohortGradeView", "CohortListView", "CohortUpdateView", "CourseCreateView",
    "CourseDetailView", "CourseListView", "CourseUpdateView", "EarlyCompletionView",
    "EnrolView", "EnrolmentDetailView", "EnrolmentListView", "RevokeView",
    "SessionCreateView", "SessionRegisterView", "VerifyView", "WithdrawView",
]  # fmt: skip
