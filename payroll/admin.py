"""The admin: superusers keep the statutory rules; runs and payslips are read-only once
approved (and their changes go through the pages' services otherwise)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from payroll.models import (
    Adjustment,
    IncomeCertificate,
    PayrollRun,
    Payslip,
    PublicHoliday,
    StatutoryRule,
    TaxPayment,
    TimesheetEntry,
)
from payroll.models.runs import PayrollLocked


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
    """Approved runs and their lines cannot be changed or deleted here either.

    Their history can be read but never reverted: an approved run is locked (the database
    would refuse the revert too), and a draft's figures come from its timesheet through the
    payroll pages. A revert is answered with a message on the history page, not an error.
    """

    def _locked(self, obj) -> bool:
        if obj is None:
            return False
        run = obj if isinstance(obj, PayrollRun) else obj.run
        return run.is_locked

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj)

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.model.objects.filter(pk=unquote(object_id)).first()
            if current is not None and self._locked(current):
                message = PayrollLocked().messages[0]
            else:
                message = _(
                    "A draft changes only through the payroll pages, which recompute its "
                    "payslips: it cannot be reverted here."
                )
            self.message_user(request, message, messages.ERROR)
            opts = self.model._meta
            return redirect(
                reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                    args=[object_id],
                )
            )
        return super().history_form_view(request, object_id, version_id, extra_context)


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
class PayslipAdmin(LockedWhenApproved, SimpleHistoryAdmin):
    """Read-only: a payslip's figures come from the services alone (a draft is recomputed
    from its timesheet; an approved one never changes). Its history is shown, never
    reverted."""

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


@admin.register(TimesheetEntry)
class TimesheetEntryAdmin(LockedWhenApproved, SimpleHistoryAdmin):
    """Read-only: the timesheet is entered on the run's page, which recomputes the payslips."""

    list_display = ["run", "employment", "days_worked", "hours_worked", "overtime_hours"]
    list_select_related = ["run__enterprise", "employment__person"]
    raw_id_fields = ["run", "employment"]

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


@admin.register(IncomeCertificate)
class IncomeCertificateAdmin(SimpleHistoryAdmin):
    """Read-only: certificates are issued and revoked through the payroll pages."""

    list_display = ["number", "holder_name", "enterprise_name", "first_month", "last_month"]
    list_filter = ["enterprise"]
    search_fields = ["number", "holder_name", "verification_code"]
    list_select_related = ["enterprise"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TaxPayment)
class TaxPaymentAdmin(SimpleHistoryAdmin):
    """Recorded from the run page; a superuser corrects a mistaken one here (its history
    keeps what it was)."""

    list_display = ["run", "obligation", "paid_on", "amount", "reference", "recorded_by"]
    list_filter = ["obligation", "run__enterprise"]
    search_fields = ["reference", "run__enterprise__name"]
    raw_id_fields = ["run", "recorded_by"]
    list_select_related = ["run__enterprise", "recorded_by"]
