"""Hand-entered income cannot use the sources only their own app writes (payroll's wages,
business follow-ups' profit): refused by the form and by the service, nothing written; the
records those apps wrote cannot be changed or deleted by hand."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beneficiaries.choices import APP_WRITTEN_SOURCES, IncomeSource
from beneficiaries.models import IncomeRecord
from beneficiaries.services import income_record_upsert
from tests.factories import IncomeRecordFactory, branch
from tests.wellbeing.factories import household
from wellbeing.services import income_record_create, income_record_delete, income_record_update

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def family(personas):
    return household(2, branch=branch("SAM"), caseworker=personas.caseworker)


def test_the_app_written_sources_are_payroll_wages_business_profit_and_placement_wages():
    assert set(APP_WRITTEN_SOURCES) == {
        IncomeSource.ENTERPRISE_WAGES,
        IncomeSource.BUSINESS_PROFIT,
        IncomeSource.PLACEMENT_WAGES,
    }


@pytest.mark.parametrize("source", ["enterprise_wages", "business_profit", "placement_wages"])
def test_the_form_refuses_an_app_written_source(client_for, personas, family, source):
    url = reverse("wellbeing:income_create", args=[family.pk])
    response = client_for(personas.caseworker).post(
        url, {"month": "2025-03", "source": source, "amount": "900000", "evidence": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["source"] == [str(APP_WRITTEN_SOURCES[source])]
    assert not IncomeRecord.objects.filter(family=family).exists()
    # Another source on the same form is saved.
    response = client_for(personas.caseworker).post(
        url, {"month": "2025-03", "source": "remittances", "amount": "900000", "evidence": ""}
    )
    assert response.status_code == 302
    assert IncomeRecord.objects.filter(family=family).count() == 1


@pytest.mark.parametrize("source", ["enterprise_wages", "business_profit"])
def test_the_service_refuses_an_app_written_source(personas, family, source):
    with pytest.raises(ValidationError) as refused:
        income_record_create(
            family=family, month=D(2025, 3, 1), source=source, amount=100, recorded_by=None
        )
    assert refused.value.message_dict["source"] == [str(APP_WRITTEN_SOURCES[source])]
    assert not IncomeRecord.objects.filter(family=family).exists()


def test_a_manual_record_cannot_be_changed_to_an_app_written_source(client_for, personas, family):
    record = IncomeRecordFactory(family=family, source="employment", amount=500_000)
    with pytest.raises(ValidationError):
        income_record_update(
            record=record, month=record.month, source="enterprise_wages", amount=500_000
        )
    edit = reverse("wellbeing:income_update", args=[family.pk, record.pk])
    response = client_for(personas.caseworker).post(
        edit, {"month": "2025-01", "source": "enterprise_wages", "amount": "500000"}
    )
    assert response.status_code == 200
    assert "payroll runs" in str(response.context["form"].errors["source"])
    record.refresh_from_db()
    assert record.source == "employment"


@pytest.mark.parametrize("source", ["enterprise_wages", "business_profit"])
def test_an_app_written_record_is_refused_by_the_pages_and_the_service(
    client_for, personas, family, source
):
    record = income_record_upsert(
        family=family,
        person=None,
        month=D(2025, 5, 1),
        source=source,
        amount=1_000_000,
        origin=personas.director,  # any model instance serves as an origin here
    )
    client = client_for(personas.caseworker)
    edit = reverse("wellbeing:income_update", args=[family.pk, record.pk])
    delete = reverse("wellbeing:income_delete", args=[family.pk, record.pk])
    assert client.get(edit).status_code == 403
    assert (
        client.post(edit, {"month": "2025-05", "source": "other", "amount": "1"}).status_code == 403
    )
    assert client.post(delete).status_code == 403
    # The caseworker of another branch does not even find it.
    other = client_for(personas.caseworker_tashkent)
    assert other.post(delete).status_code == 404
    with pytest.raises(ValidationError):
        income_record_update(record=record, month=record.month, source="other", amount=1)
    with pytest.raises(ValidationError):
        income_record_delete(record=record)
    record.refresh_from_db()
    assert (record.source, record.amount) == (source, 1_000_000)
