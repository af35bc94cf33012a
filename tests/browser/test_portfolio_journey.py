"""The acceptance journey of the portfolio (issue 11), in a real browser, through the real
forms, on the demo city: the secretariat (事務局, jimukyoku) creates an initiative of 福祉部
with its levers and citizen value hypothesis, enters its cost and value and reads the
working, adds a KPI; the 推進員 of 福祉部 (suishinin) submits the quarter's progress report;
the secretariat returns it with a comment, the 推進員 finds the form filled in with what
was sent and sends it again, the secretariat accepts it; then the roadmap (with a
milestone), the analytics, the DX取組方針 draft of the current fiscal year opened in
documents, and the Excel table exported and imported back unchanged.

Fields and links are found by name and href, not by label, so the journey holds in either
language; texts that are checked are computed with the Japanese catalogue (ja()).
"""

from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from kyokan.apps.core.models import AuditEvent, Department
from kyokan.apps.documents.models import Version
from kyokan.apps.portfolio import periods
from kyokan.apps.portfolio.models import Initiative, Kpi, KpiActual, ProgressReport
from tests.browser.conftest import login
from tests.browser.journey import download, follow, ja, path_of, submit, switch_user

TITLE = "書かない窓口による介護保険申請の再設計"
RULE = "介護保険事務取扱要綱"
ORGANISATION = "高齢福祉課に窓口改革担当を置く"
WHO = "要介護認定を申請する高齢者と家族"
PAIN = "申請書を何枚も手書きし、窓口を何度も訪れる"
CHANGE = "職員が聞き取って入力し、申請者は確認して署名するだけになる"
ABSENT = "申請書の様式が職員の審査の都合で作られ、申請者の手間が考えられていない"
KPI_NAME = "窓口での平均手続時間"
HAPPENED = "書かない窓口の試行を高齢福祉課で開始した。"
RETURN_COMMENT = "KPI実績の出典を記入してください。"
SOURCE = "窓口受付システムの記録"
MILESTONE = "全窓口での本格実施"

# Cost and value inputs, and the working by hand with the demo city's unit costs
# (hourly labour cost 4,200 yen, a citizen hour 2,400 yen):
#   annual cost  = 1,200,000 + 6,000,000 ÷ 5 + 100 × 4,200          = 2,820,000
#   annual value = 12,000 × 30 ÷ 60 × 2,400 + 2,000 × 4,200 + 0      = 22,800,000
#   ratio        = 22,800,000 ÷ 2,820,000                             = 8.085… → 8.09
#   payback      = 6,000,000 ÷ (22,800,000 − 1,200,000) = 0.277… years → 0.3
COSTS = {
    "initial_cost_yen": "6,000,000",
    "running_cost_yen": "1200000円",
    "useful_life_years": "5",
    "staff_hours_run": "１００",  # full-width digits are read as 100
    "cases_per_year": "12000",
    "citizen_minutes_saved_per_case": "30",
    "staff_hours_saved": "2000",
    "other_benefit_yen": "0",
    "cost_source": "令和5年度の見積り",
    "cases_source": "令和4年度の申請件数",
}


def _radio(form, name: str, value: str):
    form.locator(f'input[type=radio][name="{name}"][value="{value}"]').check()


def _working_row(page, formula: str):
    """The row of the cost-value working whose formula cell reads ``formula``."""
    return page.locator("#cost-value table.working tbody tr").filter(has_text=ja(formula))


