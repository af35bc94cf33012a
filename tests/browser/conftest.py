"""End-to-end tests in headless Chromium, driven by Playwright against pytest-django's
live server, with the real demo city (ひかり野市) loaded.

Every test under tests/browser/ is marked ``browser``: deselect them with ``-m "not browser"``.
The whole directory is skipped when no Chromium is installed. Playwright's own browser
download is never used: the tests launch Debian's Chromium (``/usr/bin/chromium``, or the
executable named by KYOKAN_CHROMIUM).
"""

import os
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


@pytest.fixture
def demo(transactional_db):
    """The demo city, loaded through the real loader. live_server tests run on
    transactional_db, which empties the database after each test, so every test loads it."""
    return demo_load()


def login(page, live_server, username: str, password: str = DEMO_PASSWORD):
    """Log in through the real login form (fields found by ``name``, so in any language)."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    form = page.locator(f'main form[action="{LOGIN_PATH}"]')
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    return page
