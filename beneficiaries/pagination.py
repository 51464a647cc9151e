"""Pages of a list whose rows carry subqueries (the family list's head and member count)."""

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django_tables2.rows import BoundRows


class IdsFirstPaginator(Paginator):
    """Picks the page's ids in a subquery that an index answers alone, then reads those
    rows only. With a plain LIMIT/OFFSET PostgreSQL computes the annotations of every row
    it skips, so a deep page of 100,000 families took seconds. Still one query per page.

    `rows_for(queryset)` adds the rows' annotations and joins to a queryset of the page's
    ids. The outer query then carries none of the list's filters: a planner that sees
    them (SQLite does) may walk the whole filtered list again to apply them, instead of
    fetching 25 rows by id. Without `rows_for` the filtered queryset is reused as it is.
    For django-tables2 (its rows wrap the queryset) or a queryset; anything else is
    sliced as usual."""

    def __init__(self, *args, rows_for: Callable[[QuerySet], QuerySet] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows_for = rows_for

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        queryset = getattr(getattr(rows, "data", None), "data", rows)
        if isinstance(queryset, QuerySet) and queryset.query.can_filter():
            ids = queryset.values("pk")[bottom:top]
            if self.rows_for is None:
                page_rows = queryset.filter(pk__in=ids)
            else:
                page_rows = self.rows_for(queryset.model._default_manager.filter(pk__in=ids))
                if queryset.query.order_by:
                    page_rows = page_rows.order_by(*queryset.query.order_by)
            if isinstance(rows, BoundRows):
                page_rows = BoundRows(data=page_rows, table=rows.table)
        else:
            page_rows = rows[bottom:top]
        return self._get_page(page_rows, number, self)
