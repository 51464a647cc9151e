from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daycare.choices import CHILD_AGE_LIMIT, MAX_CARE_HOURS
from daycare.services import Mark


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _hours_field(attrs=None, **kwargs):
    return forms.DecimalField(
        min_value=Decimal("0.5"),
        max_value=MAX_CARE_HOURS,
        decimal_places=1,
        max_digits=4,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal", **(attrs or {})}),
        **kwargs,
    )


class RegisterForm(forms.Form):
    """The day's register: for each child expected, in care or not and the hours. Everyone
    starts in care with their usual hours (or what was recorded), so staff untick absences."""

    def __init__(self, *args, rows, taken: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in rows:
            place = row.place
            present, hours = f"p{place.pk}", f"h{place.pk}"
            recorded = row.attendance
            self.fields[present] = forms.BooleanField(
                label=_("In care"),
                required=False,
                # Once the day's register was taken, those not recorded start unticked.
                initial=(row.attendance is not None) if taken else True,
            )
            self.fields[hours] = _hours_field(
                label=_("Hours"),
                required=False,
                initial=recorded.hours if recorded else place.usual_hours,
                # One help text for every row, under the list (register.html).
                attrs={"aria-describedby": "daycare-hours-help"},
            )
            self.rows.append((row, present, hours))

    def clean(self):
        cleaned = super().clean()
        for _row, present, hours in self.rows:
            if cleaned.get(present) and cleaned.get(hours) is None and hours not in self.errors:
                self.add_error(hours, _("Enter the hours the child was in care."))
        return cleaned

    def marks(self) -> dict[int, Mark]:
        return {
            row.place.pk: Mark(
                present=bool(self.cleaned_data[present]),
                hours=self.cleaned_data[hours] if self.cleaned_data[present] else None,
            )
            for row, present, hours in self.rows
        }

    def bound_rows(self):
        for row, present, hours in self.rows:
            yield row, self[present], self[hours]


class PlaceForm(forms.Form):
    child = forms.ModelChoiceField(
        label=_("Child"),
        queryset=None,
        help_text=_("Children under %(age)s in this family.") % {"age": CHILD_AGE_LIMIT},
    )
    parent = forms.ModelChoiceField(
        label=_("Parent or caregiver"),
        queryset=None,
        help_text=_("Whose training or work the care makes possible."),
    )
    branch = forms.ModelChoiceField(
        label=_("Centre"), queryset=None, help_text=_("The social centre whose day care it is.")
    )
    start_date = forms.DateField(
        label=_("From"), widget=DateInput(), help_text=_("The first day the child may come.")
    )
    usual_hours = _hours_field(
        label=_("Usual hours a day"),
        initial=Decimal(4),
        help_text=_("The hours a usual day at the centre lasts; the register starts from them."),
    )

    def __init__(self, *args, family, branches, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        members = list(family.members.order_by("full_name"))
        children = [m.pk for m in members if m.age_on(today) < CHILD_AGE_LIMIT]
        adults = [m.pk for m in members if m.age_on(today) >= CHILD_AGE_LIMIT]
        self.fields["child"].queryset = family.members.filter(pk__in=children)
        self.fields["parent"].queryset = family.members.filter(pk__in=adults)
        self.fields["branch"].queryset = branches
        self.fields["branch"].initial = family.branch_id
        self.fields["start_date"].initial = today


class CapacityForm(forms.Form):
    effective_from = forms.DateField(
        label=_("From"), widget=DateInput(), help_text=_("The first day the new capacity holds.")
    )
    places = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=500,
        help_text=_("How many children the day care may take on one day."),
    )
