import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.filters import YearFilter
from enterprises.models import SocialEnterprise
from payroll.choices import RunStatus
from payroll.models import PayrollRun


class PayrollRunFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    enterprise = django_filters.ModelChoiceFilter(
        label=_("Social enterprise"), queryset=SocialEnterprise.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RunStatus.choices)
    year = YearFilter(label=_("Year"), field_name="month__year")

    class Meta:
        model = PayrollRun
        fields = ["q", "enterprise", "status", "year"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["enterprise"].queryset = SocialEnterprise.objects.for_user(user)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(payslips__person__full_name__icontains=value)
        ).distinct()
