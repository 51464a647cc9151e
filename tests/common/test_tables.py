"""One declaration per column: a column added to a Table shows on the page (the Python
body and django-tables2's) and in the export, with typed values."""

import datetime
import re
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from beneficiaries.models import Family
from beneficiaries.selectors import family_list_rows
from beneficiaries.tables.families import FamilyTable
from common.exports import plain_value, table_export
from common.prerendered import TEMPLATE
from common.tables import CellColumn, DateColumn, MoneyColumn, MonthColumn
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db


class WithNotes(FamilyTable):
    """What a maintainer does to add a column: one declaration, one name in the fields."""

    notes_length = CellColumn(verbose_name="Notes length", value=lambda f: len(f.notes) or None)
    plain = tables.Column(verbose_name="Plain", accessor="address", default="—")

    class Meta(FamilyTable.Meta):
        fields = [*FamilyTable.Meta.fields, "notes_length", "plain"]


def render(table_class, template=TEMPLATE):
    request = RequestFactory().get("/families/")
    table = table_class(family_list_rows(Family.objects.order_by("pk")))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    table.template_name = template
    return table, re.sub(r"<td\s+>", "<td>", table.as_html(request))


def test_an_added_column_shows_on_the_page_and_in_the_export(samarkand):
    FamilyFactory(branch=samarkand, notes="Needs a visit", address="Registon 5")
    FamilyFactory(branch=samarkand, notes="", address="")
    table, html = render(WithNotes)
    assert "<th" in html and "Notes length" in html and "Plain" in html
    assert "<td>13</td>" in html and "<td>Registon 5</td>" in html
    assert html.count("<td>—</td>") >= 2  # the empty notes and address show the default
    header, formats, rows = table_export(table)
    rows = list(rows)
    assert header[-2:] == ["Notes length", "Plain"]
    assert [row[-2:] for row in rows] == [[13, "Registon 5"], [None, None]]  # empty: None
    assert len(formats) == len(header)


def test_the_stock_rendering_of_the_added_columns_agrees(samarkand):
    FamilyFactory(branch=samarkand, notes="Needs a visit", address="Registon 5")
    _table, fast = render(WithNotes)
    _table, stock = render(WithNotes, "tables/table.html")
    for cell in ("<td>13</td>", "<td>Registon 5</td>"):
        assert cell in fast and cell in stock


def test_the_family_export_has_every_column_the_table_declares(samarkand):
    FamilyFactory(branch=samarkand, intake_date=datetime.date(2024, 5, 6))
    table, _html = render(FamilyTable)
    header, formats, rows = table_export(table)
    assert header == [str(column.header) for column in table.columns.iterall()]
    row = dict(zip(header, next(iter(rows)), strict=True))
    assert row["Intake date"] == datetime.date(2024, 5, 6)
    assert formats[header.index("Intake date")] == "DD.MM.YYYY"
    assert row["Exit date"] is None and row["Exit reason"] is None


class Typed(tables.Table):
    day = DateColumn()
    month = MonthColumn()
    amount = MoneyColumn()
    spoken = DateColumn(format="YEAR_MONTH_FORMAT")


def test_shared_columns_render_for_people_and_export_typed_values():
    record = {
        "day": datetime.date(2025, 1, 31),
        "month": datetime.date(2025, 3, 1),
        "amount": Decimal("1250000.00"),
        "spoken": datetime.date(2025, 3, 1),
    }
    table = Typed([record, dict.fromkeys(record)])
    html = re.sub(r"<td\s+>", "<td>", table.as_html(RequestFactory().get("/")))
    assert "31.01.2025" in html and "03.2025" in html and "1\u202f250\u202f000" in html
    assert "March 2025" in html
    assert html.count(">—</td>") == 4  # the empty row
    _header, formats, rows = table_export(table)
    assert formats == ["DD.MM.YYYY", "MM.YYYY", "#,##0", "MM.YYYY"]
    assert list(rows) == [list(record.values()), [None, None, None, None]]


def test_plain_value_keeps_types_and_strips_markup():
    from django.utils.safestring import mark_safe

    assert plain_value(Decimal("5.00")) == Decimal("5.00")
    assert plain_value(0) == 0
    assert plain_value("") is None
    assert plain_value(mark_safe('<span class="badge">Active</span>')) == "Active"
