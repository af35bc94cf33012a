"""The acceptance journey of the procedure inventory (issue 15), in a real browser, through
the real forms, on the demo city (its 2,727 municipal procedures): the secretariat (事務局)
searches and filters the inventory, reads the online rate and the BPR priority list, records
a redesign of a procedure, links it to an initiative (its saving counted apart from the
initiative's own figure) and reads the initiative's working, then re-imports next year's
counts with the saved column mapping (dry run first) and finds the city's fields kept; the
推進員 of 福祉部 reads the inventory and may edit only the bureau's procedures; a staff member
reads it and sees no edit button.

Fields and links are found by name and href, not by label, so the journey holds in either
language; texts that are checked are computed with the Japanese catalogue (ja())."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from kyokan.apps.core.exports import csv_bytes
from kyokan.apps.core.japanese_dates import fiscal_year_of
from kyokan.apps.portfolio.models import Initiative
from kyokan.apps.procedures.models import InitiativeLink, Procedure, ProcedureImport
from kyokan.textanalysis.normalize import fold
from tests.browser.conftest import login
from tests.browser.journey import follow, ja, path_of, run_worker, submit, switch_user

SUMMARY = "申請書を電子化し、来庁を不要にする"


def ja_n(singular: str, plural: str, n: int) -> str:
    with translation.override("ja"):
        return translation.ngettext(singular, plural, n) % {"n": n}


def _filter(page, **fields):
    """Fill the list's filter form and wait for the results that htmx swaps in."""
    form = page.locator("main form.filters")
    for name, value in fields.items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") == "checkbox":
            field.set_checked(bool(value))
        else:
            field.fill(value)
    wanted = {k: v for k, v in fields.items() if isinstance(v, str)}

    def is_the_answer(response) -> bool:
        # The response to this submission, not one still arriving from the one before
        # (under load that one was taken, and its address waited for in vain).
        from urllib.parse import parse_qs, urlsplit

        query = parse_qs(urlsplit(response.url).query, keep_blank_values=True)
        return (
            "/procedures/" in response.url
            and response.status == 200
            and all(query.get(k, [""])[0] == v for k, v in wanted.items())
        )

    with page.expect_response(is_the_answer) as answer:
        form.locator('button[type="submit"]').click()
    # htmx pushes the filtered address once the results are swapped in; wait for it, or a
    # link followed next may see that push as its navigation.
    page.wait_for_url(answer.value.url)


def _expect_message(page, message: str):
    expect(page.locator("main .messages")).to_contain_text(message)


@pytest.fixture
def patient(page):
    """A shared, loaded machine answers slowly: wait up to a minute rather than 10 s."""
    page.set_default_timeout(60_000)
    expect.set_options(timeout=60_000)
    yield page
    expect.set_options(timeout=5_000)


