"""Permissions, roles, branches and the family filter's lists are read on every request
(accounts.access_facts, beneficiaries.access), never kept between requests: every change to
them, whoever writes it and however, shows on the next request."""

from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.access_facts import access_facts
from accounts.roles import Role, user_roles
from beneficiaries.access import caseworker_branch_ids
from tests.factories import FamilyFactory, MakhallaFactory, UserFactory

LIST = reverse("beneficiaries:family_list")


def _get(client, url=LIST):
    response = client.get(url)
    return response.status_code, response.content.decode()


def _sql(client, url=LIST) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_request_reads_roles_and_permissions_in_one_query_and_branches_in_one(
    client_for, personas
):
    client = client_for(personas.caseworker)
    client.get(LIST)
    sql = _sql(client)
    assert not [query for query in sql if "readtoken" in query]
    assert len([query for query in sql if "auth_permission" in query]) == 1
    assert len([query for query in sql if "auth_group" in query]) == 1
    assert len([query for query in sql if "beneficiaries_staffprofile" in query]) == 1
    # The filter form's lists, read for the page that shows them.
    assert len([query for query in sql if 'FROM "beneficiaries_branch"' in query]) == 1
    assert len([query for query in sql if 'FROM "beneficiaries_makhalla"' in query]) == 1


def test_a_role_taken_away_is_refused_on_the_next_request(client_for, personas):
    client = client_for(personas.caseworker)
    assert _get(client)[0] == 200
    personas.caseworker.groups.remove(Group.objects.get(name=Role.CASEWORKER))
    assert _get(client)[0] == 403
    personas.caseworker.groups.add(Group.objects.get(name=Role.CASEWORKER))
    assert _get(client)[0] == 200


def test_a_role_given_from_the_groups_side_counts_at_once(client_for, personas):
    client = client_for(personas.outsider)
    assert _get(client)[0] == 403
    Group.objects.get(name=Role.PROGRAMME_MANAGER).user_set.add(personas.outsider)
    assert _get(client)[0] == 200


def test_a_permission_taken_from_a_role_is_refused_on_the_next_request(client_for, personas):
    client = client_for(personas.director)
    assert _get(client)[0] == 200
    group = Group.objects.get(name=Role.PROGRAMME_MANAGER)
    group.permissions.remove(Permission.objects.get(codename="view_family"))
    assert _get(client)[0] == 403


def test_a_users_own_permission_and_superuser_flag_count_at_once(client_for, personas):
    client = client_for(personas.outsider)
    assert _get(client)[0] == 403
    personas.outsider.user_permissions.add(Permission.objects.get(codename="view_family"))
    assert _get(client)[0] == 200
    personas.outsider.user_permissions.clear()
    assert _get(client)[0] == 403
    personas.outsider.is_superuser = True
    personas.outsider.save()
    assert _get(client)[0] == 200


def test_a_caseworkers_new_branch_shows_on_the_next_request(client_for, personas, tashkent):
    theirs = FamilyFactory(branch=tashkent)
    client = client_for(personas.caseworker)
    _status, page = _get(client)
    assert theirs.case_number not in page
    assert _get(client, theirs.get_absolute_url())[0] == 404
    personas.caseworker.staff_profile.branches.add(tashkent)
    _status, page = _get(client)
    assert theirs.case_number in page
    assert _get(client, theirs.get_absolute_url())[0] == 200
    personas.caseworker.staff_profile.branches.remove(tashkent)
    assert _get(client, theirs.get_absolute_url())[0] == 404


def test_a_staff_profile_given_from_the_branch_side_counts_at_once(client_for, personas, tashkent):
    theirs = FamilyFactory(branch=tashkent)
    client = client_for(personas.caseworker)
    assert _get(client, theirs.get_absolute_url())[0] == 404
    tashkent.staff_profiles.add(personas.caseworker.staff_profile)
    assert _get(client, theirs.get_absolute_url())[0] == 200


