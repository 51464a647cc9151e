from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from accounts.access import PermissionAccessMixin, PublicAccessMixin, ScopedAccessMixin
from training import selectors, services
from training.certificates import CERTIFICATE_LANGUAGES, render_certificate
from training.choices import SEAT_HOLDING, AttendanceStatus
from training.filtersets import CohortFilterSet, CourseFilterSet, EnrolmentFilterSet
from training.forms import (
    AssessmentForm,
    CohortForm,
    CourseForm,
    EnrolForm,
    ReasonForm,
    RegisterForm,
    SessionForm,
)
from training.models import Cohort, Course, Enrolment, Qualification, Session
from training.tables import CohortTable, CourseTable, EnrolmentTable


def validation_messages(error: ValidationError) -> list[str]:
    """Every message of a service's ValidationError, whatever its shape."""
    return list(error.messages)


class PersonalExportMixin(ExportMixin):
    """CSV/XLSX export only for roles allowed to take personal data out of the system."""

    export_formats = ("csv", "xlsx")

    def get(self, request, *args, **kwargs):
        if request.GET.get(self.export_trigger_param) and not request.user.has_perm(
            "accounts.export_personal_data"
        ):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)


# Courses -------------------------------------------------------------------------------


class CourseListView(ScopedAccessMixin, SingleTableMixin, FilterView):
    permission_required = "training.view_course"
    model = Course
    table_class = CourseTable
    filterset_class = CourseFilterSet
    template_name = "training/course_list.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.courses_for_list()


class CourseDetailView(ScopedAccessMixin, DetailView):
    permission_required = "training.view_course"
    model = Course
    template_name = "training/course_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        course = self.object
        context["outcomes"] = selectors.outcomes(Enrolment.objects.filter(cohort__course=course))
        context["cohorts"] = selectors.cohorts_for_list(self.request.user).filter(course=course)
        return context


class CourseCreateView(PermissionAccessMixin, CreateView):
    permission_required = "training.add_course"
    model = Course
    form_class = CourseForm
    template_name = "training/form.html"
    extra_context = {"title": gettext_lazy("New course")}


class CourseUpdateView(ScopedAccessMixin, UpdateView):
    permission_required = "training.change_course"
    model = Course
    form_class = CourseForm
    template_name = "training/form.html"
    extra_context = {"title": gettext_lazy("Edit course")}


# Cohorts -------------------------------------------------------------------------------


class CohortListView(ScopedAccessMixin, PersonalExportMixin, SingleTableMixin, FilterView):
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


class CohortActionView(ScopedAccessMixin, SingleObjectMixin, FormView):
    """A form posted from the cohort page; errors are shown there as messages."""

    model = Cohort
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return redirect(self.object)

    def act(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as error:
            for message in validation_messages(error):
                messages.error(self.request, message)
        return redirect(self.object)


class EnrolView(CohortActionView):
    permission_required = "training.add_enrolment"
    form_class = EnrolForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "cohort": self.object}

    def act(self, form):
        enrolment = services.enrolment_create(
            person=form.cleaned_data["person"], cohort=self.object, enrolled_by=self.request.user
        )
        messages.success(self.request, _("%(person)s is enrolled.") % {"person": enrolment.person})


class SessionCreateView(CohortActionView):
    permission_required = "training.add_session"
    form_class = SessionForm

    def act(self, form):
        session = services.session_create(
            cohort=self.object, day=form.cleaned_data["date"], topic=form.cleaned_data["topic"]
        )
        messages.success(self.request, _("Session of %(date)s added.") % {"date": session})


# Attendance ----------------------------------------------------------------------------


class SessionRegisterView(ScopedAccessMixin, SingleObjectMixin, FormView):
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
        return {**super().get_form_kwargs(), "enrolments": enrolments, "marks": marks}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        context["cohort"] = session.cohort
        context["statuses"] = AttendanceStatus
        context["editable"] = session.date <= timezone.localdate()
        return context

    def form_valid(self, form):
        try:
            issued = services.attendance_record(
                session=self.object, marks=form.marks(), recorded_by=self.request.user
            )
        except ValidationError as error:
            for message in validation_messages(error):
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("Attendance saved."))
        for qualification in issued:
            messages.success(
                self.request,
                _("%(person)s completed the course: certificate %(number)s issued.")
                % {"person": qualification.enrolment.person, "number": qualification.number},
            )
        return redirect(self.object.cohort)


# Enrolments ----------------------------------------------------------------------------


class EnrolmentListView(ScopedAccessMixin, PersonalExportMixin, SingleTableMixin, FilterView):
    permission_required = "training.view_enrolment"
    model = Enrolment
    table_class = EnrolmentTable
    filterset_class = EnrolmentFilterSet
    template_name = "training/enrolment_list.html"
    table_pagination = {"per_page": 50}
    export_name = "enrolments"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person__family", "cohort__course", "cohort__branch", "qualification")
            .order_by("-enrolled_on", "pk")
        )


