"""The one PDF renderer: a template rendered to HTML, laid out by WeasyPrint.

Every PDF the app makes comes through `layout` (payslips, the payroll register, certificates,
the family progress report, the programme report): documents extend
`common/pdf/base.html`, which links the base stylesheet (static/css/pdf.css: A4, margins,
"page / pages", the project's DejaVu fonts). WeasyPrint gets its fonts, stylesheets and
images from the project only: the fetcher serves the project's static files (found by
Django's static file finders) and data: URLs, and refuses everything else, so rendering never
reaches the network. A refused address is logged and left out of the document.
"""

import atexit
import base64
import gc
import logging
import mimetypes
import threading
from functools import cache
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

# Relative addresses in a document ("/static/fonts/…", what {% static %} gives) are resolved
# against this origin; `.invalid` is reserved (RFC 2606), so no such host can ever answer.
BASE_URL = "https://mustaqil.invalid/"

_local = threading.local()


@atexit.register
def _forget_font_config():
    """Drop the main thread's font configuration while the interpreter can still delete its
    temporary folder (its __del__ fails once the modules are torn down)."""
    _local.font_config = None


class AssetRefused(ValueError):
    """An address a document asked for that is neither a project static file nor data:."""


def static_file(name: str) -> str | None:
    """The file of a project static file's name: from the apps' and STATICFILES_DIRS' folders
    (Django's finders), else, for a name with a manifest hash ({% static %} when DEBUG is off),
    from the collected static files."""
    if not name or ".." in name.split("/"):
        return None
    path = finders.find(name)
    if path:
        return path
    if staticfiles_storage.exists(name):
        return staticfiles_storage.path(name)
    return None


def data_url(url: str) -> tuple[str, bytes]:
    """The media type and bytes of a data: URL (RFC 2397), decoded here, not by urllib."""
    header, comma, payload = url.removeprefix("data:").partition(",")
    if not comma:
        raise AssetRefused(url)
    if header.endswith(";base64"):
        return header.removesuffix(";base64") or "text/plain", base64.b64decode(payload)
    return header or "text/plain;charset=US-ASCII", unquote_to_bytes(payload)


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        """Serves data: URLs and the project's static files; refuses any other address."""

        def __init__(self):
            super().__init__(allowed_protocols=())  # nothing through urllib, not even data:
            self.static_prefix = BASE_URL + settings.STATIC_URL.lstrip("/")

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                content_type, body = data_url(url)
                return URLFetcherResponse(url, body, headers={"Content-Type": content_type})
            if url.startswith(self.static_prefix):
                name = url.removeprefix(self.static_prefix).split("?")[0].split("#")[0]
                path = static_file(name)
                if path:
                    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    with open(path, "rb") as file:
                        body = file.read()
                    return URLFetcherResponse(url, body, headers={"Content-Type": content_type})
            logger.warning("PDF: refused to fetch %s (not a project static file)", url)
            raise AssetRefused(url)

    return ProjectFetcher


def fetcher():
    """This thread's fetcher (building one costs an SSL context)."""
    if getattr(_local, "fetcher", None) is None:
        _local.fetcher = _fetcher_class()()
    return _local.fetcher


def font_config():
    """This thread's WeasyPrint font configuration: the project's fonts are loaded into it
    once, by the first document, and every later document finds them there."""
    if getattr(_local, "font_config", None) is None:
        from weasyprint.text.fonts import FontConfiguration

        _local.font_config = FontConfiguration()
    return _local.font_config


@cache
def lean_ua_stylesheet():
    """WeasyPrint's HTML user-agent stylesheet without the rules for pseudo-elements that any
    element may have (::marker, ::footnote-*, ::note-*). A document without lists, footnotes or
    notes lays out exactly as with the full stylesheet (tests/payroll/test_register_pdf.py
    compares the two PDFs byte for byte), but WeasyPrint no longer computes six styles more for
    every element: a third of a long table's memory and a sixth of its time."""
    from pathlib import Path

    import weasyprint
    from weasyprint import CSS

    text = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text()
    kept = [line for line in text.splitlines() if not line.startswith("::")]
    # The @counter-style rules are WeasyPrint's own as well (HTML._ua_counter_style), and
    # defining them again only warns.
    kept = [line for line in kept if not line.startswith("@counter-style")]
    return CSS(string="\n".join(kept))


@cache
def _html_classes():
    from weasyprint import HTML

    class LeanHTML(HTML):
        # HTML._ua_stylesheets is WeasyPrint 70's internal (no public option replaces the
        # user-agent stylesheet): re-run tests/payroll/test_register_pdf.py when upgrading.
        def _ua_stylesheets(self, forms=False):
            return [lean_ua_stylesheet()]

    return {False: HTML, True: LeanHTML}


def layout(html: str, *, lean: bool = False):
    """Lay out a document's HTML: a WeasyPrint document, pages laid out, not yet written.
    `lean` uses the user-agent stylesheet without pseudo-element rules (long tables)."""
    document = _html_classes()[lean](string=html, base_url=BASE_URL, url_fetcher=fetcher())
    return document.render(font_config=font_config())


def html_to_pdf(html: str, *, lean: bool = False) -> bytes:
    return layout(html, lean=lean).write_pdf()


def render_pdf(template_name: str, context=None, *, request=None, language=None) -> bytes:
    """The PDF of a template (one that extends common/pdf/base.html), in `language` if given."""
    if language is None:
        html = render_to_string(template_name, context, request=request)
    else:
        with translation.override(language):
            html = render_to_string(template_name, context, request=request)
    return html_to_pdf(html)


class GarbageCollectionPaused:
    """Python's cycle collector paused while a long document is laid out: WeasyPrint makes
    hundreds of thousands of objects that live until the document is written, and the
    collector walked them all again and again (a third of the CPU time of the payroll
    register). One young-generation collection afterwards. Sync workers only: no other thread
    waits on the collector."""

    def __enter__(self):
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was_enabled:
            gc.enable()
        gc.collect(0)
