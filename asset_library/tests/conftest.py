"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

A missing /usr/bin/chromium skips the browser tests locally and fails them under CI=true
(conftest.require_service).
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import make_image_bytes, require_service

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests
# make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PASSWORD = "pass-w0rd-123"  # assets.tests.factories.UserFactory's


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        require_service("chromium", f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - requirements.txt installs it
        require_service("chromium", "the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watch(page):
    """Collect console errors and uncaught exceptions on `page.errors`."""
    page.errors = []
    page.on("console", lambda message: page.errors.append(f"console: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(f"pageerror: {error}"))
    return page


@pytest.fixture(scope="session")
def shared_context(browser, live_server):
    """One 1280 px context for the whole run: a fresh context costs a second of start-up,
    so tests reuse this one with its cookies and storage cleared (see `new_page`)."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True,
    )
    context.set_default_timeout(8000)
    yield context
    context.close()


@pytest.fixture
def new_page(browser, live_server, shared_context):
    """Make a page. The first 1280 px one shares the session's context, signed out and with
    empty storage; `fresh=True` or another size gives a context of its own."""
    contexts, pages = [], []

    def make(width=1280, height=900, fresh=False):
        if fresh or (width, height) != (1280, 900) or pages:
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": width, "height": height}, accept_downloads=True,
            )
            context.set_default_timeout(8000)
            contexts.append(context)
        else:
            context = shared_context
            context.clear_cookies()
        page = context.new_page()
        if context is shared_context:
            page.goto("/accounts/login/")
            page.evaluate("localStorage.clear()")
        pages.append(page)
        return _watch(page)

    yield make
    for page in pages:
        # Let the page's last requests finish first: the database is flushed next, and a
        # request still running in the live server then would deadlock with its TRUNCATE.
        try:
            page.wait_for_load_state("networkidle", timeout=3000)
        except Exception:  # noqa: BLE001, S110 - a page still polling: close it all the same
            pass
        page.close()
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def creator(transactional_db):
    from assets.tests.factories import UserFactory

    return UserFactory(username="creator")


def page_ready(page):
    """Wait until the page's script has started (it marks <html data-page-ready>)."""
    page.wait_for_selector("html[data-page-ready]", state="attached")
    return page


def library_ready(page):
    """Wait until the library shows its results."""
    page.wait_for_selector("[data-library]")
    page.wait_for_function("() => document.querySelector('[data-results]').getAttribute('aria-busy') === 'false'")
    return page


def log_in(page, user, password=PASSWORD, path="/library/"):
    """Sign in through the login page, as a person would: asked for it on the way to `path`."""
    page.goto(path)
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/library/**")
    return library_ready(page)


def sign_in(page, user, path):
    """Sign in through the login page and land on `path`, ready."""
    page.goto(f"/accounts/login/?next={quote(path)}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(path.split("?")[0])))
    if path.startswith("/library/") and ("?" in path or path == "/library/"):
        return library_ready(page)
    return page_ready(page)


def make_asset(owner, **fields):
    """An asset with a real picture for images (a broken one would show as 'No preview')."""
    from django.core.files.base import ContentFile

    from assets.tests.factories import AssetFactory

    kind = fields.get("type", "image")
    if kind == "image" and "file" not in fields:
        fields["file"] = ContentFile(make_image_bytes(size=(80, 60), color=fields.pop("color", (90, 120, 200))),
                                     name="picture.png")
        fields.setdefault("width", 80)
        fields.setdefault("height", 60)
    if kind in ("audio", "video") and "file" not in fields:
        fields["file"] = ""  # no playable file in tests: the card shows its waveform or icon
    fields.pop("color", None)
    return AssetFactory(owner=owner, **fields)
