"""Demo staff: the demo users of each role and the caseworkers who share the families."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection

from accounts.roles import Role
from beneficiaries.demo.households import FEMALE_NAMES, SURNAMES
from beneficiaries.models import (
    Family,
    StaffProfile,
)

# Families a demo caseworker follows. A real caseworker follows a few dozen; with one
# caseworker per branch, 100,000 families would give each of them 30,000 or more.
CASELOAD = 50


DEMO_USERS = [
    ("director", "Kamola", "Rashidova", Role.PROGRAMME_MANAGER, []),
    ("caseworker", "Dilnoza", "Karimova", Role.CASEWORKER, ["SAM"]),
    ("caseworker2", "Jasur", "Toshmatov", Role.CASEWORKER, ["TAS"]),
    ("trainer", "Gulnora", "Yusupova", Role.TRAINER, []),
    ("manager", "Sardor", "Nazarov", Role.ENTERPRISE_MANAGER, []),
    ("auditor", "Anvar", "Saidov", Role.AUDITOR, []),
    ("daycare", "Malika", "Ergasheva", Role.DAYCARE_STAFF, ["SAM"]),
    ("specialist", "Nodira", "Alimova", Role.SPECIALIST, ["SAM", "TAS", "URG"]),
]


def demo_users(run, branches) -> dict:
    User = get_user_model()
    users = {}
    password = None  # hashed once: each hash takes a deliberate second or so
    for username, first, last, role, branch_codes in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            password = password or make_password(settings.DEMO_PASSWORD)
            user.password = password
            user.save()
        user.groups.add(Group.objects.get(name=role))
        profile, _ = StaffProfile.objects.get_or_create(user=user)
        profile.branches.add(*[branches[code] for code in branch_codes])
        users[username] = user
    return users


def caseworkers_by_branch() -> dict[int, list[int]]:
    rows = StaffProfile.branches.through.objects.filter(
        staffprofile__user__groups__name=Role.CASEWORKER
    ).values_list("branch_id", "staffprofile__user_id")
    result: dict[int, list[int]] = {}
    for branch_id, user_id in rows:
        result.setdefault(branch_id, []).append(user_id)
    return result


def share_caseloads(run, branches, family_ids: list[int]) -> None:
    """Give the new families of each branch to its caseworkers, CASELOAD each, in order of
    registration: the branch's caseworkers first, up to CASELOAD, then new demo
    caseworkers (cw-<branch>-0001, ...; no password, so they cannot sign in). Only where
    the branch already has a caseworker: the demo users decide whether there are any."""
    User = get_user_model()
    group = Group.objects.get(name=Role.CASEWORKER)
    ids = set(family_ids)
    assignments = []
    for code, branch in branches.items():
        new = [
            pk
            for pk in Family.objects.filter(branch=branch)
            .order_by("pk")
            .values_list("pk", flat=True)
            if pk in ids
        ]
        staff = list(
            User.objects.filter(groups=group, staff_profile__branches=branch)
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not new or not staff:
            continue
        loads = dict.fromkeys(staff, 0)
        for caseworker_id in (
            Family.objects.filter(branch=branch, caseworker_id__in=staff)
            .exclude(pk__in=new)
            .values_list("caseworker_id", flat=True)
        ):
            loads[caseworker_id] += 1
        free = [pk for pk in staff for _slot in range(max(0, CASELOAD - loads[pk]))]
        missing = len(new) - len(free)
        if missing > 0:
            for user_id in _new_caseworkers(run, code, branch, group, -(-missing // CASELOAD)):
                free += [user_id] * CASELOAD
        assignments += list(zip(free, new, strict=False))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Family._meta.db_table} SET caseworker_id = %s WHERE id = %s", assignments
        )


def _new_caseworkers(run, code: str, branch, group, count: int) -> list[int]:
    User = get_user_model()
    prefix = f"cw-{code.lower()}-"
    taken = User.objects.filter(username__startswith=prefix).count()
    users = []
    for number in range(taken + 1, taken + count + 1):
        first = FEMALE_NAMES[number % len(FEMALE_NAMES)]
        last = SURNAMES[(number * 7) % len(SURNAMES)] + "a"
        user = User(username=f"{prefix}{number:04d}", first_name=first, last_name=last)
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=1000)
    created = list(
        User.objects.filter(username__in=[user.username for user in users]).values_list(
            "pk", flat=True
        )
    )
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=pk, group_id=group.pk) for pk in created], batch_size=1000
    )
    StaffProfile.objects.bulk_create([StaffProfile(user_id=pk) for pk in created], batch_size=1000)
    profiles = StaffProfile.objects.filter(user_id__in=created).values_list("pk", flat=True)
    StaffProfile.branches.through.objects.bulk_create(
        [StaffProfile.branches.through(staffprofile_id=pk, branch_id=branch.pk) for pk in profiles],
        batch_size=1000,
    )
    run.log.write(f"  {len(created)} demo caseworkers added in {branch}")
    return sorted(created)
