"""Printable payroll: a payslip PDF and the run's register as PDF and XLSX."""

import gc
from functools import cache
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from common import xlsx
from common.xlsx import XlsxBook
from payroll.explain import payslip_lines
from payroll.selectors import register

LANGUAGES = ("uz", "ru", "en")

# The register is laid out in parts of about this many pages, each its own WeasyPrint
# document, written and freed before the next: WeasyPrint keeps every box of a document until
# it is written, so one document of 50 pages peaked at 568 MB. The parts are joined with pypdf.
REGISTER_PART_PAGES = 8
# Employees on a register page before the first part has measured it (33 to 36 are seen).
REGISTER_ROWS_PER_PAGE_GUESS = 36
# Rows given to a part beyond what its pages are expected to hold: laid out and thrown away
# with the part's last page, they make sure the kept pages are full.
REGISTER_PART_SPILL = 3


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def payslip_pdf(payslip, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(
            "payroll/pdf/payslip.html",
            {"payslip": payslip, "run": payslip.run, "lines": payslip_lines(payslip)},
        )
    return pdf_from_html(html)


@cache
def register_stylesheet():
    """WeasyPrint's HTML user-agent stylesheet without the rules for pseudo-elements that any
    element may have (::marker, ::footnote-*, ::note-*): the register has no lists, footnotes or
    notes, yet with them WeasyPrint computes six styles more for every table cell (a third of
    the register's memory and a sixth of its time). The rest is WeasyPrint's own text, so the
    register lays out exactly as with the full stylesheet (tests/payroll/test_register_pdf.py
    compares the two PDFs byte for byte)."""
    from pathlib import Path

    import weasyprint
    from weasyprint import CSS

    text = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text()
    kept = [line for line in text.splitlines() if not line.startswith("::")]
    # The @counter-style rules are WeasyPrint's own as well (HTML._ua_counter_style), and
    # defining them again only warns.
    kept = [line for line in kept if not line.startswith("@counter-style")]
    return CSS(string="\n".join(kept))


def _register_html_class():
    from weasyprint import HTML

    class RegisterHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [register_stylesheet()]

    return RegisterHTML


class _GarbageCollectionPaused:
    """Python's cycle collector paused while a part is laid out: WeasyPrint makes hundreds of
    thousands of objects that live until the part is written, and the collector walked them
    all again and again (a third of the CPU time). One collection after each part frees it."""

    def __enter__(self):
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was_enabled:
            gc.enable()
        gc.collect(0)


def _body_rows_on(page) -> int:
    """How many employee lines a laid-out register page holds (the repeated header not counted)."""
    from weasyprint.formatting_structure import boxes

    return sum(
        len(box.children)
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TableRowGroupBox) and not (box.is_header or box.is_footer)
    )


def _register_parts(run, rows, totals, font_config):
    """Render the register in parts and yield each part's PDF and its page count.

    Each part gets a few rows more than its pages are expected to hold; its last page, which
    the next rows would have filled further, is dropped and its first line begins the next part.
    So every page but the last is as full as in one long document, and each line is printed
    once."""
    html_class = _register_html_class()
    start, per_page = 0, REGISTER_ROWS_PER_PAGE_GUESS
    while True:
        take = REGISTER_PART_PAGES * per_page + REGISTER_PART_SPILL
        last = start + take >= len(rows)
        html = render_to_string(
            "payroll/pdf/register.html",
            {
                "run": run,
                "rows": rows[start : start + take],
                "totals": totals,
                "first": start == 0,
                "last": last,
            },
        )
        with _GarbageCollectionPaused():
            document = html_class(string=html).render(font_config=font_config)
            pages = document.pages if last else document.pages[:-1]
            printed = [_body_rows_on(page) for page in pages]
            if not last and sum(printed) == 0:
                # Not even a page of rows in this part (far longer lines than guessed):
                # give the next attempt twice the rows.
                per_page *= 2
                continue
            pdf = document.copy(pages).write_pdf()
            del document, pages
        yield pdf, len(printed)
        if last:
            return
        start += sum(printed)
        per_page = max(printed)


def register_pdf(run, language: str) -> bytes:
    """The run's register: one line per payslip, the header on every page, the totals line once
    at the end, "page / pages" at the foot of each page."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    writer = PdfWriter()
    with translation.override(language):
        rows, totals = register(run)
        for part, _pages in _register_parts(run, rows, totals, font_config):
            part = PdfReader(BytesIO(part))
            if not writer.pages:
                writer.add_metadata(part.metadata)  # the title and producer
            writer.append(part)  # the outline too: the title's bookmark
        count = len(writer.pages)
        numbers = render_to_string(
            "payroll/pdf/page_numbers.html", {"pages": range(count), "orientation": "landscape"}
        )
    from weasyprint import HTML

    numbers = PdfReader(BytesIO(HTML(string=numbers).write_pdf(font_config=font_config)))
    if len(numbers.pages) != count:
        raise RuntimeError(f"{len(numbers.pages)} page numbers for {count} pages")
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)
        page.compress_content_streams()
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


REGISTER_COLUMNS = [
    ("person", lambda: _("Employee")),
    ("position_title", lambda: _("Position")),
    ("days_worked", lambda: _("Days")),
    ("base", lambda: _("Base pay")),
    ("overtime", lambda: _("Overtime")),
    ("piece_work", lambda: _("Piece work")),
    ("bonus", lambda: _("Bonus")),
    ("adjustments", lambda: _("Adjustments")),
    ("gross", lambda: _("Gross pay")),
    ("income_tax", lambda: _("Income tax")),
    ("inps", lambda: _("of which INPS")),
    ("net", lambda: _("Net pay")),
    ("social_tax", lambda: _("Social tax")),
    ("total_cost", lambda: _("Total cost")),
]


def register_xlsx(run, language: str) -> bytes:
    """The register as a spreadsheet: amounts as numbers of soum, the month as a date."""
    amounts = [xlsx.WHOLE] * (len(REGISTER_COLUMNS) - 3)
    with translation.override(language):
        book = XlsxBook()
        sheet = book.sheet(f"{run.month:%Y-%m}", widths=[32, 18])
        sheet.row(
            [_("Payroll register"), str(run.enterprise), run.month],
            formats=[None, None, xlsx.MONTH],
        )
        sheet.row([_("Status"), run.get_status_display()])
        sheet.blank()
        sheet.row([label() for _field, label in REGISTER_COLUMNS], bold=True)
        rows, totals = register(run)
        formats = [None, None, None, *amounts]
        for payslip in rows:
            sheet.row(
                [
                    payslip.person.full_name if field == "person" else getattr(payslip, field)
                    for field, _label in REGISTER_COLUMNS
                ],
                formats=formats,
            )
        sheet.row(
            [_("Total"), None, totals["days_worked"]]
            + [totals[field] for field, _label in REGISTER_COLUMNS[3:]],
            formats=formats,
            bold=True,
        )
        return book.bytes()
