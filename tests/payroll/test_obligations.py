"""The employer's obligations: the taxes an approved run owes (from its frozen totals), their
due dates as dated rules, partial payments, the refusal of an overpayment, the monthly
summary page and its XLSX, and who may see them."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from payroll import services
from payroll.choices import Obligation
from payroll.models import TaxPayment
from payroll.obligations import enterprise_summary, run_obligations
from payroll.selectors import register
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2025, 4, 1)


@pytest.fixture
def approved(enterprise):
    hire(enterprise, rate="3000000")
    hire(enterprise, rate="2000000", low_income=True)
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    return services.payroll_run_approve(run=run)


@pytest.fixture
def foreign(other_enterprise):
    hire(other_enterprise, rate="2000000")
    run = services.payroll_run_generate(enterprise=other_enterprise, month=MARCH)
    return services.payroll_run_approve(run=run)


def pay(run, obligation, amount, day=datetime.date(2025, 4, 10), reference="PP-1"):
    return services.tax_payment_record(
        run=run, obligation=obligation, paid_on=day, amount=D(amount), reference=reference
    )


def test_the_obligations_are_the_runs_frozen_totals(approved):
    # By hand: 3 000 000 + 2 000 000 gross; income tax 12% = 360 000 + 240 000 = 600 000,
    # of which INPS 0.1% = 3 000 + 2 000 = 5 000; to the budget 595 000. Social tax 12% of
    # 3 000 000 = 360 000 and 1% of 2 000 000 (low-income family) = 20 000: 380 000.
    lines = {line.obligation: line for line in run_obligations(approved)}
    assert lines[Obligation.INCOME_TAX].due == D(595000)
    assert lines[Obligation.INPS].due == D(5000)
    assert lines[Obligation.SOCIAL_TAX].due == D(380000)
    _rows, totals = register(approved)
    assert lines[Obligation.INCOME_TAX].due + lines[Obligation.INPS].due == totals["income_tax"]
    assert lines[Obligation.SOCIAL_TAX].due == totals["social_tax"]


def test_due_dates_follow_the_rule_and_move_past_days_off(enterprise, approved):
    lines = run_obligations(approved, today=datetime.date(2025, 4, 15))
    # The 15th of April 2025 is a Tuesday: due that day, not overdue on it.
    assert {line.due_on for line in lines} == {datetime.date(2025, 4, 15)}
    assert not any(line.overdue for line in lines)
    assert all(line.overdue for line in run_obligations(approved, today=datetime.date(2025, 4, 16)))
    # June 2025's taxes fall on Tuesday 15 July; February 2025's on Saturday 15 March,
    # which moves to Monday 17 March.
    feb = services.payroll_run_approve(
        run=services.payroll_run_generate(enterprise=enterprise, month=datetime.date(2025, 2, 1))
    )
    assert {line.due_on for line in run_obligations(feb)} == {datetime.date(2025, 3, 17)}


def test_a_rule_of_another_day_applies_from_its_date(approved):
    from payroll.models import StatutoryRule

    old = StatutoryRule.objects.get(kind="social_tax_due_day")
    old.effective_to = datetime.date(2025, 2, 28)
    old.save()
    StatutoryRule.objects.create(
        kind="social_tax_due_day", value=D(25), effective_from=MARCH, source="test"
    )
    lines = {line.obligation: line for line in run_obligations(approved)}
    assert lines[Obligation.SOCIAL_TAX].due_on == datetime.date(2025, 4, 25)
    assert lines[Obligation.INCOME_TAX].due_on == datetime.date(2025, 4, 15)


def test_partial_payments_add_up_and_an_overpayment_is_refused(approved):
    pay(approved, Obligation.SOCIAL_TAX, "200000", reference="PP-11")
    pay(approved, Obligation.SOCIAL_TAX, "150000", reference="PP-12")
    with pytest.raises(ValidationError) as refused:
        pay(approved, Obligation.SOCIAL_TAX, "30001", reference="PP-13")
    message = " ".join(refused.value.message_dict["amount"])
    assert "Overpayment refused" in message and "30\u202f000" in message
    assert TaxPayment.objects.filter(run=approved).count() == 2
    pay(approved, Obligation.SOCIAL_TAX, "30000", reference="PP-13")
    line = {x.obligation: x for x in run_obligations(approved)}[Obligation.SOCIAL_TAX]
    assert (line.paid, line.unpaid) == (D(380000), D(0))
    assert [p.reference for p in line.payments] == ["PP-11", "PP-12", "PP-13"]
    assert TaxPayment.history.filter(run_id=approved.pk).count() == 3


@pytest.mark.parametrize(
    ("amount", "day", "reference", "field"),
    [
        ("0", datetime.date(2025, 4, 10), "PP", "amount"),
        ("100.50", datetime.date(2025, 4, 10), "PP", "amount"),
        ("100", datetime.date(2025, 2, 28), "PP", "paid_on"),
        ("100", datetime.date(2099, 1, 1), "PP", "paid_on"),
        ("100", datetime.date(2025, 4, 10), "  ", "reference"),
    ],
)
def test_bad_payments_are_refused_on_their_field(approved, amount, day, reference, field):
    with pytest.raises(ValidationError) as refused:
        pay(approved, Obligation.INPS, amount, day=day, reference=reference)
    assert field in refused.value.message_dict
    assert not TaxPayment.objects.exists()


def test_a_draft_or_reversed_run_takes_no_payment(enterprise, approved):
    draft = services.payroll_run_generate(enterprise=enterprise, month=APRIL)
    with pytest.raises(ValidationError):
        pay(draft, Obligation.INPS, "100")
    services.payroll_run_reverse(run=approved, reason="wrong month")
    with pytest.raises(ValidationError):
        pay(approved, Obligation.INPS, "100")
    assert all(line.due == 0 for line in run_obligations(approved))


def test_manager_records_a_payment_on_the_run_page(client_for, personas, approved):
    client = client_for(personas.manager)
    page = client.get(f"/payroll/runs/{approved.pk}/")
    assert 'id="obligations"' in page.text and "595\u202f000" in page.text
    url = f"/payroll/runs/{approved.pk}/taxes/pay/"
    form = client.get(url + "?obligation=inps")
    assert 'value="5000.00"' in form.text or 'value="5000"' in form.text  # the unpaid amount
    data = {"obligation": "inps", "paid_on": "2025-04-10", "amount": "5 001", "reference": "X1"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Overpayment refused" in refused.text
    assert client.post(url, {**data, "amount": "5 000"}).status_code == 302
    assert TaxPayment.objects.get().amount == D(5000)


def test_summary_page_and_xlsx_agree(client_for, personas, enterprise, approved):
    april = services.payroll_run_approve(
        run=services.payroll_run_generate(enterprise=enterprise, month=APRIL)
    )
    pay(approved, Obligation.INCOME_TAX, "595000")
    pay(april, Obligation.SOCIAL_TAX, "100000", day=datetime.date(2025, 5, 2))
    client = client_for(personas.manager)
    page = client.get(f"/payroll/taxes/{enterprise.pk}/?year=2025")
    assert page.status_code == 200
    rows, totals = enterprise_summary(enterprise, 2025)
    assert page.text.count('class="overdue"') == 5  # everything unpaid is past its day
    unpaid = sum(t["unpaid"] for t in totals.values())
    assert unpaid == D(5000 + 380000) + sum(line.due for line in rows[1].lines) - D(100000)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/payroll/taxes/{enterprise.pk}/2025.xlsx").content)
    ).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    lines = values[3:9]
    expected = [(row.run.month, line) for row in rows for line in row.lines]
    assert len(lines) == len(expected) == 6
    for cells, (month, line) in zip(lines, expected, strict=True):
        assert cells[0].date() == month and cells[1] == str(line.label)
        assert cells[2].date() == line.due_on
        assert (D(cells[3]), D(cells[4]), D(cells[5])) == (line.due, line.paid, line.unpaid)
        assert (cells[6] == "yes") == line.overdue
        shown = f"{line.unpaid:,.0f}".replace(",", "\u202f")
        assert shown in page.text
    xlsx_totals = values[9:12]
    assert [D(r[5]) for r in xlsx_totals] == [t["unpaid"] for t in totals.values()]
    assert sum(D(r[5]) for r in xlsx_totals) == unpaid


@pytest.mark.parametrize("who", ["manager", "director", "auditor"])
def test_who_sees_the_summary(client_for, personas, enterprise, approved, who):
    client = client_for(getattr(personas, who))
    assert client.get("/payroll/taxes/").status_code == 200
    assert client.get(f"/payroll/taxes/{enterprise.pk}/").status_code == 200
    assert client.get(f"/payroll/taxes/{enterprise.pk}/2025.xlsx").status_code == 200
    add = client.get(f"/payroll/runs/{approved.pk}/taxes/pay/")
    assert add.status_code == (403 if who == "auditor" else 200)


@pytest.mark.parametrize("who", ["caseworker", "trainer", "outsider"])
def test_other_roles_get_403(client_for, personas, enterprise, approved, who):
    client = client_for(getattr(personas, who))
    for url in (
        "/payroll/taxes/",
        f"/payroll/taxes/{enterprise.pk}/",
        f"/payroll/taxes/{enterprise.pk}/2025.xlsx",
        f"/payroll/runs/{approved.pk}/taxes/pay/",
    ):
        assert client.get(url).status_code == 403, url


def test_another_enterprise_is_404(client_for, personas, foreign):
    client = client_for(personas.manager)
    enterprise = foreign.enterprise_id
    assert client.get(f"/payroll/taxes/{enterprise}/").status_code == 404
    assert client.get(f"/payroll/taxes/{enterprise}/2025.xlsx").status_code == 404
    assert client.get(f"/payroll/runs/{foreign.pk}/taxes/pay/").status_code == 404
    post = {"obligation": "inps", "paid_on": "2025-04-10", "amount": "1", "reference": "X"}
    assert client.post(f"/payroll/runs/{foreign.pk}/taxes/pay/", post).status_code == 404
    assert not TaxPayment.objects.exists()


def test_summary_queries_do_not_grow_with_months(
    client_for, personas, enterprise, approved, django_assert_num_queries
):
    client = client_for(personas.manager)
    url = f"/payroll/taxes/{enterprise.pk}/?year=2025"
    client.get(url)
    # session, user, roles and permissions (one query), managed enterprises, the enterprise,
    # runs, tax payments, due-day rules, calendar
    with django_assert_num_queries(9):
        client.get(url)
    for month in (1, 2):
        run = services.payroll_run_generate(
            enterprise=enterprise, month=datetime.date(2025, month, 1)
        )
        services.payroll_run_approve(run=run)
        pay(run, Obligation.INPS, "100")
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_approved_run_page_queries_are_fixed(
    client_for, personas, approved, django_assert_num_queries
):
    client = client_for(personas.manager)
    url = f"/payroll/runs/{approved.pk}/"
    client.get(url)
    # session, user, roles and permissions (one query), managed enterprises, run, timesheet
    # lines, payslips and their deduction lines (prefetched), adjustments, advances (an
    # approved run asks nobody whether they may approve it); then the run's tax payments, the
    # due-day rules and the calendar of the due month
    with django_assert_num_queries(13):
        client.get(url)
    pay(approved, Obligation.INPS, "100")
    pay(approved, Obligation.SOCIAL_TAX, "100")
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
