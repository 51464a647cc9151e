"""Columns every list shares, declared once for the page, the sorting and the export.

A django-tables2 `Table` in each app's `tables.py` is the one declaration of a list: its
columns give the page's cells (`render`), the sort (`order_by`) and the export's values
(`value`, read by `common.exports`). The columns here make the export's values typed (a
date stays a date, money a number) and say how a spreadsheet shows them (`xlsx_format`).

`CellColumn` is for the lists people open all day (the caseload): its cell is two plain
functions of the record, which `PrerenderedTable` (common/prerendered.py) calls directly
and django-tables2 calls through `render`/`value`, so both renderings and the export come
from the same declaration.
"""

from collections.abc import Callable

import django_tables2 as tables
from django.utils.formats import date_format, get_format

from common import xlsx
from common.money import format_uzs

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}
MONTH_FORMATS = ("m.Y", "YEAR_MONTH_FORMAT")


class NumberColumn(tables.Column):
    """A count or a measure: right-aligned on the page, a number in the export."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)


class MoneyColumn(NumberColumn):
    """An amount in soum: '1 250 000' on the page (the header names the currency, else
    `with_currency=True`), the Decimal itself in the export."""

    xlsx_format = xlsx.WHOLE

    def __init__(self, *args, with_currency: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_currency = with_currency

    def render(self, value):
        return format_uzs(value, with_currency=self.with_currency)

    def value(self, value):
        return value


class DateColumn(tables.DateColumn):
    """A date as `format` says on the page (the format settings' SHORT_DATE_FORMAT unless told; a format setting's
    name such as "YEAR_MONTH_FORMAT" works too), the date itself in the export
    (django-tables2's own gives ISO text). Written with `date_format`, as the `date`
    filter of django-tables2's template does, without compiling a template per cell."""

    empty_values = (None, "")  # the table's default ("—") then, as for any column

    def __init__(self, *args, format="SHORT_DATE_FORMAT", **kwargs):
        super().__init__(*args, format=format, **kwargs)
        self.date_format = format
        self.xlsx_format = xlsx.MONTH if format in MONTH_FORMATS else xlsx.DATE

    def render(self, value):
        return date_format(value, self.date_format)

    def value(self, value, **kwargs):
        return value


class MonthColumn(DateColumn):
    """A month (its first day): '03.2025' on the page, a date shown month.year in the export."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "m.Y")
        super().__init__(*args, **kwargs)


class CellColumn(tables.Column):
    """A column whose cell is plain functions of the record, with no template and no
    argument inspection per cell.

    `value(record)` is what the export writes (a date, a number, text, or None for empty);
    `html(record)` what the page shows (escaped unless marked safe), by default the value
    (a date as `date_format`). An empty cell shows the column's `default` on the page and
    stays empty in the export.
    """

    def __init__(
        self,
        *args,
        value: Callable,
        html: Callable | None = None,
        date_format: str | None = None,
        xlsx_format: str | None = None,
        **kwargs,
    ):
        # The functions decide what is empty: django-tables2 must not look the value up first.
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)
        self.value_of = value
        self.date_format = date_format
        if date_format is not None and html is None:
            html = self._formatted_date
        self.html_of = html or value
        self.xlsx_format = xlsx_format or (
            (xlsx.MONTH if date_format in MONTH_FORMATS else xlsx.DATE) if date_format else None
        )

    def _formatted_date(self, record):
        value = self.value_of(record)
        if not value:
            return None
        # A format setting's name (SHORT_DATE_FORMAT) is looked up in the active language;
        # "d.m.Y" and the like need no locale: strftime writes them (the list's hot loop).
        pattern = get_format(self.date_format) if self.date_format.isupper() else self.date_format
        if set(pattern) <= set("dmY.-/ "):
            return value.strftime("".join(f"%{c}" if c in "dmY" else c for c in pattern))
        return date_format(value, pattern)

    def cell_html(self, record):
        content = self.html_of(record)
        return self.default if content is None or content == "" else content

    # django-tables2's hooks, for its own rendering and for other callers of the table.
    def render(self, record):
        return self.cell_html(record)

    def value(self, record):
        return self.value_of(record)
