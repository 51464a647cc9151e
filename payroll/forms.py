"""Forms validate input; the services apply the rules (and refuse any change to an approved run)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import MoneyField, MonthField
from common.validators import MONTH_HOURS_MAX
from enterprises.models import Employment, SocialEnterprise
from payroll.choices import Obligation, RunStatus
from payroll.models import PayrollRun


def quantity(label, **kwargs):
    """Days, hours or pieces worked."""
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        **kwargs,
    )


class RunCreateForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Social enterprise"), queryset=SocialEnterprise.objects.none()
    )
    month = MonthField(label=_("Month"))
    working_days = forms.IntegerField(
        label=_("Working days"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("Leave empty for Monday to Friday less the public holidays of the calendar."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = SocialEnterprise.objects.for_user(user)
        self.fields["month"].initial = timezone.localdate().replace(day=1)


class TimesheetLineForm(forms.Form):
    """One employee's row of the timesheet; the service checks the numbers against the run."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    days_worked = quantity(_("Days worked"), required=False)
    hours_worked = quantity(_("Hours worked"), required=False, max_value=MONTH_HOURS_MAX)
    overtime_hours = quantity(_("Overtime hours"), required=False, max_value=MONTH_HOURS_MAX)
    pieces = quantity(_("Pieces"), required=False)
    bonus = MoneyField(label=_("Bonus (UZS)"), required=False)  # whole soum: the service checks
    leave_days = quantity(
        _("Annual leave"),
        required=False,
        help_text=_("Working days of paid annual leave, paid at average daily earnings."),
    )
    sick_days = quantity(
        _("Sick days"),
        required=False,
        help_text=_("Working days on a sick note, paid by the employer at the sick pay rate."),
    )
    maternity_days = quantity(
        _("Maternity"),
        required=False,
        help_text=_("Working days of maternity leave, paid at the maternity benefit rate."),
    )
    unpaid_days = quantity(
        _("Unpaid leave"), required=False, help_text=_("Working days of leave without pay.")
    )


TimesheetFormSet = forms.formset_factory(TimesheetLineForm, extra=0)


class WorkingDaysForm(forms.Form):
    working_days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=31)


class AdjustmentForm(forms.Form):
    employment = forms.ModelChoiceField(label=_("Employee"), queryset=Employment.objects.none())
    amount = forms.DecimalField(
        label=_("Amount (UZS)"),
        max_digits=14,
        decimal_places=0,
        help_text=_("Positive to pay more, negative to take back an overpayment."),
    )
    corrects = forms.ModelChoiceField(
        label=_("Corrects the run of"), queryset=PayrollRun.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, run, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employment"].queryset = Employment.objects.filter(
            position__enterprise_id=run.enterprise_id
        ).select_related("person", "position")
        self.fields["corrects"].queryset = PayrollRun.objects.filter(
            enterprise_id=run.enterprise_id,
            month__lt=run.month,
            status__in=[RunStatus.APPROVED, RunStatus.PAID],
        ).select_related("enterprise")


class PaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the reversal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each employee's household income for the month is offset."),
    )


class ConfirmForm(forms.Form):
    """A button with a confirmation: no fields."""


class AdvanceForm(forms.Form):
    """The advance paid to one employee in the run's month (a second entry corrects it)."""

    employment = forms.ModelChoiceField(label=_("Employee"), queryset=Employment.objects.none())
    amount = forms.DecimalField(
        label=_("Advance (UZS)"), max_digits=14, decimal_places=0, min_value=1
    )
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, run, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employment"].queryset = Employment.objects.filter(
            timesheet_entries__run=run
        ).select_related("person", "position")


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeductionOrderForm(forms.ModelForm):
    """A writ (alimony, another court order) or a voluntary deduction on one contract."""

    class Meta:
        from payroll.models import DeductionOrder

        model = DeductionOrder
        fields = [
            "kind",
            "reference",
            "beneficiary",
            "children",
            "amount",
            "starts_on",
            "ends_on",
            "consent_on",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "consent_on": DATE}

    def _post_clean(self):
        # The service validates the order (full_clean) and names the field at fault.
        pass


class TaxPaymentForm(forms.Form):
    """A payment of one of the run's taxes (the service checks it against what is due)."""

    obligation = forms.ChoiceField(label=_("Tax"), choices=Obligation.choices)
    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    amount = MoneyField(label=_("Amount (UZS)"), decimal_places=0)
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=64,
        help_text=_("The number of the payment order, as the bank gave it."),
    )
