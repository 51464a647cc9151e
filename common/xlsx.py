"""The one way Mustaqil writes a spreadsheet: every .xlsx the app gives out is built here.

A cell keeps its type: a date is a date (shown day.month.year, or month.year where the
column says so), a number a number (money as a number of soum, never text), an empty value
an empty cell (never "—" or "None"), and text stays text: written as a string, never a
formula, and, when it begins with a character a spreadsheet reads as the start of a formula
(= + - @, tab, carriage return), prefixed with a single quote (`neutralise_formula`, OWASP's
advice on CSV injection), so that it stays inert even when the sheet is saved again as CSV. Sheets are written in
openpyxl's write-only mode, row by row, so a list of 100,000 families does not sit in memory
as cell objects.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE = "DD.MM.YYYY"
MONTH = "MM.YYYY"
DATE_TIME = "DD.MM.YYYY HH:MM"
WHOLE = "#,##0"  # soum, counts: UZS has no minor unit in practice
FRACTION = "#,##0.00"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# "+998 90 123 45 67", "-250000" written as text: a sign, then only digits, spaces and
# ( ) . + - : no name, no cell reference, no call, nothing a formula could reach out with.
_PHONE_OR_FIGURE = re.compile(r"[+-][\d ().+-]*\Z")


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet would run as a formula ("=HYPERLINK(...)", "+cmd|...", "@SUM(...)"),
    prefixed with a single quote; any other text unchanged. A phone number or a figure
    written as text ("+998 90 123 45 67") is left as it is, so that it reads back (the family
    import takes its own template). Numbers are never passed here: a negative amount stays a
    number cell. Used for every text cell of CSV and XLSX."""
    if text.startswith(FORMULA_STARTS) and not _PHONE_OR_FIGURE.match(text):
        return "'" + text
    return text


def number_format_for(value) -> str | None:
    """The format a value gets when its column names none."""
    if isinstance(value, datetime.datetime):
        return DATE_TIME
    if isinstance(value, datetime.date):
        return DATE
    if isinstance(value, Decimal):
        return WHOLE if value == value.to_integral_value() else FRACTION
    return None


def cell_value(value):
    """What a cell holds: None for empty, numbers and dates as they are, the rest as text
    that cannot be read as a formula."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value)  # a spreadsheet has no time zones: local time
        return value
    return neutralise_formula(force_str(value) if isinstance(value, Promise) else str(value))


class Sheet:
    """One sheet, written top to bottom."""

    def __init__(self, worksheet):
        self._worksheet = worksheet

    def _cell(self, value, number_format=None, font=None):
        value = cell_value(value)
        cell = WriteOnlyCell(self._worksheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, even "=...": never a formula
        elif value is not None and not isinstance(value, bool):
            number_format = number_format or number_format_for(value)
            if number_format:
                cell.number_format = number_format
        if font is not None:
            cell.font = font
        return cell

    def row(self, values: Iterable, *, formats: Sequence | None = None, bold=False) -> None:
        """Append a row; `formats[i]` is column i's number format (None: by the value)."""
        font = _BOLD if bold else None
        cells = []
        for index, value in enumerate(values):
            number_format = formats[index] if formats and index < len(formats) else None
            cells.append(self._cell(value, number_format, font))
        self._worksheet.append(cells)

    def title(self, text) -> None:
        self._worksheet.append([self._cell(text, font=_TITLE)])

    def blank(self) -> None:
        self._worksheet.append([])


class XlsxBook:
    """A workbook: `sheet(...)` for each sheet in order, then `bytes()`.

    Column widths and the frozen header are given when a sheet is opened, because a
    write-only sheet cannot change its columns once rows are written.
    """

    def __init__(self):
        self._book = Workbook(write_only=True)

    def sheet(
        self, title, *, widths: Sequence[float | None] = (), freeze_header: bool = False
    ) -> Sheet:
        worksheet = self._book.create_sheet(safe_sheet_title(title))
        for index, width in enumerate(widths, start=1):
            if width:
                worksheet.column_dimensions[get_column_letter(index)].width = width
        if freeze_header:
            worksheet.freeze_panes = "A2"
        return Sheet(worksheet)

    def bytes(self) -> bytes:
        if not self._book.worksheets:
            self.sheet("Sheet")
        out = BytesIO()
        self._book.save(out)
        return out.getvalue()


def safe_sheet_title(title) -> str:
    """Excel refuses sheet names over 31 characters or with []:*?/\\ in them."""
    text = _SHEET_TITLE_FORBIDDEN.sub("-", force_str(title)).strip() or "Sheet"
    return text[:31]


def table_xlsx(title, header: Sequence, rows: Iterable[Sequence], formats=None) -> bytes:
    """One sheet: a bold, frozen header row, then the rows (a list export)."""
    book = XlsxBook()
    widths = [min(max(len(force_str(name)) + 4, 12), 60) for name in header]
    sheet = book.sheet(title, widths=widths, freeze_header=True)
    sheet.row(header, bold=True)
    for row in rows:
        sheet.row(row, formats=formats)
    return book.bytes()
