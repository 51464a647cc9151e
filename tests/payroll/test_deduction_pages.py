"""The advance and deduction-order pages: who may open and post them (200 / 403 / 404), bad
input shown on the form with nothing saved, and what the run and payslip pages show."""

import datetime
from decimal import Decimal as D

import pytest

from payroll import services
from payroll.choices import DeductionKind
from payroll.models import Advance, DeductionOrder, Payslip
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(enterprise):
    return hire(enterprise, rate="3000000")


@pytest.fixture
def run(enterprise, worker):
    return services.payroll_run_generate(enterprise=enterprise, month=MARCH)


def writ(worker):
    return services.deduction_order_save(
        employment=worker,
        data={
            "kind": DeductionKind.COURT_ORDER,
            "reference": "Chilonzor court, writ 2-77/2025",
            "beneficiary": "Rahimov Anvar",
            "amount": D(1500000),
            "starts_on": datetime.date(2025, 1, 1),
        },
    )


def test_a_manager_enters_an_advance_and_the_run_shows_the_amount_to_pay(
    client_for, personas, run, worker
):
    writ(worker)
    services.payroll_run_generate(enterprise=run.enterprise, month=MARCH)
    client = client_for(personas.manager)
    url = f"/payroll/runs/{run.pk}/advances/new/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"employment": worker.pk, "amount": "1000000", "paid_on": "2025-03-15"}
    )
    assert response.status_code == 302
    page = client.get(f"/payroll/runs/{run.pk}/").text
    # 2 640 000 net − 1 000 000 advance − 1 320 000 (the 50% cap) = 320 000.
    assert "320\u202f000" in page and "1\u202f320\u202f000" in page
    assert "<abbr title=" in page
    payslip = Payslip.objects.get(run=run)
    detail = client.get(f"/payroll/payslips/{payslip.pk}/").text
    assert "Chilonzor court" in detail and "180\u202f000" in detail
    assert client.get(f"/payroll/payslips/{payslip.pk}/pdf/").status_code == 200


def test_a_bad_advance_is_shown_on_the_form_and_nothing_is_saved(client_for, personas, run, worker):
    client = client_for(personas.manager)
    response = client.post(
        f"/payroll/runs/{run.pk}/advances/new/",
        {"employment": worker.pk, "amount": "9000000", "paid_on": "2025-03-15"},
    )
    assert response.status_code == 200
    assert "more than this month" in response.text
    response = client.post(
        f"/payroll/runs/{run.pk}/advances/new/",
        {"employment": worker.pk, "amount": "1000", "paid_on": "2025-04-02"},
    )
    assert "within the run" in response.text
    assert not Advance.objects.exists()


def test_advance_pages_are_scoped(client_for, personas, run, worker, other_enterprise):
    foreign = (
        services.payroll_run_generate(enterprise=other_enterprise, month=MARCH)
        if hire(other_enterprise)
        else None
    )
    assert (
        client_for(personas.manager).get(f"/payroll/runs/{foreign.pk}/advances/new/").status_code
        == 404
    )
    assert (
        client_for(personas.auditor).get(f"/payroll/runs/{run.pk}/advances/new/").status_code == 403
    )
    assert (
        client_for(personas.caseworker).get(f"/payroll/runs/{run.pk}/advances/new/").status_code
        == 403
    )
    services.advance_set(
        run=run, employment=worker, amount=D(5000), paid_on=datetime.date(2025, 3, 5)
    )
    advance = Advance.objects.get()
    assert (
        client_for(personas.auditor)
        .post(f"/payroll/runs/{run.pk}/advances/{advance.pk}/remove/")
        .status_code
        == 403
    )
    assert (
        client_for(personas.manager)
        .post(f"/payroll/runs/{run.pk}/advances/{advance.pk}/remove/")
        .status_code
        == 302
    )
    assert not Advance.objects.exists()


def test_a_manager_enters_and_changes_a_writ(client_for, personas, worker):
    client = client_for(personas.manager)
    url = f"/payroll/contracts/{worker.pk}/deductions/"
    assert client.get(url).status_code == 200
    data = {
        "kind": DeductionKind.ALIMONY,
        "reference": "Yunusobod court, writ 2-1/2025",
        "beneficiary": "Karimova Dilnoza",
        "children": "2",
        "starts_on": "2025-01-01",
    }
    assert client.post(url, data).status_code == 302
    order = DeductionOrder.objects.get()
    assert (order.children, order.amount) == (2, None)
    # Alimony with an amount: refused on the field, nothing changed.
    response = client.post(f"{url}{order.pk}/", {**data, "amount": "100000"})
    assert response.status_code == 200 and "leave the amount empty" in response.text
    order.refresh_from_db()
    assert order.amount is None
    assert client.post(f"{url}{order.pk}/", {**data, "children": "3"}).status_code == 302
    order.refresh_from_db()
    assert order.children == 3
    # A voluntary deduction without consent: refused.
    response = client.post(
        url, {**data, "kind": DeductionKind.VOLUNTARY, "children": "", "amount": "100000"}
    )
    assert "written consent" in response.text
    assert DeductionOrder.objects.count() == 1


def test_deduction_pages_are_scoped(client_for, personas, worker, other_enterprise):
    foreign = hire(other_enterprise)
    assert (
        client_for(personas.manager).get(f"/payroll/contracts/{foreign.pk}/deductions/").status_code
        == 404
    )
    # The auditor reads, never writes; the caseworker sees no payroll.
    url = f"/payroll/contracts/{worker.pk}/deductions/"
    assert client_for(personas.auditor).get(url).status_code == 200
    assert client_for(personas.auditor).post(url, {"kind": "alimony"}).status_code == 403
    assert client_for(personas.caseworker).get(url).status_code == 403
    order = writ(worker)
    assert (
        client_for(personas.manager)
        .get(f"/payroll/contracts/{foreign.pk}/deductions/{order.pk}/")
        .status_code
        == 404
    )
    assert not DeductionOrder.objects.exclude(pk=order.pk).exists()
