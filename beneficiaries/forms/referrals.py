from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import ReferralService, ReferralStatus, ReferralUrgency
from beneficiaries.forms.families import CaseworkerChoiceField, DateInput, MemberChoiceField
from beneficiaries.models import Person
from beneficiaries.referrals import specialists_of
from common.validators import validate_programme_date


class ReferralForm(forms.Form):
    """Refer a member to a service; beneficiaries.referrals.referral_send checks the rules."""

    person = MemberChoiceField(label=_("Family member"), queryset=Person.objects.none())
    service = forms.ChoiceField(label=_("Service"), choices=ReferralService.choices)
    assigned_to = CaseworkerChoiceField(
        label=_("Specialist"),
        queryset=None,
        required=False,
        help_text=_("For the centre's own services: who handles the referral."),
    )
    partner = forms.CharField(
        label=_("Partner"),
        max_length=200,
        required=False,
        help_text=_("For an outside service: the organisation the member is referred to."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=ReferralUrgency.choices, initial=ReferralUrgency.ROUTINE
    )
    sent_on = forms.DateField(
        label=_("Date"), widget=DateInput(), validators=[validate_programme_date]
    )
    consent_override_reason = forms.CharField(
        label=_("Why it is shared without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Programme managers only, when the member has not consented to sharing with the "
            "partner."
        ),
    )

    def __init__(self, *args, family, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = family.members.order_by("birth_date", "id")
        self.fields["assigned_to"].queryset = specialists_of(family.branch_id)
        self.fields["sent_on"].initial = timezone.localdate()
        if not may_override:
            del self.fields["consent_override_reason"]


class ReferralStepForm(forms.Form):
    """One step of a referral: its date and what the step records."""

    on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[validate_programme_date])

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        text = {"widget": forms.Textarea(attrs={"rows": 3})}
        if step == ReferralStatus.DECLINED:
            self.fields["decline_reason"] = forms.CharField(label=_("Why it is declined"), **text)
        if step == ReferralStatus.SERVED:
            self.fields["service_given"] = forms.CharField(label=_("Service given"), **text)
            self.fields["outcome"] = forms.CharField(label=_("Outcome"), **text)
        if step == ReferralStatus.CLOSED:
            self.fields["outcome"] = forms.CharField(
                label=_("Outcome"),
                required=False,
                help_text=_("Leave empty to keep the outcome already recorded."),
                **text,
            )
