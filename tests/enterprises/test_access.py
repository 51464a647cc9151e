"""Who may open which page: role 403, scope 404, and what each list shows."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.roles import Role
from enterprises.choices import BusinessStatus
from enterprises.models import Business
from tests.enterprises.factories import (
    BusinessFactory,
    PositionFactory,
    SocialEnterpriseFactory,
    family_member,
    hire,
    loan,
    started_business,
)
from tests.factories import FamilyFactory, UserFactory


@pytest.fixture
def world(personas, samarkand, tashkent):
    """Enterprise A (Samarkand, run by personas.manager) and B (Tashkent, run by another
    manager), each with a filled position; a business in each branch."""
    other_manager = UserFactory(username="p_manager_b", role=Role.ENTERPRISE_MANAGER)
    a = SocialEnterpriseFactory(name="Alpha sewing", branch=samarkand, managers=[personas.manager])
    b = SocialEnterpriseFactory(name="Beta bakery", branch=tashkent, managers=[other_manager])
    job_a = hire(PositionFactory(enterprise=a))
    job_b = hire(PositionFactory(enterprise=b))
    business_sam = started_business(family=FamilyFactory(branch=samarkand))
    business_tas = started_business(family=FamilyFactory(branch=tashkent))
    return SimpleNamespace(
        a=a,
        b=b,
        job_a=job_a,
        job_b=job_b,
        other_manager=other_manager,
        business_sam=business_sam,
        business_tas=business_tas,
        loan_sam=loan(business_sam),
    )


def enterprise_pages(enterprise, job):
    return [
        reverse("enterprises:enterprise_detail", args=[enterprise.pk]),
        reverse("enterprises:enterprise_results", args=[enterprise.pk]),
        reverse("enterprises:position_detail", args=[job.position_id]),
    ]


def status(client, url):
    return client.get(url).status_code


def test_manager_of_a_opens_a_and_gets_404_on_every_page_of_b(client_for, personas, world):
    client = client_for(personas.manager)
    for url in enterprise_pages(world.a, world.job_a):
        assert status(client, url) == 200, url
    for url in enterprise_pages(world.b, world.job_b):
        assert status(client, url) == 404, url
    for name, pk in [
        ("enterprises:hire", world.job_b.position_id),
        ("enterprises:rate_change", world.job_b.pk),
        ("enterprises:terminate", world.job_b.pk),
        ("enterprises:result_record", world.b.pk),
        ("enterprises:position_create", world.b.pk),
    ]:
        url = reverse(name, args=[pk])
        assert status(client, url) == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_manager_cannot_post_to_b_even_with_valid_data(client_for, personas, world):
    response = client_for(personas.manager).post(
        reverse("enterprises:terminate", args=[world.job_b.pk]),
        {"end_date": "2025-01-31", "end_reason": "resigned"},
    )
    assert response.status_code == 404
    world.job_b.refresh_from_db()
    assert world.job_b.is_active


def test_lists_show_a_manager_only_their_enterprise(client_for, personas, world):
    client = client_for(personas.manager)
    page = client.get(reverse("enterprises:enterprise_list")).content.decode()
    assert "Alpha sewing" in page
    assert "Beta bakery" not in page
    jobs = client.get(reverse("enterprises:employment_list")).content.decode()
    assert str(world.job_a.person) in jobs
    assert str(world.job_b.person) not in jobs


@pytest.mark.parametrize(
    "url_name",
    [
        "enterprises:enterprise_list",
        "enterprises:employment_list",
        "enterprises:business_list",
        "enterprises:survival",
        "enterprises:business_create",
    ],
)
def test_trainers_and_people_without_a_role_have_no_enterprise_pages(
    client_for, personas, world, url_name
):
    for user in (personas.trainer, personas.outsider):
        assert status(client_for(user), reverse(url_name)) == 403


def test_trainers_get_403_on_detail_pages_too(client_for, personas, world):
    client = client_for(personas.trainer)
    for url in [
        *enterprise_pages(world.a, world.job_a),
        reverse("enterprises:business_detail", args=[world.business_sam.pk]),
    ]:
        assert status(client, url) == 403, url


def test_trainer_menu_has_no_enterprises(client_for, personas, world):
    urls = [entry["url"] for entry in client_for(personas.trainer).get("/").context["menu"]]
    assert "/enterprises/" not in urls
    manager_urls = [entry["url"] for entry in client_for(personas.manager).get("/").context["menu"]]
    assert "/enterprises/" in manager_urls
    assert "/businesses/" not in manager_urls


def test_managers_have_no_business_pages(client_for, personas, world):
    client = client_for(personas.manager)
    assert status(client, reverse("enterprises:business_list")) == 403
    assert status(client, world.business_sam.get_absolute_url()) == 403


def test_caseworker_sees_their_branch_and_404_elsewhere(client_for, personas, world):
    client = client_for(personas.caseworker)
    assert status(client, world.business_sam.get_absolute_url()) == 200
    assert status(client, world.business_tas.get_absolute_url()) == 404
    assert status(client, reverse("enterprises:enterprise_detail", args=[world.a.pk])) == 200
    assert status(client, reverse("enterprises:enterprise_detail", args=[world.b.pk])) == 404
    page = client.get(reverse("enterprises:business_list")).content.decode()
    assert world.business_sam.name in page
    assert world.business_tas.name not in page
    jobs = client.get(reverse("enterprises:employment_list")).content.decode()
    assert str(world.job_a.person) in jobs
    assert str(world.job_b.person) not in jobs


def test_caseworker_reads_jobs_but_cannot_run_an_enterprise(client_for, personas, world):
    client = client_for(personas.caseworker)
    assert status(client, reverse("enterprises:hire", args=[world.job_a.position_id])) == 403
    assert status(client, reverse("enterprises:result_record", args=[world.a.pk])) == 403


def test_caseworker_cannot_approve_a_plan(client_for, personas, samarkand):
    business = BusinessFactory(family=FamilyFactory(branch=samarkand))
    client = client_for(personas.caseworker)
    page = client.get(business.get_absolute_url()).content.decode()
    assert 'value="approve"' not in page
    response = client.post(
        reverse("enterprises:business_step", args=[business.pk]),
        {"step": "approve", "day": "2024-02-01"},
    )
    assert response.status_code == 200  # the form refuses the choice
    business.refresh_from_db()
    assert business.status == BusinessStatus.DRAFT
    director = client_for(personas.director)
    response = director.post(
        reverse("enterprises:business_step", args=[business.pk]),
        {"step": "approve", "day": "2024-02-01"},
    )
    assert response.status_code == 302
    business.refresh_from_db()
    assert business.status == BusinessStatus.APPROVED


def test_auditor_reads_everything_and_changes_nothing(client_for, personas, world):
    client = client_for(personas.auditor)
    for url in [
        *enterprise_pages(world.a, world.job_a),
        *enterprise_pages(world.b, world.job_b),
        world.business_tas.get_absolute_url(),
        reverse("enterprises:survival"),
    ]:
        assert status(client, url) == 200, url
    for name, pk in [
        ("enterprises:hire", world.job_a.position_id),
        ("enterprises:terminate", world.job_a.pk),
        ("enterprises:business_step", world.business_sam.pk),
        ("enterprises:support_create", world.business_sam.pk),
        ("enterprises:repayment_create", world.loan_sam.pk),
        ("enterprises:followup_create", world.business_sam.pk),
    ]:
        assert client.post(reverse(name, args=[pk]), {}).status_code == 403, name


def test_tashkent_caseworker_gets_404_on_samarkand_money(client_for, personas, world):
    client = client_for(personas.caseworker_tashkent)
    for name in ("enterprises:repayment_create", "enterprises:tranche_create"):
        url = reverse(name, args=[world.loan_sam.pk])
        expected = 404 if name == "enterprises:repayment_create" else 403
        assert status(client, url) == expected, name


def test_export_only_for_roles_allowed_personal_data(client_for, personas, world):
    url = reverse("enterprises:employment_list") + "?_export=csv"
    response = client_for(personas.caseworker).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert str(world.job_a.person) in response.content.decode()
    assert status(client_for(personas.auditor), url) == 403
    assert status(client_for(personas.trainer), url) == 403  # no view_employment at all


def test_manager_reaches_the_names_of_their_employees_only(personas, world):
    from beneficiaries.models import Person

    visible = set(Person.objects.for_user(personas.manager))
    assert world.job_a.person in visible
    assert world.job_b.person not in visible
    assert family_member() not in set(Person.objects.for_user(personas.manager))


def test_business_detail_shows_the_loan_to_its_caseworker(client_for, personas, world):
    page = client_for(personas.caseworker).get(world.business_sam.get_absolute_url())
    assert page.status_code == 200
    assert page.context["supports"][0] == world.loan_sam
    assert Business.objects.for_user(personas.manager).count() == 0
    assert "May 2024" in page.content.decode()  # the schedule month, YEAR_MONTH_FORMAT


def test_history_of_enterprise_records_for_those_who_may_see_it(client_for, personas, world):
    url = reverse("accounts:history", args=["enterprises", "business", world.business_sam.pk])
    page = client_for(personas.director).get(world.business_sam.get_absolute_url())
    assert url in page.content.decode()
    response = client_for(personas.auditor).get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) >= 3  # created, approved, started
    other = reverse("accounts:history", args=["enterprises", "employment", world.job_b.pk])
    assert client_for(personas.manager).get(other).status_code == 403


def test_managers_do_not_see_family_case_numbers_on_the_jobs_list(client_for, personas, world):
    page = client_for(personas.manager).get(reverse("enterprises:employment_list"))
    assert world.job_a.person.family.case_number not in page.content.decode()
    page = client_for(personas.caseworker).get(reverse("enterprises:employment_list"))
    assert world.job_a.person.family.case_number in page.content.decode()
