"""Forms of the well-being modules: a manual income record and an assessment."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import APP_WRITTEN_SOURCES, IncomeSource
from beneficiaries.models import IncomeRecord, Person
from common.forms import MoneyField, MonthField
from common.months import month_start
from wellbeing.choices import AssessmentKind
from wellbeing.models import Domain


class IncomeRecordForm(forms.ModelForm):
    month = MonthField(label=_("Month"), help_text=_("The month the income was received."))
    amount = MoneyField(
        label=_("Amount (UZS)"),
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    class Meta:
        model = IncomeRecord
        fields = ["month", "source", "amount", "person", "evidence"]

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(family=family)
        self.fields["person"].required = False
        self.fields["source"].choices = IncomeSource.choices
        self.fields["source"].help_text = _(
            "Wages at a social enterprise and business profit come from payroll and the "
            "business follow-ups; they are not entered here."
        )

    def clean_source(self):
        source = self.cleaned_data["source"]
        if source in APP_WRITTEN_SOURCES:
            raise forms.ValidationError(APP_WRITTEN_SOURCES[source])
        return source

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month > month_start(timezone.localdate()):
            raise forms.ValidationError(_("Income cannot be recorded for a future month."))
        return month


class AssessmentForm(forms.Form):
    """Date, kind, notes, children out of school, and for each domain a level (1-5) and,
    where the data proposes a level, a reason for a different one."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentKind.choices)
    children_out_of_school = forms.ModelMultipleChoiceField(
        label=_("School-age children not in school"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each school-age child who does not attend school."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(
        self, *args, domains: list[Domain], proposals: dict[int, int | None], children, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.domains = domains
        self.fields["children_out_of_school"].queryset = children
        self.rows = []
        for domain in domains:
            proposed = proposals.get(domain.pk)
            levels = {level.level: level.description for level in domain.levels.all()}
            field = forms.TypedChoiceField(
                label=domain.name,
                coerce=int,
                choices=[(n, f"{n}. {levels.get(n, '')}") for n in range(1, 6)],
                widget=forms.RadioSelect,
                initial=proposed,
            )
            self.fields[f"level_{domain.pk}"] = field
            row = {"domain": domain, "proposed": proposed, "level": f"level_{domain.pk}"}
            if proposed is not None:
                self.fields[f"reason_{domain.pk}"] = forms.CharField(
                    label=_("Reason for a different level"),
                    required=False,
                    max_length=255,
                    help_text=_("Required when you choose another level than the proposed one."),
                )
                row["reason"] = f"reason_{domain.pk}"
            self.rows.append(row)

    def bound_rows(self):
        for row in self.rows:
            yield {
                "domain": row["domain"],
                "proposed": row["proposed"],
                "level": self[row["level"]],
                "reason": self[row["reason"]] if "reason" in row else None,
            }

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            if "reason" not in row:
                continue
            level = cleaned.get(row["level"])
            reason = (cleaned.get(row["reason"]) or "").strip()
            if level is not None and level != row["proposed"] and not reason:
                self.add_error(row["reason"], _("Say why the level differs from the proposed one."))
        return cleaned

    def levels(self) -> dict[int, int]:
        return {row["domain"].pk: self.cleaned_data[row["level"]] for row in self.rows}

    def reasons(self) -> dict[int, str]:
        return {
            row["domain"].pk: self.cleaned_data.get(row["reason"], "")
            for row in self.rows
            if "reason" in row
        }


def assessment_day(form: AssessmentForm | None) -> date:
    """The date the proposals are computed for: the posted one when valid, else today."""
    if form is not None and form.is_bound:
        try:
            return forms.DateField().clean(form.data.get("date")) or timezone.localdate()
        except forms.ValidationError:
            pass
    return timezone.localdate()


class ExitRequestForm(forms.Form):
    """A caseworker's request for an early exit with well-being restored."""

    exit_date = forms.DateField(
        label=_("Exit date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Why the family can leave now"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the programme manager should know about the conditions that fail."),
    )


class ExitDecisionForm(forms.Form):
    """A programme manager's decision on an early exit request."""

    APPROVE = "approve"
    REFUSE = "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Approve: the family exits with well-being restored")),
            (REFUSE, _("Refuse: the family stays in the service")),
        ],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you refuse."),
    )
