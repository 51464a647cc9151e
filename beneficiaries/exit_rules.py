"""Whether a family may leave with "well-being restored" now: the apps above the core say.

The core records the exit (`services.family_exit`) but does not know the well-being
instrument. An app registers a check here (in its AppConfig.ready): a function (family) ->
the conditions of exit readiness that do not hold at this moment (an empty list when the
family is ready). `family_exit` refuses the reason "well-being restored" while any check
names a condition, unless the exit comes from an approved request (four eyes, see
wellbeing.services.exit_request_decide).
"""

from collections.abc import Callable

_checks: list[Callable[[object], list[str]]] = []


def register_restored_exit_check(check: Callable[[object], list[str]]) -> None:
    if check not in _checks:
        _checks.append(check)


def unmet_exit_conditions(family) -> list[str]:
    """Every registered check's unmet conditions for the family, in registration order."""
    unmet: list[str] = []
    for check in _checks:
        unmet.extend(check(family))
    return unmet
