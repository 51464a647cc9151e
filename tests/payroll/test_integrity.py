"""Approved runs cannot change; generation is all or nothing; two approvals approve once."""

import datetime
import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from beneficiaries.models import IncomeRecord
from payroll import services
from payroll.models import Adjustment, PayrollRun, Payslip, TimesheetEntry
from payroll.models.runs import PayrollLocked
from tests.factories import UserFactory
from tests.payroll.conftest import MARCH
from tests.payroll.factories import SocialEnterpriseFactory, hire


@pytest.fixture
def approved(enterprise):
    worker = hire(enterprise, rate="3000000")
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    services.payroll_run_approve(run=run)
    return run, worker


@pytest.mark.django_db
class TestApprovedIsImmutable:
    def test_services_refuse(self, approved):
        run, worker = approved
        line = run.timesheet.get()
        with pytest.raises(PayrollLocked):
            services.timesheet_save(run=run, lines={line.pk: {"days_worked": D(3)}})
        with pytest.raises(ValidationError):
            services.payroll_run_generate(enterprise=run.enterprise, month=MARCH)
        with pytest.raises(PayrollLocked):
            services.adjustment_add(run=run, employment=worker, amount=D(1000), reason="x")
        with pytest.raises(PayrollLocked):
            services.payroll_run_set_working_days(run=run, working_days=20)
        with pytest.raises(PayrollLocked):
            services.payroll_run_delete(run=run)
        with pytest.raises(ValidationError):
            services.payroll_run_approve(run=run)
        assert Payslip.objects.get(run=run).net == D(2640000)

    def test_models_refuse_save_delete_and_update(self, approved):
        run, _worker = approved
        payslip = Payslip.objects.get(run=run)
        payslip.net = D(9_999_999)
        with pytest.raises(PayrollLocked):
            payslip.save()
        with pytest.raises(PayrollLocked):
            payslip.delete()
        with pytest.raises(PayrollLocked):
            Payslip.objects.filter(run=run).update(net=D(1))
        with pytest.raises(PayrollLocked):
            Payslip.objects.filter(run=run).delete()
        with pytest.raises(PayrollLocked):
            TimesheetEntry.objects.filter(run=run).update(days_worked=D(1))
        stored = PayrollRun.objects.get(pk=run.pk)
        stored.net_total = D(1)
        with pytest.raises(PayrollLocked):
            stored.save()
        stored.refresh_from_db()
        stored.status = "draft"
        with pytest.raises(PayrollLocked):
            stored.save()
        with pytest.raises(PayrollLocked):
            stored.delete()
        with pytest.raises(PayrollLocked):
            PayrollRun.objects.filter(pk=run.pk).delete()
        assert Payslip.objects.get(run=run).net == D(2640000)
        assert PayrollRun.objects.get(pk=run.pk).status == "approved"

    def test_admin_shows_approved_payslips_read_only(self, approved, client):
        run, _worker = approved
        payslip = Payslip.objects.get(run=run)
        admin = UserFactory(username="root", is_superuser=True, is_staff=True)
        client.force_login(admin)
        page = client.get(f"/admin/payroll/payslip/{payslip.pk}/change/")
        assert page.status_code == 200
        assert 'name="net"' not in page.text  # shown, not editable
        response = client.post(
            f"/admin/payroll/payslip/{payslip.pk}/change/", {"net": "1", "gross": "1"}
        )
        assert response.status_code == 403
        assert (
            client.post(f"/admin/payroll/payslip/{payslip.pk}/delete/", {"post": "yes"}).status_code
            == 403
        )
        assert (
            client.post(f"/admin/payroll/payrollrun/{run.pk}/delete/", {"post": "yes"}).status_code
            == 403
        )
        assert Payslip.objects.get(pk=payslip.pk).net == D(2640000)

    def test_the_admin_edits_rules_for_superusers(self, client):
        admin = UserFactory(username="root2", is_superuser=True, is_staff=True)
        client.force_login(admin)
        assert client.get("/admin/payroll/statutoryrule/add/").status_code == 200

    def test_a_correction_is_audited(self, approved):
        run, worker = approved
        april = services.payroll_run_generate(
            enterprise=run.enterprise, month=datetime.date(2025, 4, 1)
        )
        services.adjustment_add(
            run=april, employment=worker, amount=D(-50000), reason="Overpaid in March", corrects=run
        )
        adjustment = Adjustment.objects.get()
        assert adjustment.history.count() == 1
        services.payroll_run_reverse(run=run, reason="Duplicate")
        assert run.history.first().status == "reversed"
        assert run.history.first().reversal_reason == "Duplicate"


@pytest.mark.django_db
def test_a_failure_midway_through_generation_leaves_nothing(enterprise, monkeypatch):
    for _ in range(5):
        hire(enterprise, rate="3000000")
    monkeypatch.setattr(services, "BATCH", 2)  # payslips are written two at a time
    calls = {"n": 0}
    real = services.payslip_figures

    def failing(inputs, rules):
        calls["n"] += 1
        if calls["n"] == 4:  # after the run, its timesheet and a first batch of payslips
            raise RuntimeError("power cut")
        return real(inputs, rules)

    monkeypatch.setattr(services, "payslip_figures", failing)
    with pytest.raises(RuntimeError):
        services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    assert calls["n"] == 4
    assert PayrollRun.objects.count() == 0
    assert TimesheetEntry.objects.count() == 0
    assert Payslip.objects.count() == 0
    assert PayrollRun.history.count() == 0


@pytest.mark.django_db
def test_a_failure_during_approval_leaves_the_run_a_draft(enterprise, monkeypatch):
    hire(enterprise, rate="3000000")
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)

    def broken(**kwargs):
        raise RuntimeError("ledger down")

    monkeypatch.setattr(services, "income_records_upsert_bulk", broken)
    with pytest.raises(RuntimeError):
        services.payroll_run_approve(run=run)
    assert PayrollRun.objects.get(pk=run.pk).status == "draft"
    assert IncomeRecord.objects.count() == 0


@pytest.mark.django_db
def test_one_run_per_enterprise_and_month(enterprise):
    hire(enterprise, rate="3000000")
    first = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    again = services.payroll_run_generate(enterprise=enterprise, month=MARCH)  # a redraft
    assert first.pk == again.pk and PayrollRun.objects.count() == 1
    duplicate = PayrollRun(enterprise=enterprise, month=MARCH, working_days=21)
    with pytest.raises(ValidationError):
        duplicate.full_clean()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("rules")
def test_two_simultaneous_approvals_approve_once():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises every writer on one database lock, so two approvals cannot "
            "overlap there; the row lock is exercised on PostgreSQL "
            "(DATABASE_URL=postgres://…/payroll)."
        )
    enterprise = SocialEnterpriseFactory(name="Concurrent")
    for _ in range(3):
        hire(enterprise, rate="3000000")
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve():
        try:
            barrier.wait(timeout=10)
            services.payroll_run_approve(run=PayrollRun.objects.get(pk=run.pk))
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", "refused"]
    assert IncomeRecord.objects.filter(source="enterprise_wages").count() == 3
    assert PayrollRun.history.filter(id=run.pk, status="approved").count() == 1
