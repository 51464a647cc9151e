import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, sees_whole_programme
from beneficiaries.access import caseworker_branch_ids
from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Branch, Family, Makhalla, Person

FIRST_YEAR = 2007


def intake_years():
    return [(str(year), str(year)) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class FamilyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Case number, a member's name, phone or PINFL."),
            }
        ),
    )
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.all())
    makhalla = django_filters.ModelChoiceFilter(
        label=_("Makhalla"), queryset=Makhalla.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FamilyStatus.choices)
    caseworker = django_filters.ModelChoiceFilter(
        label=_("Caseworker"), queryset=get_user_model().objects.none()
    )
    intake_year = django_filters.ChoiceFilter(
        label=_("Intake year"), field_name="intake_date", lookup_expr="year", choices=[]
    )

    class Meta:
        model = Family
        fields = ["q", "branch", "makhalla", "status", "caseworker", "intake_year"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Years up to this one; set per request so the list grows on New Year's day.
        self.filters["intake_year"].extra["choices"] = intake_years()
        user = request.user if request else None
        caseworkers = (
            get_user_model()
            .objects.filter(groups__name=Role.CASEWORKER)
            .order_by("last_name", "first_name", "username")
        )
        branches = Branch.objects.all()
        makhallas = Makhalla.objects.select_related("branch")
        if user is not None and not sees_whole_programme(user):
            branch_ids = caseworker_branch_ids(user)
            branches = branches.filter(pk__in=branch_ids)
            makhallas = makhallas.filter(branch_id__in=branch_ids)
            caseworkers = caseworkers.filter(staff_profile__branches__in=branch_ids)
        self.filters["branch"].queryset = branches
        self.filters["makhalla"].queryset = makhallas
        self.filters["caseworker"].queryset = caseworkers.distinct()
        caseworker_field = self.form.fields["caseworker"]
        caseworker_field.label_from_instance = lambda u: u.get_full_name() or u.username

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        digits = "".join(char for char in value if char.isdigit())
        member = Q(full_name__icontains=value)
        if digits:
            member |= Q(pinfl__contains=digits) | Q(phone__icontains=value)
        matching_member = Person.objects.filter(member, family=OuterRef("pk"))
        condition = Q(case_number__icontains=value) | Exists(matching_member)
        if digits:
            condition |= Q(phone__icontains=value)
        return queryset.filter(condition)
