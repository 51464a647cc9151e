"""A table body written in Python, for the lists people open all day.

django-tables2 renders each cell through its column machinery and the template engine:
about two thirds of the family list's time for 25 rows. A table with this mixin says how
each visible column's cell is written (one function of the record) and its body is built
as one string; the header, sorting links and pagination stay django-tables2's. A test
compares the body with django-tables2's own rendering of the same page.
"""

from collections.abc import Callable

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

TEMPLATE = "tables/prerendered_table.html"


class PrerenderedRowsMixin:
    #: column name -> function(record) giving the cell's content (escaped unless safe).
    cell_html: dict[str, Callable] = {}

    def tbody_html(self):
        columns = list(self.columns)
        if not columns:
            return ""
        cells = [
            (self.cell_html[column.name], column.attrs["td"].as_html(), column.default)
            for column in columns
        ]
        parts = []
        rows = self.paginated_rows
        for index, row in enumerate(rows):
            parts.append('<tr class="even">' if index % 2 == 0 else '<tr class="odd">')
            record = row.record
            for write, attrs, default in cells:
                value = write(record)
                if value is None or value == "":
                    value = default
                parts.append(f"<td {attrs}>{conditional_escape(value)}</td>")
            parts.append("</tr>")
        if not parts and self.empty_text:
            return format_html(
                '<tr><td colspan="{}" class="empty-state">{}</td></tr>',
                len(columns),
                self.empty_text,
            )
        return mark_safe("".join(parts))  # every value above went through conditional_escape
