"""Every spreadsheet keeps its cells' types: dates as dates with a date format, money as
numbers, empty cells empty. Read back with openpyxl, from the builder and from the app."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from beneficiaries.models import IncomeRecord
from common import xlsx
from common.xlsx import XlsxBook, table_xlsx
from payroll import services as payroll_services
from payroll.models import StatutoryRule
from payroll.rules_defaults import load_default_rules
from tests.factories import FamilyFactory, PersonFactory
from tests.payroll.factories import SocialEnterpriseFactory, hire
from tests.reports.world import END, START, build_world


def read(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_the_builder_types_every_cell():
    moment = timezone.make_aware(datetime.datetime(2025, 3, 1, 9, 30))
    content = table_xlsx(
        "A [long] name: with / forbidden * characters?",
        ["Date", "Month", "Money", "Fraction", "Count", "Empty", "Blank", "Text", "Formula", "At"],
        [
            [
                datetime.date(2025, 1, 31),
                datetime.date(2025, 3, 1),
                Decimal("1250000.00"),
                Decimal("7.50"),
                12,
                None,
                "",
                "Rahimova",
                "=HYPERLINK(1)",
                moment,
            ]
        ],
        formats=[None, xlsx.MONTH, None, None, None, None, None, None, None, None],
    )
    book = read(content)
    sheet = book.active
    assert sheet.title.startswith("A -long- name- with - forbidd")  # none of []:*?/\\
    assert len(sheet.title) == 31
    assert [cell.value for cell in sheet[1]][:3] == ["Date", "Month", "Money"]
    assert sheet[1][0].font.bold and sheet.freeze_panes == "A2"
    date, month, money, fraction, count, empty, blank, text, formula, at = sheet[2]
    assert date.is_date and date.value.date() == datetime.date(2025, 1, 31)
    assert date.number_format == "DD.MM.YYYY"
    assert month.is_date and month.number_format == "MM.YYYY"
    assert money.data_type == "n" and money.value == 1250000 and money.number_format == "#,##0"
    assert fraction.value == 7.5 and fraction.number_format == "#,##0.00"
    assert count.data_type == "n" and count.value == 12
    assert empty.value is None and blank.value is None
    assert text.value == "Rahimova" and text.data_type == "s"
    assert formula.value == "'=HYPERLINK(1)" and formula.data_type == "s"  # never a formula
    assert at.is_date and at.value == datetime.datetime(2025, 3, 1, 9, 30)  # local time
    assert at.number_format == "DD.MM.YYYY HH:MM"


def test_a_book_of_several_sheets_with_widths_and_a_title():
    book = XlsxBook()
    first = book.sheet("Figures", widths=[40, None, 12])
    first.title("Programme results")
    first.blank()
    first.row(["Families served", 12])
    book.sheet("Methods").row(["Figure", "Definition"], bold=True)
    read_back = read(book.bytes())
    assert read_back.sheetnames == ["Figures", "Methods"]
    figures = read_back["Figures"]
    assert figures["A1"].value == "Programme results" and figures["A1"].font.bold
    assert figures["A2"].value is None
    assert (figures["A3"].value, figures["B3"].value) == ("Families served", 12)
    assert figures.column_dimensions["A"].width == 40
    assert figures.column_dimensions["C"].width == 12
    assert read_back["Methods"]["A1"].font.bold


@pytest.mark.django_db
def test_the_family_export_keeps_dates_numbers_and_empty_cells(client_for, personas, samarkand):
    family = FamilyFactory(
        branch=samarkand,
        caseworker=personas.caseworker,
        makhalla=None,
        phone="",
        intake_date=datetime.date(2024, 2, 29),
    )
    PersonFactory(family=family, full_name="Rahimova Feruza")
    PersonFactory(family=family, full_name="Rahimov Ali", relationship="child")
    response = client_for(personas.caseworker).get(
        reverse("beneficiaries:family_list"), {"_export": "xlsx"}
    )
    sheet = read(response.content).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Case number"].value == family.case_number
    assert row["Members"].data_type == "n" and row["Members"].value == 2
    assert row["Intake date"].is_date and row["Intake date"].number_format == "DD.MM.YYYY"
    assert row["Intake date"].value.date() == datetime.date(2024, 2, 29)
    for empty in ("Makhalla", "Phone", "Exit date", "Exit reason"):
        assert row[empty].value is None, empty  # not "—", "None" or ""
    assert not any(cell.value in ("—", "None") for line in sheet.iter_rows() for cell in line)


@pytest.mark.django_db
def test_the_income_export_writes_months_as_dates_and_amounts_as_numbers(
    client_for, personas, samarkand
):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    IncomeRecord.objects.create(
        family=family,
        month=datetime.date(2025, 3, 1),
        source="employment",
        amount=Decimal("2000000.00"),
    )
    url = reverse("wellbeing:income_list", args=[family.pk])
    sheet = read(client_for(personas.caseworker).get(url, {"_export": "xlsx"}).content).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Month"].is_date and row["Month"].number_format == "MM.YYYY"
    assert row["Month"].value.date() == datetime.date(2025, 3, 1)
    assert row["Amount"].data_type == "n" and row["Amount"].value == 2000000
    assert row["Amount"].number_format == "#,##0"
    assert "Actions" not in header


@pytest.mark.django_db
def test_the_payroll_register_writes_amounts_as_numbers(client_for, personas):
    load_default_rules(StatutoryRule)
    enterprise = SocialEnterpriseFactory(managers=[personas.manager])
    hire(enterprise, rate="3000000")
    run = payroll_services.payroll_run_generate(
        enterprise=enterprise, month=datetime.date(2025, 3, 1)
    )
    response = client_for(personas.manager).get(reverse("payroll:register_xlsx", args=[run.pk]))
    sheet = read(response.content).active
    assert sheet["C1"].is_date and sheet["C1"].number_format == "MM.YYYY"
    header = [cell.value for cell in sheet[4]]
    net = header.index("Net pay")
    payslip, total = sheet[5], sheet[6]
    assert payslip[net].data_type == "n" and payslip[net].number_format == "#,##0"
    assert Decimal(str(total[net].value)) == run.net_total
    assert total[1].value is None  # no position on the totals line
    assert total[0].font.bold


@pytest.mark.django_db
def test_the_donor_report_writes_figures_as_numbers(client_for, personas):
    build_world(families=8, seed=4)
    response = client_for(personas.director).get(
        reverse("reports:programme"),
        {"start": START.isoformat(), "end": END.isoformat(), "_export": "xlsx"},
    )
    book = read(response.content)
    figures = {row[0].value: row[1] for row in book["Figures"].iter_rows(min_row=6) if row[0].value}
    assert figures["Families served"].data_type == "n"
    branches = list(book["Branches"].iter_rows(min_row=2))
    assert branches and all(row[1].data_type == "n" for row in branches)
