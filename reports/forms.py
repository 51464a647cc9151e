from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Branch
from common.validators import validate_period_date
from reports.selectors import Period

REPORT_LANGUAGES = [("en", "English"), ("ru", "Русский"), ("uz", "Oʻzbekcha")]


class PeriodForm(forms.Form):
    """The report's filters, read from the query string."""

    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_period_date],
    )
    end = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_period_date],
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=Branch.objects.order_by("name"),
        required=False,
        empty_label=_("All branches"),
    )
    lang = forms.ChoiceField(
        label=_("Language of the PDF and XLSX"), choices=REPORT_LANGUAGES, required=False
    )

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        if not data or not (data.get("start") or data.get("end")):
            data = {
                "start": date(today.year, 1, 1).isoformat(),
                "end": today.isoformat(),
                **(dict(data.items()) if data else {}),
            }
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        return cleaned

    @property
    def period(self) -> Period:
        return Period(
            self.cleaned_data["start"], self.cleaned_data["end"], self.cleaned_data.get("branch")
        )
