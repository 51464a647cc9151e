"""The roles of Mustaqil, as Django groups, and the permissions each one holds.

Each app states what its roles may do in its own `permissions.py` (ROLE_PERMISSIONS:
role -> ["app_label.codename", ...]); `sync_role_groups` gathers them after every
migrate, so the groups always match the code.
"""

from importlib import import_module

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    CASEWORKER = "caseworker", _("Caseworker")
    TRAINER = "trainer", _("Trainer")
    ENTERPRISE_MANAGER = "enterprise_manager", _("Enterprise manager")
    AUDITOR = "auditor", _("Auditor")
    DAYCARE_STAFF = "daycare_staff", _("Day-care staff")
    SPECIALIST = "specialist", _("Specialist")


ROLE_NAMES = frozenset(Role.values)
# Roles that see every branch. Caseworkers, trainers and managers are narrowed by scope.
PROGRAMME_WIDE_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.AUDITOR})

ACCOUNTS_ROLE_PERMISSIONS = {
    Role.PROGRAMME_MANAGER: [
        "accounts.view_history",
        "accounts.export_personal_data",
        "accounts.view_programme_reports",
        "accounts.view_readlogentry",
    ],
    Role.AUDITOR: [
        "accounts.view_history",
        "accounts.view_programme_reports",
        "accounts.view_readlogentry",
    ],
    Role.CASEWORKER: ["accounts.export_personal_data"],
    # Certificates for their cohorts, payslips and registers for their enterprises: files
    # about people within their scope (common.downloads); the auditor alone may take none.
    Role.TRAINER: ["accounts.export_personal_data"],
    Role.ENTERPRISE_MANAGER: ["accounts.export_personal_data"],
}


def role_permissions() -> dict[str, set[str]]:
    """Every role's permissions, gathered from each installed app's `permissions` module."""
    gathered: dict[str, set[str]] = {role: set() for role in Role.values}
    for role, perms in ACCOUNTS_ROLE_PERMISSIONS.items():
        gathered[role].update(perms)
    for config in apps.get_app_configs():
        if config.name == "accounts":
            continue
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.permissions":
                raise
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            gathered[role].update(perms)
    return gathered


def sync_role_groups(*, using: str = "default", **kwargs) -> None:
    """Create one group per role and give it exactly the permissions the code declares."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in role_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for dotted in sorted(perms):
            app_label, codename = dotted.split(".", 1)
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is None:
                raise LookupError(f"Role {role!r} names an unknown permission {dotted!r}")
            wanted.append(permission)
        group.permissions.set(wanted)


def user_roles(user) -> frozenset[str]:
    """The roles a user holds: read with their permissions, once a request
    (accounts.access_facts)."""
    if not user.is_authenticated:
        return frozenset()
    from accounts.access_facts import access_facts

    return access_facts(user).groups & ROLE_NAMES


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def sees_whole_programme(user) -> bool:
    """Programme managers, auditors and superusers see every branch."""
    return user.is_authenticated and (
        user.is_superuser or bool(user_roles(user) & PROGRAMME_WIDE_ROLES)
    )
