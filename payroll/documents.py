"""Printable payroll: a payslip PDF and the run's register as PDF and XLSX."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from payroll.explain import payslip_lines
from payroll.selectors import register

LANGUAGES = ("uz", "ru", "en")


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


def register_pdf(run, language: str) -> bytes:
    with translation.override(language):
        rows, totals = register(run)
        html = render_to_string(
            "payroll/pdf/register.html", {"run": run, "rows": rows, "totals": totals}
        )
    return pdf_from_html(html)


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
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(language):
        book = Workbook()
        sheet = book.active
        sheet.title = f"{run.month:%Y-%m}"
        sheet.append([_("Payroll register"), str(run.enterprise), f"{run.month:%m.%Y}"])
        sheet.append([_("Status"), run.get_status_display()])
        sheet.append([])
        sheet.append([label() for _field, label in REGISTER_COLUMNS])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        first = 5
        rows, totals = register(run)
        for payslip in rows:
            sheet.append(
                [
                    payslip.person.full_name if field == "person" else getattr(payslip, field)
                    for field, _label in REGISTER_COLUMNS
                ]
            )
        sheet.append(
            [_("Total"), "", totals["days_worked"]]
            + [totals[field] for field, _label in REGISTER_COLUMNS[3:]]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=first, min_col=4):
            for cell in row:
                cell.number_format = "#,##0"
        sheet.column_dimensions["A"].width = 32
        sheet.column_dimensions["B"].width = 18
    out = BytesIO()
    book.save(out)
    return out.getvalue()
