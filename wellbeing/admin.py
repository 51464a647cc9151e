"""Admin for the data the well-being modules run on: poverty line, instrument, rule."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from wellbeing.models import (
    Assessment,
    Domain,
    DomainLevel,
    ExitRequest,
    PovertyLine,
    Rating,
    WellbeingRule,
)
from wellbeing.scores import family_scores_recompute


@admin.register(PovertyLine)
class PovertyLineAdmin(SimpleHistoryAdmin):
    list_display = ["valid_from", "amount", "source"]


class DomainLevelInline(admin.TabularInline):
    model = DomainLevel
    extra = 0


@admin.register(Domain)
class DomainAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "weight", "proposal", "position", "is_active"]
    list_editable = ["weight", "position", "is_active"]
    inlines = [DomainLevelInline]


@admin.register(WellbeingRule)
class WellbeingRuleAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "green_from", "amber_from", "income_months", "min_domain_level"]

    def has_add_permission(self, request):
        return not WellbeingRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["family", "date", "kind", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["family__case_number"]
    raw_id_fields = ["family", "children_out_of_school"]
    inlines = [RatingInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        family_scores_recompute(family_ids=[form.instance.family_id])

    def delete_model(self, request, obj):
        family_id = obj.family_id
        super().delete_model(request, obj)
        family_scores_recompute(family_ids=[family_id])


@admin.register(ExitRequest)
class ExitRequestAdmin(SimpleHistoryAdmin):
    """Read only: a request is made and decided on its pages, where the four-eyes rule
    holds (wellbeing.services.exit_request_decide)."""

    list_display = ["family", "exit_date", "status", "override", "requested_by", "decided_by"]
    list_filter = ["status", "override"]
    search_fields = ["family__case_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
