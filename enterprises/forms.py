"""Forms validate input; the services in services.py apply the rules."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Makhalla, Person
from common.forms import MoneyField, MonthField
from common.validators import validate_programme_date
from enterprises.choices import CloseReason, EndReason, PaymentMethod, SupportKind
from enterprises.models import Business, JobPlacement, Position
from enterprises.selectors import hire_candidates


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def today():
    return timezone.localdate()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name} · {person.family.case_number}"


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = [
            "title",
            "pay_basis",
            "rate",
            "hours_per_week",
            "created_by_programme",
            "opened_on",
        ]
        widgets = {"opened_on": DateInput()}


class CandidateChoiceField(forms.ModelChoiceField):
    """An adult looking for work, by name, age and since when: no case number, no PINFL."""

    def label_from_instance(self, person):
        return _("%(name)s, %(age)s years, looking for work since %(day)s") % {
            "name": person.full_name,
            "age": person.age,
            "day": date_format(person.looking_for_work_since, "SHORT_DATE_FORMAT"),
        }


class HireForm(forms.Form):
    person = CandidateChoiceField(
        label=_("Family member"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_(
            "Adults of the branch's families whom their caseworker marked as looking for work."
        ),
    )
    start_date = forms.DateField(label=_("Contract start"), widget=DateInput(), initial=today)
    rate = MoneyField(
        label=_("Rate (UZS)"),
        decimal_places=0,
        required=False,
        help_text=_("Leave empty to use the position's rate."),
    )
    low_income_family = forms.BooleanField(
        label=_("From a low-income family registered for social protection"), required=False
    )

    def __init__(self, *args, position: Position, q: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = hire_candidates(position, q)


class RateChangeForm(forms.Form):
    rate = MoneyField(label=_("New rate (UZS)"), decimal_places=0)
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput(), initial=today)


class TerminateForm(forms.Form):
    end_date = forms.DateField(label=_("Contract end"), widget=DateInput(), initial=today)
    end_reason = forms.ChoiceField(label=_("Reason"), choices=EndReason.choices)
    end_notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)


class MonthlyResultForm(forms.Form):
    month = MonthField(label=_("Month"))
    revenue = MoneyField(label=_("Revenue (UZS)"), decimal_places=0)
    costs = MoneyField(label=_("Costs (UZS)"), decimal_places=0)
    headcount = forms.IntegerField(label=_("Headcount"), min_value=0)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)


class BusinessForm(forms.ModelForm):
    owner = PersonChoiceField(label=_("Owner"), queryset=Person.objects.none())

    class Meta:
        model = Business
        fields = [
            "owner",
            "name",
            "business_type",
            "sector",
            "makhalla",
            "location",
            "plan",
            "expected_monthly_revenue",
            "expected_monthly_costs",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.for_user(user).adults().select_related("family")
        self.fields["owner"].queryset = people.order_by("full_name")
        self.fields["makhalla"].queryset = Makhalla.objects.select_related("branch")


class BusinessPlanForm(forms.ModelForm):
    class Meta:
        model = Business
        fields = [
            "name",
            "business_type",
            "sector",
            "makhalla",
            "location",
            "plan",
            "expected_monthly_revenue",
            "expected_monthly_costs",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["makhalla"].queryset = Makhalla.objects.select_related("branch")


class BusinessStepForm(forms.Form):
    STEPS = [
        ("approve", _("Approve the plan")),
        ("start", _("Record the start")),
        ("operate", _("Record that it operates")),
        ("close", _("Close the business")),
    ]
    step = forms.ChoiceField(label=_("Step"), choices=STEPS)
    day = forms.DateField(label=_("Date"), widget=DateInput(), initial=today)
    close_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *CloseReason.choices],
        required=False,
        help_text=_("Only when closing."),
    )
    close_notes = forms.CharField(
        label=_("Notes on closing"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args, steps: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(key, label) for key, label in self.STEPS if key in steps]


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices)
    amount = MoneyField(label=_("Amount (UZS)"), decimal_places=0)
    approved_on = forms.DateField(
        label=_("Agreed on"),
        widget=DateInput(),
        initial=today,
        validators=[validate_programme_date],
    )
    term_months = forms.IntegerField(
        label=_("Term (months)"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Loans only."),
    )
    first_due_month = MonthField(
        label=_("First payment month"), required=False, help_text=_("Loans only.")
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == SupportKind.LOAN:
            for name in ("term_months", "first_due_month"):
                if not data.get(name):
                    self.add_error(name, _("A loan needs this."))
        return data


class TrancheForm(forms.Form):
    disbursed_on = forms.DateField(
        label=_("Paid out on"),
        widget=DateInput(),
        initial=today,
        validators=[validate_programme_date],
    )
    amount = MoneyField(label=_("Amount (UZS)"), decimal_places=0)


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"), widget=DateInput(), initial=today, validators=[validate_programme_date]
    )
    amount = MoneyField(label=_("Amount (UZS)"), decimal_places=0)


class FollowUpForm(forms.Form):
    month = MonthField(label=_("Month"), initial=lambda: today().replace(day=1))
    revenue = MoneyField(label=_("Revenue (UZS)"), decimal_places=0)
    costs = MoneyField(label=_("Costs (UZS)"), decimal_places=0)
    people_employed = forms.IntegerField(
        label=_("People employed"), min_value=0, initial=1, help_text=_("Including the owner.")
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)


# Job placements outside the social enterprises --------------------------------------------


class PlacementForm(forms.ModelForm):
    """A job search, a referral or a placement; the service says what each stage needs."""

    person = PersonChoiceField(label=_("Family member"), queryset=Person.objects.none())
    monthly_wage = MoneyField(label=_("Monthly wage (UZS)"), decimal_places=0, required=False)

    class Meta:
        model = JobPlacement
        fields = [
            "person",
            "stage",
            "employer_name",
            "employer_inn",
            "position",
            "start_date",
            "end_date",
            "monthly_wage",
            "contract",
            "working_time",
            "verification",
            "notes",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {
            "employer_name": _(
                "For a referral or a placement. A job at one of the programme's social "
                "enterprises is recorded there, as an employment."
            ),
        }

    def __init__(self, *args, user, family=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.for_user(user).adults().select_related("family")
        if family is not None:
            people = people.filter(family=family)
        self.fields["person"].queryset = people.order_by("full_name", "pk")
        self.fields["start_date"].validators.append(validate_programme_date)

    def _post_clean(self):
        # The rules are the service's (placement_record): the form only reads the input.
        pass


class PlacementEndForm(forms.Form):
    end_date = forms.DateField(
        label=_("Ended on"), widget=DateInput(), validators=[validate_programme_date]
    )


class RetentionCheckForm(forms.Form):
    checked_on = forms.DateField(
        label=_("Checked on"),
        widget=DateInput(),
        initial=today,
        validators=[validate_programme_date],
    )
    still_employed = forms.TypedChoiceField(
        label=_("Still employed?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    wage_now = MoneyField(
        label=_("Wage now (UZS)"),
        decimal_places=0,
        required=False,
        help_text=_("If still employed: the household's income follows it from this month."),
    )
    ended_on = forms.DateField(
        label=_("The job ended on"),
        widget=DateInput(),
        required=False,
        validators=[validate_programme_date],
        help_text=_("If no longer employed."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)


class PaymentDetailsForm(forms.Form):
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)
    card_number = forms.CharField(
        label=_("Card number"),
        required=False,
        max_length=24,
        help_text=_("16 digits, as on the card (spaces are ignored)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bank_account = forms.CharField(
        label=_("Bank account number"),
        required=False,
        max_length=30,
        help_text=_("20 digits; used when there is no card number."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
