"""Who may see which family, person and income record: the rules of `for_user`."""

from django.db.models import Q

from accounts import read_cache
from accounts.roles import Role, has_role, sees_whole_programme

NOTHING = Q(pk__in=[])


def caseworker_branch_ids(user) -> tuple[int, ...]:
    """Branches the user serves as caseworker, kept per process until the user's staff
    profile or the branches change (accounts.read_cache; signals in beneficiaries.apps)."""
    if not has_role(user, Role.CASEWORKER):
        return ()
    return read_cache.per_user(user, "caseworker_branch_ids", lambda: _branch_ids(user))


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


# --- what invalidates the cached branch ids and reference lists (accounts.read_cache) -----


def _places_changed(sender, using="default", **kwargs):
    read_cache.bump(read_cache.PLACES, using=using)


def _branch_deleted(sender, using="default", **kwargs):
    """Its staff profiles' links went with it."""
    read_cache.bump(read_cache.PLACES, read_cache.ACCESS, using=using)


def _staff_branches_changed(sender, instance, action, reverse, using="default", **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # branch.staff_profiles.add(...): every profile may have changed
        read_cache.bump(read_cache.ACCESS, using=using)
    else:
        read_cache.bump_users([instance.user_id], using=using)


def _staff_profile_saved(sender, instance, using="default", **kwargs):
    user_ids = {instance.user_id, getattr(instance, "_read_cache_former_user_id", None)}
    read_cache.bump_users(user_ids, using=using)


def _staff_profile_saving(sender, instance, using="default", **kwargs):
    """A profile moved to another user (the admin allows it) changes the former's branches."""
    if instance.pk is not None:
        instance._read_cache_former_user_id = (
            sender.objects.using(using)
            .filter(pk=instance.pk)
            .values_list("user_id", flat=True)
            .first()
        )


def connect_read_cache() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

    from beneficiaries.models import Branch, Makhalla, StaffProfile

    for model in (Branch, Makhalla):
        post_save.connect(_places_changed, sender=model, dispatch_uid=f"read_cache.{model}")
    post_delete.connect(_places_changed, sender=Makhalla, dispatch_uid="read_cache.d.makhalla")
    post_delete.connect(_branch_deleted, sender=Branch, dispatch_uid="read_cache.d.branch")
    m2m_changed.connect(
        _staff_branches_changed,
        sender=StaffProfile.branches.through,
        dispatch_uid="read_cache.staff_branches",
    )
    pre_save.connect(_staff_profile_saving, sender=StaffProfile, dispatch_uid="read_cache.sp0")
    post_save.connect(_staff_profile_saved, sender=StaffProfile, dispatch_uid="read_cache.sp1")
    post_delete.connect(_staff_profile_saved, sender=StaffProfile, dispatch_uid="read_cache.sp2")
