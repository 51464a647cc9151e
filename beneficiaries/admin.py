from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries.models import (
    Branch,
    Family,
    IncomeRecord,
    Makhalla,
    Person,
    PinflClash,
    StaffProfile,
)


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "city"]


@admin.register(Makhalla)
class MakhallaAdmin(admin.ModelAdmin):
    list_display = ["name", "branch"]
    list_filter = ["branch"]
    search_fields = ["name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "phone"]
    filter_horizontal = ["branches"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Family)
class FamilyAdmin(SimpleHistoryAdmin):
    list_display = ["case_number", "branch", "status", "caseworker", "intake_date"]
    list_filter = ["branch", "status"]
    search_fields = ["case_number", "members__full_name", "phone"]
    list_select_related = ["branch", "caseworker"]
    raw_id_fields = ["caseworker", "consent_recorded_by", "makhalla"]
    inlines = [PersonInline]
    # A case moves (intake, exit, closing) only through the case services, where the exit
    # checklist and the four-eyes request are enforced; the admin must not walk past them.
    readonly_fields = ["status", "intake_date", "exit_date", "exit_reason", "exit_notes"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "family", "relationship", "birth_date"]
    search_fields = ["full_name", "pinfl", "family__case_number"]
    raw_id_fields = ["family"]


@admin.register(IncomeRecord)
class IncomeRecordAdmin(SimpleHistoryAdmin):
    list_display = ["family", "month", "source", "amount", "origin_type"]
    list_filter = ["source"]
    raw_id_fields = ["family", "person"]

    def has_change_permission(self, request, obj=None):
        # Automatic records change only through their origin (payroll, follow-ups).
        if obj is not None and obj.is_automatic:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_automatic:
            return False
        return super().has_delete_permission(request, obj)


# --- Families issue: children's living arrangements and development plans -----------------
from beneficiaries.models import ChildPlacement, DevelopmentPlan, PlanGoal  # noqa: E402


@admin.register(ChildPlacement)
class ChildPlacementAdmin(SimpleHistoryAdmin):
    list_display = ["person", "arrangement", "start_date"]
    list_filter = ["arrangement"]
    search_fields = ["person__full_name", "person__family__case_number"]
    raw_id_fields = ["person", "recorded_by"]


class PlanGoalInline(admin.TabularInline):
    model = PlanGoal
    extra = 0


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(SimpleHistoryAdmin):
    list_display = ["family", "agreed_on", "next_review"]
    search_fields = ["family__case_number"]
    raw_id_fields = ["family", "updated_by"]
    inlines = [PlanGoalInline]


@admin.register(PinflClash)
class PinflClashAdmin(admin.ModelAdmin):
    """Who entered PINFLs that were already registered, and when: read only."""

    list_display = ["at", "user", "where", "count"]
    list_filter = ["where"]
    search_fields = ["user__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
