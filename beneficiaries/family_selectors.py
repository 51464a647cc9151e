"""Reads over the caseload: the family list's rows and a family's members."""

from django.db.models import Case, Value, When

from beneficiaries.choices import Relationship
from beneficiaries.models import Family

# The head of household first, then the others from the oldest (search.head_of: the
# name the list shows).
HEAD_FIRST = Case(When(relationship=Relationship.HEAD, then=Value(0)), default=Value(1))


def family_list_rows(families):
    """The family list's rows: one query per page, whatever the page shows. The head of
    household and the member count are columns of the family (kept by
    beneficiaries.search.refresh), so the list sorts by them from an index."""
    return families.select_related("branch", "makhalla", "caseworker")


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
