"""How apps that depend on `beneficiaries` widen who may see a person.

The core imports no other app, yet a trainer must see the people in their cohorts and a
manager the people employed at their enterprise. Those apps register a function here
(in their AppConfig.ready) that returns a Q over Person for a user, or None.
"""

from collections.abc import Callable

from django.db.models import Q

PersonScope = Callable[[object], Q | None]

_person_scopes: list[PersonScope] = []


def register_person_scope(scope: PersonScope) -> PersonScope:
    if scope not in _person_scopes:
        _person_scopes.append(scope)
    return scope


def related_person_q(user) -> Q | None:
    """People the user reaches through another app (cohorts, enterprises), or None."""
    combined = None
    for scope in _person_scopes:
        q = scope(user)
        if q is not None:
            combined = q if combined is None else combined | q
    return combined
