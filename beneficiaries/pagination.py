"""Pages of a long list (the family list): a deep page skips index entries, not rows."""

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, F, OrderBy, QuerySet, Window
from django.db.models.constants import LOOKUP_SEP
from django_tables2.rows import BoundRows


def ordering_of(queryset: QuerySet) -> list:
    """The queryset's order as given to order_by(), or its model's default order."""
    query = queryset.query
    if query.order_by:
        return list(query.order_by)
    if query.default_ordering:
        return list(queryset.model._meta.ordering)
    return []


def ordered_uniquely(queryset: QuerySet) -> QuerySet:
    """The queryset in its order with the primary key as the last tiebreak, in the last
    term's direction (so that one index serves both directions): rows that tie on the
    sorted column (families of the same size) each have one place, and no page repeats or
    skips one of them."""
    order = ordering_of(queryset)
    if not order:
        return queryset
    pk_names = {"pk", queryset.model._meta.pk.name, queryset.model._meta.pk.attname}
    for term in order:
        if isinstance(term, str) and term.lstrip("-") in pk_names:
            return queryset
    last = order[-1]
    if isinstance(last, OrderBy):
        descending = last.descending
    else:
        descending = isinstance(last, str) and last.startswith("-")
    return queryset.order_by(*order, "-pk" if descending else "pk")


class IdsFirstPaginator(Paginator):
    """Picks the page's ids in a query that an index answers alone, then reads those rows
    only. With a plain LIMIT/OFFSET PostgreSQL computes the annotations of every row it
    skips, and SQLite may read every row it skips.

    `rows_for(queryset)` adds the rows' joins to a queryset of the page's ids. The outer
    query then carries none of the list's filters: a planner that sees them (SQLite does)
    may walk the whole filtered list again to apply them, instead of fetching 25 rows by
    id. Without `rows_for` the filtered queryset is reused as it is.

    `count_with_ids=True` reads the page's ids and the number of rows in one query (a
    window count), for a list whose every row must be found anyway, such as a text
    search's matches: counting them apart found them twice. Not for a whole branch, whose
    count an index answers alone.

    For django-tables2 (its rows wrap the queryset) or a queryset; anything else is
    sliced as usual."""

    def __init__(
        self,
        *args,
        rows_for: Callable[[QuerySet], QuerySet] | None = None,
        count_with_ids: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.rows_for = rows_for
        self.count_with_ids = count_with_ids

    def page(self, number):
        rows = self.object_list
        queryset = getattr(getattr(rows, "data", None), "data", rows)
        if not (isinstance(queryset, QuerySet) and queryset.query.can_filter()):
            return super().page(number)
        queryset = ordered_uniquely(queryset)
        if self.count_with_ids:
            number, ids = self._ids_and_count(queryset, number)
        else:
            number = self.validate_number(number)
            bottom, top = self._bounds(number)
            ids = queryset.values("pk")[bottom:top]
        if self.rows_for is None:
            page_rows = queryset.filter(pk__in=ids)
        else:
            page_rows = self.rows_for(queryset.model._default_manager.filter(pk__in=ids))
            page_rows = page_rows.order_by(*ordering_of(queryset))
        if isinstance(rows, BoundRows):
            page_rows = BoundRows(data=page_rows, table=rows.table)
        return self._get_page(page_rows, number, self)

    def _bounds(self, number: int) -> tuple[int, int]:
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return bottom, top

    def _ids_and_count(self, queryset: QuerySet, number) -> tuple[int, list]:
        """The page number (validated as Paginator does) and its ids, with the count taken
        from the same query. Past the last page the count is asked apart, once."""
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = None  # validate_number says why
        found = None
        if wanted is not None and wanted >= 1 and "count" not in self.__dict__:
            bottom = (wanted - 1) * self.per_page
            found = _ids_with_window_count(queryset, bottom, self.per_page + self.orphans)
            if found:
                self.count = found[0][1]  # Paginator.count is a cached property
            elif wanted == 1:
                self.count = 0
        number = self.validate_number(number)
        bottom, top = self._bounds(number)
        if found is None:  # the count was known already
            return number, list(queryset.values_list("pk", flat=True)[bottom:top])
        return number, [pk for pk, _total in found[: top - bottom]]


def _is_column(model, term) -> bool:
    """Whether an order_by() term names a column (here or across relations), not a relation
    (which Django sorts by the related model's own order) nor an expression."""
    if not isinstance(term, str):
        return False
    path = term.lstrip("-")
    if path == "pk":
        return True
    field = None
    for name in path.split(LOOKUP_SEP):
        if field is not None:
            if not field.is_relation:
                return False
            model = field.related_model
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
    return field.concrete and not field.is_relation


def _ids_with_window_count(queryset: QuerySet, offset: int, limit: int) -> list[tuple]:
    """[(pk, rows in the whole list)] for `limit` rows from `offset` on, in one query."""
    connection = connections[queryset.db]
    order = ordering_of(queryset)
    if connection.vendor != "postgresql" or not all(_is_column(queryset.model, t) for t in order):
        return list(
            queryset.annotate(page_total=Window(Count("*"))).values_list("pk", "page_total")[
                offset : offset + limit
            ]
        )
    # PostgreSQL: the matches are found first, fenced in a subquery (OFFSET 0 keeps the
    # planner from merging it), then sorted and counted. Seen whole, the planner walked the
    # branch's index in the list's order and tested every family (38 ms for a common name
    # at 100,000 families, instead of a few from the trigram index).
    columns = {"row_pk": F("pk")}
    terms = []
    for index, term in enumerate(order):
        alias = f"row_order_{index}"
        columns[alias] = F(term.lstrip("-"))
        terms.append(f"{alias} DESC" if term.startswith("-") else f"{alias} ASC")
    inner = queryset.order_by().values(**columns)
    try:
        sql, params = inner.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # e.g. .none(), which a refused filter value gives: no rows
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT row_pk, COUNT(*) OVER () FROM ({sql} OFFSET 0) AS matches "
            f"ORDER BY {', '.join(terms)} LIMIT %s OFFSET %s",
            (*params, limit, offset),
        )
        return cursor.fetchall()
