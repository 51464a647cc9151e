"""Family pages: the caseload list, a family's file, registration and the case actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.access import PermissionAccessMixin, ScopedAccessMixin, get_scoped_object_or_404
from accounts.readlog import Kind as ReadKind
from accounts.readlog import record_read
from beneficiaries import duplicates, family_list, search, services
from beneficiaries.access import may_edit_family, may_record_consent, sees_sensitive
from beneficiaries.choices import DuplicateFoundIn, FamilyStatus, GoalStatus
from beneficiaries.filtersets.families import FamilyFilterSet
from beneficiaries.forms.families import (
    MEMBER_FIELDS,
    CloseForm,
    ConsentForm,
    ExitForm,
    FamilyForm,
    GoalFormSet,
    IntakeForm,
    LookingForWorkForm,
    PlacementForm,
    PlanForm,
    member_formset,
)
from beneficiaries.models import DevelopmentPlan, Family, Person, PlanGoal
from beneficiaries.pagination import IdsFirstPaginator
from beneficiaries.panels import panels_for
from beneficiaries.selectors import family_consent_rows, family_for_detail, family_list_rows
from beneficiaries.tables.families import FamilyTable
from beneficiaries.timeline import timeline_for
from common.exports import EXPORT_PARAM, ExportMixin
from common.views import ServiceFormView, add_service_error


class FamilyListView(ExportMixin, ScopedAccessMixin, SingleTableMixin, FilterView):
    """The caseload: every family the user may see, filtered, sorted and paginated; as
    CSV/XLSX (every row) for the roles allowed to take personal data out."""

    model = Family
    permission_required = "beneficiaries.view_family"
    table_class = FamilyTable
    filterset_class = FamilyFilterSet
    table_pagination = {
        "per_page": 25,
        "paginator_class": IdsFirstPaginator,
        "rows_for": family_list_rows,
    }
    template_name = "beneficiaries/family_list.html"
    export_name = "families"

    def get_queryset(self):
        return family_list.with_columns(family_list_rows(super().get_queryset()), self.request.user)

    def get_table_kwargs(self):
        # The columns of the apps above the core the user may see, each after its core column.
        kwargs = super().get_table_kwargs()
        registered = family_list.columns_for(self.request.user)
        if registered:
            sequence = list(FamilyTable.base_columns)
            for column in registered:
                sequence.insert(sequence.index(column.after) + 1, column.name)
            kwargs["extra_columns"] = [(column.name, column.column()) for column in registered]
            kwargs["sequence"] = sequence
        return kwargs

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        if pagination and pagination.get("rows_for"):
            user = self.request.user
            pagination["rows_for"] = lambda ids: family_list.with_columns(
                family_list_rows(ids), user
            )
        if pagination and search.normalize(self.request.GET.get("q", "")):
            # A search finds all its matches anyway: count them in the page's query.
            pagination["count_with_ids"] = True
        return pagination

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_add"] = self.request.user.has_perm("beneficiaries.add_family")
        context["may_review_duplicates"] = self.request.user.has_perm(
            "beneficiaries.view_duplicatecandidate"
        )
        return context


class FamilyExportView(PermissionAccessMixin, View):
    """The old export address (`families/export/?format=csv`): links and bookmarks made
    before the list exported itself land on `families/?_export=csv`."""

    permission_required = "beneficiaries.view_family"

    def get(self, request, *args, **kwargs):
        query = request.GET.copy()
        export_format = query.pop("format", [""])[-1]
        if export_format:
            query[EXPORT_PARAM] = export_format
        return HttpResponseRedirect(f"{reverse('beneficiaries:family_list')}?{query.urlencode()}")


class FamilyDetailView(ScopedAccessMixin, DetailView):
    """A family's file: members, plan, where the children live, and its timeline."""

    model = Family
    permission_required = "beneficiaries.view_family"
    template_name = "beneficiaries/family_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("branch", "makhalla", "caseworker", "consent_recorded_by")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        family, user = self.object, self.request.user
        record_read(self.request, ReadKind.FAMILY, family)
        sensitive = sees_sensitive(user, family)
        plan = goals = None
        if sensitive:
            plan = DevelopmentPlan.objects.filter(family=family).first()
            goals = list(PlanGoal.objects.filter(plan=plan)) if plan else []
        members = family_for_detail(family)
        context.update(
            members=members,
            consents=family_consent_rows(members) if sensitive else None,
            may_record_consent=may_record_consent(user, family),
            sensitive=sensitive,
            plan=plan,
            goals=goals,
            may_edit=family.is_open and may_edit_family(user, family),
            timeline=timeline_for(family, user),
            panels=panels_for(family, user),
            FamilyStatus=FamilyStatus,
            GoalStatus=GoalStatus,
        )
        return context


