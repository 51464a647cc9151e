"""Every list that exports goes through common.exports, and its export holds every column
its page shows: the page's header cells against the export's header row, for every role
that sees the list. A list added with an export but not walked here fails the first test."""

import csv
import io
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from beneficiaries.models import Family, IncomeRecord
from common.exports import EXPORT_PARAM, ExportMixin
from payroll import services as payroll_services
from payroll.models import StatutoryRule
from payroll.rules_defaults import load_default_rules
from reports.figures import FIGURES
from reports.outcomes import OUTCOME_LISTS
from tests.payroll.factories import SocialEnterpriseFactory, hire
from tests.reports.world import END, START, build_world
from training.models import Course

pytestmark = pytest.mark.django_db

PERIOD = f"start={START.isoformat()}&end={END.isoformat()}"
# Header cells that are links to act on a row, not data: declared exclude_from_export.
NOT_DATA = {"Actions"}
PERSONAS = ["director", "caseworker", "caseworker_tashkent", "trainer", "manager", "auditor"]


def export_views() -> set[str]:
    """The URL names (namespace:name) of every view that exports through ExportMixin."""
    found = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner != "admin":
                    walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class is not None and issubclass(view_class, ExportMixin):
                    found.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return found


def list_urls(world) -> dict[str, list[str]]:
    """The lists to walk, with the arguments their URLs need."""
    return {
        "beneficiaries:family_list": [reverse("beneficiaries:family_list")],
        "wellbeing:income_list": [reverse("wellbeing:income_list", args=[world.family.pk])],
        "training:cohort_list": [reverse("training:cohort_list")],
        "training:enrolment_list": [reverse("training:enrolment_list")],
        "enterprises:enterprise_list": [reverse("enterprises:enterprise_list")],
        "enterprises:employment_list": [reverse("enterprises:employment_list")],
        "enterprises:business_list": [reverse("enterprises:business_list")],
        "enterprises:placement_list": [reverse("enterprises:placement_list")],
        "payroll:run_list": [reverse("payroll:run_list")],
        "reports:figure": [
            f"{reverse('reports:figure', args=[figure.slug])}?{PERIOD}"
            for figure in FIGURES
            if figure.slug
        ],
        "reports:programme_outcome": [
            f"{reverse('reports:programme_outcome', args=[item.slug])}?{PERIOD}"
            for item in OUTCOME_LISTS
        ],
        "reports:course_outcome": [
            reverse("reports:course_outcome", args=[course.pk, "completers"])
            for course in Course.objects.all()[:2]
        ],
    }


class ListHeader(HTMLParser):
    """The header cells of the django-tables2 table on a page (inside .table-container)."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside div.table-container
        self.in_head = self.in_th = False
        self.cells: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and (self.depth or "table-container" in classes):
            self.depth += 1
        elif self.depth and tag == "thead":
            self.in_head = True
        elif self.in_head and tag == "th":
            self.in_th = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1
        elif tag == "thead":
            self.in_head = False
        elif tag == "th":
            self.in_th = False

    def handle_data(self, data):
        if self.in_th:
            self.cells[-1] += data


def page_header(html: str) -> list[str]:
    parser = ListHeader()
    parser.feed(html)
    return [" ".join(cell.replace("▲", "").replace("▼", "").split()) for cell in parser.cells]


def export_header(client, url: str, export_format: str) -> list[str]:
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}{EXPORT_PARAM}={export_format}")
    assert response.status_code == 200, url
    if export_format == "csv":
        return next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell.value for cell in next(sheet.iter_rows(max_row=1))]


@pytest.fixture
def world(personas):
    build_world(families=14, seed=3)
    load_default_rules(StatutoryRule)
    enterprise = SocialEnterpriseFactory(name="Mehr", managers=[personas.manager])
    hire(enterprise, rate="3000000")
    payroll_services.payroll_run_generate(enterprise=enterprise, month=START.replace(year=2025))
    family = (
        Family.objects.filter(branch__code="SAM", pk__in=IncomeRecord.objects.values("family"))
        .order_by("pk")
        .first()
    )
    world = type("World", (), {})()
    world.family = family
    return world


def test_every_list_with_an_export_is_walked(world):
    assert export_views() == set(list_urls(world))


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_export_has_every_column_its_page_shows(client_for, personas, world, persona):
    client = client_for(getattr(personas, persona))
    compared = 0
    for name, urls in list_urls(world).items():
        for url in urls:
            page = client.get(url)
            if page.status_code != 200:
                assert page.status_code in (403, 404), (name, url)
                continue
            shown = [cell for cell in page_header(page.content.decode()) if cell not in NOT_DATA]
            assert shown, (name, url)  # the page has a list table
            if not page.context["may_export"]:
                assert f"{EXPORT_PARAM}=" not in page.content.decode(), (name, url)
                joiner = "&" if "?" in url else "?"
                assert client.get(f"{url}{joiner}{EXPORT_PARAM}=csv").status_code == 403
                continue
            for export_format in ("csv", "xlsx"):
                exported = export_header(client, url, export_format)
                missing = [cell for cell in shown if cell not in exported]
                assert missing == [], (name, url, export_format)
                # ... and in the page's order.
                assert [cell for cell in exported if cell in shown] == shown, (name, url)
            compared += 1
    # The walk reached the lists this role may export (the manager and the auditor: payroll
    # runs, which hold no personal data; the trainer none).
    assert compared >= {"director": 10, "caseworker": 5, "manager": 1, "auditor": 1}.get(persona, 0)


def test_the_page_header_parser_reads_the_list_table_only():
    html = (
        "<table><thead><tr><th>Month</th></tr></thead></table>"
        '<div class="table-container"><table><thead><tr><th class="asc">'
        '<a href="?sort=a">Case ▲</a></th><th>Branch</th></tr></thead></table></div>'
    )
    assert page_header(html) == ["Case", "Branch"]
