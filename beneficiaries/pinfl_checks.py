"""What a user is told when a PINFL they enter is already registered, and how often.

A PINFL is unique across the programme, so "already registered" tells whoever typed it that
a person with that national ID is known to the programme, whichever branch serves them. The
registration form and the import therefore:

- name the person who holds the number only when the user may see that person; anyone else
  gets a message that names no one ("already registered; ask a programme manager");
- count every such clash per user per clock hour (in the cache) and write it to the
  `mustaqil.security` log with the user and where it happened;
- once a user has met `PINFL_CLASHES_PER_HOUR` clashes (default 10) within the hour, check
  no more PINFLs for them until the hour is over: every row or member with a PINFL is refused
  with a message saying so, so the count cannot be probed either way.

Programme-wide roles see every family, so their messages name the holder and they are not
limited (their clashes are still logged). With several server processes the count is only
shared if `CACHES` points at a shared cache (the database or Redis cache); see
docs/security.md.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import sees_whole_programme

logger = logging.getLogger("mustaqil.security")

DEFAULT_CLASHES_PER_HOUR = 10


def clashes_per_hour() -> int:
    return getattr(settings, "PINFL_CLASHES_PER_HOUR", DEFAULT_CLASHES_PER_HOUR)


def _key(user) -> str:
    return f"pinfl-clashes:{user.pk}:{timezone.now().strftime('%Y%m%d%H')}"


def clashes_this_hour(user) -> int:
    return cache.get(_key(user), 0)


def limit_reached(user) -> bool:
    return not sees_whole_programme(user) and clashes_this_hour(user) >= clashes_per_hour()


def limit_message() -> str:
    return _(
        "Too many of the PINFLs you entered in the last hour are already registered: no more "
        "PINFLs are checked for you until the hour is over. Leave the PINFL empty for now or "
        "ask a programme manager."
    )


def note_clashes(user, count: int, *, where: str) -> None:
    """Count `count` clashes for the user and log them."""
    if count <= 0:
        return
    key = _key(user)
    cache.add(key, 0, timeout=3600)
    try:
        total = cache.incr(key, count)
    except ValueError:  # expired between add and incr
        cache.set(key, count, timeout=3600)
        total = count
    logger.warning(
        "PINFL already registered: user=%s (id %s) where=%s clashes=%s this hour=%s",
        user.get_username(),
        user.pk,
        where,
        count,
        total,
    )


def clash_message(holder=None) -> str:
    """`holder` is the person with the number if the user may see them, else None."""
    if holder is None:
        return _("This PINFL is already registered in the programme; ask a programme manager.")
    return _("Another person already has this PINFL: %(name)s, family %(case_number)s.") % {
        "name": holder.full_name,
        "case_number": holder.family.case_number,
    }


def visible_holders(user, pinfls) -> dict:
    """PINFL -> its holder, for the holders of these PINFLs the user may see."""
    from beneficiaries.models import Person

    return {
        person.pinfl: person
        for person in Person.objects.for_user(user)
        .filter(pinfl__in=list(pinfls))
        .select_related("family")
    }
