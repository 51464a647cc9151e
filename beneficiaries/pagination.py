"""Pages of a list whose rows carry subqueries (the family list's head and member count)."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django_tables2.rows import BoundRows


class IdsFirstPaginator(Paginator):
    """Picks the page's ids in a subquery that an index answers alone, then computes the
    annotations of those rows only. With a plain LIMIT/OFFSET PostgreSQL computes the
    annotations of every row it skips, so a deep page of 100,000 families took seconds.
    Still one query per page. For django-tables2 (its rows wrap the queryset) or a
    queryset; anything else is sliced as usual."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        queryset = getattr(getattr(rows, "data", None), "data", rows)
        if isinstance(queryset, QuerySet) and queryset.query.can_filter():
            page_rows = queryset.filter(pk__in=queryset.values("pk")[bottom:top])
            if isinstance(rows, BoundRows):
                page_rows = BoundRows(data=page_rows, table=rows.table)
        else:
            page_rows = rows[bottom:top]
        return self._get_page(page_rows, number, self)
