"""End-to-end tests in headless Chromium, driven by Playwright against pytest-django's
live server, with the real demo city (ひかり野市) loaded.

Every test under tests/browser/ is marked ``browser``: deselect them with ``-m "not browser"``.
The whole directory is skipped when no Chromium is installed. Playwright's own browser
download is never used: the tests launch Debian's Chromium (``/usr/bin/chromium``, or the
executable named by KYOKAN_CHROMIUM).
"""

import copy
import os
import sqlite3
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KYOKAN_CHROMIUM") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        f"browser tests skipped: no Chromium at {CHROMIUM} "
        "(install Debian's chromium package, or set KYOKAN_CHROMIUM to a Chromium executable)",
        allow_module_level=True,
    )

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser tests skipped: playwright is not installed"
)

# Playwright's sync API keeps an event loop running in the test thread, so Django would
# otherwise refuse the database work (demo loading, look-ups) done by the tests themselves.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from kyokan.apps.core.demo import DEMO_PASSWORD, demo_load  # noqa: E402

BROWSER_DIR = Path(__file__).resolve().parent

# The machine has no network: without these flags Chromium keeps trying to reach Google.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's default is 30 s; a local server answers in well under a second, so a
# missing element fails fast instead of stalling the suite.
TIMEOUT_MS = 10_000

LOGIN_PATH = "/accounts/login/"


def pytest_collection_modifyitems(config, items):
    """Mark every test of this directory ``browser`` (hooks see the whole session's items)."""
    for item in items:
        if item.path.is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright():
    with sync_api.sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser):
    """new_page(**context_options) → a page in a fresh context (no cookies), in Japanese.
    Every context made here is closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("locale", "ja-JP")
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


# The demo city's database as the real loader left it, per test process and day: the first
# test of a process loads it (about a minute: the analyses run), the others get a copy.
_DEMO_IMAGE: dict = {}


@pytest.fixture
def demo(transactional_db):
    """The demo city, loaded through the real loader. live_server tests run on
    transactional_db, which empties the database after each test. On SQLite's in-memory test
    database, the first test of a process loads the demo and keeps an image of the whole
    database (SQLite's backup API); every later test gets that image copied back, byte for
    byte, with its own copy of the loader's context. On any other database every test loads
    the demo."""
    from django.core.cache import caches
    from django.db import connection
    from django.utils import timezone

    for cache in caches.all():
        cache.clear()
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return demo_load()
    today = timezone.localdate()
    connection.ensure_connection()
    if today not in _DEMO_IMAGE:
        context = demo_load()
        image = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(image)
        _DEMO_IMAGE.clear()
        _DEMO_IMAGE[today] = (image, context)
    image, context = _DEMO_IMAGE[today]
    image.backup(connection.connection)
    return copy.deepcopy(context)


def login(page, live_server, username: str, password: str = DEMO_PASSWORD):
    """Log in through the real login form (fields found by ``name``, so in any language)."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    form = page.locator(f'main form[action="{LOGIN_PATH}"]')
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    return page
