"""The analysis pages in a real browser (issue 12, item 6): the secretariat opens an
analysis, reads a group's name and counts in the opinion map's tooltip (SVG ``<title>``,
no JavaScript needed), follows the map's link to the group's page, reads its answers with
their bureau and the folded near-duplicates, pages through them, opens the campaign and
near-duplicate lists, and queues a re-run with chosen numbers of groups; a headquarters
member reads the same pages but cannot re-run.

The data is a made-up result stored as the worker stores one (so that the group has more
answers than one page holds) — the library itself is tested in tests/textanalysis.
"""

import re

from django.urls import reverse
from playwright.sync_api import expect

from kyokan.apps.analyses.models import AnalysisRun
from kyokan.apps.core.roles import Role
from tests.analyses.results import large_result, stored_run
from tests.browser.conftest import login
from tests.browser.journey import path_of, submit
from tests.factories import TEST_PASSWORD, MunicipalityFactory, UserFactory


def _data():
    MunicipalityFactory()
    secretary = UserFactory(username="jimu", roles=[Role.SECRETARIAT])
    member = UserFactory(username="honbuin", roles=[Role.HQ_MEMBER])
    n = 480
    result = large_result(n, duplicates_every=6)
    members = [it for it in result["items"] if it["clusters"][1] == "C3.1"][:5]
    for it in members:
        it["campaign"] = "K1"
    result["stats"]["campaigns"] = [
        {"id": "K1", "representative": members[0]["id"], "text": "窓口の待ち時間を短く",
         "distinct": 5, "count": 5, "items": [m["id"] for m in members]}
    ]  # fmt: skip
    bureaus = ["市民生活部", "福祉部", "都市整備部"]
    attributes = {"department": [bureaus[i % 3] for i in range(n)], "role": ["職員"] * n}
    texts = [f"回答{i}：書かない窓口で手続を早くしてほしい" for i in range(n)]
    run = stored_run(result, texts=texts, attributes=attributes, title="市民意見")
    return run, secretary, member


def test_a_group_opens_from_the_map_and_lists_its_answers(transactional_db, live_server, page):
    run, secretary, member = _data()
    login(page, live_server, secretary.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('analyses:run', args=[run.pk])}")
    expect(page.locator("h1")).to_contain_text("市民意見")
    assert page.locator("#coarse-rule").inner_text().startswith("大分類 8 個（基準による選択）")
    expect(page.locator("#divergence-detail")).to_contain_text("ばらつき 0.50 ＝ 1 − 0.50")

    # The map: one link per fine group, its tooltip naming the group with its counts.
    group_url = reverse("analyses:group", args=[run.pk, "C1.1"])
    link = page.locator(f'svg.opinion-map a[href="{group_url}"]')
    expect(link).to_have_count(1)
    tooltip = link.locator("title").first.text_content()
    assert tooltip.startswith("C1.1 小グループ1.1 — ") and "件（異なる回答" in tooltip
    link.locator("circle").first.hover()
    link.locator("circle").first.click(force=True)
    page.wait_for_url(re.compile(re.escape(group_url) + "$"))

    # The group's page: counts, representatives, answers with bureau, folds with their size.
    expect(page.locator("h1")).to_have_text("C1.1 小グループ1.1")
    expect(page.locator("#group-count")).to_contain_text("件（異なる回答")
    table = page.locator("#answers-table")
    expect(table.locator("thead")).to_contain_text("部局")
    expect(table).to_contain_text("市民生活部")
    expect(table.locator("td.num strong").first).to_have_text("×2")
    expect(table).to_contain_text("ここにまとめた重複")

    # The coarse group pages through its answers.
    page.goto(f"{live_server.url}{reverse('analyses:group', args=[run.pk, 'C1'])}")
    first = table.locator("tbody tr").first.inner_text()
    page.locator('nav.pagination a[rel="next"]').click()
    page.wait_for_url(re.compile(r"\?page=2$"))
    assert page.locator("#answers-table tbody tr").first.inner_text() != first

    # Campaigns and near-duplicates with their texts.
    page.goto(f"{live_server.url}{reverse('analyses:campaigns', args=[run.pk])}")
    expect(page.locator("main table")).to_contain_text("窓口の待ち時間を短く")
    page.locator(f'main a[href="{reverse("analyses:campaign", args=[run.pk, "K1"])}"]').click()
    expect(page.locator("main")).to_contain_text("5件（異なる回答5件）")
    page.goto(f"{live_server.url}{reverse('analyses:near_duplicates', args=[run.pk])}")
    expect(page.locator("main table tbody tr").first).to_contain_text("回答")

    # A re-run with chosen numbers of groups: refused with what was typed kept, then queued.
    page.goto(f"{live_server.url}{reverse('analyses:rerun', args=[run.pk])}")
    page.locator('input[name="coarse"]').fill("9")
    page.locator('input[name="fine"]').fill("3")
    with page.expect_navigation():
        page.locator('main form[method=post] button[type="submit"]').click()
    expect(page.locator(".errorlist, .form-errors").first).to_be_visible()
    assert page.locator('input[name="coarse"]').input_value() == "9"  # kept
    page.locator('input[name="fine"]').fill("12")
    submit(page)
    rerun = AnalysisRun.objects.exclude(pk=run.pk).get()
    assert path_of(page) == reverse("analyses:run", args=[rerun.pk])
    assert (rerun.previous_id, rerun.coarse, rerun.fine) == (run.pk, 9, 12)
    expect(page.locator("#run-progress")).to_be_visible()  # queued for the worker
    expect(page.locator("main")).to_contain_text(f"分析 #{run.pk} の再分析です")

    # A headquarters member reads, and has no re-run.
    page.context.clear_cookies()
    login(page, live_server, member.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('analyses:run', args=[run.pk])}")
    expect(page.locator(f'a[href="{reverse("analyses:rerun", args=[run.pk])}"]')).to_have_count(0)
    page.goto(f"{live_server.url}{group_url}")
    expect(page.locator("#answers-table")).to_be_visible()
