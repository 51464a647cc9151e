import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role, sees_whole_programme
from beneficiaries import family_list, search, stale
from beneficiaries.access import caseworker_branch_ids
from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Branch, Family, Makhalla

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
    # A text field, not a list: a programme of 100,000 families has about 2,000 caseworkers.
    caseworker = django_filters.CharFilter(
        label=_("Caseworker"),
        method="by_caseworker",
        help_text=_("Part of the caseworker's name or user name."),
    )
    mine = django_filters.BooleanFilter(
        label=_("Only my caseload"),
        method="only_mine",
        widget=forms.CheckboxInput,
    )
    intake_year = django_filters.ChoiceFilter(
        label=_("Intake year"), field_name="intake_date", lookup_expr="year", choices=[]
    )
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), method="by_overdue", choices=[])

    class Meta:
        model = Family
        fields = [
            "q",
            "branch",
            "makhalla",
            "status",
            "caseworker",
            "mine",
            "intake_year",
            "overdue",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Years up to this one; set per request so the list grows on New Year's day.
        self.filters["intake_year"].extra["choices"] = intake_years()
        # The kinds of overdue work the apps above the core define (beneficiaries.stale).
        self.filters["overdue"].extra["choices"] = [
            (stale.ANY, _("Anything overdue")),
            *stale.stale_kinds(),
        ]
        user = request.user if request else None
        # The options are read when the form is drawn (a query each) and the same
        # querysets validate what is submitted: a caseworker is offered, and may choose,
        # only their branches and those branches' makhallas.
        branches = Branch.objects.all()
        makhallas = Makhalla.objects.all()
        if user is not None and not sees_whole_programme(user):
            branch_ids = caseworker_branch_ids(user)
            branches = branches.filter(pk__in=branch_ids)
            makhallas = makhallas.filter(branch_id__in=branch_ids)
        self.filters["branch"].queryset = branches
        self.filters["makhalla"].queryset = makhallas
        if user is None or not has_role(user, Role.CASEWORKER):
            del self.filters["mine"]
        # Filters of the apps above the core (beneficiaries.family_list), for whom they say.
        for found in family_list.filters_for(user):
            self.filters[found.name] = self._registered(found, user)

    def _registered(self, found, user):
        def method(queryset, name, value):
            condition = found.condition(value, user, timezone.localdate())
            return queryset if condition is None else queryset.filter(condition)

        registered = django_filters.ChoiceFilter(
            label=found.label, choices=found.choices(), method=method
        )
        registered.field_name = found.name
        registered.model = Family
        registered.parent = self
        return registered

    def by_caseworker(self, queryset, name, value):
        words = value.split()
        if not words:
            return queryset
        staff = get_user_model().objects.all()
        for word in words:
            staff = staff.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
            )
        return queryset.filter(caseworker__in=staff.values("pk"))

    def by_overdue(self, queryset, name, value):
        condition = stale.stale_q(value, timezone.localdate())
        return queryset if condition is None else queryset.filter(condition)

    def only_mine(self, queryset, name, value):
        return queryset.filter(caseworker=self.request.user) if value else queryset

    def search(self, queryset, name, value):
        condition = search.matching(value, using=queryset.db)
        return queryset if condition is None else queryset.filter(condition)
