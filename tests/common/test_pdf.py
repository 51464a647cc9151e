"""The shared PDF renderer (common.pdf): fonts and assets from the project only, nothing
fetched over the network, and no PDF made any other way."""

import logging
import re
import socket
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest

from common import pdf

ROOT = Path(__file__).resolve().parents[2]

EXTERNAL = """{% extends "common/pdf/base.html" %}{% block style %}
@import url("http://example.com/imported.css");
@font-face { font-family: "Far"; src: url("https://fonts.example.com/far.woff2"); }
body { background: url("http://example.com/paper.png"); }{% endblock %}
{% block body %}<link rel="stylesheet" href="http://example.com/style.css">
<img src="https://example.com/logo.png"><img src="file:///etc/hostname">
<img src="/static/../config/settings.py"><img src="/media/photo.jpg">
<p style="font-family: Far">Mustaqil</p>{% endblock %}"""

REFUSED = [
    "http://example.com/imported.css",
    "https://fonts.example.com/far.woff2",
    "http://example.com/paper.png",
    "http://example.com/style.css",
    "https://example.com/logo.png",
    "file:///etc/hostname",
    f"{pdf.BASE_URL}config/settings.py",  # the path is normalised: outside /static/
    f"{pdf.BASE_URL}media/photo.jpg",
]


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a connection or a URL is recorded and fails."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    return attempts


def test_an_external_address_in_a_template_is_refused_and_nothing_fetched(
    no_network, caplog, settings
):
    from django.template import engines

    html = engines["django"].from_string(EXTERNAL).render({})
    with caplog.at_level(logging.WARNING, logger="common.pdf"):
        document = pdf.html_to_pdf(html)
    assert document.startswith(b"%PDF")
    assert no_network == []
    refused = [
        record.args[0] for record in caplog.records if record.name == "common.pdf" and record.args
    ]
    assert sorted(set(refused)) == sorted(REFUSED)


def test_the_fetcher_serves_project_static_files_and_data_urls_only(no_network):
    fetcher = pdf.fetcher()
    font = fetcher(f"{pdf.BASE_URL}static/fonts/DejaVuSans.ttf")
    assert font.read() == (ROOT / "static" / "fonts" / "DejaVuSans.ttf").read_bytes()
    assert fetcher("data:text/plain,Salom").read() == b"Salom"
    for url in ("http://example.com/x.css", f"{pdf.BASE_URL}static/../manage.py"):
        with pytest.raises(pdf.AssetRefused):
            fetcher(url)
    with pytest.raises(pdf.AssetRefused):
        fetcher(f"{pdf.BASE_URL}static/fonts/missing.ttf")
    assert no_network == []


def test_documents_use_the_project_fonts_with_cyrillic_and_uzbek_letters(no_network, monkeypatch):
    from django.template import engines
    from pypdf import PdfReader

    asked = []
    static_file = pdf.static_file
    monkeypatch.setattr(pdf, "static_file", lambda name: asked.append(name) or static_file(name))
    monkeypatch.setattr(pdf._local, "font_config", None)  # fonts loaded afresh
    html = (
        engines["django"]
        .from_string(
            '{% extends "common/pdf/base.html" %}{% block body %}'
            "<p>Oʻgʻiloy · Платёжная ведомость</p><p><b>Jami</b></p>{% endblock %}"
        )
        .render({})
    )
    reader = PdfReader(BytesIO(pdf.html_to_pdf(html)))
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    # Named after the @font-face rules of static/css/pdf.css: the project's files, not the
    # DejaVu that the system may have installed as well.
    assert {re.sub(r"^/[A-Z]{6}\+", "", name) for name in fonts} == {
        "Mustaqil-Sans",
        "Mustaqil-Sans-Bold",
    }
    text = reader.pages[0].extract_text()
    assert "Oʻgʻiloy" in text and "Платёжная ведомость" in text
    assert "css/pdf.css" in asked
    assert {"fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"} <= set(asked)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    assert "1 / 1" in text  # the base stylesheet's page numbers
    assert no_network == []


PDF_TEMPLATES = [
    "payroll/templates/payroll/pdf/payslip.html",
    "payroll/templates/payroll/pdf/register.html",
    "payroll/templates/payroll/pdf/page_numbers.html",
    "training/templates/training/certificate.html",
    "wellbeing/templates/wellbeing/progress_pdf.html",
    "reports/templates/reports/programme_pdf.html",
]


def test_no_module_makes_a_pdf_but_the_shared_renderer():
    """WeasyPrint's HTML is built in common/pdf.py only, and every PDF template extends the
    shared base (each PDF view's own test checks that it lays out through common.pdf)."""
    makers = sorted(
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("*/**/*.py")
        if ".venv" not in path.parts
        and path.relative_to(ROOT).parts[0] not in ("tests", "bench")
        and re.search(r"from weasyprint import [^\n]*\bHTML\b|weasyprint\.HTML\b", path.read_text())
    )
    assert makers == ["common/pdf.py"]
    for name in PDF_TEMPLATES:
        text = (ROOT / name).read_text()
        assert "<html" not in text, name
        assert re.match(r'{% extends "(common|payroll)/pdf/base.html" %}', text), name
    payroll_base = (ROOT / "payroll/templates/payroll/pdf/base.html").read_text()
    assert payroll_base.startswith('{% extends "common/pdf/base.html" %}')
