"""The shell of the app in a real browser: logging in and out, the navigation each role
sees, the skip link, the language switch, and working without JavaScript."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.conftest import LOGIN_PATH, login

HOME = "/"
MEETINGS = "/meetings/"
ACTIONS = "/actions/"
PEOPLE = "/people/"
DEPARTMENTS = "/departments/"
CALENDAR = "/fiscal-years/"
SETTINGS = "/settings/municipality/"
AUDIT = "/audit/"
DOCUMENTS = "/documents/"
SURVEYS = "/surveys/"
ANALYSES = "/analyses/"
PORTFOLIO = "/portfolio/"
IDEAS = "/ideas/"
CONVERSATIONS = "/conversations/"
PROCEDURES = "/procedures/"
API_ACCOUNTS = "/api/accounts/"
PORTAL = "/portal/"

# The meetings app's links (permission meetings.view_meetings: city staff and experts) come
# right after Home, then the documents app's (documents.view_documents: city staff only, not
# experts or citizens), then the surveys app's (surveys.view_surveys: city staff only) and
# the analyses of free text (analyses.view_analyses: the secretariat and the headquarters
# members only), before the core pages. Ideas, conversations and the procedure inventory
# (city staff) come after the portfolio; API accounts (the system administrator) last.
MEETINGS_NAV = [MEETINGS, ACTIONS]
DOCUMENTS_NAV = [DOCUMENTS, PORTFOLIO]  # the portfolio (city staff) comes with documents
STAFF_WORK_NAV = [IDEAS, CONVERSATIONS, PROCEDURES]
CORE_NAV = [PEOPLE, DEPARTMENTS, CALENDAR]
CITY_STAFF_NAV = [HOME, *MEETINGS_NAV, *DOCUMENTS_NAV, *STAFF_WORK_NAV, SURVEYS, *CORE_NAV]
HQ_NAV = [HOME, *MEETINGS_NAV, *DOCUMENTS_NAV, *STAFF_WORK_NAV, SURVEYS, ANALYSES, *CORE_NAV]
SYSADMIN_NAV = [*CITY_STAFF_NAV, SETTINGS, AUDIT, API_ACCOUNTS]
SECRETARIAT_NAV = [*HQ_NAV, SETTINGS, AUDIT]

# Demo login → the navigation links (hrefs, in order) that its role may use.
NAV_BY_LOGIN = {
    "admin": SYSADMIN_NAV,  # システム管理者 (no analyses: not the secretariat or HQ)
    "jimukyoku": SECRETARIAT_NAV,  # 事務局
    "honbucho": HQ_NAV,  # 本部長
    "fukuhonbucho": HQ_NAV,  # 副本部長
    "honbuin": HQ_NAV,  # 本部員
    "suishinin": CITY_STAFF_NAV,  # 推進員 (and 職員)
    "shokuin": CITY_STAFF_NAV,  # 職員
    "yushikisha": [HOME, *MEETINGS_NAV],  # 有識者
    "shimin": [HOME],  # 市民
}

# The navigation labels in English, by href.
NAV_LABELS_EN = {
    HOME: "Home",
    MEETINGS: "Meetings",
    ACTIONS: "Action items",
    DOCUMENTS: "Documents",
    PORTFOLIO: "Portfolio",
    IDEAS: "Ideas",
    CONVERSATIONS: "Conversations",
    PROCEDURES: "Procedures",
    API_ACCOUNTS: "API accounts",
    SURVEYS: "Surveys",
    ANALYSES: "Analysis",
    PEOPLE: "People",
    DEPARTMENTS: "Departments",
    CALENDAR: "Fiscal years",  # the meetings app has the calendar of meetings (/calendar/)
    SETTINGS: "Settings",
    AUDIT: "Audit trail",
}

NAV_LINKS = "header .site-nav-wide nav.site-nav a"


def path_of(page) -> str:
    return urlsplit(page.url).path


def nav_hrefs(page) -> list[str]:
    return page.locator(NAV_LINKS).evaluate_all("links => links.map(a => a.getAttribute('href'))")


def nav_labels(page) -> list[str]:
    return [label.strip() for label in page.locator(NAV_LINKS).all_inner_texts()]


def logout_button(page):
    return page.locator('header form[action="/accounts/logout/"] button[type="submit"]')


@pytest.mark.parametrize("username", list(NAV_BY_LOGIN))
def test_each_role_logs_in_navigates_and_logs_out(page, live_server, demo, username):
    person = demo.people[username]
    login(page, live_server, username)

    assert path_of(page) == HOME
    expect(page.locator("header .site-user")).to_contain_text(person.full_name)
    expected = NAV_BY_LOGIN[username]
    assert nav_hrefs(page) == expected

    for href in expected:
        link = page.locator(f'{NAV_LINKS}[href="{href}"]')
        with page.expect_navigation() as navigation:
            link.click()
        response = navigation.value
        assert response is not None and response.status == 200, (
            f"{username}: {href} answered {response and response.status}"
        )
        assert path_of(page) == href
        expect(page.locator("main h1")).to_have_count(1)
        expect(page.locator("main h1")).to_be_visible()
        # The link of the page being shown says so to screen readers.
        expect(page.locator(f'{NAV_LINKS}[href="{href}"]')).to_have_attribute(
            "aria-current", "page"
        )
        assert nav_hrefs(page) == expected, f"{username}: the navigation changed on {href}"

    with page.expect_navigation():
        logout_button(page).click()
    assert path_of(page) == LOGIN_PATH
    expect(page.locator("header nav.site-nav")).to_have_count(0)
    expect(logout_button(page)).to_have_count(0)
    expect(page.locator('main input[name="username"]')).to_be_visible()


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(page, live_server, demo):
    login(page, live_server, "admin", "not-the-password")

    assert path_of(page) == LOGIN_PATH
    expect(page.locator("main .form-errors[role=alert]")).to_be_visible()
    expect(page.locator('main input[name="username"]')).to_have_value("admin")
    expect(page.locator("header nav.site-nav")).to_have_count(0)
    # Still logged out: the home page sends an anonymous visitor to the citizen portal.
    page.goto(f"{live_server.url}{HOME}")
    assert path_of(page) == PORTAL
    expect(logout_button(page)).to_have_count(0)


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(page, live_server, demo):
    # On a signed-in page, where the navigation is worth skipping. (The login page
    # autofocuses its username field, as Django's login form does, so Tab starts from there.)
    login(page, live_server, "honbuin")
    page.goto(f"{live_server.url}{PEOPLE}")

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visually hidden until focused, then shown
    box = skip_link.bounding_box()
    assert box is not None and box["width"] > 1 and box["height"] > 1

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert urlsplit(page.url).fragment == "main"
    # The next Tab continues inside the main content, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def switch_language(page, code: str):
    form = page.locator("header form.lang-switch")
    form.locator("select[name=language]").select_option(code)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_language_switch_changes_lang_and_labels(page, live_server, demo):
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}{PEOPLE}")
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    switch_language(page, "en")
    assert path_of(page) == PEOPLE, "the switch should come back to the same page"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert nav_labels(page) == [NAV_LABELS_EN[href] for href in SYSADMIN_NAV]
    expect(page.locator("header select[name=language]")).to_have_value("en")

    switch_language(page, "ja")
    assert path_of(page) == PEOPLE
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("header select[name=language]")).to_have_value("ja")
    # The labels are the Japanese catalogue's (e.g. "People" → 職員・関係者), not English.
    english = [NAV_LABELS_EN[href] for href in SYSADMIN_NAV]
    with translation.override("ja"):
        japanese = [translation.gettext(label) for label in english]
    assert not set(japanese) & set(english), f"untranslated navigation labels: {japanese}"
    assert nav_labels(page) == japanese


def test_login_and_people_filter_work_without_javascript(new_page, live_server, demo):
    page = new_page(java_script_enabled=False)
    login(page, live_server, "shokuin")
    assert path_of(page) == HOME

    page.goto(f"{live_server.url}{PEOPLE}")
    rows = page.locator("main table.data-table tbody tr")
    total = rows.count()
    assert total > 1

    target = demo.people["jimukyoku"]
    filters = page.locator("main form.filters")
    filters.locator("input[name=q]").fill("jimukyoku")
    with page.expect_navigation():
        filters.locator("button[type=submit]").click()

    assert path_of(page) == PEOPLE
    assert parse_qs(urlsplit(page.url).query)["q"] == ["jimukyoku"]
    expect(page.locator("main form.filters input[name=q]")).to_have_value("jimukyoku")
    # jimukyoku, jimukyoku2 and jimukyoku3 match the login ID; nobody else does.
    expect(rows).to_have_count(3)
    assert rows.count() < total
    expect(page.locator("main table.data-table")).to_contain_text(target.full_name)
    expect(page.locator(f'main table.data-table a[href="/people/{target.pk}/"]')).to_have_count(1)


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_menu_folds_behind_a_button(new_page, live_server, demo, javascript):
    """Issue 9, item 15: the menu took about 700 px of a phone's screen."""
    page = new_page(viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
    login(page, live_server, "jimukyoku")
    header = page.locator("header.site-header")
    narrow_links = page.locator("header .site-menu nav.site-nav a")
    expect(page.locator("header .site-nav-wide")).to_be_hidden()
    expect(narrow_links.first).to_be_hidden()
    # The brand, the menu button, the search box, the bell and the language switch: about a
    # third of the screen instead of the 700 px the unfolded menu took.
    assert header.bounding_box()["height"] < 320
    page.locator("header .site-menu > summary").click()
    expect(narrow_links.first).to_be_visible()
    with page.expect_navigation():
        page.locator('header .site-menu nav.site-nav a[href="/people/"]').click()
    assert path_of(page) == PEOPLE


def test_on_a_wide_screen_the_menu_is_a_bar_without_the_button(page, live_server, demo):
    login(page, live_server, "jimukyoku")
    expect(page.locator("header .site-menu > summary")).to_be_hidden()
    expect(page.locator(NAV_LINKS).first).to_be_visible()
