"""Who may see which family, person and income record: the rules of `for_user`."""

from django.db.models import Q

from accounts.roles import Role, has_role, sees_whole_programme

NOTHING = Q(pk__in=[])
_BRANCH_IDS_ATTR = "_mustaqil_caseworker_branch_ids"


def caseworker_branch_ids(user) -> tuple[int, ...]:
    """Branches the user serves as caseworker: one query, the first time a request asks,
    kept on the request's user object only (as its roles are: accounts.access_facts), so a
    branch given or taken away counts on the very next request."""
    if not has_role(user, Role.CASEWORKER):
        return ()
    ids = getattr(user, _BRANCH_IDS_ATTR, None)
    if ids is None:
        ids = _branch_ids(user)
        setattr(user, _BRANCH_IDS_ATTR, ids)
    return ids


def staff_branch_ids(user) -> tuple[int, ...]:
    """The branches on the user's staff profile, whatever their role (one query): apps
    whose staff are tied to a centre (day care) scope them with it, as caseworkers are."""
    return _branch_ids(user)


def _branch_ids(user) -> tuple[int, ...]:
    from beneficiaries.models import StaffProfile

    return tuple(
        StaffProfile.branches.through.objects.filter(staffprofile__user=user).values_list(
            "branch_id", flat=True
        )
    )


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


def may_record_consent(user, family) -> bool:
    """Caseworkers of the family's branch and programme managers record consents (whatever
    the case's state: a withdrawal is honoured after exit too); auditors only read them."""
    return user.has_perm("beneficiaries.add_consentrecord") and sees_sensitive(user, family)


_SPECIALIST_BRANCH_IDS_ATTR = "_mustaqil_specialist_branch_ids"


def specialist_branch_ids(user) -> tuple[int, ...]:
    """The centres a specialist (psychologist, lawyer...) works at, from their staff profile:
    read once a request, as caseworkers' branches are."""
    if not has_role(user, Role.SPECIALIST):
        return ()
    ids = getattr(user, _SPECIALIST_BRANCH_IDS_ATTR, None)
    if ids is None:
        ids = staff_branch_ids(user)
        setattr(user, _SPECIALIST_BRANCH_IDS_ATTR, ids)
    return ids


def referral_condition(user) -> Q:
    """Referrals are sensitive like case notes: the caseworkers of the family's branch, the
    programme-wide roles, and the specialist a referral is assigned to at their own centre
    (who sees nothing else of the family)."""
    if sees_whole_programme(user):
        return Q()
    condition = NOTHING
    branch_ids = caseworker_branch_ids(user)
    if branch_ids:
        condition |= Q(family__branch_id__in=branch_ids)
    centres = specialist_branch_ids(user)
    if centres:
        condition |= Q(assigned_to=user, family__branch_id__in=centres)
    return condition


def may_refer(user, family) -> bool:
    """Caseworkers of the family's branch and programme managers refer its members, while
    the case is open (a referred family may be referred on before its intake)."""
    return (
        user.has_perm("beneficiaries.add_referral")
        and family.is_open
        and sees_sensitive(user, family)
    )
