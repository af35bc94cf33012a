"""The accessibility policy page publishes the hand-kept results of the browser tests
(kyokan/apps/portal/accessibility_results.py); portal pages keep the markup those tests
rely on: scrollable tables that the keyboard can reach, the reading switches, the portal's
navigation to the open data."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from kyokan.apps.portal import accessibility_results as results
from kyokan.apps.portal.views import LARGE_COOKIE, RUBY_COOKIE
from tests.portal import content
from tests.portal.test_portal import _text, portal_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(people):
    return content.build(people)


def _policy(client) -> str:
    return unescape(_text(client.get(reverse("portal:accessibility")).content.decode()))


def test_the_policy_page_states_the_recorded_results(client):
    page = _policy(client)
    summary = results.summary()
    assert f"axe-core {results.AXE_VERSION}" in page and results.AXE_PACKAGE in page
    assert results.TESTED_ON.isoformat() in page and results.BROWSER in page
    assert results.DRIVER in page
    assert ", ".join(results.AXE_TAGS) in page
    pages, cases = summary["pages"], summary["cases"]
    assert f"{pages}ページ（ページと表示の設定の組み合わせで{cases}件）" in page
    for row in results.PAGES:
        assert str(row.label) in page and row.path in page
    for problem in results.KNOWN_PROBLEMS:
        assert str(problem) in page
    assert "読み上げソフト" in page and "「準拠」「一部準拠」の表記はしていません" in page
    assert "手作業で転記" in page


def test_the_recorded_figures_add_up():
    assert results.case_count() == sum(len(row.modes) for row in results.PAGES)
    assert len({row.page for row in results.PAGES}) == len(results.PAGES)
    for row in results.PAGES:
        assert set(row.modes) <= set(results.MODES) and row.modes
        assert row.rules_passed > 0 and row.controls > 0
    assert results.NO_SCRIPT["switch_pages"] == sum(
        1 for row in results.PAGES if row.modes == results.MODES
    )
    assert results.NO_SCRIPT["pages"] == len(results.PAGES)


def test_a_failed_check_would_show_on_the_page(client, monkeypatch):
    """The page does not say 'no problem' whatever the figures are."""
    first = results.PAGES[0]
    failing = results.PageResult(
        first.page, first.label, first.path, first.modes, first.rules_passed, 2,
        first.controls, 1,
    )  # fmt: skip
    monkeypatch.setattr(results, "PAGES", (failing, *results.PAGES[1:]))
    page = _policy(client)
    assert "問題3件" in page
    pages = len(results.PAGES)
    found = "ページで問題が見つかりました（axe-coreの違反2件、その他の問題1件）"
    assert f"{pages}ページのうち1{found}" in page


class _Regions(HTMLParser):
    """Each .table-wrap's attributes, and the ids in the page."""

    def __init__(self):
        super().__init__()
        self.wraps, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if "table-wrap" in (attrs.get("class") or "").split():
            self.wraps.append(attrs)


def scrollable_tables_problems(html: str) -> list[str]:
    parser = _Regions()
    parser.feed(html)
    problems = []
    for wrap in parser.wraps:
        if wrap.get("role") != "region" or wrap.get("tabindex") != "0":
            problems.append(f"table-wrap without role=region tabindex=0: {wrap}")
        if wrap.get("aria-labelledby") not in parser.ids:
            problems.append(f"table-wrap labelled by a missing id: {wrap}")
    return problems


def test_wide_tables_scroll_in_a_region_the_keyboard_reaches(client, built):
    seen = 0
    for url in [*portal_urls(built), reverse("opendata:catalogue"), "/opendata/initiatives/"]:
        html = client.get(url).content.decode()
        seen += html.count('class="table-wrap"')
        assert not scrollable_tables_problems(html), url
    assert seen >= 6
    assert scrollable_tables_problems('<div class="table-wrap"><table></table></div>')


def test_the_portal_navigation_leads_to_the_open_data(client, built):
    html = client.get(reverse("portal:home")).content.decode()
    nav = re.search(r'<nav class="portal-nav".*?</nav>', html, re.S).group(0)
    assert f'href="{reverse("opendata:catalogue")}"' in nav and "オープンデータ" in nav


def test_the_open_data_pages_have_the_reading_help(client, built):
    for url in (reverse("opendata:catalogue"), "/opendata/initiatives/"):
        html = client.get(url).content.decode()
        assert html.count(f'action="{reverse("portal:reading_switch")}"') == 2, url
        client.cookies[RUBY_COOKIE] = "1"
        client.cookies[LARGE_COOKIE] = "1"
        html = client.get(url).content.decode()
        assert 'class="portal portal--large portal--ruby"' in html, url
        assert "<ruby>" in html, url
        del client.cookies[RUBY_COOKIE], client.cookies[LARGE_COOKIE]
