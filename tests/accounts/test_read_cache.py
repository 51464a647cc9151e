"""Permissions, roles, branches and the family filter's lists are kept per process
(accounts.read_cache); every change to them must show on the next request."""

from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import read_cache
from accounts.models import ReadToken
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


def test_a_warm_request_reads_tokens_not_permissions_roles_or_branches(client_for, personas):
    client = client_for(personas.caseworker)
    client.get(LIST)
    sql = " ".join(_sql(client))
    assert "accounts_readtoken" in sql
    for table in ("auth_permission", "auth_group", "beneficiaries_staffprofile"):
        assert table not in sql
    assert 'FROM "beneficiaries_branch"' not in sql
    assert 'FROM "beneficiaries_makhalla"' not in sql


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
    for _ in range(2):  # the second from the cache
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
    assert user_roles(user) == {Role.TRAINER}
    try:
        with transaction.atomic():
            user.groups.add(caseworker_group)
            assert user_roles(user) == {Role.TRAINER, Role.CASEWORKER}
            raise RuntimeError
    except RuntimeError:
        pass
    fresh = type(user).objects.get(pk=user.pk)
    assert user_roles(fresh) == {Role.TRAINER}
    # A later, committed change with the same effect is not mistaken for the rolled-back one.
    fresh.groups.add(caseworker_group)
    assert user_roles(type(user).objects.get(pk=user.pk)) == {Role.TRAINER, Role.CASEWORKER}


def test_another_process_sees_a_change_through_the_token_alone(personas, tashkent):
    """This process's own write also makes it re-read the tokens; forget that, as another
    process would, and the token must still tell."""
    user = personas.caseworker
    assert caseworker_branch_ids(type(user).objects.get(pk=user.pk)) == (
        user.staff_profile.branches.get().pk,
    )
    user.staff_profile.branches.add(tashkent)
    fresh = type(user).objects.get(pk=user.pk)
    fresh_tokens = read_cache.read_tokens(user.pk)
    setattr(fresh, read_cache._TOKENS_ATTR, (fresh_tokens, read_cache._generation))
    assert tashkent.pk in caseworker_branch_ids(fresh)


def test_without_tokens_nothing_is_cached(personas):
    ReadToken.objects.all().delete()  # a database flushed by a test
    user = type(personas.trainer).objects.get(pk=personas.trainer.pk)
    assert user_roles(user) == {Role.TRAINER}
    # A change that bumps only the user's token still shows: nothing was kept.
    ReadToken.objects.filter(name__startswith="user:").delete()
    user.groups.through.objects.filter(user=user).delete()  # no signal, no new token
    assert user_roles(type(user).objects.get(pk=user.pk)) == frozenset()


def test_a_new_user_does_not_invalidate_everyone(client_for, personas):
    client = client_for(personas.caseworker)
    client.get(LIST)
    UserFactory(role=Role.CASEWORKER)
    sql = " ".join(_sql(client))
    assert "auth_permission" not in sql
