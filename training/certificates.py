"""The certificate PDF: A4 landscape, in Uzbek, Russian or English, with a QR code.

Rendered by WeasyPrint from an HTML template with the locally installed DejaVu fonts
(they carry Cyrillic and the Uzbek ʻ), and the QR code embedded as an SVG data URI, so
rendering needs no network at all.
"""

import threading

import segno
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

CERTIFICATE_LANGUAGES = ("uz", "ru", "en")


_local = threading.local()


def offline_fetcher() -> URLFetcher:
    """Fetches data: URIs only, so a certificate never reaches the network; one per thread
    (building a fetcher costs an SSL context)."""
    fetcher = getattr(_local, "fetcher", None)
    if fetcher is None:
        fetcher = _local.fetcher = URLFetcher(allowed_protocols=("data",))
    return fetcher


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#0b2e23")


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
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
    }


def render_certificate(qualification, *, language: str, verify_url: str) -> bytes:
    """The PDF of one certificate; `verify_url` is the absolute address of its public page."""
    if language not in CERTIFICATE_LANGUAGES:
        raise ValueError(f"No certificate in {language!r}")
    with translation.override(language):
        html = render_to_string(
            "training/certificate.html",
            certificate_context(qualification, language=language, verify_url=verify_url),
        )
    return HTML(string=html, url_fetcher=offline_fetcher()).write_pdf()