def test_portfolio_journey(page, live_server, demo, tmp_path: Path):
    fy, quarter = periods.quarter_of(timezone.localdate())
    welfare = Department.objects.get(name="福祉部", kind=Department.Kind.BUREAU)
    division = Department.objects.get(name="高齢福祉課", parent=welfare)

    # --- the secretariat creates the initiative --------------------------------------------
    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{reverse('portfolio:list')}")
    follow(page, reverse("portfolio:create"))
    form = page.locator("main form[method=post]")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=bureau]").select_option(str(welfare.pk))
    form.locator("select[name=division]").select_option(str(division.pk))
    form.locator("select[name=fiscal_year_start]").select_option(str(fy))
    form.locator("select[name=fiscal_year_end]").select_option(str(fy + 2))
    form.locator("select[name=status]").select_option("active")
    _radio(form, "scope", "henkaku")
    _radio(form, "dx", "X")
    _radio(form, "rule_kind", "guideline")
    form.locator("input[name=rule_name]").fill(RULE)
    _radio(form, "organisation_kind", "change")
    form.locator("input[name=organisation_change]").fill(ORGANISATION)
    _radio(form, "budget_kind", "none")
    form.locator("input[name=value_who]").fill(WHO)
    form.locator("textarea[name=value_pain]").fill(PAIN)
    form.locator("textarea[name=value_change]").fill(CHANGE)
    form.locator("textarea[name=value_absent]").fill(ABSENT)
    submit(page)
    initiative = Initiative.objects.get(title=TITLE)
    detail = reverse("portfolio:detail", args=[initiative.pk])
    assert path_of(page) == detail
    levers = page.locator("main section[aria-labelledby=h-levers]")
    expect(levers).to_contain_text(RULE)
    expect(levers).to_contain_text(ORGANISATION)
    expect(page.locator("main section[aria-labelledby=h-value]")).to_contain_text(ABSENT)
    assert (initiative.rule_kind, initiative.organisation_kind, initiative.budget_kind) == (
        "guideline", "change", "none"
    )  # fmt: skip

    # --- cost and value, and the working ---------------------------------------------------
    follow(page, reverse("portfolio:cost_value", args=[initiative.pk]))
    form = page.locator("main form[method=post]")
    for name, value in COSTS.items():
        form.locator(f'[name="{name}"]').fill(value)
    submit(page)
    assert path_of(page) == detail
    expect(_working_row(page, "running cost + initial cost per year + staff cost")).to_contain_text(
        "2,820,000"
    )  # fmt: skip
    expect(_working_row(page, "citizens' time + staff time + other benefits")).to_contain_text(
        "22,800,000"
    )  # fmt: skip
    expect(_working_row(page, "annual value ÷ annual cost")).to_contain_text("8.09")
    expect(_working_row(page, "initial cost ÷ (annual value − running cost)")).to_contain_text(
        "0.3"
    )  # fmt: skip
    expect(_working_row(page, "staff hours to run × hourly labour cost")).to_contain_text(
        "100 × 4,200"
    )  # fmt: skip

    # --- a KPI, and a milestone for the roadmap ----------------------------------------------
    follow(page, reverse("portfolio:kpi_create", args=[initiative.pk]))
    form = page.locator("main form[method=post]")
    form.locator("input[name=name]").fill(KPI_NAME)
    form.locator("input[name=unit]").fill("分")
    form.locator("select[name=direction]").select_option("down")
    form.locator("input[name=baseline]").fill("45")
    form.locator("select[name=baseline_year]").select_option(str(fy - 1))
    form.locator(f"input[name=target_{fy}]").fill("30")
    form.locator(f"input[name=target_{fy + 1}]").fill("20")
    submit(page)
    expect(page.locator("main #kpis")).to_contain_text(KPI_NAME)
    kpi = Kpi.objects.get(initiative=initiative, name=KPI_NAME)
    assert dict(kpi.targets.values_list("fiscal_year", "value")) == {fy: 30, fy + 1: 20}

    follow(page, reverse("portfolio:milestone_create", args=[initiative.pk]))
    form = page.locator("main form[method=post]")
    form.locator("input[name=title]").fill(MILESTONE)
    due = timezone.localdate() + timedelta(days=200)
    form.locator("input[name=due_on]").fill(due.isoformat())
    submit(page)
    expect(page.locator("main #milestones")).to_contain_text(MILESTONE)

    # --- the 推進員 of 福祉部 reports the quarter ---------------------------------------------
    switch_user(page, live_server, "suishinin")
    page.goto(f"{live_server.url}{reverse('portfolio:list')}?q={TITLE[:6]}")
    follow(page, detail)  # a real page, not the detail swapped into the list by htmx
    expect(page.locator("h1")).to_have_count(1)
    follow(page, reverse("portfolio:report_create", args=[initiative.pk]))
    form = page.locator("main form[method=post]")
    period = f"{fy}-{quarter}"
    form.locator("select[name=period]").select_option(period)
    form.locator("input[name=percent_done]").fill("20")
    _radio(form, "health", "good")
    form.locator("textarea[name=happened]").fill(HAPPENED)
    form.locator(f"input[name=kpi_{kpi.pk}]").fill("38")
    submit(page)
    report = ProgressReport.objects.get(initiative=initiative, fiscal_year=fy, quarter=quarter)
    assert path_of(page) == reverse("portfolio:report", args=[report.pk])
    assert report.state == ProgressReport.State.SUBMITTED

    # --- the secretariat returns it ----------------------------------------------------------
    switch_user(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{reverse('portfolio:reports')}")
    follow(page, reverse("portfolio:report", args=[report.pk]))
    review = page.locator(
        f'main form[action="{reverse("portfolio:report_review", args=[report.pk])}"]'
    )
    _radio(review, "decision", "return")
    review.locator("textarea[name=comment]").fill(RETURN_COMMENT)
    submit(page, f'main form[action="{reverse("portfolio:report_review", args=[report.pk])}"]')
    report.refresh_from_db()
    assert report.state == ProgressReport.State.RETURNED

    # --- the 推進員 finds the form filled in with what was sent, adds the source -----------
    switch_user(page, live_server, "suishinin")
    page.goto(f"{live_server.url}{reverse('portfolio:report', args=[report.pk])}")
    expect(page.locator("main")).to_contain_text(RETURN_COMMENT)
    follow(page, reverse("portfolio:report_create", args=[initiative.pk]))
    form = page.locator("main form[method=post]")
    form.locator("select[name=period]").select_option(period)
    expect(form.locator("input[name=percent_done]")).to_have_value("20")
    expect(form.locator("textarea[name=happened]")).to_have_value(HAPPENED)
    expect(form.locator('input[name=health][value="good"]')).to_be_checked()
    expect(form.locator(f"input[name=kpi_{kpi.pk}]")).to_have_value("38.00")
    form.locator(f"input[name=kpi_{kpi.pk}_source]").fill(SOURCE)
    submit(page)
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
    actual = KpiActual.objects.get(kpi=kpi, fiscal_year=fy, quarter=quarter)
    assert (actual.value, actual.source) == (38, SOURCE)

    # --- the secretariat accepts it ----------------------------------------------------------
    switch_user(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{reverse('portfolio:report', args=[report.pk])}")
    review_form = f'main form[action="{reverse("portfolio:report_review", args=[report.pk])}"]'
    _radio(page.locator(review_form), "decision", "accept")
    submit(page, review_form)
    report.refresh_from_db()
    assert report.state == ProgressReport.State.ACCEPTED

    # --- the roadmap: the bar, the milestone, the table --------------------------------------
    page.goto(f"{live_server.url}{reverse('portfolio:list')}")
    follow(page, reverse("portfolio:roadmap"))
    svg = page.locator("main svg.roadmap")
    expect(svg).to_be_visible()
    expect(svg.locator("rect title").filter(has_text=TITLE)).to_have_count(1)
    expect(svg.locator("use.milestone title").filter(has_text=MILESTONE)).to_have_count(1)
    table = page.locator("main section[aria-labelledby=h-roadmap-table]")
    expect(table.locator("tr").filter(has_text=TITLE)).to_contain_text(MILESTONE)

    # --- analytics: the balance counts it, the ranking lists it ------------------------------
    follow(page, reverse("portfolio:analytics"))
    expect(page.locator("main section[aria-labelledby=h-ranking] svg[role=img]")).to_have_count(1)
    ranking = page.locator("main section[aria-labelledby=h-ranking] table")
    expect(ranking.locator("tr").filter(has_text=TITLE)).to_contain_text("8.09")

    # --- the DX取組方針 draft of the current fiscal year, opened in documents ----------------
    page.goto(f"{live_server.url}{reverse('portfolio:list')}")
    follow(page, reverse("portfolio:policy"))
    form = page.locator("main form[method=post]")
    expect(form.locator("select[name=fiscal_year]")).to_have_value(str(fy))
    before = set(Version.objects.values_list("pk", flat=True))
    submit(page)
    version = Version.objects.exclude(pk__in=before).get()
    assert path_of(page) == reverse("documents:version", args=[version.pk])
    assert version.state == Version.State.DRAFT
    main = page.locator("main")
    expect(main).to_contain_text(TITLE)
    expect(main).to_contain_text(RULE)

    # --- the Excel table, exported and imported back unchanged -------------------------------
    page.goto(f"{live_server.url}{reverse('portfolio:list')}")
    xlsx = download(page, f"{reverse('portfolio:export_xlsx')}?", tmp_path / "portfolio.xlsx")
    sheet = load_workbook(xlsx).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    ours = next(r for r in rows if r[header.index("title")] == TITLE)
    assert ours[header.index("annual_cost_yen")] == 2_820_000
    assert ours[header.index("rule_change")] == f"要綱:{RULE}"
    count = Initiative.objects.count()
    snapshot = list(Initiative.objects.order_by("id").values())
    follow(page, reverse("portfolio:import"))
    page.locator("main form input[type=file][name=file]").set_input_files(str(xlsx))
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    assert path_of(page).startswith("/portfolio/import/")
    apply_form = "main form:has(input[name=step][value=apply])"
    expect(page.locator("main .lead")).to_contain_text(str(count))
    submit(page, apply_form)
    assert path_of(page) == reverse("portfolio:list")
    expect(page.locator("main .messages")).to_contain_text(str(count))
    assert Initiative.objects.count() == count
    assert list(Initiative.objects.order_by("id").values()) == snapshot
    assert AuditEvent.objects.filter(summary__startswith="portfolio import portfolio.xlsx").exists()
