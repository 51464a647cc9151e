"""A signed-in user's roles and permissions, read in one query the first time a request asks.

Django's ModelBackend reads a user's own permissions and their groups' permissions in two
queries, and the roles are a third (the user's groups named after a role). Here one query
reads all three and the answer is kept on the user object, which the authentication
middleware loads afresh for every request: nothing is kept between requests, so a role, a
group's permission or a user's flag changed by anyone shows on the very next request.

Within one user object the answer is read once, as Django keeps `_perm_cache`: code that
changes a user's groups and asks again in the same breath must load the user again.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router

_ATTR = "_mustaqil_access_facts"


@dataclass(frozen=True)
class AccessFacts:
    groups: frozenset[str]
    permissions: frozenset[str]  # "app_label.codename", as user.has_perm takes them


NONE = AccessFacts(frozenset(), frozenset())


def _sql(connection, *, superuser: bool) -> tuple[str, int]:
    """The query and how many times it takes the user's id."""
    User = get_user_model()
    quote = connection.ops.quote_name
    user_groups = quote(User.groups.through._meta.db_table)
    user_perms = quote(User.user_permissions.through._meta.db_table)
    group_perms = quote(Group.permissions.through._meta.db_table)
    groups = quote(Group._meta.db_table)
    perms = quote(Permission._meta.db_table)
    types = quote(ContentType._meta.db_table)
    groups_sql = (
        f"SELECT 'g', g.name, NULL FROM {user_groups} ug "
        f"JOIN {groups} g ON g.id = ug.group_id WHERE ug.user_id = %s"
    )
    # A superuser holds every permission, as ModelBackend has it.
    which = (
        ""
        if superuser
        else (
            f"WHERE p.id IN (SELECT permission_id FROM {user_perms} WHERE user_id = %s) "
            f"OR p.id IN (SELECT gp.permission_id FROM {group_perms} gp "
            f"JOIN {user_groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %s)"
        )
    )
    perms_sql = (
        f"SELECT 'p', t.app_label, p.codename FROM {perms} p "
        f"JOIN {types} t ON t.id = p.content_type_id {which}"
    )
    return f"{groups_sql} UNION ALL {perms_sql}", 1 if superuser else 3


def read(user) -> AccessFacts:
    """The user's groups and permissions from the database, now (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NONE
    connection = connections[router.db_for_read(Permission)]
    sql, uses = _sql(connection, superuser=user.is_superuser)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk] * uses)
        rows = cursor.fetchall()
    return AccessFacts(
        groups=frozenset(a for kind, a, _b in rows if kind == "g"),
        permissions=frozenset(f"{a}.{b}" for kind, a, b in rows if kind == "p"),
    )


def access_facts(user) -> AccessFacts:
    """This user object's groups and permissions, read once (see the module's text)."""
    facts = getattr(user, _ATTR, None)
    if facts is None:
        facts = read(user)
        if user is not None and user.is_authenticated:
            setattr(user, _ATTR, facts)
    return facts
