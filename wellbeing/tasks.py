"""The well-being work the worker does (django.tasks; README, "Background work")."""

from django.db import transaction
from django.tasks import task

from wellbeing.scores import family_scores_recompute


@task()
def scores_recompute(family_ids: list[int] | None = None) -> int:
    """Recompute the families' scores (every family when None); only changed rows are
    written, so running it twice writes nothing the second time."""
    return family_scores_recompute(family_ids=family_ids)


def schedule_all_scores_recompute() -> None:
    """Queue one recompute of every family once the current transaction commits: a poverty
    line or the well-being rule changed, and every family's score may read it."""
    transaction.on_commit(lambda: scores_recompute.enqueue())
