"""Hiring, changes of rate and the end of a contract are dated actions with rules."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from beneficiaries.timeline import timeline_for
from enterprises import services
from enterprises.choices import EmploymentStatus
from enterprises.models import Employment, RateChange
from enterprises.selectors import family_timeline as own_source
from tests.enterprises.factories import (
    PositionFactory,
    SocialEnterpriseFactory,
    family_member,
    hire,
)
from tests.factories import ChildFactory

D = datetime.date


@pytest.fixture
def position(db):
    return PositionFactory(rate=Decimal("3000000"))


def test_hire_uses_the_position_rate_and_records_the_first_rate(position):
    employment = hire(position, start=D(2024, 1, 8), low_income_family=True)
    assert employment.rate == Decimal("3000000")
    assert employment.low_income_family is True
    assert list(employment.rate_changes.values_list("effective_from", "rate")) == [
        (D(2024, 1, 8), Decimal("3000000"))
    ]


def test_nobody_holds_a_position_twice_at_once(position):
    first = hire(position)
    with pytest.raises(ValidationError, match="already holds this position"):
        hire(position, person=first.person, start=D(2024, 6, 1))
    with pytest.raises(ValidationError, match="already holds this position"):
        hire(position, start=D(2024, 6, 1))
    assert Employment.objects.filter(position=position).count() == 1


def test_the_database_refuses_a_second_active_contract(position):
    first = hire(position)
    with pytest.raises(IntegrityError), transaction.atomic():
        Employment.objects.create(
            position=position,
            person=first.person,
            start_date=D(2024, 2, 1),
            rate=Decimal("1"),
        )


def test_a_new_holder_starts_after_the_previous_one_left(position):
    first = hire(position, start=D(2023, 1, 2))
    services.employment_terminate(
        employment=first, end_date=D(2023, 12, 31), reason="resigned", ended_by=None
    )
    with pytest.raises(ValidationError, match=r"runs until 31\.12\.2023"):
        hire(position, start=D(2023, 12, 1))
    second = hire(position, start=D(2024, 1, 2))
    history = list(position.employments.order_by("start_date"))
    assert history == [first, second]
    assert [e.status for e in history] == [EmploymentStatus.ENDED, EmploymentStatus.ACTIVE]


def test_children_are_not_hired(position):
    child = ChildFactory()
    with pytest.raises(ValidationError, match="adult"):
        hire(position, person=child)


def test_change_of_rate_is_dated_and_after_the_last_one(position):
    employment = hire(position, start=D(2024, 1, 8))
    services.employment_change_rate(
        employment=employment,
        rate=Decimal("3300000.4"),
        effective_from=D(2025, 1, 1),
        changed_by=None,
    )
    employment.refresh_from_db()
    assert employment.rate == Decimal("3300000")  # whole soum
    with pytest.raises(ValidationError, match="choose a later date"):
        services.employment_change_rate(
            employment=employment, rate=Decimal("1"), effective_from=D(2024, 6, 1), changed_by=None
        )
    assert RateChange.objects.filter(employment=employment).count() == 2


def test_termination_needs_a_reason_and_happens_once(position):
    employment = hire(position, start=D(2024, 1, 8))
    with pytest.raises(ValidationError):
        services.employment_terminate(
            employment=employment, end_date=D(2024, 2, 1), reason="", ended_by=None
        )
    services.employment_terminate(
        employment=employment, end_date=D(2024, 2, 1), reason="moved_away", ended_by=None
    )
    with pytest.raises(ValidationError, match="already ended"):
        services.employment_terminate(
            employment=employment, end_date=D(2024, 3, 1), reason="moved_away", ended_by=None
        )
    with pytest.raises(ValidationError, match="active contract"):
        services.employment_change_rate(
            employment=employment, rate=Decimal("1"), effective_from=D(2024, 3, 1), changed_by=None
        )


def test_manager_hires_through_the_page_and_sees_the_history(client_for, personas):
    enterprise = SocialEnterpriseFactory(managers=[personas.manager])
    position = PositionFactory(enterprise=enterprise, title="Baker")
    person = family_member(full_name="Rahimova Lola", looking_for_work_since=D(2025, 2, 1))
    client = client_for(personas.manager)
    form = client.get(reverse("enterprises:hire", args=[position.pk]))
    assert "Rahimova Lola" in form.content.decode()
    response = client.post(
        reverse("enterprises:hire", args=[position.pk]),
        {"person": person.pk, "start_date": "2025-03-03", "rate": "", "low_income_family": "on"},
    )
    assert response.status_code == 302
    employment = Employment.objects.get(position=position)
    assert employment.person == person and employment.low_income_family
    again = client.post(
        reverse("enterprises:hire", args=[position.pk]),
        {
            "person": family_member(looking_for_work_since=D(2025, 2, 1)).pk,
            "start_date": "2025-04-01",
        },
    )
    assert again.status_code == 200
    assert "already holds this position" in again.content.decode()
    page = client.get(position.get_absolute_url()).content.decode()
    assert "Rahimova Lola" in page and "03.03.2025" in page


def test_hire_form_offers_only_adults_marked_as_looking_for_work(client_for, personas):
    enterprise = SocialEnterpriseFactory(managers=[personas.manager])
    position = PositionFactory(enterprise=enterprise)
    since = {"looking_for_work_since": D(2026, 11, 2)}
    here = family_member("SAM", full_name="Samarqandlik Ona", pinfl="30101901234567", **since)
    unmarked = family_member("SAM", full_name="Ishsiz Emas")
    away = family_member("TAS", full_name="Toshkentlik Ona", **since)
    child = ChildFactory(family=here.family, full_name="Kichik Bola", **since)
    left = family_member("SAM", full_name="Ketgan Ota", **since)
    type(left.family).objects.filter(pk=left.family_id).update(
        status="exited", exit_date=D(2025, 1, 1), exit_reason="moved_away"
    )
    client = client_for(personas.manager)
    page = client.get(reverse("enterprises:hire", args=[position.pk]))
    assert list(page.context["form"].fields["person"].queryset) == [here]
    text = page.content.decode()
    assert "Samarqandlik Ona" in text and "02.11.2026" in text
    # The manager sees a name, not the case number or the PINFL.
    assert here.family.case_number not in text and "30101901234567" not in text
    assert "Ishsiz Emas" not in text and "Toshkentlik Ona" not in text

    # The search narrows by name.
    other = family_member("SAM", full_name="Boshqa Ayol", **since)
    found = client.get(reverse("enterprises:hire", args=[position.pk]), {"q": "samarq"})
    assert list(found.context["form"].fields["person"].queryset) == [here]
    everyone = client.get(reverse("enterprises:hire", args=[position.pk]))
    assert list(everyone.context["form"].fields["person"].queryset) == [other, here]

    # Anyone else sent in the form is out of scope: 404, and nobody is hired.
    for person in (unmarked, away, child, left):
        response = client.post(
            reverse("enterprises:hire", args=[position.pk]),
            {"person": person.pk, "start_date": "2026-12-01"},
        )
        assert response.status_code == 404
    assert not Employment.objects.filter(position=position).exists()


def test_a_caseworkers_mark_puts_the_person_on_the_managers_list(client_for, personas):
    enterprise = SocialEnterpriseFactory(managers=[personas.manager])
    position = PositionFactory(enterprise=enterprise)
    person = family_member("SAM", full_name="Yangi Ishchi")
    person.family.caseworker = personas.caseworker
    person.family.save()
    hire_url = reverse("enterprises:hire", args=[position.pk])
    manager = client_for(personas.manager)
    assert "Yangi Ishchi" not in manager.get(hire_url).content.decode()
    caseworker = client_for(personas.caseworker)
    caseworker.post(
        reverse("beneficiaries:person_looking_for_work", args=[person.family_id, person.pk]),
        {"looking": "on"},
    )
    manager = client_for(personas.manager)
    assert "Yangi Ishchi" in manager.get(hire_url).content.decode()
    response = manager.post(hire_url, {"person": person.pk, "start_date": "2026-12-01"})
    assert response.status_code == 302
    assert Employment.objects.get(position=position).person == person


def test_the_family_timeline_shows_jobs_to_the_caseworker_of_the_branch(personas, position):
    employment = hire(position, start=D(2024, 1, 8))
    services.employment_terminate(
        employment=employment, end_date=D(2024, 9, 30), reason="other_job", ended_by=None
    )
    family = employment.person.family
    entries = [e for e in timeline_for(family, personas.caseworker) if e.kind == "Job"]
    assert [e.day for e in entries] == [D(2024, 9, 30), D(2024, 1, 8)]
    assert position.title in entries[1].title
    assert entries[1].url == position.get_absolute_url()
    assert timeline_for(family, personas.caseworker_tashkent) == []


def test_the_timeline_source_uses_a_fixed_number_of_queries(
    personas, position, django_assert_num_queries
):
    employment = hire(position)
    family = employment.person.family
    personas.caseworker._mustaqil_branch_ids = None
    from enterprises.selectors import family_timeline

    family_timeline(family, personas.caseworker)  # warms the user's branch cache
    with django_assert_num_queries(2):  # contracts with people and positions; businesses
        family_timeline(family, personas.caseworker)
    for _ in range(3):
        other = PositionFactory(enterprise=position.enterprise)
        hire(other, person=employment.person)
    with django_assert_num_queries(2):
        assert len(family_timeline(family, personas.caseworker)) == 4


def test_payroll_reads_the_rate_of_any_day_and_the_contracts_of_a_month(position):
    employment = hire(position, start=D(2024, 1, 8))
    services.employment_change_rate(
        employment=employment,
        rate=Decimal("3500000"),
        effective_from=D(2024, 7, 1),
        changed_by=None,
    )
    services.employment_terminate(
        employment=employment, end_date=D(2024, 10, 15), reason="resigned", ended_by=None
    )
    assert employment.rate_on(D(2024, 1, 7)) is None
    assert employment.rate_on(D(2024, 6, 30)) == Decimal("3000000")
    assert employment.rate_on(D(2024, 7, 1)) == Decimal("3500000")
    october = Employment.objects.active_during(D(2024, 10, 1), D(2024, 10, 31))
    november = Employment.objects.active_during(D(2024, 11, 1), D(2024, 11, 30))
    assert list(october) == [employment]
    assert list(november) == []


@pytest.fixture(autouse=True)
def _own_timeline_source_only(only_timeline_sources):
    only_timeline_sources(own_source)


def test_the_hire_form_reads_a_fixed_number_of_queries(client_for, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    position = PositionFactory(enterprise=SocialEnterpriseFactory(managers=[personas.manager]))
    client = client_for(personas.manager)
    url = reverse("enterprises:hire", args=[position.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    family_member("SAM", looking_for_work_since=D(2026, 11, 2))
    few = queries()
    for _ in range(5):
        family_member("SAM", looking_for_work_since=D(2026, 11, 2))
    assert queries() == few  # the candidates are one query, whatever their number
