"""Who may see which day-care place and day: the rules behind `for_user`.

- programme managers and auditors: every centre;
- day-care staff: the centres on their staff profile (the branches caseworkers are given
  the same way), and nothing of the families beyond the children in care there;
- a caseworker: the day care of their branches' families, wherever the child is cared for.
"""

from django.db.models import Q

from accounts.roles import Role, has_role, sees_whole_programme
from beneficiaries.access import NOTHING, caseworker_branch_ids, staff_branch_ids

_ATTR = "_mustaqil_daycare_branch_ids"


def daycare_branch_ids(user) -> tuple[int, ...]:
    """The centres a day-care staff member works at: read once a request (as caseworkers'
    branches are), so a centre given or taken away counts on the next request."""
    if not has_role(user, Role.DAYCARE_STAFF):
        return ()
    ids = getattr(user, _ATTR, None)
    if ids is None:
        ids = staff_branch_ids(user)
        setattr(user, _ATTR, ids)
    return ids


def centre_ids(user) -> tuple[int, ...] | None:
    """The centres whose day care (register, children, capacity) the user sees; None for
    every centre."""
    if sees_whole_programme(user):
        return None
    return tuple(sorted(set(daycare_branch_ids(user)) | set(caseworker_branch_ids(user))))


def may_take_register(user, branch) -> bool:
    """Day-care staff of the centre and programme managers take a centre's register."""
    if not user.has_perm("daycare.add_daycareattendance"):
        return False
    return sees_whole_programme(user) or branch.pk in daycare_branch_ids(user)


def place_condition(user, prefix: str = "") -> Q:
    if sees_whole_programme(user):
        return Q()
    condition = NOTHING
    centres = daycare_branch_ids(user)
    if centres:
        condition |= Q(**{f"{prefix}branch_id__in": centres})
    branches = caseworker_branch_ids(user)
    if branches:
        condition |= Q(**{f"{prefix}child__family__branch_id__in": branches})
    return condition


def attendance_condition(user) -> Q:
    return place_condition(user)