class FamilyFormMixin:
    template_name = "beneficiaries/family_form.html"
    extra_members = 4

    def forms(self, instance):
        data = self.request.POST if self.request.method == "POST" else None
        form = FamilyForm(data, instance=instance, user=self.request.user)
        formset = member_formset(self.extra_members)(
            data, instance=instance, prefix="members", form_kwargs={"user": self.request.user}
        )
        return form, formset

    def render_forms(self, form, formset, **context):
        return self.render_to_response(self.get_context_data(form=form, formset=formset, **context))

    def unconfirmed_duplicates(self, formset) -> list[dict]:
        """The registered people the new or changed members may be, while the caseworker has
        not confirmed "not the same person" (beneficiaries.duplicates). A person the user may
        not see is not named."""
        forms = [
            member
            for member in formset.forms
            if member.has_changed()
            and member.cleaned_data
            and not member.cleaned_data.get("DELETE")
            and {"full_name", "birth_date", "pinfl"} & set(member.changed_data)
        ]
        if not forms or self.request.POST.get("not_the_same_person"):
            return []
        found = duplicates.matches_for(
            [member.cleaned_data for member in forms],
            exclude_ids=[member.instance.pk for member in forms if member.instance.pk],
        )
        ids = [match.person.pk for matches in found for match in matches]
        visible = set(
            Person.objects.for_user(self.request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        return [
            {
                "entered": member.cleaned_data["full_name"],
                "person": match.person if match.person.pk in visible else None,
            }
            for member, matches in zip(forms, found, strict=True)
            for match in matches
        ]

    def record_duplicates(self, people) -> None:
        """The pairs the caseworker registered anyway go to the programme manager's queue."""
        if self.request.POST.get("not_the_same_person"):
            duplicates.record_for_people(
                list(people),
                found_in=DuplicateFoundIn.REGISTRATION,
                by=self.request.user,
                confirmed=True,
            )


class FamilyCreateView(FamilyFormMixin, PermissionAccessMixin, TemplateView):
    """Register a family with its members; the case number is given on saving."""

    permission_required = ("beneficiaries.add_family", "beneficiaries.add_person")
    title = gettext_lazy("Register a family")

    def get(self, request, *args, **kwargs):
        return self.render_forms(*self.forms(Family()), title=self.title)

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(Family())
        if form.is_valid() and formset.is_valid():
            found = self.unconfirmed_duplicates(formset)
            if found:
                return self.render_forms(form, formset, title=self.title, duplicates=found)
            fields = {k: v for k, v in form.cleaned_data.items() if k not in ("branch",)}
            members = [
                {name: member.cleaned_data[name] for name in MEMBER_FIELDS}
                for member in formset.forms
                if member.has_changed() and not member.cleaned_data.get("DELETE")
            ]
            try:
                with transaction.atomic():
                    family = services.family_register(
                        branch=form.cleaned_data["branch"],
                        members=members,
                        recorded_by=request.user,
                        **fields,
                    )
                    self.record_duplicates(family.members.all())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Family %(number)s registered.") % {"number": family.case_number},
                )
                return redirect(family)
        return self.render_forms(form, formset, title=self.title)


class EditableFamilyMixin:
    """An action on one family: in scope (else 404), in the user's caseload and with the
    case still open (else 403). A family that has left the service is read only."""

    permission_required = "beneficiaries.change_family"

    @cached_property
    def family(self):
        family = get_scoped_object_or_404(
            Family.objects.select_related("branch"), self.request.user, pk=self.kwargs["pk"]
        )
        if not may_edit_family(self.request.user, family) or not family.is_open:
            raise PermissionDenied
        return family

    def get_context_data(self, **kwargs):
        return super().get_context_data(family=self.family, **kwargs)


class FamilyUpdateView(EditableFamilyMixin, FamilyFormMixin, PermissionAccessMixin, TemplateView):
    permission_required = (
        "beneficiaries.change_family",
        "beneficiaries.add_person",
        "beneficiaries.change_person",
    )
    extra_members = 2

    def title(self):
        return _("Edit family %(number)s") % {"number": self.family.case_number}

    def get(self, request, *args, **kwargs):
        return self.render_forms(*self.forms(self.family), title=self.title())

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(self.family)
        if form.is_valid() and formset.is_valid():
            found = self.unconfirmed_duplicates(formset)
            if found:
                return self.render_forms(form, formset, title=self.title(), duplicates=found)
            try:
                with transaction.atomic():
                    services.family_update(
                        family=self.family, updated_by=request.user, **form.cleaned_data
                    )
                    self.record_duplicates(formset.save())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The family's data is saved."))
                return redirect(self.family)
        return self.render_forms(form, formset, title=self.title())


class FamilyActionView(EditableFamilyMixin, PermissionAccessMixin, ServiceFormView):
    """A form whose valid data goes to one service; the service's refusals become errors."""

    template_name = "beneficiaries/family_action.html"
    title = ""
    intro = ""
    submit = gettext_lazy("Save")
    confirm = ""
    done = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, intro=self.intro, submit=self.submit, confirm=self.confirm, **kwargs
        )

    def get_success_message(self):
        return self.done

    def get_success_url(self):
        return self.family.get_absolute_url()


