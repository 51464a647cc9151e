"""Reads that rarely change, kept in each process and checked with one query a request.

A signed-in page used to read the user's permissions (two queries), roles and branches on
every request, and a list's filter form its branches and makhallas. Those facts change a
few times a year; the pages are opened all day. Each process keeps what it read, keyed by
tokens stored in the database (`ReadToken`):

- ACCESS: what changes many users' access at once: groups, their permissions,
  permission and content-type names, a branch deleted;
- PLACES: branches and makhallas (the lists filter forms offer);
- "user:<id>": one user's groups, own permissions and staff profile's branches.

A request reads the tokens it needs in one query (the first time it asks), and a write to
any of those facts gives its token a new random value in the same transaction (signals:
`connect()` here, `beneficiaries.apps` for branches and staff profiles). A reader that
sees the new token sees the write too, so nothing old is served after the write
commits; a write rolled back restores the old token with the old facts. Tokens are random,
never counters, so a rolled-back value is never reused for other facts. A user's
`is_active` and `is_superuser` are part of the key (they come with the user's own row,
read on every request anyway); a new user gets a token of their own.

Writes that bypass the ORM's signals (raw SQL, `bulk_create`, `QuerySet.update`) on those
tables must call `bump()` themselves (the demo seeder does).

Within a request the tokens are kept on the user object; a write made by this process
since they were read makes the next read fetch them again, and a value computed across
such a write is not stored.
"""

import contextlib
import threading
import uuid
from collections import OrderedDict

from django.db import connections

ACCESS = "access"
PLACES = "places"
SHARED = (ACCESS, PLACES)
MAX_ENTRIES = 20_000  # a few per user: permissions, roles, branches

_TOKENS_ATTR = "_mustaqil_read_tokens"
_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()
_generation = 0  # this process's writes to the facts above


def user_key(user_id) -> str:
    return f"user:{user_id}"


def bump(*names: str, using: str = "default") -> None:
    """Give these tokens new values: every process reads the facts again."""
    global _generation
    from accounts.models import ReadToken

    with _lock:
        _generation += 1
    if not names:
        return
    ReadToken.objects.using(using).bulk_create(
        [ReadToken(name=name, token=uuid.uuid4().hex) for name in dict.fromkeys(names)],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["token"],
    )


def bump_users(user_ids, *, using: str = "default") -> None:
    bump(*(user_key(pk) for pk in user_ids if pk is not None), using=using)


def read_tokens(user_id=None, *, using: str = "default") -> dict | None:
    """The current tokens (the shared ones and this user's), or None when the shared ones
    are missing (a database flushed by a test): then nothing is cached."""
    names = [*SHARED, user_key(user_id)] if user_id is not None else list(SHARED)
    placeholders = ", ".join(["%s"] * len(names))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT name, token FROM accounts_readtoken WHERE name IN ({placeholders})", names
        )
        tokens = dict(cursor.fetchall())
    if any(name not in tokens for name in SHARED):
        return None
    return tokens


def _tokens_for(user):
    """(tokens, generation) for this request's user object: read once, again after a write."""
    held = getattr(user, _TOKENS_ATTR, None)
    if held is not None and held[1] == _generation:
        return held
    generation = _generation
    user_id = user.pk if user is not None and user.is_authenticated else None
    held = (read_tokens(user_id), generation)
    if user is not None:
        with contextlib.suppress(AttributeError):  # AnonymousUser and the like
            setattr(user, _TOKENS_ATTR, held)
    return held


def _cached(key, generation, compute):
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    value = compute()
    with _lock:
        if generation == _generation:  # nothing written here while computing
            _entries[key] = value
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return value


def per_user(user, name: str, compute):
    """`compute()` for this signed-in user, cached until their or the shared facts change.
    The value is shared between requests: return something immutable."""
    tokens, generation = _tokens_for(user)
    if tokens is None:
        return compute()
    key = (
        name,
        user.pk,
        user.is_active,
        user.is_superuser,
        tokens[ACCESS],
        tokens.get(user_key(user.pk)),
    )
    return _cached(key, generation, compute)


def shared(user, name: str, compute):
    """`compute()` over branches and makhallas (the lists filter forms offer); `user` only
    carries the request's tokens. The value is shared between requests: do not change it."""
    tokens, generation = _tokens_for(user)
    if tokens is None:
        return compute()
    return _cached((name, tokens[PLACES]), generation, compute)


def clear() -> None:
    """Forget every cached value in this process (tests)."""
    with _lock:
        _entries.clear()


# --- invalidation --------------------------------------------------------------------------


def _bump_access(sender, using="default", **kwargs):
    bump(ACCESS, using=using)


def _bump_access_m2m(sender, action, using="default", **kwargs):
    if action.startswith("post_"):
        bump(ACCESS, using=using)


def _user_m2m_changed(sender, instance, action, reverse, pk_set, using="default", **kwargs):
    """user.groups / user.user_permissions changed: that user's token; from the other side
    (group.user_set, permission.user_set) every user's, through ACCESS."""
    if not action.startswith("post_"):
        return
    if reverse:
        bump(ACCESS, using=using)
    else:
        bump_users([instance.pk], using=using)


def _user_deleted(sender, instance, using="default", **kwargs):
    bump_users([instance.pk], using=using)


def _user_saved(sender, instance, created, using="default", **kwargs):
    """A new user gets a token of their own: an id reused after a rollback (SQLite) must
    not find what its former holder left."""
    if created:
        bump_users([instance.pk], using=using)


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.signals import m2m_changed, post_delete, post_save

    User = get_user_model()
    for model in (Group, Permission, ContentType):
        post_save.connect(_bump_access, sender=model, dispatch_uid=f"read_cache.save.{model}")
        post_delete.connect(_bump_access, sender=model, dispatch_uid=f"read_cache.del.{model}")
    m2m_changed.connect(
        _bump_access_m2m, sender=Group.permissions.through, dispatch_uid="read_cache.group_perms"
    )
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(
            _user_m2m_changed, sender=through, dispatch_uid=f"read_cache.m2m.{through}"
        )
    post_delete.connect(_user_deleted, sender=User, dispatch_uid="read_cache.user_deleted")
    post_save.connect(_user_saved, sender=User, dispatch_uid="read_cache.user_saved")
