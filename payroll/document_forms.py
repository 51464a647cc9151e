"""Forms of the documents for employees: issuing an income certificate, asking for the year's
statement, revoking a certificate."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import MonthField
from common.months import add_months, month_start
from common.validators import validate_plain_text
from enterprises.models import SocialEnterprise
from payroll.models import IncomeCertificate
from payroll.people_documents import LANGUAGES
from payroll.selectors import employees_of, payroll_enterprises

LANGUAGE_CHOICES = [("uz", "Oʻzbekcha"), ("ru", "Русский"), ("en", "English")]
assert [code for code, _label in LANGUAGE_CHOICES] == list(LANGUAGES)


class EmployeeChoiceMixin(forms.Form):
    """The enterprise (those whose payroll the user sees) and one of its employees."""

    enterprise = forms.ModelChoiceField(
        label=_("Social enterprise"),
        queryset=None,
        help_text=_("The enterprise that paid the wages."),
    )
    person = forms.ModelChoiceField(
        label=_("Employee"),
        queryset=None,
        help_text=_("Someone who holds or held a contract at the enterprise."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        enterprises = payroll_enterprises(user)
        self.fields["enterprise"].queryset = enterprises
        self.fields["person"].queryset = employees_of(enterprises.values("pk"))

    def clean(self):
        cleaned = super().clean()
        enterprise, person = cleaned.get("enterprise"), cleaned.get("person")
        if enterprise and person and not employees_of([enterprise.pk]).filter(pk=person.pk):
            self.add_error("person", _("This person has no contract at this enterprise."))
        return cleaned


def last_full_months(count: int, today=None):
    """The `count` months before the current one: (first, last)."""
    last = add_months(month_start(today or timezone.localdate()), -1)
    return add_months(last, -(count - 1)), last


class IncomeCertificateForm(EmployeeChoiceMixin):
    first_month = MonthField(
        label=_("From month"),
        help_text=_("The first month the certificate covers (YYYY-MM)."),
    )
    last_month = MonthField(
        label=_("To month"),
        help_text=_(
            "The last month it covers. The Social Registry asks for the last 12 months' "
            "income; at most 36 months."
        ),
    )


class YearStatementForm(EmployeeChoiceMixin):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The calendar year, January to December."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=LANGUAGE_CHOICES,
        help_text=_("The language of the PDF."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        validators=[validate_plain_text],
        help_text=_("Why the certificate no longer holds; its public page says it was revoked."),
    )


class IncomeCertificateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("The employee's name or the certificate's number."),
    )
    enterprise = django_filters.ModelChoiceFilter(
        label=_("Social enterprise"), queryset=SocialEnterprise.objects.none()
    )
    valid = django_filters.BooleanFilter(
        label=_("Valid"), field_name="revoked_on", lookup_expr="isnull"
    )

    class Meta:
        model = IncomeCertificate
        fields = ["q", "enterprise", "valid"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["enterprise"].queryset = payroll_enterprises(user)

    def search(self, queryset, name, value):
        return queryset.filter(Q(holder_name__icontains=value) | Q(number__icontains=value.strip()))
