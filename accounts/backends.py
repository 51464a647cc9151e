"""Django's ModelBackend with each user's permissions kept per process (accounts.read_cache)."""

from django.contrib.auth.backends import ModelBackend

from accounts import read_cache


class CachedModelBackend(ModelBackend):
    """The same answers as ModelBackend; the permission set is read once until the user's
    groups or own permissions, a group's permissions or the user's flags change."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            cached = read_cache.per_user(
                user_obj,
                "permissions",
                lambda: frozenset(super(CachedModelBackend, self).get_all_permissions(user_obj)),
            )
            user_obj._perm_cache = set(cached)
        return user_obj._perm_cache
