"""The certificate PDF: A4 landscape, in Uzbek, Russian or English, with a QR code.

Rendered by the shared renderer (common.pdf) with the project's DejaVu fonts (they carry
Cyrillic and the Uzbek ʻ), and the QR code embedded as an SVG data URI, so rendering needs
no network at all.
"""

from common.codes import qr_data_uri
from common.pdf import render_pdf
from training.selectors import hours_attended

CERTIFICATE_LANGUAGES = ("uz", "ru", "en")


def certificate_context(qualification, *, language: str, verify_url: str) -> dict:
    enrolment = qualification.enrolment
    cohort = enrolment.cohort
    course = cohort.course
    return {
        "language": language,
        "holder": enrolment.person.full_name,
        "course_title": course.title_in(language),
        "course": course,
        "cohort": cohort,
        "qualification": qualification,
        "hours_attended": hours_attended(enrolment),
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
    }


def render_certificate(qualification, *, language: str, verify_url: str) -> bytes:
    """The PDF of one certificate; `verify_url` is the absolute address of its public page."""
    if language not in CERTIFICATE_LANGUAGES:
        raise ValueError(f"No certificate in {language!r}")
    return render_pdf(
        "training/certificate.html",
        certificate_context(qualification, language=language, verify_url=verify_url),
        language=language,
    )
