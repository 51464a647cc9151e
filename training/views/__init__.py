from training.views.certificates import CertificatePdfView, RevokeView, VerifyView
from training.views.cohorts import (
    CohortCreateView,
    CohortDetailView,
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
    EnrolmentDetailView,
    EnrolmentListView,
    WithdrawView,
)

__all__ = [
    "AssessmentView", "CertificatePdfView", "CohortCreateView", "CohortDetailView",
    "CohortListView", "CohortUpdateView", "CourseCreateView", "CourseDetailView",
    "CourseListView", "CourseUpdateView", "EnrolView", "EnrolmentDetailView",
    "EnrolmentListView", "RevokeView", "SessionCreateView", "SessionRegisterView",
    "VerifyView", "WithdrawView",
]  # fmt: skip
