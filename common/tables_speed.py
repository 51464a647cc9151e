"""django-tables2 asks `inspect.signature` which arguments a render method takes, for every
cell of every page: a third of a 25-row list's CPU time. The answer never changes for a
function, so it is kept per function (weakly, so tables defined at run time can go).

PRIVATE INTERNAL: this replaces `django_tables2.utils.signature`, an undocumented helper
that `utils.call_with_appropriate` looks up at call time. django-tables2 has no public way
to cache it or to skip the inspection (a column's `render`/`value` and a table's
`render_<name>` are always called through it). Measured at 1,000 families (CPU p50 of 40,
Dec 2026): enrolment list 38 -> 46-54 ms without it, jobs 26 -> 29-37, businesses 30 -> 35-45,
payroll runs 27 -> 31-40; the family list does not need it (its CellColumns are called
directly). django-tables2 is pinned (requirements.txt) and
tests/common/test_tables_speed.py fails if the helper moves or stops being used.
"""

import inspect
import weakref

from django_tables2 import utils

_original = utils.signature
_by_function: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def cached_signature(fn):
    """utils.signature(fn), remembered per underlying function (bound or not)."""
    if inspect.ismethod(fn):
        key = (fn.__func__, True)
        target = fn.__func__
    elif inspect.isfunction(fn):
        key = (fn, False)
        target = fn
    else:  # partials, classes, callable objects: as django-tables2 does
        return _original(fn)
    per_function = _by_function.get(target)
    if per_function is None:
        per_function = _by_function[target] = {}
    if key[1] not in per_function:
        per_function[key[1]] = _original(fn)
    return per_function[key[1]]


def install() -> None:
    utils.signature = cached_signature
