"""The admin: superusers keep the statutory rules; runs and payslips are read-only once
approved (and their changes go through the pages' services otherwise)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from payroll.models import Adjustment, PayrollRun, Payslip, PublicHoliday, StatutoryRule


@admin.register(StatutoryRule)
class StatutoryRuleAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "value", "effective_from", "effective_to", "source"]
    list_filter = ["kind"]
    search_fields = ["source", "notes"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(PublicHoliday)
class PublicHolidayAdmin(StatutoryRuleAdmin):
    """The national calendar a month's working days follow (superusers, with history)."""

    list_display = ["day", "kind", "name_en", "name_ru", "name_uz", "announced_yearly"]
    list_filter = ["kind", "announced_yearly"]
    search_fields = ["name_en", "name_ru", "name_uz", "source", "notes"]
    date_hierarchy = "day"


class LockedWhenApproved:
    """Approved runs and their lines cannot be changed or deleted here either."""

    def _locked(self, obj) -> bool:
        if obj is None:
            return False
        run = obj if isinstance(obj, PayrollRun) else obj.run
        return run.is_locked

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)


class PayslipInline(admin.TabularInline):
    model = Payslip
    extra = 0
    can_delete = False
    fields = ["person", "position_title", "gross", "income_tax", "net", "social_tax", "total_cost"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PayrollRun)
class PayrollRunAdmin(LockedWhenApproved, SimpleHistoryAdmin):
    list_display = ["enterprise", "month", "status", "headcount", "net_total", "cost_total"]
    list_filter = ["status", "enterprise"]
    date_hierarchy = "month"
    list_select_related = ["enterprise"]
    inlines = [PayslipInline]
    # Figures come from the services only.
    readonly_fields = [
        "status",
        "headcount",
        "gross_total",
        "income_tax_total",
        "inps_total",
        "net_total",
        "social_tax_total",
        "cost_total",
        "warnings",
        "generated_at",
        "generated_by",
        "approved_at",
        "approved_by",
        "paid_on",
        "paid_by",
        "reversed_at",
        "reversed_by",
        "reversal_reason",
    ]

    def has_add_permission(self, request):
        return False  # runs are drafted on the payroll pages, from the contracts


@admin.register(Payslip)
class PayslipAdmin(admin.ModelAdmin):
    """Read-only: a payslip's figures come from the services alone (a draft is recomputed
    from its timesheet; an approved one never changes)."""

    list_display = ["person", "run", "gross", "net", "total_cost"]
    list_select_related = ["person", "run__enterprise"]
    raw_id_fields = ["run", "employment", "person", "family"]
    search_fields = ["person__full_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Adjustment)
class AdjustmentAdmin(LockedWhenApproved, SimpleHistoryAdmin):
    list_display = ["run", "employment", "amount", "corrects", "created_by"]
    list_select_related = ["run__enterprise", "employment__person", "corrects__enterprise"]
    raw_id_fields = ["run", "employment", "corrects", "created_by"]

    def has_add_permission(self, request):
        return False