class EnrolmentDetailView(ScopedAccessMixin, DetailView):
    permission_required = "training.view_enrolment"
    model = Enrolment
    template_name = "training/enrolment_detail.html"

    def get_queryset(self):
        return selectors.with_attendance(
            super()
            .get_queryset()
            .select_related(
                "person__family",
                "cohort__course",
                "cohort__branch",
                "cohort__trainer",
                "qualification",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolment, user = self.object, self.request.user
        context["attendances"] = enrolment.attendances.select_related("session").order_by(
            "session__date"
        )
        context["qualification"] = getattr(enrolment, "qualification", None)
        context["sees_family"] = user.has_perm("beneficiaries.view_family")
        context["languages"] = CERTIFICATE_LANGUAGES
        if enrolment.is_open and user.has_perm("training.change_enrolment"):
            context["assessment_form"] = AssessmentForm(initial={"score": enrolment.final_score})
            context["withdraw_form"] = ReasonForm()
        if context["qualification"] and user.has_perm("training.change_qualification"):
            context["revoke_form"] = ReasonForm()
        return context


class EnrolmentActionView(ScopedAccessMixin, SingleObjectMixin, FormView):
    model = Enrolment
    permission_required = "training.change_enrolment"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return redirect(self.object)

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as error:
            for message in validation_messages(error):
                messages.error(self.request, message)
        return redirect(self.object)


class AssessmentView(EnrolmentActionView):
    form_class = AssessmentForm

    def act(self, form):
        qualification = services.final_assessment_record(
            enrolment=self.object,
            score=form.cleaned_data["score"],
            assessed_on=form.cleaned_data["assessed_on"],
            by=self.request.user,
        )
        messages.success(self.request, _("Final assessment saved."))
        if qualification:
            messages.success(
                self.request,
                _("The course is completed: certificate %(number)s issued.")
                % {"number": qualification.number},
            )


class WithdrawView(EnrolmentActionView):
    form_class = ReasonForm

    def act(self, form):
        services.enrolment_withdraw(enrolment=self.object, reason=form.cleaned_data["reason"])
        messages.success(self.request, _("The learner is recorded as dropped out."))


# Certificates --------------------------------------------------------------------------


def verify_url(request, qualification) -> str:
    return request.build_absolute_uri(
        reverse("training:verify", args=[qualification.verification_code])
    )


class CertificatePdfView(ScopedAccessMixin, SingleObjectMixin, TemplateView):
    permission_required = "training.view_qualification"
    model = Qualification

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "enrolment__person",
                "enrolment__cohort__course",
                "enrolment__cohort__branch",
                "enrolment__cohort__trainer",
            )
        )

    def get(self, request, *args, **kwargs):
        language = kwargs["language"]
        if language not in CERTIFICATE_LANGUAGES:
            raise Http404(_("No certificate in that language."))
        qualification = self.get_object()
        if not qualification.is_valid:
            raise Http404(_("This certificate has been revoked."))
        pdf = render_certificate(
            qualification, language=language, verify_url=verify_url(request, qualification)
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="certificate-{qualification.number}-{language}.pdf"'
        )
        return response


class RevokeView(ScopedAccessMixin, SingleObjectMixin, FormView):
    permission_required = "training.change_qualification"
    model = Qualification
    form_class = ReasonForm
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        messages.error(self.request, _("Say why the certificate is revoked."))
        return HttpResponseRedirect(self.object.get_absolute_url())

    def form_valid(self, form):
        services.qualification_revoke(qualification=self.object, reason=form.cleaned_data["reason"])
        messages.success(self.request, _("The certificate is revoked."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class VerifyView(PublicAccessMixin, TemplateView):
    """Public: whether a certificate is valid, the holder's name, the course, the date. Nothing else."""

    template_name = "training/verify.html"

    def get(self, request, *args, **kwargs):
        code = request.GET.get("code", "").strip().upper().replace(" ", "").replace("-", "")
        if code and not kwargs.get("code"):
            return redirect("training:verify", code=code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = kwargs.get("code")
        context["code"] = code
        if code:
            qualification = (
                Qualification.objects.filter(verification_code=code.upper())
                .select_related("enrolment__person", "enrolment__cohort__course")
                .first()
            )
            context["found"] = qualification is not None
            if qualification is not None:
                context["valid"] = qualification.is_valid
                context["holder"] = qualification.enrolment.person.full_name
                context["course"] = str(qualification.enrolment.cohort.course)
                context["issued_on"] = qualification.issued_on
        return context

    def render_to_response(self, context, **response_kwargs):
        if context.get("code") and not context.get("found"):
            response_kwargs.setdefault("status", 404)
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response
