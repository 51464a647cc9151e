"""The one door through which a list leaves Mustaqil as CSV or XLSX.

Every downloadable list is a view with `ExportMixin`: the same URL as the page with
`?_export=csv` or `?_export=xlsx` (`EXPORT_PARAM`, django-tables2's own name, which most
links already used), the page's filters and sort applied, every row (not one page). The
guard is the download door (`common.downloads`): `download_kind` says what the list holds
(PERSONAL by default, which the auditor may not take out; AGGREGATE for lists naming
nobody); a request without the kind's permission is 403, a format the list does not offer
400 with a message. The columns come from the view's django-tables2 Table, the same
declaration the page renders, so an export has every column the page shows (a test walks
every such list). Every text cell that a spreadsheet could read as a formula is neutralised
(`common.xlsx.neutralise_formula`), in CSV as in XLSX.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import chain

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.translation import gettext as _
from django_tables2.rows import BoundRow

from common import jobs, list_jobs, xlsx
from common.downloads import AGGREGATE, PERSONAL, DownloadMixin, may_download
from common.tables import CellColumn

EXPORT_PARAM = "_export"
CSV = "csv"
XLSX = "xlsx"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CHUNK = 2000
__all__ = ["AGGREGATE", "PERSONAL", "ExportGuardMixin", "ExportMixin"]


class ExportGuardMixin(DownloadMixin):
    """The guard alone, for a view that writes its own download (the donor report):
    `requested_export()` is the format asked for, after the door's checks.

    A request with `?_export=` is a download of `download_kind` (see common.downloads);
    without it the view is a page, which the door leaves alone."""

    export_formats: tuple[str, ...] = (CSV, XLSX)
    download_kind = PERSONAL

    def download_kind_for(self, request) -> str | None:
        return self.download_kind if request.GET.get(EXPORT_PARAM) else None

    def dispatch(self, request, *args, **kwargs):
        wanted = request.GET.get(EXPORT_PARAM)
        if wanted and wanted not in self.export_formats:
            return self.format_not_offered(request, wanted)
        return super().dispatch(request, *args, **kwargs)

    def format_not_offered(self, request, wanted: str):
        """400, saying which formats the page offers (never a 500, never a blank 404)."""
        return TemplateResponse(
            request,
            "common/export_not_offered.html",
            {"wanted": wanted[:20], "offered": ", ".join(self.export_formats)},
            status=400,
        ).render()

    def requested_export(self) -> str | None:
        """The format asked for, or None for the page (the door has checked it)."""
        wanted = self.request.GET.get(EXPORT_PARAM)
        return wanted if wanted in self.export_formats else None

    def may_export(self) -> bool:
        return may_download(self.request.user, self.download_kind)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_export"] = self.may_export()
        context["export_formats"] = self.export_formats
        return context


class ExportMixin(ExportGuardMixin):
    """CSV/XLSX of a list view's table, for the roles that may take its `download_kind`.

    Put it first among the view's bases. `download_kind = AGGREGATE` when the list holds no
    personal data (whoever sees it may take it). The template shows the buttons with
    `{% load exports %}{% export_buttons %}`, which reads `may_export` from the context.
    """

    export_name = "export"
    exclude_columns: tuple[str, ...] = ()

    def get_table_pagination(self, table):
        if self.requested_export():
            return False  # every row, and no count query
        return super().get_table_pagination(table)

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.export_name}.{export_format}"

    def export_title(self) -> str:
        return self.export_name

    def render_to_response(self, context, **kwargs):
        export_format = self.requested_export()
        if export_format is None:
            return super().render_to_response(context, **kwargs)
        table = context.get(getattr(self, "context_table_name", None) or "table")
        if table is None:
            table = self.get_table(**self.get_table_kwargs())
        if self.export_in_background(table):
            return self.queue_export(export_format)
        return self.export_response(table, export_format)

    def export_in_background(self, table) -> bool:
        """A list longer than settings.EXPORT_ROWS_IN_REQUEST is made by the worker
        (common/list_jobs.py); the replayed request of that job is answered here."""
        if getattr(self.request, list_jobs.IN_BACKGROUND, False):
            return False
        data = table.data.data
        rows = data.count() if isinstance(data, QuerySet) else len(data)
        return rows > settings.EXPORT_ROWS_IN_REQUEST

    def queue_export(self, export_format: str) -> HttpResponse:
        filename = self.get_export_filename(export_format)
        jobs.generated_file_request(
            user=self.request.user,
            kind=list_jobs.kind_name(self.download_kind, export_format),
            params=list_jobs.request_params(self.request, filename=filename),
            title=_("List %(name)s (%(format)s)")
            % {"name": self.export_title(), "format": export_format.upper()},
        )
        messages.success(
            self.request, _("Your file is being made. It will be listed here when ready.")
        )
        return HttpResponseRedirect(reverse("accounts:my_files"))

    def export_response(self, table, export_format: str) -> HttpResponse:
        header, formats, rows = table_export(table, exclude=self.exclude_columns)
        filename = self.get_export_filename(export_format)
        if export_format == XLSX:
            return xlsx_response(
                xlsx.table_xlsx(self.export_title(), header, rows, formats), filename
            )
        return csv_response(chain([header], rows), filename)


def exported_columns(table, exclude: Iterable[str] = ()) -> list:
    """The table's bound columns an export holds: all of them, hidden ones too, except
    those declared `exclude_from_export` (action links)."""
    exclude = set(exclude)
    return [
        column
        for column in table.columns.iterall()
        if not column.column.exclude_from_export and column.name not in exclude
    ]


def table_export(table, exclude: Iterable[str] = ()) -> tuple[list[str], list, Iterator[list]]:
    """(header, number formats, rows) of every record of `table`, in its order.

    A CellColumn's value is its own function of the record; any other column's is
    django-tables2's `BoundRow.get_cell_value` (the table's `value_<name>`, else the
    column's `value`). A queryset is read in chunks, so a long list does not sit in memory.
    """
    columns = exported_columns(table, exclude)
    header = [force_str(column.header) for column in columns]
    formats = [getattr(column.column, "xlsx_format", None) for column in columns]
    getters = []
    for column in columns:
        if isinstance(column.column, CellColumn):
            value_of = column.column.value_of
            getters.append(lambda record, row, value_of=value_of: value_of(record))
        else:
            getters.append(lambda record, row, name=column.name: row().get_cell_value(name))

    def rows():
        for record in _records(table):
            bound = None

            def row(record=record):
                nonlocal bound
                if bound is None:
                    bound = BoundRow(record, table=table)
                return bound

            yield [plain_value(getter(record, row)) for getter in getters]

    return header, formats, rows()


def _records(table):
    data = table.data.data  # TableQuerysetData/TableListData keep the ordered data here
    if isinstance(data, QuerySet):
        return data.iterator(chunk_size=CHUNK)
    return iter(data)


def plain_value(value):
    """A value as an export keeps it: numbers and dates typed, text without markup,
    None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    if isinstance(value, SafeData):
        return strip_tags(value).strip() or None
    return force_str(value)


def csv_text(rows: Iterable[Iterable]) -> str:
    """Rows as CSV for a spreadsheet: a byte-order mark so Excel reads UTF-8, dates as
    ISO 8601, numbers as written (a dot for decimals), empty cells empty."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def csv_cell(value):
    """One CSV cell: empty for None, numbers and dates as written, text neutralised so
    that a spreadsheet never reads it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    return xlsx.neutralise_formula(force_str(value))


def csv_response(rows: Iterable[Iterable], filename: str) -> HttpResponse:
    return download(csv_text(rows), CSV_CONTENT_TYPE, filename)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return download(content, xlsx.CONTENT_TYPE, filename)


def download(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
