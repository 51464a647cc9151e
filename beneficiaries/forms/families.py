from django import forms
from django.contrib.auth import get_user_model
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, sees_whole_programme
from beneficiaries import pinfl_checks
from beneficiaries.access import caseworker_branch_ids
from beneficiaries.choices import ConsentPurpose, ConsentStatus, ExitReason
from beneficiaries.models import (
    Branch,
    ChildPlacement,
    ConsentRecord,
    DevelopmentPlan,
    Family,
    Makhalla,
    Person,
    PlanGoal,
)
from beneficiaries.services import CHILD_RELATIONSHIPS
from common.validators import validate_programme_date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CaseworkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


FAMILY_FIELDS = [
    "branch",
    "makhalla",
    "address",
    "phone",
    "caseworker",
    "referral_source",
    "intake_date",
    "consent_date",
    "notes",
]


class FamilyForm(forms.ModelForm):
    """A family's registration data; the branch is chosen once, at registration."""

    caseworker = CaseworkerChoiceField(
        label=_("Caseworker"), queryset=get_user_model().objects.none(), required=False
    )

    class Meta:
        model = Family
        fields = FAMILY_FIELDS
        widgets = {
            "intake_date": DateInput(),
            "consent_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = Branch.objects.all()
        if not sees_whole_programme(user):
            branches = branches.filter(pk__in=caseworker_branch_ids(user))
        if self.instance.pk:
            del self.fields["branch"]
            branch_ids = [self.instance.branch_id]
        else:
            self.fields["branch"].queryset = branches
            branch_ids = list(branches.values_list("pk", flat=True))
            if len(branch_ids) == 1:
                self.initial["branch"] = branch_ids[0]
        self.fields["makhalla"].queryset = Makhalla.objects.filter(
            branch_id__in=branch_ids
        ).select_related("branch")
        self.fields["caseworker"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.CASEWORKER, staff_profile__branches__in=branch_ids)
            .distinct()
            .order_by("last_name", "first_name")
        )
        if not self.instance.pk and not sees_whole_programme(user):
            self.initial["caseworker"] = user.pk

    def clean(self):
        cleaned = super().clean()
        branch = cleaned.get("branch") or getattr(self.instance, "branch", None)
        makhalla = cleaned.get("makhalla")
        if branch and makhalla and makhalla.branch_id != branch.pk:
            self.add_error("makhalla", _("This makhalla belongs to another branch."))
        caseworker = cleaned.get("caseworker")
        if (
            branch
            and caseworker
            and not caseworker.staff_profile.branches.filter(pk=branch.pk).exists()
        ):
            self.add_error("caseworker", _("This caseworker does not work in the branch."))
        return cleaned


MEMBER_FIELDS = [
    "full_name",
    "sex",
    "birth_date",
    "relationship",
    "is_caregiver",
    "pinfl",
    "phone",
    "education_level",
    "disability",
]


class MemberForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = MEMBER_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "pinfl": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 14}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_pinfl(self):
        """The PINFL's uniqueness, told without naming anyone the user may not see (and
        counted: see beneficiaries.pinfl_checks). An error here also spares the model's
        unique constraint, which would say the same to everyone."""
        pinfl = self.cleaned_data.get("pinfl") or None
        if not pinfl or (self.instance.pk and pinfl == self.instance.pinfl):
            return pinfl
        if pinfl_checks.limit_reached(self.user):
            raise forms.ValidationError(pinfl_checks.limit_message())
        if Person.objects.filter(pinfl=pinfl).exclude(pk=self.instance.pk).exists():
            pinfl_checks.note_clashes(self.user, 1, where="family form")
            holder = pinfl_checks.visible_holders(self.user, [pinfl]).get(pinfl)
            raise forms.ValidationError(pinfl_checks.clash_message(holder))
        return pinfl


class BaseMemberFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        undeletable = [
            message
            for form in self.deleted_forms
            if form.instance.pk and (message := self._why_not_deletable(form.instance))
        ]
        if undeletable:
            raise forms.ValidationError(undeletable)
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise forms.ValidationError(_("Register at least one family member."))
        pinfls = [form.cleaned_data.get("pinfl") for form in kept if form.cleaned_data.get("pinfl")]
        if len(pinfls) != len(set(pinfls)):
            raise forms.ValidationError(_("Two members have the same PINFL."))

    @staticmethod
    def _why_not_deletable(person):
        """Why a member cannot be deleted (their enrolments, jobs, payslips or other kept
        records are protected by the database), or "" if they can."""
        collector = Collector(using=router.db_for_write(Person, instance=person))
        try:
            collector.collect([person])
        except ProtectedError as error:
            objects = error.protected_objects
        except RestrictedError as error:
            objects = error.restricted_objects
        else:
            return ""
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in objects})
        return _(
            "%(name)s cannot be deleted: the programme keeps their records (%(records)s). "
            "Leave the member in the family."
        ) % {"name": person.full_name, "records": ", ".join(kinds)}


def member_formset(extra: int):
    """The members of a family; each form needs `form_kwargs={"user": …}`."""
    return inlineformset_factory(
        Family,
        Person,
        form=MemberForm,
        formset=BaseMemberFormSet,
        extra=extra,
        can_delete=True,
    )


class IntakeForm(forms.Form):
    intake_date = forms.DateField(
        label=_("Intake date"), widget=DateInput(), validators=[validate_programme_date]
    )


class ExitForm(forms.Form):
    exit_date = forms.DateField(label=_("Exit date"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *ExitReason.choices])
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    exit_date = forms.DateField(label=_("Date closed"), widget=DateInput())
    notes = forms.CharField(
        label=_("Why is the case closed?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class LookingForWorkForm(forms.Form):
    looking = forms.BooleanField(
        label=_("Looking for work"),
        required=False,
        help_text=_("Enterprise managers of the branch can then offer this person a job."),
    )


class PlacementForm(forms.ModelForm):
    class Meta:
        model = ChildPlacement
        fields = ["person", "arrangement", "start_date", "notes"]
        widgets = {"start_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = family.members.filter(relationship__in=CHILD_RELATIONSHIPS)
        self.fields["person"].empty_label = None


class PlanForm(forms.ModelForm):
    class Meta:
        model = DevelopmentPlan
        fields = ["agreed_on", "next_review", "review_notes"]
        widgets = {
            "agreed_on": DateInput(),
            "next_review": DateInput(),
            "review_notes": forms.Textarea(attrs={"rows": 3}),
        }


GoalFormSet = inlineformset_factory(
    DevelopmentPlan,
    PlanGoal,
    fields=["domain", "description", "target_date", "status", "review_notes"],
    widgets={
        "target_date": DateInput(),
        "review_notes": forms.Textarea(attrs={"rows": 2}),
    },
    extra=2,
    can_delete=True,
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_("CSV (UTF-8) or Excel (.xlsx), at most 5 MB, laid out like the template."),
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class ConsentForm(forms.ModelForm):
    """One decision of a member (or, for a child, of a guardian) about one use of the data."""

    person = MemberChoiceField(label=_("Family member"), queryset=Person.objects.none())
    given_by = MemberChoiceField(
        label=_("Given by (guardian)"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("For a child: the parent or guardian who signed."),
    )

    class Meta:
        model = ConsentRecord
        fields = [
            "person",
            "purpose",
            "partner",
            "status",
            "decided_on",
            "expires_on",
            "given_by",
            "paper_reference",
        ]
        widgets = {"decided_on": DateInput(), "expires_on": DateInput()}

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        members = family.members.order_by("birth_date", "id")
        self.fields["person"].queryset = members
        self.fields["given_by"].queryset = members.adults()
        self.fields["purpose"].initial = ConsentPurpose.PROCESSING
        self.fields["status"].initial = ConsentStatus.GIVEN

    def _post_clean(self):
        """The service checks the record as a whole (and says so on the fields)."""


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} · {obj.family.case_number}"


class MergeForm(forms.Form):
    keep = PersonChoiceField(
        label=_("Keep the record of"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_(
            "The other record's income, enrolments, jobs, businesses, consents and history "
            "become this person's; what this record leaves empty is taken from the other."
        ),
    )

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = Person.objects.filter(
            pk__in=[candidate.person_a_id, candidate.person_b_id]
        ).select_related("family")
