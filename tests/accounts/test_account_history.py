"""Users, roles (groups) and caseworkers' branches keep a change history, shown in the admin."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.roles import Role
from beneficiaries.models import StaffProfile
from tests.factories import UserFactory, branch


def test_a_users_details_and_roles_are_recorded_with_who_changed_them(db):
    admin = UserFactory(username="root")
    user = UserFactory(username="dilnoza", first_name="Dilnoza")
    user._history_user = admin
    user.first_name = "Dilnoza R."
    user.save()
    user.groups.add(Group.objects.get(name=Role.CASEWORKER))
    # ...and when the role is given from the group's side.
    Group.objects.get(name=Role.AUDITOR).user_set.add(user)
    latest = user.history.order_by("-history_id")
    assert [set(entry.groups.values_list("group__name", flat=True)) for entry in latest[:2]] == [
        {Role.CASEWORKER, Role.AUDITOR},
        {Role.CASEWORKER},
    ]
    first_name_change = user.history.filter(first_name="Dilnoza R.").earliest("history_id")
    assert first_name_change.history_user == admin


def test_a_password_hash_and_sign_in_times_stay_out_of_the_history(client, db):
    user = UserFactory(username="dilnoza", password="right-password-1")
    entries = user.history.count()
    client.post(reverse("accounts:login"), {"username": "dilnoza", "password": "right-password-1"})
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == entries  # signing in writes no history entry
    assert "password" not in {field.name for field in user.history.model._meta.fields}


def test_a_roles_permissions_are_recorded(db):
    group = Group.objects.create(name="temporary")
    permission = Permission.objects.get(codename="view_history")
    group.permissions.add(permission)
    entry = group.history.latest("history_id")
    assert list(entry.permissions.values_list("permission__codename", flat=True)) == [
        "view_history"
    ]


def test_a_caseworkers_branches_are_recorded_from_either_side(db):
    samarkand, tashkent = branch("SAM"), branch("TAS")
    user = UserFactory(username="dilnoza")
    profile = StaffProfile.objects.create(user=user)
    profile.branches.add(samarkand)
    tashkent.staff_profiles.add(profile)
    assert [
        sorted(entry.branches.values_list("branch__code", flat=True))
        for entry in profile.history.order_by("-history_id")[:2]
    ] == [["SAM", "TAS"], ["SAM"]]
    samarkand.staff_profiles.clear()
    assert sorted(
        profile.history.latest("history_id").branches.values_list("branch__code", flat=True)
    ) == ["TAS"]


def test_the_admin_shows_the_history_of_users_groups_and_staff_profiles(client, db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    user = UserFactory(username="dilnoza", branches=[branch("SAM")])
    group = Group.objects.get(name=Role.CASEWORKER)
    client.force_login(root)
    for model, pk in [("auth_user", user.pk), ("auth_group", group.pk)]:
        response = client.get(reverse(f"admin:{model}_history", args=[pk]))
        assert response.status_code == 200
        assert b"Changed by" in response.content
    profile = user.staff_profile
    response = client.get(reverse("admin:beneficiaries_staffprofile_history", args=[profile.pk]))
    assert response.status_code == 200
    assert b"Changed by" in response.content
