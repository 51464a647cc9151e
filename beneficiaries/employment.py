"""Which families have stable work, as the apps that know it say.

Employment and businesses live in the enterprises app, which the core may not import.
That app registers a signal here (in its AppConfig.ready): a function that takes family
ids and returns the ids of those with stable employment or an operating business. The
well-being assessment uses it to propose the employment level.
"""

from collections.abc import Callable, Collection

EmploymentSignal = Callable[[Collection[int]], set[int]]

_signals: list[EmploymentSignal] = []


def register_employment_signal(signal: EmploymentSignal) -> EmploymentSignal:
    """signal(family_ids) -> the ids among them with stable work, in a fixed number of queries."""
    if signal not in _signals:
        _signals.append(signal)
    return signal


def unregister_employment_signal(signal: EmploymentSignal) -> None:
    """For tests that plug in a fake signal."""
    if signal in _signals:
        _signals.remove(signal)


def families_with_stable_work(family_ids: Collection[int]) -> set[int]:
    ids = set(family_ids)
    if not ids:
        return set()
    found: set[int] = set()
    for signal in _signals:
        found |= set(signal(ids)) & ids
    return found