class FamilyIntakeView(FamilyActionView):
    form_class = IntakeForm
    title = gettext_lazy("Intake")
    intro = gettext_lazy(
        "The referred family agrees to work with the programme: its case becomes active."
    )
    submit = gettext_lazy("Take the family in")
    done = gettext_lazy("The family is now active.")

    def get_initial(self):
        return {"intake_date": self.family.intake_date}

    def perform(self, form):
        services.family_intake(
            family=self.family, intake_date=form.cleaned_data["intake_date"], by=self.request.user
        )


class FamilyExitView(FamilyActionView):
    form_class = ExitForm
    title = gettext_lazy("Exit from the service")
    intro = gettext_lazy(
        "The family leaves the service. Record when and why; the case is then read only."
    )
    submit = gettext_lazy("Record the exit")
    confirm = gettext_lazy("Record the family's exit from the service?")
    done = gettext_lazy("The family's exit is recorded.")

    def get_initial(self):
        return {"exit_date": timezone.localdate()}

    def perform(self, form):
        services.family_exit(
            family=self.family,
            exit_date=form.cleaned_data["exit_date"],
            reason=form.cleaned_data["reason"],
            notes=form.cleaned_data["notes"],
            by=self.request.user,
        )


class FamilyCloseView(FamilyActionView):
    form_class = CloseForm
    title = gettext_lazy("Close the case without success")
    intro = gettext_lazy(
        "Use this when the family stops working with the programme before its situation improved."
    )
    submit = gettext_lazy("Close the case")
    confirm = gettext_lazy("Close this case without success?")
    done = gettext_lazy("The case is closed.")

    def get_initial(self):
        return {"exit_date": timezone.localdate()}

    def perform(self, form):
        services.family_close(
            family=self.family,
            close_date=form.cleaned_data["exit_date"],
            notes=form.cleaned_data["notes"],
            by=self.request.user,
        )


