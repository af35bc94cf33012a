"""Steps the browser journeys share: following links and submitting forms as a user would,
switching users, downloads, and running the background worker."""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.conftest import login


def ja(message: str) -> str:
    """A UI message as the server shows it in Japanese (the default language)."""
    with translation.override("ja"):
        return translation.gettext(message)


def path_of(page) -> str:
    return urlsplit(page.url).path


def follow(page, href: str, *, within: str = "main"):
    """Click the link to ``href`` as a user would and wait for the page."""
    link = page.locator(f'{within} a[href="{href}"]').first
    expect(link).to_be_visible()
    # Wait for leaving this address: htmx may still be rewriting the current page's history
    # entry (a same-document navigation with no response) just after a filter.
    here = page.url
    with page.expect_navigation(url=lambda url: url != here) as navigation:
        link.click()
    response = navigation.value
    assert response is not None and response.status == 200, (href, response and response.status)


def submit(page, form_selector: str = "main form[method=post]"):
    """Submit a form with its submit button and check that it was accepted."""
    form = page.locator(form_selector)
    expect(form).to_have_count(1)
    with page.expect_navigation() as navigation:
        form.locator('button[type="submit"]').click()
    response = navigation.value
    errors = page.locator("main .form-errors, main .errorlist")
    assert errors.count() == 0, f"the form was refused: {errors.all_inner_texts()}"
    assert response is not None and response.status == 200, response and response.status


def logout(page):
    with page.expect_navigation():
        page.locator('header form[action="/accounts/logout/"] button[type="submit"]').click()


def switch_user(page, live_server, username: str):
    logout(page)
    login(page, live_server, username)
    assert path_of(page) == "/", f"{username} could not log in"


def download(page, href: str, target: Path) -> Path:
    with page.expect_download() as download_info:
        page.locator(f'main a[href="{href}"]').first.click()
    download_info.value.save_as(target)
    return target


def run_worker():
    """Run the queued background tasks (analyses) in the test process, then return."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
