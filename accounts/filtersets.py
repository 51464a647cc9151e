import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ReadLogEntry


class ReadLogFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(
        label=_("User name"), field_name="username", lookup_expr="iexact"
    )
    kind = django_filters.ChoiceFilter(label=_("What was read"), choices=ReadLogEntry.Kind.choices)
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    path = django_filters.CharFilter(
        label=_("Address contains"), field_name="path", lookup_expr="icontains"
    )

    class Meta:
        model = ReadLogEntry
        fields = ["username", "kind", "since", "until", "path"]
