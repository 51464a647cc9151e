"""The documents payroll gives an employee: the income certificate and the year's statement.

Both are rendered by the shared renderer (common.pdf) in Uzbek, Russian or English, the
language the user picks. The certificate carries a QR code of its public verification page
(common.codes), like the training certificates.
"""

from common import pdf
from common.codes import qr_data_uri
from payroll.selectors import year_statement

LANGUAGES = ("uz", "ru", "en")


def income_certificate_pdf(certificate, *, language: str, verify_url: str) -> bytes:
    """The PDF of an issued certificate, from its snapshot; `verify_url` is the absolute
    address of its public page (the QR code's content)."""
    if language not in LANGUAGES:
        raise ValueError(f"No certificate in {language!r}")
    return pdf.render_pdf(
        "payroll/pdf/income_certificate.html",
        {
            "certificate": certificate,
            "rows": certificate.month_rows(),
            "verify_url": verify_url,
            "qr": qr_data_uri(verify_url),
        },
        language=language,
    )


def year_statement_pdf(enterprise, person, year: int, *, language: str, today) -> bytes:
    if language not in LANGUAGES:
        raise ValueError(f"No statement in {language!r}")
    rows, totals = year_statement(enterprise, person, year)
    return pdf.render_pdf(
        "payroll/pdf/year_statement.html",
        {
            "enterprise": enterprise,
            "person": person,
            "year": year,
            "rows": rows,
            "totals": totals,
            "today": today,
        },
        language=language,
    )
