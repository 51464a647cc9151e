import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role, role_permissions
from tests.factories import FamilyFactory


def test_every_role_is_a_group_with_exactly_its_declared_permissions(db):
    declared = role_permissions()
    for role in Role.values:
        group = Group.objects.get(name=role)
        granted = {
            f"{app}.{code}"
            for app, code in group.permissions.values_list("content_type__app_label", "codename")
        }
        assert granted == declared[role], role


def test_auditor_reads_but_neither_changes_nor_exports(personas):
    auditor = personas.auditor
    assert auditor.has_perm("beneficiaries.view_family")
    assert not auditor.has_perm("beneficiaries.change_family")
    assert not auditor.has_perm("accounts.export_personal_data")
    assert auditor.has_perm("accounts.view_history")


def test_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_login_page_is_public_and_labelled(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b'<label for="id_username">' in response.content


@pytest.mark.parametrize(
    "persona, heading",
    [
        ("director", "Families in the programme"),
        ("auditor", "Families in the programme"),
        ("caseworker", "My caseload"),
    ],
)
def test_dashboard_shows_each_role_its_own_figures(
    client_for, personas, samarkand, tashkent, persona, heading
):
    user = getattr(personas, persona)
    FamilyFactory.create_batch(3, branch=samarkand, caseworker=personas.caseworker)
    FamilyFactory.create_batch(2, branch=tashkent)
    response = client_for(user).get("/")
    assert response.status_code == 200
    assert heading in response.content.decode()
    panel = response.context["panels"][0]
    if persona == "caseworker":
        assert panel["counts"]["total"] == 3  # own caseload only
        assert panel["branch_total"] == 3  # Tashkent's two are out of scope
    else:
        assert panel["counts"]["total"] == 5
        assert {row["branch__name"]: row["total"] for row in panel["branches"]} == {
            "Samarkand": 3,
            "Tashkent": 2,
        }


def test_dashboard_query_count_does_not_grow_with_families(
    client_for, personas, samarkand, django_assert_max_num_queries
):
    client = client_for(personas.director)
    FamilyFactory.create_batch(2, branch=samarkand)
    client.get("/")  # warm the session
    with django_assert_max_num_queries(12) as small:
        client.get("/")
    FamilyFactory.create_batch(40, branch=samarkand)
    with django_assert_max_num_queries(12) as large:
        client.get("/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_menu_shows_only_what_the_role_may_open(client_for, personas):
    menu = client_for(personas.trainer).get("/").context["menu"]
    urls = [entry["url"] for entry in menu]
    assert urls[0] == "/"
    for foreign in ("/families/", "/enterprises/", "/businesses/", "/payroll/", "/reports/"):
        assert not any(url.startswith(foreign) for url in urls), foreign


def test_language_switcher_turns_the_page_russian(client_for, personas):
    client = client_for(personas.caseworker)
    response = client.post(reverse("accounts:set_language"), {"language": "ru", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="ru"' in page
    assert "Выйти" in page


def test_language_switcher_works_before_signing_in(client, db):
    client.post(reverse("accounts:set_language"), {"language": "uz", "next": "/accounts/login/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="uz"' in page
    assert "Kirish" in page
