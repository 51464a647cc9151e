import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Branch
from training.choices import EnrolmentStatus, Trade
from training.models import Cohort, Course, Enrolment


class CohortFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    trade = django_filters.ChoiceFilter(
        field_name="course__trade", choices=Trade.choices, label=_("Trade")
    )
    branch = django_filters.ModelChoiceFilter(queryset=Branch.objects.all(), label=_("Branch"))
    running_on = django_filters.DateFilter(
        method="filter_running_on",
        label=_("Running on"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Cohort
        fields = ["q", "trade", "branch", "running_on"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(course__title__icontains=value)
            | Q(course__title_ru__icontains=value)
            | Q(course__title_uz__icontains=value)
            | Q(location__icontains=value)
            | Q(trainer__last_name__icontains=value)
            | Q(trainer__first_name__icontains=value)
        )

    def filter_running_on(self, queryset, name, value):
        return queryset.running_on(value)


class CourseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    trade = django_filters.ChoiceFilter(choices=Trade.choices, label=_("Trade"))

    class Meta:
        model = Course
        fields = ["q", "trade", "provider", "level"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(title_ru__icontains=value)
            | Q(title_uz__icontains=value)
            | Q(provider_name__icontains=value)
        )


class EnrolmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices, label=_("Status"))
    trade = django_filters.ChoiceFilter(
        field_name="cohort__course__trade", choices=Trade.choices, label=_("Trade")
    )
    branch = django_filters.ModelChoiceFilter(
        field_name="cohort__branch", queryset=Branch.objects.all(), label=_("Branch")
    )

    class Meta:
        model = Enrolment
        fields = ["q", "status", "trade", "branch"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(person__full_name__icontains=value)
            | Q(cohort__course__title__icontains=value)
            | Q(cohort__course__title_ru__icontains=value)
            | Q(cohort__course__title_uz__icontains=value)
        )
