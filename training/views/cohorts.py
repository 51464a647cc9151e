"""Cohorts: the training home list, the cohort page, enrolling, sessions, the register."""

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import CreateView, DetailView, UpdateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.access import PermissionAccessMixin, ScopedAccessMixin
from common.exports import ExportMixin
from common.views import ServiceFormView
from training import selectors, services
from training.choices import SEAT_HOLDING, AttendanceStatus, EnrolmentStatus
from training.filtersets import CohortFilterSet
from training.forms import (
    CohortForm,
    CohortGradeForm,
    EnrolForm,
    RegisterForm,
    SessionForm,
)
from training.models import Cohort, Enrolment, Session
from training.register_notes import notes_for
from training.rules import sessions_over
from training.tables import CohortTable
from training.views.base import ObjectActionView


class CohortListView(ExportMixin, ScopedAccessMixin, SingleTableMixin, FilterView):
    """The training home: every cohort the user may see."""

    permission_required = "training.view_cohort"
    model = Cohort
    table_class = CohortTable
    filterset_class = CohortFilterSet
    template_name = "training/cohort_list.html"
    table_pagination = {"per_page": 50}
    export_name = "cohorts"

    def get_queryset(self):
        return selectors.cohorts_for_list(self.request.user)


class CohortDetailView(ScopedAccessMixin, DetailView):
    permission_required = "training.view_cohort"
    model = Cohort
    template_name = "training/cohort_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("course", "branch", "trainer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort, user = self.object, self.request.user
        context["outcomes"] = selectors.outcomes(cohort.enrolments.all())
        context["enrolments"] = (
            selectors.with_attendance(Enrolment.objects.for_user(user).filter(cohort=cohort))
            .select_related("person__family", "qualification")
            .order_by("person__full_name", "pk")
        )
        context["sessions"] = list(cohort.sessions.all())
        context["held"] = sum(1 for session in context["sessions"] if session.is_held)
        context["today"] = timezone.localdate()
        context["sessions_over"] = sessions_over(
            end_date=cohort.end_date,
            remaining=len(context["sessions"]) - context["held"],
            today=context["today"],
        )
        context["can_grade"] = user.has_perm("training.change_enrolment")
        if user.has_perm("training.add_enrolment") and cohort.end_date >= context["today"]:
            context["enrol_form"] = EnrolForm(user=user, cohort=cohort)
        if user.has_perm("training.add_session"):
            context["session_form"] = SessionForm()
        context["can_take_attendance"] = user.has_perm("training.add_attendance")
        context["can_change"] = user.has_perm("training.change_cohort")
        return context


class CohortCreateView(PermissionAccessMixin, CreateView):
    permission_required = "training.add_cohort"
    model = Cohort
    form_class = CohortForm
    template_name = "training/form.html"
    extra_context = {"title": gettext_lazy("New cohort")}


class CohortUpdateView(ScopedAccessMixin, UpdateView):
    permission_required = "training.change_cohort"
    model = Cohort
    form_class = CohortForm
    template_name = "training/form.html"
    extra_context = {"title": gettext_lazy("Edit cohort")}


class EnrolView(ObjectActionView):
    model = Cohort
    permission_required = "training.add_enrolment"
    form_class = EnrolForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "cohort": self.object}

    def act(self, form):
        enrolment = services.enrolment_create(
            person=form.cleaned_data["person"], cohort=self.object, enrolled_by=self.request.user
        )
        messages.success(self.request, _("%(person)s is enrolled.") % {"person": enrolment.person})


class SessionCreateView(ObjectActionView):
    model = Cohort
    permission_required = "training.add_session"
    form_class = SessionForm

    def act(self, form):
        session = services.session_create(
            cohort=self.object, day=form.cleaned_data["date"], topic=form.cleaned_data["topic"]
        )
        messages.success(self.request, _("Session of %(date)s added.") % {"date": session})


# The register ----------------------------------------------------------------


class SessionRegisterView(ScopedAccessMixin, SingleObjectMixin, ServiceFormView):
    """The register: the whole cohort on one screen, everyone present until marked, one save."""

    permission_required = "training.add_attendance"
    model = Session
    form_class = RegisterForm
    template_name = "training/session_register.html"

    def get_queryset(self):
        return super().get_queryset().select_related("cohort__course", "cohort__branch")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        session = self.object
        enrolments = list(
            Enrolment.objects.for_user(self.request.user)
            .filter(cohort=session.cohort_id, status__in=SEAT_HOLDING)
            .select_related("person")
            .order_by("person__full_name", "pk")
        )
        marks = dict(session.attendances.values_list("enrolment_id", "status"))
        notes = notes_for(session, enrolments, self.request.user)
        for enrolment in enrolments:
            enrolment.register_notes = notes.get(enrolment.pk, [])
        return {**super().get_form_kwargs(), "enrolments": enrolments, "marks": marks}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        context["cohort"] = session.cohort
        context["statuses"] = AttendanceStatus
        context["editable"] = session.date <= timezone.localdate()
        return context

    def perform(self, form):
        issued = services.attendance_record(
            session=self.object, marks=form.marks(), recorded_by=self.request.user
        )
        messages.success(self.request, _("Attendance saved."))
        for qualification in issued:
            messages.success(
                self.request,
                _("%(person)s completed the course: certificate %(number)s issued.")
                % {"person": qualification.enrolment.person, "number": qualification.number},
            )

    def get_success_url(self):
        return self.object.cohort.get_absolute_url()


# Grading the whole cohort ------------------------------------------------------------------


class CohortGradeView(ScopedAccessMixin, SingleObjectMixin, ServiceFormView):
    """After the cohort's last session: every open learner's final score and outcome on one
    form, saved at once (training.services.cohort_grade)."""

    permission_required = "training.change_enrolment"
    model = Cohort
    form_class = CohortGradeForm
    template_name = "training/cohort_grade.html"

    def get_queryset(self):
        return super().get_queryset().select_related("course", "branch")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def enrolments(self):
        if not hasattr(self, "_enrolments"):
            self._enrolments = list(
                selectors.with_attendance(
                    Enrolment.objects.for_user(self.request.user).filter(
                        cohort=self.object, status__in=SEAT_HOLDING
                    )
                )
                .select_related("person", "cohort", "qualification")
                .order_by("person__full_name", "pk")
            )
        return self._enrolments

    def get_form_kwargs(self):
        today = timezone.localdate()
        return {
            **super().get_form_kwargs(),
            "enrolments": [e for e in self.enrolments() if e.status == EnrolmentStatus.ENROLLED],
            "default_day": min(today, self.object.end_date),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = self.object
        counts = selectors.session_counts(cohort)
        context["cohort"] = cohort
        context["counts"] = counts
        context["over"] = sessions_over(
            end_date=cohort.end_date, remaining=counts["remaining"], today=timezone.localdate()
        )
        context["not_over_message"] = services.not_over_message(cohort)
        context["decided"] = [e for e in self.enrolments() if e.status != EnrolmentStatus.ENROLLED]
        return context

    def perform(self, form):
        issued = services.cohort_grade(
            cohort=self.object,
            rows=form.grade_rows(),
            assessed_on=form.cleaned_data["assessed_on"],
            by=self.request.user,
        )
        messages.success(
            self.request,
            ngettext(
                "Grades saved: %(count)s certificate issued.",
                "Grades saved: %(count)s certificates issued.",
                len(issued),
            )
            % {"count": len(issued)},
        )
        return issued

    def get_success_url(self):
        return self.object.get_absolute_url()
