"""The family list's body is written in Python (common.prerendered); it must say
exactly what django-tables2's own rendering of the same columns says."""

import re

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from beneficiaries.choices import FamilyStatus
from beneficiaries.models import Family
from beneficiaries.selectors import family_list_rows
from beneficiaries.tables.families import FamilyTable
from tests.factories import FamilyFactory, PersonFactory, UserFactory


def _tbody(html: str) -> str:
    body = re.search(r"<tbody[^>]*>(.*)</tbody>", html, re.S).group(1)
    body = re.sub(r">\s+<", "><", body.strip())
    return re.sub(r"<(t[dr])\s+", r"<\1 ", body).replace("<td >", "<td>")


def _render(template_name, families, per_page=25, **order):
    request = RequestFactory().get("/families/", order)
    table = FamilyTable(family_list_rows(families))
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    table.template_name = template_name
    return table.as_html(request)


def _normalized(html: str) -> str:
    html = re.sub(r">\s+<", "><", html.strip())
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"<(\w+) >", r"<\1>", html)
    return html.replace("> ", ">").replace(" <", "<")


@pytest.fixture
def varied_families(db, samarkand):
    worker = UserFactory(first_name="Dilnoza", last_name="Karimova")
    nameless = UserFactory(username="jsmith", first_name="", last_name="")
    with_head = FamilyFactory(branch=samarkand, caseworker=worker, phone="+998 90 111 22 33")
    PersonFactory(family=with_head, full_name="Rahimova <b>Feruza</b> & Co")
    PersonFactory(family=with_head, full_name="Rahimov Ali", relationship="child")
    FamilyFactory(branch=samarkand, caseworker=nameless, makhalla=None, phone="")
    FamilyFactory(
        branch=samarkand,
        caseworker=None,
        status=FamilyStatus.EXITED,
        exit_date="2025-01-31",
        exit_reason="moved_away",
    )
    FamilyFactory(branch=samarkand, status=FamilyStatus.REFERRED)
    FamilyFactory(branch=samarkand, status=FamilyStatus.CLOSED)
    return Family.objects.all()


@pytest.mark.parametrize("order", [{}, {"sort": "-status"}, {"sort": "head_name"}])
def test_prerendered_body_equals_django_tables2s(varied_families, order):
    fast = _tbody(_render("tables/prerendered_table.html", varied_families, **order))
    stock = _tbody(_render("tables/table.html", varied_families, **order))
    assert fast.count("<tr") == 5
    assert fast == stock


def test_names_are_escaped_and_empty_cells_show_a_dash(varied_families):
    html = _render("tables/prerendered_table.html", varied_families)
    assert "Rahimova &lt;b&gt;Feruza&lt;/b&gt; &amp; Co" in html
    assert "<b>Feruza" not in html
    assert "<td>—</td>" in _tbody(html)  # no makhalla, no caseworker, no head


def test_no_rows_says_so(db):
    html = _render("tables/prerendered_table.html", Family.objects.none())
    assert "No family matches these filters." in html
    assert 'class="empty-state"' in html


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"page": "2"},
        {"page": "3", "sort": "-intake_date"},
        {"sort": "head_name", "q": "Rahimova & <Co>", "status": "active"},
        {"page": "2", "branch": ["1", "2"]},
    ],
)
def test_prerendered_header_and_pagination_equal_django_tables2s(varied_families, query):
    """Sorting links keep the other filters; page links keep the sort; two per page so
    that there are previous and next links."""
    fast = _render("tables/prerendered_table.html", varied_families, per_page=2, **query)
    stock = _render("tables/table.html", varied_families, per_page=2, **query)
    assert _normalized(fast) == _normalized(stock)
    assert 'class="pagination"' in fast
    assert "sort=" in fast


def test_long_lists_get_ellipses_like_django_tables2s(varied_families):
    for _number in range(60):
        FamilyFactory(branch=varied_families.first().branch)
    for page in ("1", "14", "32"):
        fast = _render("tables/prerendered_table.html", Family.objects.all(), per_page=2, page=page)
        stock = _render("tables/table.html", Family.objects.all(), per_page=2, page=page)
        assert _normalized(fast) == _normalized(stock)
        assert "..." in fast


def test_a_single_page_has_no_pagination(varied_families):
    html = _render("tables/prerendered_table.html", varied_families)
    assert "pagination" not in html
    assert _normalized(html) == _normalized(_render("tables/table.html", varied_families))
