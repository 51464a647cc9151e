"""The payroll register PDF, rendered in parts of a few pages and joined (payroll.documents):
every line printed once, the header on every page, the totals line once at the end, the page
numbers of the joined document, and the same pages as one long document would have."""

import gc
import re
import subprocess
from decimal import Decimal as D

import pytest

from payroll import documents, services
from tests.factories import PersonFactory
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db

LAST_COLUMNS = ("net", "social_tax", "total_cost")
EMPLOYEES = 80  # three pages: about 35 lines a page, fewer on the first under the title


def pages_text(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page as poppler's pdftotext lays it out (thin spaces made plain)."""
    path = tmp_path / "register.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.replace("\u202f", " ").split("\f")[:-1]  # each page ends with a form feed


def amount(text: str) -> D:
    return D(text.replace(" ", ""))


def soum(value: D) -> list[str]:
    """An amount as the register prints it, split at its thin spaces: 3360000 -> 3, 360, 000."""
    return f"{value:,.0f}".split(",")


def cells(line: str) -> list[str]:
    """A table line's cells: -layout keeps two spaces or more between columns."""
    return re.split(r"\s{2,}", line.strip())


@pytest.fixture
def big_run(enterprise):
    for i in range(EMPLOYEES):
        hire(
            enterprise,
            rate=str(2_000_000 + 10_000 * i),
            person=PersonFactory(full_name=f"Karimova Dilnoza {i:03d}"),
        )
    return services.payroll_run_generate(enterprise=enterprise, month=MARCH)


def register(run, language="en", *, part_pages, monkeypatch):
    monkeypatch.setattr(documents, "REGISTER_PART_PAGES", part_pages)
    return documents.register_pdf(run, language)


@pytest.mark.parametrize("part_pages", [1, 2, documents.REGISTER_PART_PAGES])
def test_the_joined_register_prints_each_line_once(big_run, part_pages, monkeypatch, tmp_path):
    pages = pages_text(register(big_run, part_pages=part_pages, monkeypatch=monkeypatch), tmp_path)
    assert len(pages) == 3
    lines = [line for page in pages for line in page.splitlines()]
    names = [cells(line)[0] for line in lines if line.strip().startswith("Karimova")]
    assert names == [f"Karimova Dilnoza {i:03d}" for i in range(EMPLOYEES)]  # once, in order
    for number, page in enumerate(pages, start=1):
        assert re.search(r"^\s*Employee\s+Position\s+Days\b", page, re.MULTILINE), number
        assert "Total cost" in page  # the header's last column
        # Only the laid-over numbers: the parts print none of their own.
        assert re.findall(r"(\d+) ?/ ?(\d+)", page) == [(str(number), "3")]
    assert "Payroll register" in pages[0]
    assert "Payroll register" not in pages[1] + pages[2]

    totals = [(n, line) for n, page in enumerate(pages) for line in page.splitlines()]
    totals = [(n, line) for n, line in totals if re.match(r"\s*Total\s+\d", line)]
    assert len(totals) == 1
    page_of_total, total = totals[0]
    assert page_of_total == len(pages) - 1
    printed_costs = [amount(cells(line)[-1]) for line in lines if "Karimova" in line]
    assert sum(printed_costs) == big_run.cost_total
    # The totals line's figures stand too close for -layout's two spaces between columns:
    # compare its last words with the net pay, social tax and total cost of all the payslips.
    payslips = list(big_run.payslips.all())
    expected = [soum(sum(getattr(p, field) for p in payslips)) for field in LAST_COLUMNS]
    assert total.split()[-sum(map(len, expected)) :] == [word for a in expected for word in a]
    assert "rounded to the whole soum" in pages[-1]


def test_parts_give_the_pages_of_one_long_document(big_run, monkeypatch, tmp_path):
    """Part by part, each page looks as when the register is one document: the same lines,
    pixel for pixel (a later part starts where the long document continues its table)."""
    looks = []
    for part_pages in (100, 1):
        path = tmp_path / f"register-{part_pages}.pdf"
        path.write_bytes(register(big_run, part_pages=part_pages, monkeypatch=monkeypatch))
        subprocess.run(["pdftoppm", "-r", "40", str(path), str(path.with_suffix(""))], check=True)
        looks.append([page.read_bytes() for page in sorted(tmp_path.glob(f"{path.stem}-*.ppm"))])
    assert len(looks[0]) == 3
    assert looks[1] == looks[0]


def test_a_register_of_one_line(run_of_one, tmp_path):
    pdf = documents.register_pdf(run_of_one, "en")
    (page,) = pages_text(pdf, tmp_path)
    assert re.findall(r"(\d+) ?/ ?(\d+)", page) == [("1", "1")]
    assert len(re.findall(r"^\s*Total\s+\d", page, re.MULTILINE)) == 1
    assert "3 360 000" in page  # the line's and the total's cost


@pytest.fixture
def run_of_one(enterprise):
    hire(enterprise, rate="3000000")
    return services.payroll_run_generate(enterprise=enterprise, month=MARCH)


@pytest.mark.parametrize(
    ("language", "title", "employee", "total"),
    [
        ("en", "Payroll register", "Employee", "Total"),
        ("ru", "Платёжная ведомость", "Работник", "Итого"),
        ("uz", "Ish haqi qaydnomasi", "Xodim", "Jami"),
    ],
)
def test_the_register_in_three_languages(run_of_one, language, title, employee, total, tmp_path):
    (page,) = pages_text(documents.register_pdf(run_of_one, language), tmp_path)
    assert title in page
    assert re.search(rf"^\s*{employee}\s", page, re.MULTILINE)
    assert re.search(rf"^\s*{total}\s+\d", page, re.MULTILINE)
    assert re.findall(r"(\d+) ?/ ?(\d+)", page) == [("1", "1")]


def test_the_reduced_stylesheet_lays_out_as_the_full_one(big_run):
    """The user-agent stylesheet without ::marker, ::footnote-* and ::note-* rules gives the
    very same PDF, byte for byte, as WeasyPrint's full one (both through common.pdf)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from common import pdf

    rows, totals = documents.register(big_run)
    html = render_to_string(
        "payroll/pdf/register.html",
        {"run": big_run, "rows": rows, "totals": totals, "first": True, "last": True},
    )
    reduced = pdf.html_to_pdf(html, lean=True)
    assert len(pdf.lean_ua_stylesheet().matcher.other_selectors) < len(
        HTML(string="")._ua_stylesheets()[0].matcher.other_selectors
    )
    assert reduced == pdf.html_to_pdf(html)


@pytest.mark.parametrize("enabled", [True, False])
def test_garbage_collection_is_left_as_it_was(run_of_one, enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        documents.register_pdf(run_of_one, "en")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
