"""Who may see which family, person and income record: the rules of `for_user`."""

from django.db.models import Q

from accounts.roles import Role, has_role, sees_whole_programme

NOTHING = Q(pk__in=[])


def caseworker_branch_ids(user) -> list[int]:
    """Branches the user serves as caseworker, read once per request."""
    if not has_role(user, Role.CASEWORKER):
        return []
    cached = getattr(user, "_mustaqil_branch_ids", None)
    if cached is None:
        from beneficiaries.models import StaffProfile

        cached = list(
            StaffProfile.branches.through.objects.filter(staffprofile__user=user).values_list(
                "branch_id", flat=True
            )
        )
        user._mustaqil_branch_ids = cached
    return cached


def sees_sensitive(user, family) -> bool:
    """Plans, notes and income: caseworkers of the family's branch, managers, auditors."""
    return sees_whole_programme(user) or family.branch_id in caseworker_branch_ids(user)


def may_edit_family(user, family) -> bool:
    """Programme managers edit every family; a caseworker only their own caseload."""
    if not user.has_perm("beneficiaries.change_family"):
        return False
    if sees_whole_programme(user):
        return True
    return family.caseworker_id == user.pk and family.branch_id in caseworker_branch_ids(user)
