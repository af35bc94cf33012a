"""axe-core on every main page of the core app, as the system administrator (who may see
them all), on the main pages of the meetings, documents, surveys, analysis and portfolio
apps, as the secretariat (事務局, who runs the meetings, drafts the documents, runs the
surveys and their analyses and manages the portfolio), on the public pages of adopted
documents and a public survey's answer page (logged out), plus the login page in both
languages and the date poll's personal link page.
Serious and critical violations fail."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from kyokan.apps.analyses.models import AnalysisRun
from kyokan.apps.core.models import AuditEvent, Department, User
from kyokan.apps.documents.models import Section, Version
from kyokan.apps.meetings.models import Meeting
from kyokan.apps.surveys import services as survey_services
from kyokan.apps.surveys.models import Question, Survey
from tests.browser.conftest import LOGIN_PATH, login

FAILING_IMPACTS = {"serious", "critical"}
TARGETS_SHOWN = 3  # per violation, in the failure message

AXE = Axe()


def _person(demo) -> str:
    return f"/people/{demo.people['shokuin'].pk}/"


def _department(demo) -> str:
    return f"/departments/{Department.objects.get(name='情報戦略課').pk}/"


def _audit_entry(demo) -> str:
    # The creation of a person: its page shows the recorded values.
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE,
        target_type=User._meta.label_lower,
        target_id=str(demo.people["shokuin"].pk),
    )
    return f"/audit/{event.pk}/"


# Test id → the path (or a function of the demo context giving it). All but the login pages
# are visited logged in as admin.
PAGES = {
    "home": "/",
    "profile": "/profile/",
    "people": "/people/",
    "person-detail": _person,
    "person-new": "/people/new/",
    "departments": "/departments/",
    "department-detail": _department,
    "calendar": "/fiscal-years/",
    "fiscal-year": "/fiscal-years/2023/",
    "municipality": "/settings/municipality/",
    "municipality-edit": "/settings/municipality/edit/",
    "audit": "/audit/",
    "audit-entry": _audit_entry,
}


def _sixth_hq_meeting() -> Meeting:
    # The demo's 第6回 本部会議: agenda, generated papers and an open date poll with answers.
    return Meeting.objects.get(series__name="デジタル化推進本部会議", number=6)


def _meeting_detail(demo) -> str:
    return f"/meetings/{_sixth_hq_meeting().pk}/"


def _meeting_poll(demo) -> str:
    return f"/meetings/{_sixth_hq_meeting().pk}/poll/"


def _personal_link(demo) -> str:
    invitation = _sixth_hq_meeting().invitations.get(person=demo.people["honbuin"])
    return f"/p/{invitation.token}/"


# The meetings app's pages, visited logged in as the secretariat (jimukyoku): the system
# administrator does not run meetings, so the new-meeting form is not theirs.
MEETING_PAGES = {
    "meetings": "/meetings/",
    "meeting-detail": _meeting_detail,
    "meeting-poll": _meeting_poll,
    "meeting-new": "/meetings/new/",
    "actions": "/actions/",
    "knowledge": "/knowledge/",
    "training": "/training/",
    "meetings-calendar": "/calendar/",
}


def _strategy_revision() -> Version:
    # The demo's revision of the strategy, open for comments (協議中): change marks,
    # endorsements, objections and comments, and ICT / 情報化 wording to unify.
    return Version.objects.get(
        document__title="デジタル強靱化戦略", label="改定案（第6回本部会議）"
    )


def _strategy_adopted() -> Version:
    return Version.objects.get(document__title="デジタル強靱化戦略", number=1)


def _document_detail(demo) -> str:
    return f"/documents/{_strategy_revision().document_id}/"


def _version_detail(demo) -> str:
    return f"/versions/{_strategy_revision().pk}/"


def _version_compare(demo) -> str:
    return f"/versions/{_strategy_revision().pk}/compare/"


def _version_terms(demo) -> str:
    return f"/versions/{_strategy_revision().pk}/terms/"


def _section_comments(demo) -> str:
    # 基本方針: a comment with the secretariat's response.
    section = Section.objects.get(version=_strategy_revision(), heading="基本方針")
    return f"/sections/{section.pk}/comments/"


# The documents app's pages, visited logged in as the secretariat (jimukyoku), who sees the
# editing controls as well.
DOCUMENT_PAGES = {
    "documents": "/documents/",
    "document-detail": _document_detail,
    "version-detail": _version_detail,
    "version-compare": _version_compare,
    "version-terms": _version_terms,
    "section-comments": _section_comments,
    "glossary": "/glossary/",
}


def _public_document(demo) -> str:
    return f"/public/documents/{_strategy_adopted().document_id}/"


def _public_version(demo) -> str:
    return f"/public/versions/{_strategy_adopted().pk}/"


# The public pages of adopted documents, visited logged out.
PUBLIC_DOCUMENT_PAGES = {
    "public-documents": "/public/documents/",
    "public-document": _public_document,
    "public-version": _public_version,
}


def _demo_survey(round_label: str = "事前") -> Survey:
    # The demo's 「あなたにとってDXとは」: closed, answered by the demo staff, analysed.
    return Survey.objects.get(title="あなたにとってDXとは", round_label=round_label)


def _open_survey(demo, audience: str = Survey.Audience.ALL_STAFF) -> Survey:
    """A survey open today, with a question of every kind (the demo's surveys are closed)."""
    secretary = demo.people["jimukyoku"]
    today = timezone.localdate()
    survey = survey_services.survey_create(
        actor=secretary,
        title="庁内チャットの使い勝手について",
        purpose="庁内チャットの使い方を改善するため、ご意見を伺います。",
        opens_on=today,
        closes_on=today + timedelta(days=14),
        audience=audience,
        anonymous=audience == Survey.Audience.PUBLIC,
    )
    questions = [
        (Question.Kind.TEXT, "改善してほしい点を教えてください。", []),
        (Question.Kind.SINGLE, "庁内チャットを毎日使っていますか。", ["はい", "いいえ"]),
        (Question.Kind.MULTIPLE, "よく使う機能", ["メッセージ", "ファイル共有", "Web会議"]),
        (Question.Kind.LIKERT, "庁内チャットで仕事が早くなった", []),
        (Question.Kind.NUMBER, "1日に送るメッセージの数", []),
    ]
    for kind, text, choices in questions:
        survey_services.question_create(
            actor=secretary,
            survey=survey,
            kind=kind,
            text=text,
            help_text="分かる範囲で構いません。" if kind == Question.Kind.NUMBER else "",
            required=kind == Question.Kind.TEXT,
            choices=choices,
        )
    survey_services.survey_open(actor=secretary, survey=survey)
    return survey


def _survey_detail(demo) -> str:
    return f"/surveys/{_demo_survey().pk}/"


def _survey_results(demo) -> str:
    return f"/surveys/{_demo_survey().pk}/results/"


def _survey_answer(demo) -> str:
    return f"/surveys/{_open_survey(demo).pk}/answer/"


def _analysis_result(demo) -> str:
    # The second round's analysis: groups, the opinion map and the change since the first.
    run = AnalysisRun.objects.get(
        question__survey=_demo_survey("事後"),
        earlier_question__isnull=True,
        status=AnalysisRun.Status.DONE,
    )
    return f"/analyses/{run.pk}/"


def _analysis_rounds(demo) -> str:
    # The comparison of the two rounds on one scale: divergence and shares per round.
    run = AnalysisRun.objects.get(
        question__survey=_demo_survey("事後"),
        earlier_question__isnull=False,
        status=AnalysisRun.Status.DONE,
    )
    return f"/analyses/{run.pk}/"


def _public_survey_answer(demo) -> str:
    survey = _open_survey(demo, audience=Survey.Audience.PUBLIC)
    return f"/s/{survey.public_token}/"


# The surveys and analysis apps' pages, visited logged in as the secretariat (jimukyoku),
# who runs the surveys and their analyses and, as staff, answers them too.
SURVEY_PAGES = {
    "surveys": "/surveys/",
    "survey-detail": _survey_detail,
    "survey-results": _survey_results,
    "survey-answer": _survey_answer,
    "analyses": "/analyses/",
    "analysis-result": _analysis_result,
    "analysis-rounds": _analysis_rounds,
}


def _demo_initiative():
    # A reform of 福祉部 in the demo: levers, cost and value, KPIs, reports, budget.
    from kyokan.apps.portfolio.models import Initiative

    return Initiative.objects.get(title="介護認定のオンライン申請と審査の再設計")


def _initiative_detail(demo) -> str:
    return f"/portfolio/{_demo_initiative().pk}/"


def _initiative_edit(demo) -> str:
    return f"/portfolio/{_demo_initiative().pk}/edit/"


def _cost_value_edit(demo) -> str:
    return f"/portfolio/{_demo_initiative().pk}/cost-value/"


def _kpi_new(demo) -> str:
    return f"/portfolio/{_demo_initiative().pk}/kpis/new/"


def _report_new(demo) -> str:
    # An initiative that owes the current quarter's report (the form then opens).
    from django.utils import timezone

    from kyokan.apps.portfolio import periods, selectors

    fy, q = periods.quarter_of(timezone.localdate())
    initiative = selectors.missing_reports(fy, q).first()
    return f"/portfolio/{initiative.pk}/reports/new/"


def _report_detail(demo) -> str:
    return f"/portfolio/reports/{_demo_initiative().reports.order_by('-id').first().pk}/"


# The portfolio's pages, visited logged in as the secretariat (jimukyoku), who manages
# every initiative and reviews the reports.
PORTFOLIO_PAGES = {
    "initiatives": "/portfolio/",
    "initiative-detail": _initiative_detail,
    "initiative-new": "/portfolio/new/",
    "initiative-edit": _initiative_edit,
    "cost-value-edit": _cost_value_edit,
    "kpi-new": _kpi_new,
    "report-new": _report_new,
    "report-detail": _report_detail,
    "reports": "/portfolio/reports/",
    "missing": "/portfolio/missing/",
    "goals": "/portfolio/goals/",
    "budget": "/portfolio/budget/",
    "roadmap": "/portfolio/roadmap/",
    "analytics": "/portfolio/analytics/",
    "import": "/portfolio/import/",
    "policy": "/portfolio/policy/",
}


def blocking_violations(page) -> list[dict]:
    results = AXE.run(page)
    return [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]


def report(where: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious/critical axe violation(s) on {where}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:TARGETS_SHOWN]:
            target = " ".join(str(t) for t in node["target"])
            html = " ".join(node["html"].split())
            lines.append(f"    {target}\n      {html[:300]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > TARGETS_SHOWN:
            lines.append(f"    … and {len(v['nodes']) - TARGETS_SHOWN} more element(s)")
    return "\n".join(lines)


def check(page, where: str):
    expect(page.locator("main h1")).to_be_visible()
    violations = blocking_violations(page)
    assert not violations, report(where, violations)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_violations_for_admin(page, live_server, demo, name):
    path = PAGES[name]
    if callable(path):
        path = path(demo)
    login(page, live_server, "admin")
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} answered {response.status}"
    check(page, path)


# The module pages, as the secretariat (who may open every one of them).
SECRETARIAT_PAGES = {
    **{f"meetings:{k}": v for k, v in MEETING_PAGES.items()},
    **{f"documents:{k}": v for k, v in DOCUMENT_PAGES.items()},
    **{f"surveys:{k}": v for k, v in SURVEY_PAGES.items()},
    **{f"portfolio:{k}": v for k, v in PORTFOLIO_PAGES.items()},
}


@pytest.mark.parametrize("name", list(SECRETARIAT_PAGES))
def test_module_page_has_no_serious_violations_for_the_secretariat(page, live_server, demo, name):
    path = SECRETARIAT_PAGES[name]
    if callable(path):
        path = path(demo)
    login(page, live_server, "jimukyoku")
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} answered {response.status}"
    check(page, path)


