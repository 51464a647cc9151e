"""Filters of a family's income ledger."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import IncomeSource
from beneficiaries.models import IncomeRecord
from common.filters import YearFilter


class IncomeRecordFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    source = django_filters.ChoiceFilter(label=_("Source"), choices=IncomeSource.choices)
    year = YearFilter(label=_("Year"), field_name="month", lookup_expr="year")

    class Meta:
        model = IncomeRecord
        fields = ["q", "source", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(evidence__icontains=value) | Q(person__full_name__icontains=value))
