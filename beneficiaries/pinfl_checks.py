"""What a user is told when a PINFL they enter is already registered, and how often.

A PINFL is unique across the programme, so "already registered" tells whoever typed it that
a person with that national ID is known to the programme, whichever branch serves them. The
registration form and the import therefore:

- name the person who holds the number only when the user may see that person; anyone else
  gets a message that names no one ("already registered; ask a programme manager");
- record every such clash (`PinflClash`: user, time, where, how many PINFLs) and write it
  to the `mustaqil.security` log;
- once a user has met `PINFL_CLASHES_PER_HOUR` clashes (default 10) in the last 60
  minutes, check no more PINFLs for them until older ones fall out of the hour: every row or
  member with a PINFL is refused with a message saying so, so the answer tells nothing
  either way.

Programme-wide roles see every family, so their messages name the holder and they are not
limited (their clashes are still recorded). The count is in the database, so it holds
across server processes. Records older than `PINFL_CLASH_KEEP_DAYS` (default 180) are
deleted when a new one is written.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import sees_whole_programme

logger = logging.getLogger("mustaqil.security")

DEFAULT_CLASHES_PER_HOUR = 10
DEFAULT_KEEP_DAYS = 180


def clashes_per_hour() -> int:
    return getattr(settings, "PINFL_CLASHES_PER_HOUR", DEFAULT_CLASHES_PER_HOUR)


def clashes_this_hour(user) -> int:
    from beneficiaries.models import PinflClash

    since = timezone.now() - timedelta(hours=1)
    return (
        PinflClash.objects.filter(user=user, at__gt=since).aggregate(total=Sum("count"))["total"]
        or 0
    )


def limit_reached(user) -> bool:
    return not sees_whole_programme(user) and clashes_this_hour(user) >= clashes_per_hour()


def limit_message() -> str:
    return _(
        "Too many of the PINFLs you entered in the last hour are already registered: no more "
        "PINFLs are checked for you until the hour is over. Leave the PINFL empty for now or "
        "ask a programme manager."
    )


def note_clashes(user, count: int, *, where: str) -> None:
    """Record `count` clashes for the user and log them (the refused form or import that
    found them writes nothing else, so the record stays)."""
    from beneficiaries.models import PinflClash

    if count <= 0:
        return
    now = timezone.now()
    PinflClash.objects.create(user=user, at=now, where=where, count=count)
    keep = getattr(settings, "PINFL_CLASH_KEEP_DAYS", DEFAULT_KEEP_DAYS)
    PinflClash.objects.filter(at__lt=now - timedelta(days=keep)).delete()
    logger.warning(
        "PINFL already registered: user=%s (id %s) where=%s clashes=%s last hour=%s",
        user.get_username(),
        user.pk,
        where,
        count,
        clashes_this_hour(user),
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
