from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from enterprises.models import (
    Business,
    Employment,
    EnterpriseMonthlyResult,
    FollowUp,
    Position,
    Repayment,
    RepaymentLine,
    SocialEnterprise,
    Support,
    Tranche,
)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0


@admin.register(SocialEnterprise)
class SocialEnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tax_number", "sector", "branch", "makhalla", "opening_date", "status"]
    list_filter = ["branch", "sector", "status"]
    search_fields = ["name", "tax_number"]
    filter_horizontal = ["managers"]
    inlines = [PositionInline]


@admin.register(Employment)
class EmploymentAdmin(SimpleHistoryAdmin):
    """Read-mostly: hiring, changes of rate and ends of contracts go through the pages."""

    list_display = ["person", "position", "start_date", "end_date", "status", "rate"]
    list_filter = ["status", "position__enterprise"]
    search_fields = ["person__full_name", "position__title"]
    raw_id_fields = ["person", "position", "hired_by"]
    list_select_related = ["person", "position__enterprise"]


@admin.register(EnterpriseMonthlyResult)
class EnterpriseMonthlyResultAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "month", "revenue", "costs", "result", "headcount"]
    list_filter = ["enterprise"]


@admin.register(Business)
class BusinessAdmin(SimpleHistoryAdmin):
    list_display = ["name", "owner", "family", "status", "started_on", "closed_on"]
    list_filter = ["status", "sector", "family__branch"]
    search_fields = ["name", "owner__full_name", "family__case_number"]
    raw_id_fields = ["family", "owner", "makhalla", "created_by"]


class TrancheInline(admin.TabularInline):
    model = Tranche
    extra = 0
    can_delete = False
    readonly_fields = ["disbursed_on", "amount", "recorded_by"]


class RepaymentLineInline(admin.TabularInline):
    model = RepaymentLine
    extra = 0
    can_delete = False
    readonly_fields = ["due_month", "amount"]


class RepaymentInline(admin.TabularInline):
    model = Repayment
    extra = 0
    can_delete = False
    readonly_fields = ["paid_on", "amount", "recorded_by"]


@admin.register(Support)
class SupportAdmin(SimpleHistoryAdmin):
    """The ledger is kept by the services; the admin only shows it."""

    list_display = ["business", "kind", "amount", "disbursed_total", "repaid_total"]
    list_filter = ["kind"]
    raw_id_fields = ["business", "created_by"]
    readonly_fields = ["disbursed_total", "repaid_total"]
    inlines = [TrancheInline, RepaymentLineInline, RepaymentInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["business", "month", "revenue", "costs", "profit", "people_employed"]
    raw_id_fields = ["business", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        # A follow-up changes household income: only its service may change it.
        return False
