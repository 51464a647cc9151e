"""Django's ModelBackend, with a user's permissions read in the same query as their roles."""

from django.contrib.auth.backends import ModelBackend

from accounts.access_facts import access_facts


class OneQueryModelBackend(ModelBackend):
    """The same answers as ModelBackend. `get_all_permissions` (what `has_perm` asks) comes
    from `accounts.access_facts`: the user's own and their groups' permissions and their
    roles in one query, read once for the request's user object and never kept longer."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(access_facts(user_obj).permissions)
