"""Personas: one user per role, plus an outsider with no role at all."""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from accounts.roles import Role
from tests.factories import UserFactory, branch


@pytest.fixture
def samarkand(db):
    return branch("SAM")


@pytest.fixture
def tashkent(db):
    return branch("TAS")


@pytest.fixture
def personas(db, samarkand, tashkent):
    """director, caseworker (Samarkand), caseworker_tashkent, trainer, manager, auditor,
    outsider (signed in, no role)."""
    return SimpleNamespace(
        director=UserFactory(username="p_director", role=Role.PROGRAMME_MANAGER),
        caseworker=UserFactory(username="p_caseworker", role=Role.CASEWORKER, branches=[samarkand]),
        caseworker_tashkent=UserFactory(
            username="p_caseworker_tas", role=Role.CASEWORKER, branches=[tashkent]
        ),
        trainer=UserFactory(username="p_trainer", role=Role.TRAINER),
        manager=UserFactory(username="p_manager", role=Role.ENTERPRISE_MANAGER),
        auditor=UserFactory(username="p_auditor", role=Role.AUDITOR),
        outsider=UserFactory(username="p_outsider"),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) -> the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(scope="session", autouse=True)
def flush_past_the_payroll_lock():
    """A transactional test's flush empties every table; on SQLite it does so with DELETE,
    which the approved payroll's triggers refuse (PostgreSQL's TRUNCATE fires none). The
    flush runs inside the lock's override (payroll/locks.py), in its own transaction."""
    from django.db import connection

    from payroll.locks import OVERRIDE_FLUSH

    if connection.vendor != "sqlite":
        yield
        return
    DatabaseOperations = type(connection.ops)
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if not statements:
            return statements
        return [OVERRIDE_FLUSH[0], *statements, OVERRIDE_FLUSH[1]]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; tests create many."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright; never a downloaded browser."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium chromium-driver)")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


@pytest.fixture
def signed_in_page(browser, live_server, settings):
    """signed_in_page(user, password="secret-pass-123", viewport=None) -> a Playwright page
    signed in through the real login form."""
    pages = []

    def open_page(user, password="secret-pass-123", viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{live_server.url}/")
        pages.append(context)
        return page

    yield open_page
    for context in pages:
        context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot under test-artifacts/ (ignored by git) for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def only_timeline_sources(monkeypatch):
    """only_timeline_sources(source, ...): the family timeline with just these sources, so an
    app's tests count its own entries and queries; the family page test covers them all."""
    from beneficiaries import timeline

    def restrict(*sources):
        monkeypatch.setattr(timeline, "_sources", list(sources))

    return restrict


@pytest.fixture
def pdf_renders(monkeypatch):
    """The HTML of every document laid out by the shared renderer (common.pdf.layout) during
    the test: a PDF view that made its PDF any other way leaves this list empty."""
    from common import pdf

    laid_out = []
    layout = pdf.layout

    def spy(html, **kwargs):
        laid_out.append(html)
        return layout(html, **kwargs)

    monkeypatch.setattr(pdf, "layout", spy)
    return laid_out


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path_factory):
    """Generated files (My files) go to a folder of the test's own, never to media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
