"""Helpers for well-being tests: a household of a known size and assessments by level."""

import contextlib
import datetime

from django.apps import apps
from django.utils.module_loading import import_string

from tests.factories import ChildFactory, FamilyFactory, PersonFactory
from wellbeing import scores
from wellbeing.models import Domain
from wellbeing.services import assessment_record


def ship_wellbeing_data() -> None:
    """The shipped poverty lines, domains and rule (again after a transactional flush)."""
    ship = import_string("beneficiaries.migrations.0004_wellbeing_data.ship")
    ship(_AppsAfterTheMove(), None)


class _AppsAfterTheMove:
    """The data migration names the models where they lived then (the core); they are the
    wellbeing app's now."""

    def get_model(self, app_label, model_name):
        if app_label == "beneficiaries" and model_name in WELLBEING_MODELS:
            app_label = "wellbeing"
        return apps.get_model(app_label, model_name)


WELLBEING_MODELS = {"PovertyLine", "Domain", "DomainLevel", "WellbeingRule"}


def household(members: int = 4, **family_fields):
    """A family with one adult and `members - 1` children born 2012-2016."""
    family = FamilyFactory(**family_fields)
    PersonFactory(family=family)
    for index in range(members - 1):
        ChildFactory(family=family, birth_date=datetime.date(2012 + index % 5, 3, 1))
    return family


def domain_ids() -> dict[str, int]:
    return dict(Domain.objects.values_list("code", "pk"))


def record_levels(
    family,
    day,
    levels: dict[str, int],
    *,
    kind="six_monthly",
    default=4,
    user=None,
    reasons=None,
    out=(),
):
    """Record an assessment with levels by domain code (others at `default`); where the data
    proposes another level the reason 'test' is given unless `reasons` says otherwise."""
    ids = domain_ids()
    by_id = {pk: levels.get(code, default) for code, pk in ids.items()}
    if reasons is None:
        reasons = dict.fromkeys(ids.values(), "Seen at the home visit")
    return assessment_record(
        family=family,
        day=day,
        kind=kind,
        levels=by_id,
        reasons=reasons,
        children_out_of_school=out,
        recorded_by=user,
    )


@contextlib.contextmanager
def recomputes_counted():
    """The family ids of each score recompute run inside the block."""
    runs: list[set[int]] = []
    real = scores.family_scores_recompute

    def counted(*, family_ids=None, **kwargs):
        runs.append(set(family_ids or ()))
        return real(family_ids=family_ids, **kwargs)

    scores.family_scores_recompute = counted
    try:
        yield runs
    finally:
        scores.family_scores_recompute = real
