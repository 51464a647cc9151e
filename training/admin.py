from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from training.models import Attendance, Cohort, Course, Enrolment, Qualification, Session


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "trade", "level", "hours", "provider", "is_active"]
    list_filter = ["trade", "provider", "level", "is_active"]
    search_fields = ["title", "title_ru", "title_uz"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["date", "topic", "recorded_at"]
    readonly_fields = ["recorded_at"]


@admin.register(Cohort)
class CohortAdmin(SimpleHistoryAdmin):
    list_display = ["course", "branch", "trainer", "start_date", "end_date", "capacity"]
    list_filter = ["branch", "course__trade"]
    list_select_related = ["course", "branch", "trainer"]
    raw_id_fields = ["trainer"]
    inlines = [SessionInline]


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "cohort", "status", "enrolled_on", "final_score"]
    list_filter = ["status"]
    list_select_related = ["person", "cohort__course", "cohort__branch"]
    search_fields = ["person__full_name"]
    raw_id_fields = ["person", "cohort", "enrolled_by"]
    # An early completion is the trainer's action (training.services.enrolment_complete_early),
    # recorded as it happened.
    readonly_fields = ["early_completion_reason", "early_completion_by", "early_completion_at"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["enrolment", "session", "status"]
    list_filter = ["status"]
    raw_id_fields = ["enrolment", "session"]


@admin.register(Qualification)
class QualificationAdmin(SimpleHistoryAdmin):
    list_display = ["number", "enrolment", "issued_on", "level", "grade", "revoked_on"]
    search_fields = ["number", "verification_code", "enrolment__person__full_name"]
    raw_id_fields = ["enrolment", "issued_by"]
    readonly_fields = ["number", "verification_code"]
