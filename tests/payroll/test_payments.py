"""Paying an approved run out: the contract's payment details (card with Luhn check,
account), the bank payment file read back as CSV, the cash list read back as PDF text, the
refusal for a run not approved, and who may take them."""

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from common.validators import luhn_valid
from enterprises import services as enterprise_services
from enterprises.choices import PaymentMethod
from payroll import payments, services
from payroll.selectors import payable_amount
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db

CARD = "8600123456789012"  # made Luhn-valid below
ACCOUNT = "20208000900123456001"


def valid_card(prefix15: str) -> str:
    return next(prefix15 + str(d) for d in range(10) if luhn_valid(prefix15 + str(d)))


def set_bank(employment, card="", account=""):
    return enterprise_services.employment_set_payment(
        employment=employment,
        payment_method=PaymentMethod.BANK,
        card_number=card,
        bank_account=account,
        changed_by=None,
    )


@pytest.fixture
def staff(enterprise):
    by_card = hire(enterprise, rate="3000000")
    by_account = hire(enterprise, rate="2500000")
    in_cash = hire(enterprise, rate="1900000")
    by_card = set_bank(by_card, card=valid_card("860012345678901"))
    by_account = set_bank(by_account, account=ACCOUNT)
    return by_card, by_account, in_cash


@pytest.fixture
def approved(enterprise, staff):
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    return services.payroll_run_approve(run=run)


def test_luhn_and_lengths_are_checked(staff):
    _card, _account, in_cash = staff
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    for bad, fragment in [
        ("4111111111111112", "check digit"),
        ("411111111111111", "exactly 16"),
        ("41111111111111١1", "exactly 16"),  # an Arabic-Indic digit
    ]:
        with pytest.raises(ValidationError) as refused:
            set_bank(in_cash, card=bad)
        assert fragment in " ".join(refused.value.message_dict["card_number"])
    with pytest.raises(ValidationError) as refused:
        set_bank(in_cash, account="1234")
    assert "20 digits" in " ".join(refused.value.message_dict["bank_account"])
    with pytest.raises(ValidationError) as refused:
        set_bank(in_cash)  # by bank, but nowhere to pay
    assert "card_number" in refused.value.message_dict
    in_cash.refresh_from_db()
    assert in_cash.payment_method == PaymentMethod.CASH  # nothing changed
    # spaces as printed on a card are dropped
    spaced = valid_card("411111111111111")
    saved = set_bank(in_cash, card=" ".join([spaced[i : i + 4] for i in range(0, 16, 4)]))
    assert saved.card_number == spaced
    assert saved.history.count() >= 2


def test_payment_details_page(client_for, personas, staff):
    _card, _account, in_cash = staff
    client = client_for(personas.manager)
    url = f"/enterprises/employments/{in_cash.pk}/payment/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"payment_method": "bank", "card_number": "4111111111111112"})
    assert bad.status_code == 200 and "check digit" in bad.text
    good = client.post(url, {"payment_method": "bank", "bank_account": ACCOUNT})
    assert good.status_code == 302
    in_cash.refresh_from_db()
    assert (in_cash.payment_method, in_cash.bank_account) == ("bank", ACCOUNT)
    assert client_for(personas.auditor).get(url).status_code == 403


