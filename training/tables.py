import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from common.tables import DateColumn, NumberColumn
from training.models import Cohort, Course, Enrolment


class CohortTable(tables.Table):
    course = tables.Column(
        verbose_name=_("Course"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("course__title",),
    )
    branch = tables.Column(verbose_name=_("Branch"))
    trainer = tables.Column(
        verbose_name=_("Trainer"),
        accessor="trainer__get_full_name",
        order_by=("trainer__last_name", "trainer__first_name"),
        default="—",
    )
    start_date = DateColumn(verbose_name=_("Start"))
    end_date = DateColumn(verbose_name=_("End"))
    enrolled_count = NumberColumn(verbose_name=_("Enrolled"))
    capacity = NumberColumn(verbose_name=_("Places"))
    completed_count = NumberColumn(verbose_name=_("Completed"))

    class Meta:
        model = Cohort
        fields = [
            "course",
            "branch",
            "location",
            "trainer",
            "start_date",
            "end_date",
            "enrolled_count",
            "capacity",
            "completed_count",
        ]
        attrs = {"class": "table"}
        empty_text = _("No cohorts to show.")


class CourseTable(tables.Table):
    title = tables.Column(
        verbose_name=_("Course"), linkify=lambda record: record.get_absolute_url()
    )
    trade = tables.Column(verbose_name=_("Trade"))
    level = tables.Column(verbose_name=_("Level"))
    hours = NumberColumn(verbose_name=_("Hours"))
    provider = tables.Column(verbose_name=_("Provider"))
    cohort_count = NumberColumn(verbose_name=_("Cohorts"))
    completed_count = NumberColumn(verbose_name=_("Completed"))

    class Meta:
        model = Course
        fields = ["title", "trade", "level", "hours", "provider", "cohort_count", "completed_count"]
        attrs = {"class": "table"}
        empty_text = _("No courses yet.")

    def render_title(self, record):
        return str(record)

    def value_title(self, record):
        return str(record)


class EnrolmentTable(tables.Table):
    person = tables.Column(
        verbose_name=_("Learner"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("person__full_name",),
    )
    phone = tables.Column(
        verbose_name=_("Phone"), accessor="person__phone", orderable=False, empty_values=()
    )
    cohort = tables.Column(
        verbose_name=_("Cohort"),
        linkify=lambda record: record.cohort.get_absolute_url(),
        order_by=("-cohort__start_date",),
    )
    status = tables.Column(verbose_name=_("Status"))
    enrolled_on = DateColumn(verbose_name=_("Enrolled on"))
    hours_attended = NumberColumn(
        verbose_name=_("Hours attended"), accessor="hours_attended", orderable=False
    )
    certificate = tables.Column(
        verbose_name=_("Certificate"),
        accessor="qualification__number",
        default="—",
        orderable=False,
    )

    class Meta:
        model = Enrolment
        fields = [
            "person", "phone", "cohort", "status", "enrolled_on", "hours_attended", "certificate",
        ]  # fmt: skip
        attrs = {"class": "table"}
        empty_text = _("No enrolments to show.")

    def render_phone(self, record):
        # The learner's own number, else the family's: a trainer needs a way to call.
        return record.person.phone or record.person.family.phone or "—"

    def value_phone(self, record):
        return record.person.phone or record.person.family.phone
