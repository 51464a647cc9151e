import django_filters
from django.utils.translation import gettext_lazy as _

from beneficiaries.filtersets.families import FamilyFilterSet
from beneficiaries.models import Family


class WorklistFilterSet(django_filters.FilterSet):
    """The programme manager's choice of whose worklist to see (the family list's caseworker
    filter: part of the name or user name)."""

    caseworker = django_filters.CharFilter(
        label=_("Caseworker"),
        method="by_caseworker",
        help_text=_("Part of the caseworker's name or user name."),
    )

    class Meta:
        model = Family
        fields = ["caseworker"]

    by_caseworker = FamilyFilterSet.by_caseworker
