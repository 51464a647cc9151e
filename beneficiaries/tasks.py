"""The core's background work (django.tasks; README, "Background work")."""

from django.tasks import task

from beneficiaries.duplicates import find_all


@task()
def duplicates_scan() -> int:
    """The periodic check for people registered twice: the new pairs go to the review queue
    (beneficiaries.duplicates); pairs already there, decided or not, are not proposed again."""
    return find_all()
