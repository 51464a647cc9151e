"""Day care: the centres, a centre's children, the day's register, a child's days."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from accounts.access import PermissionAccessMixin, ScopedAccessMixin, get_scoped_object_or_404
from beneficiaries.access import sees_sensitive
from beneficiaries.models import Branch, Family
from common.months import add_months, month_start
from common.views import ServiceFormView
from daycare import figures, selectors, services
from daycare.access import may_take_register
from daycare.forms import CapacityForm, PlaceForm, RegisterForm
from daycare.models import DayCareAttendance, DayCareCapacity, DayCarePlace


def _day(request) -> date:
    """The day a page is about: ?day=YYYY-MM-DD, today by default; a day that is no date
    is a 404 rather than a guess."""
    raw = request.GET.get("day")
    if not raw:
        return timezone.localdate()
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise Http404
    return day


class CentreMixin(PermissionAccessMixin):
    """The centre of the URL, among those the user sees (another centre: 404)."""

    def get_centre(self):
        return get_object_or_404(selectors.centres_for(self.request.user), pk=self.kwargs["pk"])


class DayCareHomeView(PermissionAccessMixin, TemplateView):
    """The centres the user sees, with today's children and places."""

    permission_required = "daycare.view_daycareplace"
    template_name = "daycare/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        centres = selectors.centre_summaries(selectors.centres_for(self.request.user), today)
        return super().get_context_data(centres=centres, today=today, **kwargs)


class CentreView(CentreMixin, TemplateView):
    """A centre's day care: the children with a place, its capacity, the month's figures."""

    permission_required = "daycare.view_daycareplace"
    template_name = "daycare/centre.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        centre = self.get_centre()
        today = timezone.localdate()
        month = month_start(_day(self.request))
        places = list(
            DayCarePlace.objects.for_user(user)
            .filter(branch=centre)
            .open_on(today)
            .select_related("child", "parent")
        )
        days = DayCareAttendance.objects.for_user(user).filter(
            branch=centre, date__gte=month, date__lt=add_months(month, 1)
        )
        capacities = DayCareCapacity.objects.filter(branch=centre).select_related("recorded_by")
        return super().get_context_data(
            centre=centre,
            places=places,
            today=today,
            month=month,
            figures=figures.figures(days),
            capacities=list(capacities[:10]),
            can_register=may_take_register(user, centre),
            can_set_capacity=user.has_perm("daycare.add_daycarecapacity"),
            **kwargs,
        )


class RegisterView(CentreMixin, ServiceFormView):
    """The day's register: every child expected at the centre on one form, one save."""

    permission_required = "daycare.view_daycareattendance"
    form_class = RegisterForm
    template_name = "daycare/register.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        self.centre = self.get_centre()
        self.day = _day(request)
        self.register = selectors.register_day(self.centre, self.day, request.user)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not may_take_register(request.user, self.centre):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "rows": self.register.rows,
            "taken": self.register.taken,
        }

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        present = sum(1 for row in self.register.rows if row.attendance is not None)
        return super().get_context_data(
            centre=self.centre,
            register=self.register,
            present=present,
            day=self.day,
            today=today,
            editable=self.day <= today and may_take_register(self.request.user, self.centre),
            history=selectors.register_history(self.centre, self.day),
            **kwargs,
        )

    def perform(self, form):
        saved = services.register_record(
            branch=self.centre, day=self.day, marks=form.marks(), recorded_by=self.request.user
        )
        messages.success(self.request, _("Day-care register saved."))
        return saved

    def get_success_url(self):
        url = reverse("daycare:register", args=[self.centre.pk])
        return f"{url}?day={self.day.isoformat()}"


class PlaceDetailView(ScopedAccessMixin, DetailView):
    """A child's day care: the place and the days in care, newest first."""

    permission_required = "daycare.view_daycareplace"
    model = DayCarePlace
    template_name = "daycare/place_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("child", "parent", "branch")

    def get_context_data(self, **kwargs):
        days = (
            self.object.attendances.select_related("session__cohort__course")
            .select_related("employment__position__enterprise")
            .order_by("-date")[:60]
        )
        return super().get_context_data(
            days=list(days),
            figures=figures.figures(DayCareAttendance.objects.filter(place=self.object)),
            sees_family=sees_sensitive(self.request.user, self.object.child.family)
            and self.request.user.has_perm("beneficiaries.view_family"),
            **kwargs,
        )


class PlaceCreateView(PermissionAccessMixin, ServiceFormView):
    """A caseworker registers one of the family's children for a centre's day care."""

    permission_required = "daycare.add_daycareplace"
    form_class = PlaceForm
    template_name = "daycare/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.family = get_scoped_object_or_404(
                Family.objects.select_related("branch"), request.user, pk=kwargs["pk"]
            )
            if not sees_sensitive(request.user, self.family) or not self.family.is_open:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "family": self.family, "branches": Branch.objects}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Register a child for day care"),
            cancel_url=self.family.get_absolute_url(),
            **kwargs,
        )

    def perform(self, form):
        data = form.cleaned_data
        place = services.place_register(
            child=data["child"],
            parent=data["parent"],
            branch=data["branch"],
            start_date=data["start_date"],
            usual_hours=data["usual_hours"],
            by=self.request.user,
        )
        messages.success(
            self.request, _("%(child)s registered for day care.") % {"child": place.child}
        )
        return place

    def get_success_url(self):
        return self.family.get_absolute_url()


class CapacityCreateView(CentreMixin, ServiceFormView):
    """The programme manager sets a centre's day-care capacity from a date on."""

    permission_required = "daycare.add_daycarecapacity"
    form_class = CapacityForm
    template_name = "daycare/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.centre = self.get_centre()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"effective_from": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Day-care capacity of %(centre)s") % {"centre": self.centre},
            cancel_url=reverse("daycare:centre", args=[self.centre.pk]),
            **kwargs,
        )

    def perform(self, form):
        row = services.capacity_set(branch=self.centre, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Capacity saved."))
        return row

    def get_success_url(self):
        return reverse("daycare:centre", args=[self.centre.pk])
