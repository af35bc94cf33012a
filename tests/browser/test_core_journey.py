"""Core journeys in Chromium (issue 10): the HR import for 1 April as the system
administrator, the notifications bell and page, "my work", and the site search."""

from django.utils import timezone
from playwright.sync_api import expect

from kyokan.apps.core.models import Department, User
from tests.browser.conftest import login
from tests.browser.journey import follow, path_of, submit


def test_hr_import_previews_then_moves_people_and_renames_a_division(
    page, live_server, demo, tmp_path
):
    today = timezone.localdate()
    shokuin = User.objects.get(username="shokuin")
    shokuin.staff_number = "S0001"
    shokuin.save()
    text = (
        "区分,部局,課,操作,旧名称,統合先,職員番号,氏名,ふりがな,メール,職名,役割,退職\n"
        "組織,経営戦略部,広報戦略課,名称変更,広報広聴課,,,,,,,,\n"
        "職員,経営戦略部,情報戦略課,,,,S0001,,,,主任,,\n"
        "職員,経営戦略部,広報戦略課,,,,S0999,新人 太郎,しんじん たろう,new@example.jp,主事,,\n"
    )
    path = tmp_path / "jinji.csv"
    path.write_text(text, encoding="cp932")
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/people/")
    follow(page, "/people/import/")
    page.locator("input[name=file]").set_input_files(str(path))
    page.locator("input[name=effective]").fill(today.isoformat())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    main = page.locator("main")
    expect(main).to_contain_text("広報広聴課")
    expect(main).to_contain_text("広報戦略課")
    expect(main).to_contain_text("新人 太郎")
    page.screenshot(path=str(tmp_path / "hr-preview.png"), full_page=True)
    apply_link = page.locator("main a.button--primary")
    with page.expect_navigation():
        apply_link.click()
    submit(page)  # the confirmation page
    shokuin.refresh_from_db()
    assert shokuin.department.name == "情報戦略課" and shokuin.title == "主任"
    assert Department.objects.filter(name="広報戦略課").exists()
    assert User.objects.get(staff_number="S0999").department.name == "広報戦略課"


def test_site_search_and_my_work_from_the_header(page, live_server, demo):
    jimukyoku = User.objects.get(username="jimukyoku")
    katakana = "".join(
        chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in jimukyoku.full_name_kana
    ).split()[0]
    login(page, live_server, "honbuin")
    box = page.locator("header form.site-search input[name=q]")
    box.fill(katakana)  # the reading in katakana finds the name written in kanji
    with page.expect_navigation():
        box.press("Enter")
    assert path_of(page) == "/search/"
    expect(page.locator("main")).to_contain_text(jimukyoku.full_name)
    page.goto(f"{live_server.url}/my-work/")
    expect(page.locator("main h1")).to_be_visible()
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("main h1")).to_be_visible()


def test_every_department_picker_follows_the_tree(page, live_server, demo):
    """Issue 9, item 12: divisions appeared under the wrong bureau in the pickers."""
    from kyokan.apps.core import selectors

    tree = [
        (b.name, [d.name for d in b.children.all()]) for b in selectors.bureaus_with_divisions()
    ]
    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}/people/")
    groups = page.locator("main select[name=department] optgroup")
    shown = groups.evaluate_all(
        "gs => gs.map(g => [g.label, [...g.querySelectorAll('option')].map(o => o.textContent)])"
    )
    assert [label for label, _options in shown] == [name for name, _d in tree]
    for (label, options), (_name, divisions) in zip(shown, tree, strict=True):
        assert options[1:] == divisions, label  # the bureau itself first, then its divisions