@pytest.mark.parametrize("name", list(PUBLIC_DOCUMENT_PAGES))
def test_public_document_page_has_no_serious_violations_logged_out(page, live_server, demo, name):
    path = PUBLIC_DOCUMENT_PAGES[name]
    if callable(path):
        path = path(demo)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} answered {response.status}"
    expect(page.locator("header nav.site-nav")).to_have_count(0)
    check(page, f"{path} (logged out)")


def test_public_survey_answer_page_has_no_serious_violations_logged_out(page, live_server, demo):
    """The page a citizen sees through a public survey's link: logged out."""
    path = _public_survey_answer(demo)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} answered {response.status}"
    expect(page.locator("header nav.site-nav")).to_have_count(0)
    expect(page.locator("main form[method=post] fieldset").first).to_be_visible()
    check(page, f"{path} (public link, logged out)")


def test_poll_answer_by_personal_link_has_no_serious_violations(page, live_server, demo):
    """The page an invitee without an account sees: logged out, through their link."""
    path = _personal_link(demo)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} answered {response.status}"
    expect(page.locator("header nav.site-nav")).to_have_count(0)
    expect(page.locator("main form[method=post] fieldset").first).to_be_visible()
    check(page, f"{path} (personal link, logged out)")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_login_page_has_no_serious_violations(page, live_server, demo, language):
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    if language != "ja":
        form = page.locator("header form.lang-switch")
        form.locator("select[name=language]").select_option(language)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    check(page, f"{LOGIN_PATH} ({language})")


