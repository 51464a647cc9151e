from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from beneficiaries.models import Person
from training.choices import AttendanceStatus, GradeDecision
from training.models import Cohort, Course
from training.services import ON_THE_PROGRAMME, GradeRow


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "trade", "title", "title_ru", "title_uz", "level", "hours", "description",
            "provider", "provider_name", "min_attendance_percent", "final_assessment_required",
            "pass_mark", "is_active",
        ]  # fmt: skip


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "course", "trainer", "branch", "location", "start_date", "end_date", "capacity",
            "schedule", "session_hours",
        ]  # fmt: skip
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_active=True)
        self.fields["trainer"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.TRAINER, is_active=True)
            .order_by("last_name", "first_name")
        )
        self.fields["trainer"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


class EnrolForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label=_("Family member"),
        help_text=_("Adults of families on the programme whom you follow."),
    )

    def __init__(self, *args, user, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["person"].queryset = (
            Person.objects.for_user(user)
            .filter(family__status__in=ON_THE_PROGRAMME)
            .adults(today)
            .exclude(enrolments__cohort=cohort)
            .select_related("family")
            .order_by("full_name")
        )
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.full_name} · {p.family.case_number}"
        )


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)


class AssessmentForm(forms.Form):
    score = forms.IntegerField(
        label=_("Final assessment score"), min_value=0, max_value=100, help_text=_("Out of 100.")
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=DateInput(), initial=timezone.localdate
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class RegisterForm(forms.Form):
    """One radio group per learner; everyone starts as present, so a trainer marks absences."""

    def __init__(self, *args, enrolments, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for enrolment in enrolments:
            name = f"e{enrolment.pk}"
            self.fields[name] = forms.ChoiceField(
                label=enrolment.person.full_name,
                choices=AttendanceStatus.choices,
                initial=marks.get(enrolment.pk, AttendanceStatus.PRESENT),
                widget=forms.RadioSelect,
            )
            self.rows.append((enrolment, name))

    def marks(self) -> dict[int, str]:
        return {enrolment.pk: self.cleaned_data[name] for enrolment, name in self.rows}

    def bound_rows(self):
        for enrolment, name in self.rows:
            yield enrolment, self[name]


class EarlyCompletionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for completing early"),
        max_length=255,
        help_text=_(
            "Shown on the certificate's record and its public verification page: say why,"
            " without personal details."
        ),
    )


class CohortGradeForm(forms.Form):
    """The whole cohort on one form: each open learner's final score and whether they
    complete; one save, refused as a whole if any row is refused (errors on the row)."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())

    def __init__(self, *args, enrolments, default_day, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = default_day
        self.rows = []
        for enrolment in enrolments:
            score, decision = f"score_{enrolment.pk}", f"decision_{enrolment.pk}"
            self.fields[score] = forms.IntegerField(
                label=_("Final assessment score"),
                min_value=0,
                max_value=100,
                required=False,
                initial=enrolment.final_score,
            )
            self.fields[decision] = forms.ChoiceField(
                label=_("Outcome"),
                choices=GradeDecision.choices,
                initial=GradeDecision.LATER,
            )
            self.rows.append((enrolment, score, decision))

    def grade_rows(self) -> dict[int, GradeRow]:
        return {
            enrolment.pk: GradeRow(
                score=self.cleaned_data[score], decision=self.cleaned_data[decision]
            )
            for enrolment, score, decision in self.rows
        }

    def bound_rows(self):
        for enrolment, score, decision in self.rows:
            yield enrolment, self[score], self[decision]
