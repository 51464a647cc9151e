"""Users and roles in the admin with their change history (*History* on each record)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import FailedPassword

User = get_user_model()

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(SimpleHistoryAdmin, BaseGroupAdmin):
    pass


@admin.register(FailedPassword)
class FailedPasswordAdmin(admin.ModelAdmin):
    """Deleting these lifts the login throttle's password locks (accounts/throttle.py)."""

    list_display = ["username", "attempt_time"]
    readonly_fields = ["fingerprint", "username", "attempt_time"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
