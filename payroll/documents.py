"""Printable payroll: a payslip PDF and the run's register as PDF and XLSX."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from common import pdf, xlsx
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


def payslip_pdf(payslip, language: str) -> bytes:
    with translation.override(language):  # the lines' labels and explanations too
        lines = payslip_lines(payslip)
    return pdf.render_pdf(
        "payroll/pdf/payslip.html",
        {"payslip": payslip, "run": payslip.run, "lines": lines},
        language=language,
    )


def _body_rows_on(page) -> int:
    """How many employee lines a laid-out register page holds (the repeated header not counted)."""
    from weasyprint.formatting_structure import boxes

    return sum(
        len(box.children)
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TableRowGroupBox) and not (box.is_header or box.is_footer)
    )


def _register_parts(run, rows, totals):
    """Render the register in parts and yield each part's PDF, its page count and the rows
    laid out so far.

    Each part gets a few rows more than its pages are expected to hold; its last page, which
    the next rows would have filled further, is dropped and its first line begins the next part.
    So every page but the last is as full as in one long document, and each line is printed
    once. Each part is laid out with the lean user-agent stylesheet (common.pdf: the same
    pages, a third less memory) and the cycle collector paused."""
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
        with pdf.GarbageCollectionPaused():
            document = pdf.layout(html, lean=True)
            pages = document.pages if last else document.pages[:-1]
            printed = [_body_rows_on(page) for page in pages]
            if not last and sum(printed) == 0:
                # Not even a page of rows in this part (far longer lines than guessed):
                # give the next attempt twice the rows.
                per_page *= 2
                continue
            part = document.copy(pages).write_pdf()
            del document, pages
        yield part, len(printed), len(rows) if last else start + sum(printed)
        if last:
            return
        start += sum(printed)
        per_page = max(printed)


def register_pdf(run, language: str, progress=None) -> bytes:
    """The run's register: one line per payslip, the header on every page, the totals line once
    at the end, "page / pages" at the foot of each page. `progress(done, total)`, if given,
    hears of each part laid out (a job's progress bar)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    with translation.override(language):
        rows, totals = register(run)
        steps = len(rows) + 1  # every row, then the page numbers
        for part, _pages, done in _register_parts(run, rows, totals):
            if progress:
                progress(done, steps)
            part = PdfReader(BytesIO(part))
            if not writer.pages:
                writer.add_metadata(part.metadata)  # the title and producer
            writer.append(part)  # the outline too: the title's bookmark
        count = len(writer.pages)
        numbers = render_to_string(
            "payroll/pdf/page_numbers.html", {"pages": range(count), "orientation": "landscape"}
        )
    numbers = PdfReader(BytesIO(pdf.html_to_pdf(numbers)))
    if len(numbers.pages) != count:
        raise RuntimeError(f"{len(numbers.pages)} page numbers for {count} pages")
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)
        page.compress_content_streams()
    if progress:
        progress(steps, steps)
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
    ("leave_pay", lambda: _("Leave pay")),
    ("sick_pay", lambda: _("Sick pay")),
    ("maternity_pay", lambda: _("Maternity benefit")),
    ("adjustments", lambda: _("Adjustments")),
    ("gross", lambda: _("Gross pay")),
    ("income_tax", lambda: _("Income tax")),
    ("inps", lambda: _("of which INPS")),
    ("net", lambda: _("Net pay")),
    ("social_tax", lambda: _("Social tax")),
    ("total_cost", lambda: _("Total cost")),
    ("advance", lambda: _("Advance paid")),
    ("deductions", lambda: _("Deductions withheld")),
    ("amount_to_pay", lambda: _("Amount to pay")),
    ("leave_days", lambda: _("Annual leave days")),
    ("sick_days", lambda: _("Sick days")),
    ("maternity_days", lambda: _("Maternity leave days")),
    ("unpaid_days", lambda: _("Unpaid leave days")),
]
DAY_COLUMNS = 4  # the last columns: days, not soum


def register_xlsx(run, language: str) -> bytes:
    """The register as a spreadsheet: amounts as numbers of soum, the month as a date."""
    amounts = [xlsx.WHOLE] * (len(REGISTER_COLUMNS) - 3 - DAY_COLUMNS) + [None] * DAY_COLUMNS
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
