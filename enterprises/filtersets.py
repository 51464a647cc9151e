import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Branch
from common.filters import YearFilter
from enterprises.choices import (
    BusinessStatus,
    EmploymentStatus,
    EnterpriseStatus,
    PlacementStage,
    Sector,
)
from enterprises.models import Business, Employment, JobPlacement, SocialEnterprise


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnterpriseStatus.choices)
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.all())

    class Meta:
        model = SocialEnterprise
        fields = ["q", "sector", "status", "branch"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(makhalla__name__icontains=value))


class EmploymentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EmploymentStatus.choices)
    enterprise = django_filters.ModelChoiceFilter(
        label=_("Social enterprise"),
        field_name="position__enterprise",
        queryset=SocialEnterprise.objects.all(),
    )

    class Meta:
        model = Employment
        fields = ["q", "status", "enterprise"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["enterprise"].queryset = SocialEnterprise.objects.for_user(user)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(person__full_name__icontains=value)
            | Q(person__family__case_number__icontains=value)
            | Q(position__title__icontains=value)
        )


class BusinessFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BusinessStatus.choices)
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)
    branch = django_filters.ModelChoiceFilter(
        label=_("Branch"), field_name="family__branch", queryset=Branch.objects.all()
    )
    started_year = YearFilter(label=_("Year started"), field_name="started_on", lookup_expr="year")

    class Meta:
        model = Business
        fields = ["q", "status", "sector", "branch", "started_year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(owner__full_name__icontains=value)
            | Q(family__case_number__icontains=value)
        )


class PlacementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=PlacementStage.choices)
    open = django_filters.ChoiceFilter(
        label=_("Running"),
        method="running",
        choices=[("yes", _("Still running")), ("no", _("Ended"))],
    )
    branch = django_filters.ModelChoiceFilter(
        label=_("Branch"), field_name="person__family__branch", queryset=Branch.objects.all()
    )
    start_year = YearFilter(label=_("Year started"), field_name="start_date", lookup_expr="year")

    class Meta:
        model = JobPlacement
        fields = ["q", "stage", "open", "branch", "start_year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(person__full_name__icontains=value)
            | Q(person__family__case_number__icontains=value)
            | Q(employer_name__icontains=value)
            | Q(position__icontains=value)
        )

    def running(self, queryset, name, value):
        return queryset.filter(end_date__isnull=value == "yes")