def test_a_renamed_branch_and_a_new_makhalla_show_in_the_filter_form(client_for, personas):
    samarkand = personas.caseworker.staff_profile.branches.get()
    client = client_for(personas.director)
    _status, page = _get(client)
    assert "Bukhara" not in page
    samarkand.name = "Bukhara"
    samarkand.save()
    MakhallaFactory(branch=samarkand, name="Registon")
    _status, page = _get(client)
    assert ">Bukhara</option>" in page
    assert ">Registon</option>" in page


def test_the_filter_form_offers_a_caseworker_only_their_branches(
    client_for, personas, samarkand, tashkent
):
    MakhallaFactory(branch=tashkent, name="Chilonzor")
    MakhallaFactory(branch=samarkand, name="Registon")
    client = client_for(personas.caseworker)
    for _ in range(2):  # read again on the second request
        _status, page = _get(client)
        assert ">Registon</option>" in page
        assert "Chilonzor" not in page
        assert f'<option value="{tashkent.pk}"' not in page
    # A branch outside the scope is not accepted either (the queryset still validates).
    response = client.get(LIST, {"branch": tashkent.pk})
    assert response.context["filter"].form.errors["branch"]


def test_a_rolled_back_change_leaves_no_stale_value_behind(personas):
    caseworker_group = Group.objects.get(name=Role.CASEWORKER)
    user = personas.trainer
    User = type(user)
    assert user_roles(User.objects.get(pk=user.pk)) == {Role.TRAINER}
    try:
        with transaction.atomic():
            user.groups.add(caseworker_group)
            assert user_roles(User.objects.get(pk=user.pk)) == {Role.TRAINER, Role.CASEWORKER}
            raise RuntimeError
    except RuntimeError:
        pass
    fresh = User.objects.get(pk=user.pk)
    assert user_roles(fresh) == {Role.TRAINER}
    # A later, committed change with the same effect is not mistaken for the rolled-back one.
    fresh.groups.add(caseworker_group)
    assert user_roles(User.objects.get(pk=user.pk)) == {Role.TRAINER, Role.CASEWORKER}


def test_another_process_sees_a_change_at_once(personas, tashkent):
    """Nothing is kept between requests: a user loaded after a change (another process's
    request, or this one's next) reads it."""
    user = personas.caseworker
    assert caseworker_branch_ids(type(user).objects.get(pk=user.pk)) == (
        user.staff_profile.branches.get().pk,
    )
    user.staff_profile.branches.add(tashkent)
    assert tashkent.pk in caseworker_branch_ids(type(user).objects.get(pk=user.pk))


def test_a_write_that_sends_no_signal_shows_at_once(client_for, personas):
    """Raw SQL, bulk writes and QuerySet.delete() send no per-object signals; with nothing
    cached they need none."""
    user = type(personas.trainer).objects.get(pk=personas.trainer.pk)
    assert user_roles(user) == {Role.TRAINER}
    user.groups.through.objects.filter(user=user).delete()  # no m2m_changed signal
    assert user_roles(type(user).objects.get(pk=user.pk)) == frozenset()
    client = client_for(personas.director)
    assert _get(client)[0] == 200
    group = Group.objects.get(name=Role.PROGRAMME_MANAGER)
    Group.permissions.through.objects.filter(
        group=group, permission__codename="view_family"
    ).delete()
    assert _get(client)[0] == 403


def test_the_facts_are_read_once_per_user_object(personas, django_assert_num_queries):
    user = type(personas.caseworker).objects.get(pk=personas.caseworker.pk)
    with django_assert_num_queries(2):  # roles and permissions; branches
        assert user.has_perm("beneficiaries.view_family")
        assert user_roles(user) == {Role.CASEWORKER}
        branch_ids = caseworker_branch_ids(user)
        assert user.has_perm("beneficiaries.view_family")
        assert caseworker_branch_ids(user) == branch_ids
    assert access_facts(user).groups == {Role.CASEWORKER}


def test_a_new_user_is_read_like_any_other(client_for, personas):
    client = client_for(personas.caseworker)
    client.get(LIST)
    UserFactory(role=Role.CASEWORKER)
    sql = " ".join(_sql(client))
    assert sql.count("auth_permission") == 1
