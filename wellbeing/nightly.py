"""The well-being step of the nightly job (common/schedule.py), also `recompute_scores`."""

from accounts.database import refresh_planner_statistics
from wellbeing.scores import family_scores_recompute


def scores_recompute_nightly() -> int:
    """Every family's score (due dates and the six-month income window move with the
    calendar), then the planner's statistics; returns the families recomputed."""
    count = family_scores_recompute()
    refresh_planner_statistics()
    return count
