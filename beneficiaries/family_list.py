"""Columns and filters of the family list that the apps above the core add.

The core lists families but does not know their well-being. An app registers here (in its
AppConfig.ready) a column — how to annotate the list's rows for a user and the cell that
shows it — or a filter — its choices and the condition on Family each choice means — and
who may see them. The annotations are joins of the rows' query, so a column adds no query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class ListColumn:
    name: str
    after: str  # the core column it follows
    column: Callable[[], object]  # a new django-tables2 column for each table
    annotate: Callable[[QuerySet, object], QuerySet]  # (rows, user) -> rows
    shown_to: Callable[[object], bool]


@dataclass(frozen=True)
class ListFilter:
    name: str
    label: str
    choices: Callable[[], list[tuple[str, str]]]
    condition: Callable[[str, object, date], Q | None]  # (choice, user, day) -> Q
    shown_to: Callable[[object], bool]


_columns: list[ListColumn] = []
_filters: list[ListFilter] = []


def register_list_column(column: ListColumn) -> None:
    if column not in _columns:
        _columns.append(column)


def register_list_filter(list_filter: ListFilter) -> None:
    if list_filter not in _filters:
        _filters.append(list_filter)


def columns_for(user) -> list[ListColumn]:
    return [column for column in _columns if user is not None and column.shown_to(user)]


def filters_for(user) -> list[ListFilter]:
    return [found for found in _filters if user is not None and found.shown_to(user)]


def with_columns(rows: QuerySet, user) -> QuerySet:
    """The rows with what the user's registered columns show."""
    for column in columns_for(user):
        rows = column.annotate(rows, user)
    return rows