def test_login_page_with_errors_has_no_serious_violations(page, live_server, demo):
    login(page, live_server, "admin", "not-the-password")
    expect(page.locator("main .form-errors")).to_be_visible()
    check(page, f"{LOGIN_PATH} after a failed login")


def test_axe_catches_a_violation_planted_in_an_app_page(page, live_server):
    """Guards the checks above: axe runs on the app's pages and its findings are reported."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
            img.className = "planted-without-alt";
            document.querySelector("main").append(img);
        }"""
    )
    violations = blocking_violations(page)
    assert [v["id"] for v in violations] == ["image-alt"]
    message = report("the login page", violations)
    assert "image-alt (critical)" in message and "planted-without-alt" in message


# Pages built on templates/partials/form_fields.html, which the tests above see blank only.
FORM_PAGES = [
    "/people/new/",
    "/settings/municipality/edit/",
    "/departments/new/",
    "/fiscal-years/new/",
    "/profile/password/",
]

# Every id referenced by an ARIA relation must exist, once; no id may be duplicated.
# (axe only lists these as "incomplete", needing review, so they do not fail the tests above.)
BROKEN_ID_REFERENCES_JS = """() => {
    const problems = [];
    const counts = {};
    for (const el of document.querySelectorAll("[id]")) counts[el.id] = (counts[el.id] || 0) + 1;
    for (const [id, n] of Object.entries(counts)) {
        if (n > 1) problems.push(`id="${id}" is used by ${n} elements`);
    }
    const attrs = ["aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage"];
    for (const attr of attrs) {
        for (const el of document.querySelectorAll(`[${attr}]`)) {
            for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) {
                    const name = el.getAttribute("name") || el.id || el.tagName.toLowerCase();
                    problems.push(`${name}: ${attr}="${id}" points at no element`);
                }
            }
        }
    }
    return problems;
}"""


