"""Paying an approved run out: the bank payment file (CSV) and the cash list (PDF).

Each employee's amount is `payroll.selectors.payable_amount(payslip)`, read nowhere else.
Where it goes is the contract's payment method and card or account number
(`enterprises.Employment`), read when the file is made. The layout of the bank file is
documented in docs/payroll.md ("Paying the employees"); a test reads it back.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common import pdf
from common.xlsx import neutralise_formula
from enterprises.choices import PaymentMethod
from payroll.models import Payslip
from payroll.obligations import OWING_STATUSES
from payroll.selectors import payable_amount

ZERO = Decimal("0")
# The bank file's layout (docs/payroll.md): fixed English headers, the bank reads them.
BANK_COLUMNS = [
    "No",
    "Full name",
    "PINFL",
    "Card number",
    "Account number",
    "Amount",
    "Currency",
    "Purpose",
]
SEPARATOR = ";"
ENCODING = "utf-8"  # without a byte-order mark: the bank's import, not a spreadsheet
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass
class PaymentLine:
    payslip: Payslip
    amount: Decimal

    @property
    def employment(self):
        return self.payslip.employment


@dataclass
class PaymentLists:
    bank: list[PaymentLine] = field(default_factory=list)
    cash: list[PaymentLine] = field(default_factory=list)
    # Nothing to pay out (payable 0 or less, e.g. a negative correction): on neither list.
    nothing: list[PaymentLine] = field(default_factory=list)
    # Paid by bank but with no card or account number on the contract.
    missing_number: list[PaymentLine] = field(default_factory=list)

    @property
    def bank_total(self) -> Decimal:
        return sum((line.amount for line in self.bank), ZERO)

    @property
    def cash_total(self) -> Decimal:
        return sum((line.amount for line in self.cash), ZERO)


def payment_lists(run) -> PaymentLists:
    """The run's payslips split by how each employee is paid (one query)."""
    lists = PaymentLists()
    for payslip in (
        Payslip.objects.filter(run=run)
        .select_related("person", "employment")
        .order_by("person__full_name", "id")
    ):
        line = PaymentLine(payslip, payable_amount(payslip))
        if line.amount <= 0:
            lists.nothing.append(line)
        elif payslip.employment.payment_method == PaymentMethod.BANK:
            if payslip.employment.payment_number:
                lists.bank.append(line)
            else:
                lists.missing_number.append(line)
        else:
            lists.cash.append(line)
    return lists


def refuse_unless_payable(run) -> None:
    """Payment documents are made for an approved (or paid) run only: a draft's figures may
    still change, a reversed run is not paid."""
    if run.status not in OWING_STATUSES:
        raise ValidationError(
            _("Payment documents are made for an approved payroll only; this run is %(status)s.")
            % {"status": run.get_status_display().lower()}
        )


def bank_csv(run, lists: PaymentLists) -> bytes:
    """The bank payment file: a header, then one line per employee paid by bank."""
    refuse_unless_payable(run)
    if lists.missing_number:
        raise ValidationError(
            _("No card or account number on the contract of: %(names)s. Enter it first.")
            % {"names": ", ".join(line.payslip.person.full_name for line in lists.missing_number)}
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator="\r\n")
    writer.writerow(BANK_COLUMNS)
    purpose = f"Salary {run.month:%m.%Y}"
    for number, line in enumerate(lists.bank, start=1):
        employment = line.employment
        writer.writerow(
            [
                number,
                neutralise_formula(line.payslip.person.full_name),
                line.payslip.person.pinfl or "",
                employment.card_number,
                "" if employment.card_number else employment.bank_account,
                f"{line.amount:.2f}",
                "UZS",
                purpose,
            ]
        )
    return buffer.getvalue().encode(ENCODING)


def cash_list_pdf(run, lists: PaymentLists, language: str) -> bytes:
    """The cash list: those paid in cash, their amounts, a line for each one's signature."""
    refuse_unless_payable(run)
    return pdf.render_pdf(
        "payroll/pdf/cash_list.html",
        {"run": run, "lines": lists.cash, "total": lists.cash_total},
        language=language,
    )
