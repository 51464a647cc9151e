"""Thin views: each one checks the role, reaches its records through `for_user`, and hands
writes to a service."""

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.access import PermissionAccessMixin, ScopedAccessMixin, get_scoped_object_or_404
from beneficiaries.models import Family
from common.downloads import AGGREGATE
from common.exports import ExportMixin
from common.views import ServiceFormView
from enterprises import selectors, services
from enterprises.choices import BusinessStatus, EmploymentStatus
from enterprises.filtersets import (
    BusinessFilterSet,
    EmploymentFilterSet,
    EnterpriseFilterSet,
    PlacementFilterSet,
)
from enterprises.forms import (
    BusinessForm,
    BusinessPlanForm,
    BusinessStepForm,
    FollowUpForm,
    HireForm,
    MonthlyResultForm,
    PaymentDetailsForm,
    PlacementEndForm,
    PlacementForm,
    PositionForm,
    RateChangeForm,
    RepaymentForm,
    RetentionCheckForm,
    SupportForm,
    TerminateForm,
    TrancheForm,
)
from enterprises.models import (
    Business,
    Employment,
    JobPlacement,
    Position,
    RateChange,
    RetentionCheck,
    SocialEnterprise,
    Support,
)
from enterprises.tables import BusinessTable, EmploymentTable, EnterpriseTable, PlacementTable


class ListView(ExportMixin, SingleTableMixin, ScopedAccessMixin, FilterView):
    """A scoped, filtered, sortable, paginated list; CSV/XLSX export for roles allowed it."""

    template_name = "enterprises/list.html"
    paginate_by = 25
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context


class ActionView(PermissionAccessMixin, ServiceFormView):
    """A form that acts on one record in the user's scope through a service."""

    template_name = "enterprises/form.html"
    model = None
    pk_url_kwarg = "pk"
    title = ""
    confirm = ""

    def get_object(self):
        return get_scoped_object_or_404(
            self.model.objects.all(), self.request.user, pk=self.kwargs[self.pk_url_kwarg]
        )

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._object = None

    @property
    def object(self):
        if self._object is None:
            self._object = self.get_object()
        return self._object

    def has_permission(self):
        # Role first (403), then scope (404) when the form is shown or sent.
        allowed = super().has_permission()
        if allowed:
            self.check_object()
        return allowed

    def check_object(self):
        self.object  # noqa: B018 - resolves the record or raises 404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            title=self.get_title(),
            confirm=self.confirm,
            cancel_url=self.get_success_url(),
        )
        return context

    def get_title(self):
        return self.title

    def get_success_url(self):
        return self.object.get_absolute_url()

    def perform(self, form):
        return self.act(form.cleaned_data)

    def act(self, data):
        raise NotImplementedError


# Social enterprises -------------------------------------------------------------------------


class EnterpriseListView(ListView):
    model = SocialEnterprise
    permission_required = "enterprises.view_socialenterprise"
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilterSet
    title = gettext_lazy("Social enterprises")
    export_name = "social-enterprises"
    download_kind = AGGREGATE  # enterprises and their figures, nobody named
    extra_context = {"jobs_link": True}

    def get_queryset(self):
        queryset = super().get_queryset().select_related("branch", "makhalla")
        return selectors.with_figures(queryset).order_by("name")