class LookingForWorkView(FamilyActionView):
    """The caseworker marks an adult member as looking for work, or takes the mark away."""

    permission_required = ("beneficiaries.change_family", "beneficiaries.change_person")
    form_class = LookingForWorkForm
    title = gettext_lazy("Looking for work")
    intro = gettext_lazy(
        "Enterprise managers of the branch choose the people they hire among the adults "
        "marked as looking for work. They see the name, not the case number or the PINFL."
    )

    @cached_property
    def person(self):
        return get_object_or_404(self.family.members.all(), pk=self.kwargs["person_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def get_initial(self):
        return {"looking": self.person.looking_for_work_since is None}

    def get_success_message(self):
        if self.person.looking_for_work_since:
            message = _("%(name)s is marked as looking for work.")
        else:
            message = _("%(name)s is no longer marked as looking for work.")
        return message % {"name": self.person.full_name}

    def perform(self, form):
        self.person = services.person_mark_looking_for_work(
            person=self.person, looking=form.cleaned_data["looking"], by=self.request.user
        )


class PlacementCreateView(FamilyActionView):
    permission_required = ("beneficiaries.change_family", "beneficiaries.add_childplacement")
    form_class = PlacementForm
    title = gettext_lazy("Where a child lives")
    intro = gettext_lazy(
        "Record from which day a child lives with the family, in the short-term care centre "
        "or in alternative care. A child who comes home after care counts among the children "
        "returned to their families."
    )
    done = gettext_lazy("The child's living arrangement is recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["family"] = self.family
        kwargs["instance"] = None
        return kwargs

    def perform(self, form):
        services.child_placement_record(
            person=form.cleaned_data["person"],
            arrangement=form.cleaned_data["arrangement"],
            start_date=form.cleaned_data["start_date"],
            notes=form.cleaned_data["notes"],
            recorded_by=self.request.user,
        )


class PlanEditView(EditableFamilyMixin, PermissionAccessMixin, TemplateView):
    """The development plan and its goals, edited together."""

    permission_required = (
        "beneficiaries.change_family",
        "beneficiaries.add_developmentplan",
        "beneficiaries.change_developmentplan",
        "beneficiaries.add_plangoal",
        "beneficiaries.change_plangoal",
    )
    template_name = "beneficiaries/family_plan_form.html"

    def forms(self):
        plan = DevelopmentPlan.objects.filter(family=self.family).first() or DevelopmentPlan(
            family=self.family
        )
        data = self.request.POST if self.request.method == "POST" else None
        return PlanForm(data, instance=plan), GoalFormSet(data, instance=plan, prefix="goals")

    def get(self, request, *args, **kwargs):
        form, formset = self.forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        form, formset = self.forms()
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                plan = form.save(commit=False)
                plan.updated_by = request.user
                plan.full_clean()
                plan.save()
                formset.instance = plan
                formset.save()
            messages.success(request, _("The development plan is saved."))
            return redirect(self.family)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class ConsentCreateView(PermissionAccessMixin, ServiceFormView):
    """Record a member's consent, refusal or withdrawal. Caseworkers of the family's branch and
    programme managers, also after the family has left (a withdrawal is honoured always)."""

    permission_required = ("beneficiaries.view_family", "beneficiaries.add_consentrecord")
    form_class = ConsentForm
    template_name = "beneficiaries/family_action.html"
    title = gettext_lazy("Record a consent or its withdrawal")
    intro = gettext_lazy(
        "Each decision is a new record from the signed form; the latest one for a member and "
        "purpose holds. To withdraw a consent, record the withdrawal with its date."
    )
    submit = gettext_lazy("Record")

    @cached_property
    def family(self):
        family = get_scoped_object_or_404(
            Family.objects.all(), self.request.user, pk=self.kwargs["pk"]
        )
        if not may_record_consent(self.request.user, family):
            raise PermissionDenied
        return family

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "family": self.family}

    def get_initial(self):
        query = self.request.GET
        initial = {"decided_on": timezone.localdate()}
        for name in ("person", "purpose", "status", "partner"):
            if query.get(name):
                initial[name] = query[name][:200]
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            family=self.family, title=self.title, intro=self.intro, submit=self.submit, **kwargs
        )

    def get_success_message(self):
        return _("The decision is recorded.")

    def get_success_url(self):
        return f"{self.family.get_absolute_url()}#consent-heading"

    def perform(self, form):
        data = form.cleaned_data
        return services.consent_record(
            person=data["person"],
            purpose=data["purpose"],
            partner=data["partner"],
            status=data["status"],
            decided_on=data["decided_on"],
            expires_on=data["expires_on"],
            given_by=data["given_by"],
            paper_reference=data["paper_reference"],
            recorded_by=self.request.user,
        )