def broken_id_references(page, live_server, paths) -> list[str]:
    """Each form blank, then submitted with its text fields emptied so that they show errors."""
    problems = []
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        problems += [f"{path} (blank): {p}" for p in page.evaluate(BROKEN_ID_REFERENCES_JS)]
        # Submit nonsense so that fields show their errors.
        form = page.locator("main form[method=post]")
        for field in form.locator("input[type=text], input[type=number], input[type=email]").all():
            field.fill("")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        expect(page.locator("main .form-errors")).to_be_visible()
        problems += [f"{path} (errors): {p}" for p in page.evaluate(BROKEN_ID_REFERENCES_JS)]
    return problems


def test_form_fields_reference_existing_help_and_errors(page, live_server, demo):
    login(page, live_server, "admin")
    problems = broken_id_references(page, live_server, FORM_PAGES)
    assert not problems, "Broken id references:\n" + "\n".join(problems)


def test_meeting_forms_reference_existing_help_and_errors(page, live_server, demo):
    sixth = _sixth_hq_meeting().pk
    paths = [
        "/meetings/new/",
        f"/meetings/{sixth}/invite/",
        f"/meetings/{sixth}/guests/new/",
        f"/meetings/{sixth}/agenda/new/",
        f"/meetings/{sixth}/papers/upload/",
        f"/meetings/{sixth}/decisions/new/",
        _personal_link(demo),  # the date poll's radio groups, one per candidate date
    ]
    login(page, live_server, "jimukyoku")
    problems = broken_id_references(page, live_server, paths)
    assert not problems, "Broken id references:\n" + "\n".join(problems)


def test_survey_forms_reference_existing_help_and_errors(page, live_server, demo):
    survey = _open_survey(demo)
    draft = survey_services.survey_create(
        actor=demo.people["jimukyoku"],
        title="下書きのアンケート",
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
        audience=Survey.Audience.ALL_STAFF,
    )
    public = _open_survey(demo, audience=Survey.Audience.PUBLIC)
    paths = [
        "/surveys/new/",
        f"/surveys/{draft.pk}/questions/new/",
        f"/surveys/{survey.pk}/answer/",  # every kind of question, one of them with help text
        f"/surveys/{_demo_survey().pk}/import/",
    ]
    login(page, live_server, "jimukyoku")
    problems = broken_id_references(page, live_server, paths)
    logout = page.locator('header form[action="/accounts/logout/"] button[type="submit"]')
    with page.expect_navigation():
        logout.click()
    problems += broken_id_references(page, live_server, [f"/s/{public.public_token}/"])
    assert not problems, "Broken id references:\n" + "\n".join(problems)


def test_portfolio_forms_reference_existing_help_and_errors(page, live_server, demo):
    initiative = _demo_initiative().pk
    paths = [
        "/portfolio/new/",  # radio groups of the levers, help texts
        f"/portfolio/{initiative}/kpis/new/",  # a target per fiscal year
        _report_new(demo),  # KPI actuals and their sources
        f"/portfolio/{initiative}/milestones/new/",
        "/portfolio/goals/new/",
        "/portfolio/steps/new/",
    ]
    login(page, live_server, "jimukyoku")
    problems = broken_id_references(page, live_server, paths)
    assert not problems, "Broken id references:\n" + "\n".join(problems)
