"""Reads over the caseload: the family list's rows and the counts the programme publishes."""

from django.db.models import Case, Count, Exists, Q, Value, When

from beneficiaries.choices import Relationship
from beneficiaries.models import Family, Person
from beneficiaries.models.placements import back_home_after_care, returned_children

CHILDREN = [Relationship.CHILD, Relationship.GRANDCHILD]

# The head of household first, then the others from the oldest (search.head_of: the
# name the list shows).
HEAD_FIRST = Case(When(relationship=Relationship.HEAD, then=Value(0)), default=Value(1))


def family_list_rows(families):
    """The family list's rows: one query per page, whatever the page shows. The head of
    household and the member count are columns of the family (kept by
    beneficiaries.search.refresh), so the list sorts by them from an index."""
    return families.select_related("branch", "makhalla", "caseworker")


def children_figures(families) -> dict[str, int]:
    """{"served": children of these families, "returned": of them, back home after care},
    in one query."""
    return Person.objects.filter(family__in=families).aggregate(
        served=Count("id", filter=Q(relationship__in=CHILDREN)),
        returned=Count("id", filter=Q(Exists(back_home_after_care()))),
    )


def children_served(families) -> int:
    return Person.objects.filter(
        family__in=families, relationship__in=[Relationship.CHILD, Relationship.GRANDCHILD]
    ).count()


def children_returned(families) -> int:
    """Children of these families who were in care and came back to live with the family."""
    return returned_children(Person.objects.filter(family__in=families)).count()


def family_for_detail(family: Family):
    """Members with their living-arrangement history, read in two queries."""
    members = list(
        family.members.order_by(HEAD_FIRST, "birth_date", "id").prefetch_related("placements")
    )
    for member in members:
        history = sorted(member.placements.all(), key=lambda p: (p.start_date, p.pk))
        member.placement_history = history
        member.current_placement = history[-1] if history else None
    return members
