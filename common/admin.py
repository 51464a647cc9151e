from django.contrib import admin

from common.models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """What each day's scheduled jobs did (read only: the worker writes it)."""

    list_display = ["job", "day", "started_at", "finished_at"]
    list_filter = ["job"]
    date_hierarchy = "day"
    readonly_fields = ["job", "day", "started_at", "finished_at", "results"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