def test_procedures_journey(demo, patient, live_server, tmp_path):
    page = patient
    base = live_server.url
    login(page, live_server, "jimukyoku")

    # Search (a part of the name, half-width kana folded) and filter the inventory.
    page.goto(f"{base}{reverse('procedures:list')}")
    results = page.locator("#procedure-results")
    expect(results).to_contain_text("件")
    _filter(page, q="該当する手続のない語句")
    expect(results.locator(".empty-state")).to_have_text(ja("No procedure matches these filters."))
    _filter(page, q="ｻｰﾋﾞｽ")  # half-width katakana finds サービス
    expected = Procedure.objects.filter(search_text__contains=fold("サービス")).count()
    assert expected > 0
    expect(results).to_contain_text(ja_n("%(n)s procedure", "%(n)s procedures", expected))
    # A word of procedures' names: the count is of every match (names, legal bases,
    # attachments), and the named procedures are listed (9 matches: one page).
    matches = Procedure.objects.filter(search_text__contains=fold("児童手当"))
    named = list(matches.filter(name__contains="児童手当").values_list("name", flat=True))
    assert named and matches.count() <= 20
    _filter(page, q="児童手当")
    expect(results).to_contain_text(ja_n("%(n)s procedure", "%(n)s procedures", matches.count()))
    for name in named:
        expect(results.locator("tbody tr", has_text=name).first).to_be_visible()
    _filter(page, q="", online_status="2")
    rows = results.locator("tbody tr")
    expect(rows.first).to_contain_text(ja("未実施"))
    assert "online_status=2" in page.url  # the filter is kept in the address

    # The online rate and the BPR priority list (with its working): the inventory's links to
    # them carry the filters just chosen (swapped in with the results).
    analysis = page.locator(f'main nav a[href^="{reverse("procedures:analysis")}"]')
    expect(analysis).to_have_attribute("href", f"{reverse('procedures:analysis')}?online_status=2")
    _filter(page, online_status="")
    follow(page, reverse("procedures:analysis"))
    expect(page.locator("main")).to_contain_text(ja("Online rate by department"))
    expect(page.locator("main svg").first).to_be_visible()
    follow(page, reverse("procedures:bpr"))
    bpr_rows = page.locator("main table.data-table tbody tr")
    expect(bpr_rows.first).to_contain_text("÷ 60 =")

    # Record a redesign of the first procedure of the BPR list that has none.
    target = (
        Procedure.objects.filter(redesign__isnull=True, offline_count__gt=0, total_count__gt=0)
        .exclude(initiative_links__isnull=False)
        .order_by("-offline_count", "id")
        .first()
    )
    page.goto(f"{base}{reverse('procedures:detail', args=[target.pk])}")
    expect(page.locator("main .empty-state").first).to_have_text(ja("No redesign recorded yet."))
    follow(page, reverse("procedures:redesign", args=[target.pk]))
    form = page.locator("main form[method=post]")
    form.locator('textarea[name="summary"]').fill(SUMMARY)
    for prefix, steps in (
        ("current", [("citizen", "申請書を手書きする", "counter", "20"),
                     ("citizen", "来庁して提出する", "counter", "40")]),
        ("redesigned", [("citizen", "オンラインで申請する", "online", "10")]),
    ):  # fmt: skip
        for i, (who, what, channel, minutes) in enumerate(steps):
            form.locator(f'select[name="{prefix}-{i}-who"]').select_option(who)
            form.locator(f'input[name="{prefix}-{i}-what"]').fill(what)
            form.locator(f'select[name="{prefix}-{i}-channel"]').select_option(channel)
            form.locator(f'input[name="{prefix}-{i}-minutes"]').fill(minutes)
    submit(page)
    assert path_of(page) == reverse("procedures:detail", args=[target.pk])
    _expect_message(page, ja("The redesign was saved."))
    expect(page.locator("main")).to_contain_text(SUMMARY)
    expect(page.locator("main")).to_contain_text("50")  # 60 → 10 minutes: 50 saved

    # Link it to an initiative whose own figure does not include it: the saving is added.
    initiative = Initiative.objects.exclude(procedure_links__procedure=target).order_by("id")[0]
    follow(page, reverse("procedures:link_add", args=[target.pk]))
    form = page.locator("main form[method=post]")
    form.locator('select[name="initiative"]').select_option(str(initiative.pk))
    form.locator('input[name="counts_separately"]').check()
    submit(page)
    _expect_message(page, ja("The procedure was linked to the initiative."))
    link = InitiativeLink.objects.get(procedure=target, initiative=initiative)
    assert link.counts_separately
    follow(page, reverse("portfolio:detail", args=[initiative.pk]))
    working = page.locator("#cost-value")
    expect(working).to_contain_text(target.name)
    target.refresh_from_db()
    cases = f"{target.total_count:,}"
    expect(working).to_contain_text(f"{cases} × 50")

    # Next year's counts from the city's file, with the saved column mapping.
    year = fiscal_year_of(timezone.localdate())
    before = {
        "department": target.department_id,
        "citizen_minutes": target.citizen_minutes,
        "seal": target.seal,
    }
    new_total = (target.total_count or 0) + 7
    path = tmp_path / "手続棚卸し_次年度.csv"
    path.write_bytes(
        csv_bytes(
            ["手続ID", "窓口件数", "郵送件数", "オンライン件数"],
            [[target.procedure_id, new_total - 10, 0, 10]],
        )
    )
    page.goto(f"{base}{reverse('procedures:import')}")
    form = page.locator("main form[method=post]")
    form.locator('input[name="file"]').set_input_files(str(path))
    form.locator('input[name="kind"][value="city"]').check()
    form.locator('input[name="fiscal_year"]').fill(str(year))
    form.locator('select[name="mapping"]').select_option(label="市の棚卸し表")
    submit(page)
    record = ProcedureImport.objects.order_by("-id").first()
    assert path_of(page) == reverse("procedures:import_status", args=[record.pk])
    run_worker()  # the check (dry run) runs in the background
    page.reload()
    expect(page.locator("#import-state")).to_have_text(ja("checked: ready to import"))
    expect(page.locator("#import-summary")).to_contain_text("1")
    target.refresh_from_db()
    assert target.total_count != new_total  # a dry run writes nothing
    with page.expect_navigation():
        page.locator(
            f'main form[action="{reverse("procedures:import_confirm", args=[record.pk])}"] '
            'button[type="submit"]'
        ).click()
    run_worker()
    page.reload()
    expect(page.locator("main .message--success")).to_have_text(ja("The procedures were imported."))
    target.refresh_from_db()
    assert (target.total_count, target.online_count) == (new_total, 10)
    assert target.years.filter(fiscal_year=year, total_count=new_total).exists()
    kept = {k: getattr(target, k if k != "department" else "department_id") for k in before}
    assert kept == before  # the city's own fields are not touched by a yearly import
    page.goto(f"{base}{reverse('procedures:progress')}")
    expect(page.locator("main table.data-table")).to_contain_text(str(year))

    # The 推進員 of 福祉部 reads everything and edits only the bureau's procedures.
    switch_user(page, live_server, "suishinin")
    own = Procedure.objects.filter(department__parent__name="福祉部").order_by("id").first()
    other = Procedure.objects.filter(department__parent__name="市民生活部").order_by("id").first()
    page.goto(f"{base}{reverse('procedures:detail', args=[own.pk])}")
    expect(
        page.locator(f'main a[href="{reverse("procedures:edit", args=[own.pk])}"]')
    ).to_be_visible()
    page.goto(f"{base}{reverse('procedures:detail', args=[other.pk])}")
    expect(
        page.locator(f'main a[href="{reverse("procedures:edit", args=[other.pk])}"]')
    ).to_have_count(0)
    response = page.goto(f"{base}{reverse('procedures:edit', args=[other.pk])}")
    assert response.status == 403

    # A staff member reads the inventory and the analysis; no edit, no import.
    switch_user(page, live_server, "shokuin")
    page.goto(f"{base}{reverse('procedures:analysis')}")
    expect(page.locator("main h1")).to_have_text(ja("Online rates"))
    page.goto(f"{base}{reverse('procedures:detail', args=[target.pk])}")
    expect(
        page.locator(f'main a[href="{reverse("procedures:edit", args=[target.pk])}"]')
    ).to_have_count(0)
    assert page.goto(f"{base}{reverse('procedures:import')}").status == 403