def read_csv(content: bytes):
    text = content.decode("utf-8")
    assert not text.startswith("\ufeff") and "\r\n" in text
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_bank_file_reads_back(client_for, personas, approved, staff):
    by_card, by_account, _cash = staff
    response = client_for(personas.manager).get(f"/payroll/runs/{approved.pk}/bank-payment.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = read_csv(response.content)
    assert list(rows[0]) == payments.BANK_COLUMNS
    by_name = {row["Full name"]: row for row in rows}
    assert set(by_name) == {by_card.person.full_name, by_account.person.full_name}
    card_row, account_row = by_name[by_card.person.full_name], by_name[by_account.person.full_name]
    assert (card_row["Card number"], card_row["Account number"]) == (by_card.card_number, "")
    assert (account_row["Card number"], account_row["Account number"]) == ("", ACCOUNT)
    # by hand: 3 000 000 − 12% = 2 640 000; 2 500 000 − 12% = 2 200 000
    assert (card_row["Amount"], account_row["Amount"]) == ("2640000.00", "2200000.00")
    assert {row["Currency"] for row in rows} == {"UZS"} and rows[0]["Purpose"] == "Salary 03.2025"
    lists = payments.payment_lists(approved)
    payable = {p.employment_id: payable_amount(p) for p in approved.payslips.all()}
    assert sum(D(row["Amount"]) for row in rows) == lists.bank_total
    assert lists.bank_total + lists.cash_total == sum(payable.values()) == approved.net_total


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_cash_list_reads_back(client_for, personas, approved, staff):
    _card, _account, in_cash = staff
    response = client_for(personas.manager).get(
        f"/payroll/runs/{approved.pk}/cash-list.pdf?lang=en"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Cash payment list" in text and "March 2025" in text
    assert in_cash.person.full_name in text
    assert "1 672 000" in text.replace("\u202f", " ").replace("\xa0", " ")  # 1 900 000 − 12%
    assert text.count("Signature") == 1 and "Paid out by (cashier)" in text
    for person in (_card.person, _account.person):
        assert person.full_name not in text  # paid by bank: not on the cash list
    russian = pdf_text(
        client_for(personas.manager)
        .get(f"/payroll/runs/{approved.pk}/cash-list.pdf?lang=ru")
        .content
    )
    assert "Подпись" in russian


def test_a_draft_or_reversed_run_is_refused(client_for, personas, enterprise, staff):
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    client = client_for(personas.manager)
    for url in (
        f"/payroll/runs/{run.pk}/bank-payment.csv",
        f"/payroll/runs/{run.pk}/cash-list.pdf",
    ):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == f"/payroll/runs/{run.pk}/"
        assert "made for an approved payroll only" in response.text
    services.payroll_run_approve(run=run)
    services.payroll_run_reverse(run=run, reason="wrong month")
    response = client.get(f"/payroll/runs/{run.pk}/bank-payment.csv")
    assert response.status_code == 302


def test_a_bank_contract_without_number_stops_the_file(approved, staff):
    by_card, _account, _cash = staff
    from enterprises.models import Employment

    Employment.objects.filter(pk=by_card.pk).update(card_number="")  # e.g. an old import
    lists = payments.payment_lists(approved)
    with pytest.raises(ValidationError) as refused:
        payments.bank_csv(approved, lists)
    assert by_card.person.full_name in refused.value.messages[0]


@pytest.mark.parametrize("who", ["manager", "director"])
def test_managers_take_the_files(client_for, personas, approved, who):
    client = client_for(getattr(personas, who))
    assert client.get(f"/payroll/runs/{approved.pk}/bank-payment.csv").status_code == 200


@pytest.mark.parametrize(
    ("who", "status"), [("auditor", 403), ("caseworker", 403), ("trainer", 403), ("outsider", 403)]
)
def test_others_are_refused(client_for, personas, approved, who, status):
    client = client_for(getattr(personas, who))
    for url in (
        f"/payroll/runs/{approved.pk}/bank-payment.csv",
        f"/payroll/runs/{approved.pk}/cash-list.pdf",
    ):
        assert client.get(url).status_code == status, url


def test_another_enterprise_is_404(client_for, personas, other_enterprise):
    hire(other_enterprise, rate="2000000")
    run = services.payroll_run_approve(
        run=services.payroll_run_generate(enterprise=other_enterprise, month=MARCH)
    )
    client = client_for(personas.manager)
    assert client.get(f"/payroll/runs/{run.pk}/bank-payment.csv").status_code == 404
    assert client.get(f"/payroll/runs/{run.pk}/cash-list.pdf").status_code == 404


def test_bank_file_queries_do_not_grow(
    client_for, personas, enterprise, approved, django_assert_num_queries
):
    client = client_for(personas.manager)
    client.get(f"/payroll/runs/{approved.pk}/bank-payment.csv")
    # session, user, roles and permissions (one query), managed enterprises, the run, its
    # payslips with person and contract, and the download's read log
    with django_assert_num_queries(QUERIES):
        client.get(f"/payroll/runs/{approved.pk}/bank-payment.csv")
    for _ in range(3):
        set_bank(hire(enterprise, rate="2000000"), account=ACCOUNT)
    april = services.payroll_run_approve(
        run=services.payroll_run_generate(enterprise=enterprise, month=datetime.date(2025, 4, 1))
    )
    with django_assert_num_queries(QUERIES):
        response = client.get(f"/payroll/runs/{april.pk}/bank-payment.csv")
    assert len(read_csv(response.content)) == 5


QUERIES = 7
