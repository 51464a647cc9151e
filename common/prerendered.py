"""A table body written in Python, for the lists people open all day.

django-tables2 renders each cell through its column machinery and the template engine:
about two thirds of the family list's time for 25 rows. A table with this mixin declares
its columns as `common.tables.CellColumn`s, whose cell is a plain function of the record,
and its body is built as one string from those same columns (a column of another kind is
rendered through django-tables2's public `BoundRow.get_cell`, slower but the same). So the
columns are declared once: the page, the sorting and the export all read the Table.

The header (sorting links) and the pagination are written the way django-tables2's
template writes them, in Python too: its `querystring_replace` tag and template loops cost
about as much as the rows did. Only public attributes of django-tables2's tables, columns,
rows and pages are read (`paginated_rows`, `prefixed_order_by_field`, `order_by_alias`,
`attrs[...].as_html()`, `page`, `paginator`), plus `table_page_range`, the function behind
its own `{% table_page_range %}` tag. Tests compare the whole table with django-tables2's
own rendering of the same page (tests/beneficiaries/test_family_table_rows.py); its
version is pinned in requirements.txt.
"""

from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django_tables2.templatetags.django_tables2 import table_page_range

from common.tables import CellColumn

# django-tables2's own words, translated by its catalogue (a variable: not ours to extract).
PREVIOUS, NEXT = "previous", "next"

TEMPLATE = "tables/prerendered_table.html"


class PrerenderedTable:
    """Mixin for a django-tables2 Table: the same table, its body written in Python."""

    def tbody_html(self):
        columns = list(self.columns)
        if not columns:
            return ""
        cells = [(*_cell_writer(column), column.attrs["td"].as_html()) for column in columns]
        parts = []
        rows = self.paginated_rows
        for index, row in enumerate(rows):
            parts.append('<tr class="even">' if index % 2 == 0 else '<tr class="odd">')
            record = row.record
            for html_of, default, name, attrs in cells:
                if html_of is None:  # not a CellColumn: django-tables2 renders the cell
                    content = row.get_cell(name)
                else:
                    content = html_of(record)
                    if content is None or content == "":
                        content = default
                parts.append(f"<td {attrs}>{conditional_escape(content)}</td>")
            parts.append("</tr>")
        if not parts and self.empty_text:
            return format_html(
                '<tr><td colspan="{}" class="empty-state">{}</td></tr>',
                len(columns),
                self.empty_text,
            )
        return mark_safe("".join(parts))  # every value above went through conditional_escape

    def before_render(self, request):
        # django-tables2's public hook, called by as_html(request) and {% render_table %}.
        self.rendering_request = request
        return super().before_render(request)

    def _query_with(self, key, value) -> str:
        """What django-tables2's `{% querystring_replace key=value %}` writes."""
        request = getattr(self, "rendering_request", None) or getattr(self, "request", None)
        params = dict(request.GET) if request is not None else {}
        if key not in ("", None):
            params[key] = value
        return escape("?" + urlencode(params, doseq=True))

    def thead_html(self):
        if not self.show_header:
            return ""
        order_field = self.prefixed_order_by_field
        parts = [f"<thead {_as_html(self.attrs.get('thead'))}><tr>"]
        for column in self.columns:
            header = conditional_escape(column.header)
            if column.orderable:
                query = self._query_with(order_field, column.order_by_alias.next)
                header = f'<a href="{query}">{header}</a>'
            parts.append(f"<th {column.attrs['th'].as_html()}>{header}</th>")
        parts.append("</tr></thead>")
        return mark_safe("".join(parts))  # headers escaped, queries escaped, attrs as_html

    def pagination_html(self):
        page = getattr(self, "page", None)
        if not page or self.paginator.num_pages <= 1:
            return ""
        page_field = self.prefixed_page_field
        parts = ['<ul class="pagination">']
        if page.has_previous():
            query = self._query_with(page_field, page.previous_page_number())
            parts.append(
                f'<li class="previous"><a href="{query}">{escape(gettext(PREVIOUS))}</a></li>'
            )
        if page.has_previous() or page.has_next():
            for number in table_page_range(page, self.paginator):
                active = ' class="active"' if number == page.number else ""
                text = conditional_escape(localize(number))
                if number == "...":
                    parts.append(f'<li{active}><a href="#">{text}</a></li>')
                else:
                    query = self._query_with(page_field, number)
                    parts.append(f'<li{active}><a href="{query}">{text}</a></li>')
        if page.has_next():
            query = self._query_with(page_field, page.next_page_number())
            parts.append(f'<li class="next"><a href="{query}">{escape(gettext(NEXT))}</a></li>')
        parts.append("</ul>")
        return mark_safe("".join(parts))  # numbers and queries escaped


def _cell_writer(bound_column):
    """(function of the record, default, name): a CellColumn's own function and the
    column's default (what CellColumn.cell_html does, inlined: this loop runs per cell);
    (None, None, name) for a column django-tables2 must render."""
    column = bound_column.column
    if isinstance(column, CellColumn):
        return column.html_of, bound_column.default, bound_column.name
    return None, None, bound_column.name


def _as_html(attrs) -> str:
    """`{{ attrs.as_html }}` in a template: empty when there is no such method."""
    as_html = getattr(attrs, "as_html", None)
    return as_html() if callable(as_html) else ""