class EnterpriseDetailView(ScopedAccessMixin, DetailView):
    model = SocialEnterprise
    permission_required = "enterprises.view_socialenterprise"
    template_name = "enterprises/enterprise_detail.html"

    def get_queryset(self):
        return selectors.with_figures(super().get_queryset().select_related("branch", "makhalla"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        holders = Prefetch(
            "employments",
            queryset=Employment.objects.filter(status=EmploymentStatus.ACTIVE).select_related(
                "person"
            ),
            to_attr="holders",
        )
        context.update(
            positions=enterprise.positions.prefetch_related(holders).order_by("title", "id"),
            managers=list(enterprise.managers.all()),
            vacant=enterprise.jobs - enterprise.jobs_filled,
            recent=selectors.recent_results([enterprise.pk], months=6)[enterprise.pk],
            can_run=self.request.user.has_perm("enterprises.add_employment"),
            can_record=self.request.user.has_perm("enterprises.add_enterprisemonthlyresult"),
        )
        return context


class EnterpriseResultsView(ScopedAccessMixin, DetailView):
    """An enterprise's year: revenue, costs, result and headcount month by month."""

    model = SocialEnterprise
    permission_required = "enterprises.view_enterprisemonthlyresult"
    template_name = "enterprises/enterprise_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = selectors.result_years(self.object)
        try:
            year = int(self.request.GET.get("year") or (years[0] if years else 0))
        except ValueError:
            year = 0
        year = year or timezone.localdate().year
        context.update(
            year=year,
            years=years,
            results=selectors.year_results(self.object, year),
            can_record=self.request.user.has_perm("enterprises.add_enterprisemonthlyresult"),
        )
        return context


class MonthlyResultRecordView(ActionView):
    model = SocialEnterprise
    permission_required = "enterprises.add_enterprisemonthlyresult"
    form_class = MonthlyResultForm
    title = gettext_lazy("Enter a month's result")
    success_message = gettext_lazy("The month's result is saved.")

    def get_initial(self):
        month = timezone.localdate().replace(day=1)
        headcount = Employment.objects.filter(
            position__enterprise=self.object, status=EmploymentStatus.ACTIVE
        ).count()
        return {"headcount": headcount, "month": month}

    def get_success_url(self):
        return f"{self.object.get_absolute_url()}results/"

    def act(self, data):
        services.enterprise_result_record(
            enterprise=self.object,
            month=data["month"],
            revenue=data["revenue"],
            costs=data["costs"],
            headcount=data["headcount"],
            notes=data["notes"],
            entered_by=self.request.user,
        )


class PositionCreateView(ActionView):
    model = SocialEnterprise
    permission_required = "enterprises.add_position"
    form_class = PositionForm
    title = gettext_lazy("Open a position")
    success_message = gettext_lazy("The position is open.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def act(self, data):
        self.position = services.position_create(enterprise=self.object, **data)

    def get_success_url(self):
        position = getattr(self, "position", None)
        return position.get_absolute_url() if position else self.object.get_absolute_url()


class PositionDetailView(ScopedAccessMixin, DetailView):
    """A job and everybody who has held it, with their rates over time."""

    model = Position
    permission_required = "enterprises.view_position"
    template_name = "enterprises/position_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contracts = list(
            self.object.employments.select_related("person").prefetch_related(
                Prefetch("rate_changes", queryset=RateChange.objects.order_by("effective_from"))
            )
        )
        user = self.request.user
        context.update(
            contracts=contracts,
            holder=next((c for c in contracts if c.is_active), None),
            can_hire=user.has_perm("enterprises.add_employment"),
            can_change=user.has_perm("enterprises.change_employment"),
        )
        return context


class HireView(ActionView):
    """Hire into a position one of the adults whom caseworkers marked as looking for work,
    found by name (`?q=`). Anyone else sent in the form is out of scope: 404."""

    model = Position
    permission_required = "enterprises.add_employment"
    form_class = HireForm
    template_name = "enterprises/hire_form.html"
    success_message = gettext_lazy("The contract is registered.")

    def get_title(self):
        return _("Hire into %(position)s") % {"position": self.object}

    @property
    def query(self) -> str:
        return self.request.GET.get("q", "")[:100]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "position": self.object, "q": self.query}

    def get_context_data(self, **kwargs):
        return super().get_context_data(q=self.query, **kwargs)

    def post(self, request, *args, **kwargs):
        person_id = request.POST.get("person", "")
        if person_id.isdigit():
            candidates = selectors.hire_candidates(self.object)
            if not candidates.filter(pk=int(person_id)).exists():
                raise Http404
        return super().post(request, *args, **kwargs)

    def act(self, data):
        services.employment_hire(
            position=self.object,
            person=data["person"],
            start_date=data["start_date"],
            rate=data["rate"],
            low_income_family=data["low_income_family"],
            hired_by=self.request.user,
        )


class RateChangeView(ActionView):
    model = Employment
    permission_required = "enterprises.add_ratechange"
    form_class = RateChangeForm
    success_message = gettext_lazy("The new rate is recorded.")

    def get_title(self):
        return _("Change the rate of %(contract)s") % {"contract": self.object}

    def act(self, data):
        services.employment_change_rate(
            employment=self.object,
            rate=data["rate"],
            effective_from=data["effective_from"],
            changed_by=self.request.user,
        )


class TerminateView(ActionView):
    model = Employment
    permission_required = "enterprises.change_employment"
    form_class = TerminateForm
    confirm = gettext_lazy("End this contract?")
    success_message = gettext_lazy("The contract has ended.")

    def get_title(self):
        return _("End the contract of %(contract)s") % {"contract": self.object}

    def act(self, data):
        services.employment_terminate(
            employment=self.object,
            end_date=data["end_date"],
            reason=data["end_reason"],
            notes=data["end_notes"],
            ended_by=self.request.user,
        )


class PaymentDetailsView(ActionView):
    """Where the contract's pay goes: card or account for the bank file, or cash."""

    model = Employment
    permission_required = "enterprises.change_employment"
    form_class = PaymentDetailsForm
    success_message = gettext_lazy("The payment details are saved.")

    def get_title(self):
        return _("Payment details of %(contract)s") % {"contract": self.object}

    def get_initial(self):
        employment = self.object
        return {
            "payment_method": employment.payment_method,
            "card_number": employment.card_number,
            "bank_account": employment.bank_account,
        }

    def act(self, data):
        services.employment_set_payment(
            employment=self.object, changed_by=self.request.user, **data
        )


class EmploymentListView(ListView):
    """Every job in the user's scope: a caseworker sees the jobs of their families."""

    model = Employment
    permission_required = "enterprises.view_employment"
    table_class = EmploymentTable
    filterset_class = EmploymentFilterSet
    title = gettext_lazy("Jobs")
    export_name = "jobs"
    extra_context = {"enterprises_link": True, "placements_link": True}

    def get_queryset(self):
        return super().get_queryset().select_related("person__family", "position__enterprise")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_table_kwargs(self):
        # Managers reach their employees' names, not the families' case files.
        if not self.request.user.has_perm("beneficiaries.view_family"):
            return {"exclude": ("family",)}
        return {}


# Family businesses -------------------------------------------------------------------------


class BusinessListView(ListView):
    model = Business
    permission_required = "enterprises.view_business"
    table_class = BusinessTable
    filterset_class = BusinessFilterSet
    title = gettext_lazy("Family businesses")
    export_name = "businesses"

    def get_queryset(self):
        return selectors.with_survival(
            super().get_queryset().select_related("owner", "family__branch")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("enterprises.add_business")
        context["survival_link"] = True
        context["table_caption"] = _(
            "“At 6, 12, 24 months”: whether the business was operating that long after its "
            "start; empty until that day has come."
        )
        return context


class BusinessCreateView(PermissionAccessMixin, ServiceFormView):
    permission_required = "enterprises.add_business"
    form_class = BusinessForm
    template_name = "enterprises/form.html"
    success_message = gettext_lazy("The business plan is registered as a draft.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": _("Register a business plan"),
            "cancel_url": "/businesses/",
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        owner = data.pop("owner")
        return services.business_create(
            family=owner.family, owner=owner, created_by=self.request.user, **data
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class BusinessDetailView(ScopedAccessMixin, DetailView):
    model = Business
    permission_required = "enterprises.view_business"
    template_name = "enterprises/business_detail.html"

    def get_queryset(self):
        return selectors.with_survival(
            super().get_queryset().select_related("owner", "family__branch", "makhalla")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        business = self.object
        user = self.request.user
        steps = allowed_steps(business, user)
        context.update(
            supports=business.supports.prefetch_related("tranches", "schedule", "repayments"),
            followups=business.followups.all(),
            steps=steps,
            step_form=BusinessStepForm(steps=steps) if steps else None,
            survival=[
                (h, getattr(business, f"operating_{h}")) for h in selectors.SURVIVAL_HORIZONS
            ],
            can_support=user.has_perm("enterprises.add_support"),
            can_disburse=user.has_perm("enterprises.add_tranche"),
            can_repay=user.has_perm("enterprises.add_repayment"),
            can_follow=user.has_perm("enterprises.add_followup"),
            can_edit_plan=user.has_perm("enterprises.change_business")
            and business.status in (BusinessStatus.DRAFT, BusinessStatus.APPROVED),
        )
        return context


def allowed_steps(business, user) -> list[str]:
    steps = [
        step
        for step, (sources, _target) in services.TRANSITIONS.items()
        if business.status in sources
    ]
    if not user.has_perm("enterprises.change_business"):
        return []
    if not user.has_perm("enterprises.approve_business"):
        steps = [step for step in steps if step != "approve"]
    return steps


class BusinessPlanUpdateView(ActionView):
    model = Business
    permission_required = "enterprises.change_business"
    form_class = BusinessPlanForm
    title = gettext_lazy("Change the business plan")
    success_message = gettext_lazy("The business plan is saved.")

    def get_form_kwargs(self):
        # A copy: the form must not change the record before the service decides.
        return {**super().get_form_kwargs(), "instance": Business.objects.get(pk=self.object.pk)}

    def act(self, data):
        services.business_plan_update(business=self.object, **data)


class BusinessStepView(ActionView):
    model = Business
    permission_required = "enterprises.change_business"
    form_class = BusinessStepForm
    title = gettext_lazy("Next step of the business")
    success_message = gettext_lazy("The business's status is updated.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "steps": allowed_steps(self.object, self.request.user)}

    def act(self, data):
        business, day = self.object, data["day"]
        step = data["step"]
        if step == "approve":
            services.business_approve(business=business, approved_on=day)
        elif step == "start":
            services.business_start(business=business, started_on=day)
        elif step == "operate":
            services.business_mark_operating(business=business, operating_since=day)
        else:
            services.business_close(
                business=business,
                closed_on=day,
                reason=data["close_reason"],
                notes=data["close_notes"],
            )


class SupportCreateView(ActionView):
    model = Business
    permission_required = "enterprises.add_support"
    form_class = SupportForm
    title = gettext_lazy("Agree a grant or loan")
    success_message = gettext_lazy("The support is agreed.")

    def act(self, data):
        services.support_create(business=self.object, created_by=self.request.user, **data)


class TrancheCreateView(ActionView):
    model = Support
    permission_required = "enterprises.add_tranche"
    form_class = TrancheForm
    success_message = gettext_lazy("The tranche is recorded.")

    def get_title(self):
        return _("Pay out a tranche of %(support)s") % {"support": self.object}

    def act(self, data):
        services.support_disburse(support=self.object, recorded_by=self.request.user, **data)


class RepaymentCreateView(ActionView):
    model = Support
    permission_required = "enterprises.add_repayment"
    form_class = RepaymentForm
    success_message = gettext_lazy("The repayment is recorded.")

    def get_title(self):
        return _("Record a repayment of %(support)s") % {"support": self.object}

    def act(self, data):
        services.loan_repayment_record(support=self.object, recorded_by=self.request.user, **data)


class FollowUpCreateView(ActionView):
    model = Business
    permission_required = "enterprises.add_followup"
    form_class = FollowUpForm
    title = gettext_lazy("Record a monthly follow-up")
    success_message = gettext_lazy("The follow-up is recorded and the family's income updated.")

    def act(self, data):
        services.business_followup_record(
            business=self.object, recorded_by=self.request.user, **data
        )


class SurvivalView(PermissionAccessMixin, TemplateView):
    """The programme's survival table: of the businesses started each year, how many were
    operating 6, 12 and 24 months later."""

    permission_required = "enterprises.view_business"
    template_name = "enterprises/survival.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        businesses = Business.objects.for_user(self.request.user)
        context["table"] = selectors.survival_table(businesses)
        context["counts"] = selectors.business_status_counts(businesses)
        return context


# Job placements outside the social enterprises --------------------------------------------


class PlacementListView(ListView):
    """The job searches, referrals and placements of the families in the user's scope."""

    model = JobPlacement
    permission_required = "enterprises.view_jobplacement"
    table_class = PlacementTable
    filterset_class = PlacementFilterSet
    title = gettext_lazy("Job placements")
    export_name = "job-placements"
    extra_context = {"jobs_link": True}

    def get_queryset(self):
        return super().get_queryset().select_related("person__family")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("enterprises.add_jobplacement"):
            context["add_url"] = reverse("enterprises:placement_create")
            context["add_label"] = _("Record a job search, referral or placement")
        return context


class PlacementCreateView(PermissionAccessMixin, ServiceFormView):
    """Record a job search, referral or placement; `?family=` keeps the choice to its
    members (the family page links here)."""

    permission_required = "enterprises.add_jobplacement"
    form_class = PlacementForm
    template_name = "enterprises/form.html"
    success_message = gettext_lazy("Recorded.")

    def has_permission(self):
        allowed = super().has_permission()
        if allowed:
            self.family = None
            family_id = self.request.GET.get("family", "")
            if family_id:
                if not family_id.isdigit():
                    raise Http404
                self.family = get_scoped_object_or_404(
                    Family.objects.all(), self.request.user, pk=int(family_id)
                )
        return allowed

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "family": self.family}

    def get_context_data(self, **kwargs):
        cancel = (
            self.family.get_absolute_url()
            if self.family is not None
            else reverse("enterprises:placement_list")
        )
        return {
            **super().get_context_data(**kwargs),
            "title": _("Record a job search, referral or placement"),
            "cancel_url": cancel,
        }

    def perform(self, form):
        return services.placement_record(recorded_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.result.get_absolute_url()


class PlacementDetailView(ScopedAccessMixin, DetailView):
    model = JobPlacement
    permission_required = "enterprises.view_jobplacement"
    template_name = "enterprises/placement_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("person__family", "recorded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placement = self.object
        user = self.request.user
        today = timezone.localdate()
        checks = list(placement.retention_checks.select_related("checked_by"))
        due = {check.pk for check in RetentionCheck.objects.filter(placement=placement).due(today)}
        context.update(
            months=placement.months.all(),
            checks=[(check, check.pk in due) for check in checks],
            can_change=user.has_perm("enterprises.change_jobplacement"),
            can_check=user.has_perm("enterprises.change_retentioncheck"),
        )
        return context


class PlacementEndView(ActionView):
    model = JobPlacement
    permission_required = "enterprises.change_jobplacement"
    form_class = PlacementEndForm
    title = gettext_lazy("Record the end")
    success_message = gettext_lazy("The end is recorded; the household's income follows it.")

    def get_title(self):
        return _("Record the end of %(placement)s") % {"placement": self.object}

    def act(self, data):
        services.placement_end(placement=self.object, by=self.request.user, **data)


class RetentionCheckView(ActionView):
    model = RetentionCheck
    permission_required = "enterprises.change_retentioncheck"
    form_class = RetentionCheckForm
    success_message = gettext_lazy("The check is recorded.")

    def get_title(self):
        return _("Retention check at %(months)s months: %(placement)s") % {
            "months": self.object.months_after,
            "placement": self.object.placement,
        }

    def act(self, data):
        services.retention_check_record(check=self.object, checked_by=self.request.user, **data)
