"""Dates on screen go through the format settings (config/formats/<language>/formats.py):
templates name a format, Python calls date_format, and nothing writes "%d.%m.%Y" by hand."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation
from django.utils.formats import date_format

ROOT = Path(__file__).resolve().parents[2]
DAY = datetime.date(2025, 3, 3)

NAMED = {"DATE_FORMAT", "SHORT_DATE_FORMAT", "YEAR_MONTH_FORMAT", "SHORT_DATETIME_FORMAT"}
# Python that writes a month or a day as text on purpose, and why.
MACHINE_OR_STORED = {
    # The evidence of an income record written by payroll approval: stored text, read back
    # by tests/payroll/test_ledger.py, not a date shown through the format of the reader.
    "payroll/services.py",
    # The bank payment file's purpose column, "Salary MM.YYYY": a fixed layout a bank's import
    # reads (docs/payroll.md), the same in every language.
    "payroll/payments.py",
}


@pytest.mark.parametrize(
    ("language", "long", "short", "month"),
    [
        ("en", "3 March 2025", "03.03.2025", "March 2025"),
        ("ru", "3 марта 2025 г.", "03.03.2025", "Март 2025 г."),
        ("uz", "3-Mart, 2025-yil", "03.03.2025", "Mart 2025-yil"),
    ],
)
def test_each_language_has_its_date_formats(language, long, short, month):
    with translation.override(language):
        assert date_format(DAY) == long
        assert date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert date_format(DAY, "YEAR_MONTH_FORMAT") == month
        rendered = engines["django"].from_string(
            '{{ day|date:"SHORT_DATE_FORMAT" }} {{ day|date:"YEAR_MONTH_FORMAT" }}'
        )
        assert rendered.render({"day": DAY}) == f"{short} {month}"


def test_templates_name_a_format_instead_of_writing_one():
    written = []
    for path in ROOT.glob("*/templates/**/*.html"):
        for fmt in re.findall(r'\|date:"([^"]*)"', path.read_text()):
            if fmt not in NAMED and fmt != "F":  # "F": a month's name alone, a column head
                written.append((path.relative_to(ROOT).as_posix(), fmt))
    assert written == []


def test_python_formats_dates_for_people_through_date_format():
    pattern = re.compile(r':%d\.%m\.%Y\}|:%m\.%Y\}|strftime\("%d\.%m\.%Y"\)|strftime\("%m\.%Y"\)')
    written = sorted(
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("*/**/*.py")
        if ".venv" not in path.parts
        and "migrations" not in path.parts
        and path.relative_to(ROOT).parts[0] not in ("tests", "bench")
        and pattern.search(path.read_text())
    )
    assert set(written) <= MACHINE_OR_STORED, written
