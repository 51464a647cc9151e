"""Who may see which enterprise, job and business: the rules behind every `for_user`."""

from django.db.models import Q

from accounts.roles import Role, has_role, sees_whole_programme
from beneficiaries.access import NOTHING, caseworker_branch_ids


def managed_enterprise_ids(user) -> list[int]:
    """Enterprises the user manages, read once per request."""
    if not has_role(user, Role.ENTERPRISE_MANAGER):
        return []
    cached = getattr(user, "_mustaqil_enterprise_ids", None)
    if cached is None:
        from enterprises.models import SocialEnterprise

        cached = list(
            SocialEnterprise.managers.through.objects.filter(user=user).values_list(
                "socialenterprise_id", flat=True
            )
        )
        user._mustaqil_enterprise_ids = cached
    return cached


def enterprise_q(user, prefix: str = "") -> Q | None:
    """Q over a model reaching SocialEnterprise through `prefix`; None means everything."""
    if sees_whole_programme(user):
        return None
    condition = NOTHING
    managed = managed_enterprise_ids(user)
    if managed:
        condition |= Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": managed})
    branches = caseworker_branch_ids(user)
    if branches:
        condition |= Q(**{f"{prefix}branch_id__in": branches})
    return condition


def family_branch_q(user, family_path: str) -> Q | None:
    """Q over a model reaching Family through `family_path`; None means everything."""
    if sees_whole_programme(user):
        return None
    branches = caseworker_branch_ids(user)
    if not branches:
        return NOTHING
    return Q(**{f"{family_path}__branch_id__in": branches})
