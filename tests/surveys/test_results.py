"""Results pages: per-question charts and tables, response rate and who has not answered,
cross-tabulation, comparison of rounds, permissions and query counts."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import charts, selectors, services
from tests.factories import UserFactory
from tests.surveys.conftest import make_survey

RESULT_VIEWERS = {Role.SECRETARIAT, Role.HQ_CHIEF, Role.HQ_DEPUTY, Role.HQ_MEMBER}
MANAGERS = {Role.SECRETARIAT}


def _answers(q, *, single, multiple, likert, number, text):
    return {
        q["single"].pk: single,
        q["multiple"].pk: multiple,
        q["likert"].pk: likert,
        q["number"].pk: number,
        q["text"].pk: text,
    }


@pytest.fixture
def answered(open_survey, people):
    """Three answers: secretariat, HQ chief and staff."""
    survey, q = open_survey
    for role, values in {
        Role.SECRETARIAT: dict(single=0, multiple=[0, 2], likert=4, number="3", text="紙を減らす"),
        Role.HQ_CHIEF: dict(single=1, multiple=[1], likert=5, number="5", text="市民の時間"),
        Role.STAFF: dict(single=0, multiple=[0], likert=2, number="10", text="<b>仕組み</b>"),
    }.items():
        services.response_save(survey=survey, answers=_answers(q, **values), user=people[role])
    return survey, q


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _section(html: str, question) -> str:
    start = html.index(f'id="q-{question.pk}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


# --- the results page ------------------------------------------------------------------


def test_results_page_shows_each_kind_of_question(answered, client_as):
    survey, q = answered
    html = _get(_english(client_as(Role.HQ_MEMBER)), reverse("surveys:results", args=[survey.pk]))
    assert "3 responses" in html

    single = _section(html, q["single"])
    assert re.search(r"<th scope=\"row\">窓口</th><td class=\"num\">2</td>", single)
    assert re.search(r"<th scope=\"row\">内部管理</th><td class=\"num\">1</td>", single)
    assert re.search(r"<th scope=\"row\">事業</th><td class=\"num\">0</td>", single)
    assert "66.7%" in single

    multiple = _section(html, q["multiple"])
    assert re.search(r"<th scope=\"row\">電子申請</th><td class=\"num\">2</td>", multiple)
    assert "percentages are of the respondents" in multiple

    likert = _section(html, q["likert"])
    assert re.search(r"<th scope=\"row\">5 そう思う</th><td class=\"num\">1</td>", likert)
    assert "mean 3.67" in likert  # (4 + 5 + 2) / 3

    number = _section(html, q["number"])
    cells = re.findall(r'<td class="num">([^<]*)</td>', number)
    assert cells == ["3", "6", "5", "3", "10"]  # n, mean, median, min, max

    text = _section(html, q["text"])
    assert "紙を減らす" in text and "市民の時間" in text
    assert "&lt;b&gt;仕組み&lt;/b&gt;" in text  # escaped


def test_choice_and_likert_questions_have_an_accessible_svg_chart(answered, client_as):
    survey, q = answered
    html = _get(_english(client_as(Role.SECRETARIAT)), reverse("surveys:results", args=[survey.pk]))
    for key in ("single", "multiple", "likert"):
        section = _section(html, q[key])
        svg = re.search(r"<svg[^>]*>", section).group(0)
        assert 'role="img"' in svg
        assert f"Bar chart of the answers to “{q[key].text}”" in svg
        assert "<title>Bar chart of the answers" in section
        assert 'aria-label="' in svg
        # ids are unique to the chart (several charts share one page)
        assert f'id="chart-q{q[key].pk}-figure_1"' in section
    for key in ("number", "text"):
        assert "<svg" not in _section(html, q[key])
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert "Bar chart of the response rate by bureau" in html  # the rate chart


def test_the_same_chart_code_makes_a_png(answered):
    _survey, q = answered
    chart = charts.question_chart(q["likert"], selectors.question_results(q["likert"]))
    assert chart.note == "n = 3 · mean 3.67"
    assert charts.png(chart).startswith(b"\x89PNG\r\n\x1a\n")


def test_chart_markup_escapes_what_respondents_and_editors_typed():
    chart = charts.BarChart(
        labels=("--><script>alert(1)</script>", "<img src=x onerror=alert(1)>"),
        values=(1, 2),
        value_texts=("1", "2"),
        description='<script>x</script>"',
    )
    svg = charts.svg(chart, uid="t")
    assert "<script" not in svg and "<img" not in svg and "<!--" not in svg
    assert 'aria-label="&lt;script&gt;x&lt;/script&gt;&quot;"' in svg


def test_a_question_without_answers_says_so(open_survey, client_as):
    survey, _q = open_survey
    html = _get(_english(client_as(Role.SECRETARIAT)), reverse("surveys:results", args=[survey.pk]))
    assert html.count("No answers yet.") == 5
    assert "0 responses" in html


def test_only_the_first_100_text_answers_are_listed(open_survey, people, client_as):
    from kyokan.apps.surveys import importing

    survey, q = open_survey
    table = importing.Table(header=["text"], rows=[[f"意見{i:03}"] for i in range(105)])
    importing.responses_import(
        actor=people[Role.SECRETARIAT],
        survey=survey,
        table=table,
        mapping=importing.ColumnMap(questions={q["text"].pk: 0}),
    )
    html = _get(_english(client_as(Role.SECRETARIAT)), reverse("surveys:results", args=[survey.pk]))
    text = _section(html, q["text"])
    assert "意見099" in text and "意見100" not in text
    assert "The first 100 of 105 answers are shown." in text
    assert reverse("surveys:export_csv", args=[survey.pk]) in text


def test_response_rate_by_bureau_links_to_who_has_not_answered(answered, client_as, people):
    survey, _q = answered
    url = reverse("surveys:results", args=[survey.pk])
    html = _get(_english(client_as(Role.SECRETARIAT)), url)
    # all_staff: secretariat, 3 HQ roles, promoter, staff and sysadmin; 3 answered
    assert "3/7" in html
    staff_bureau = people[Role.STAFF].department.parent.name
    assert re.search(
        rf'<th scope="row">{staff_bureau}</th><td class="num">1</td><td class="num">1</td>', html
    )
    assert "Who has not answered yet (4)" in html
    assert reverse("surveys:non_respondents", args=[survey.pk]) in html
    # HQ members see the rate but not the link (the list is for the secretariat)
    html = _get(_english(client_as(Role.HQ_MEMBER)), url)
    assert "3/7" in html
    assert reverse("surveys:non_respondents", args=[survey.pk]) not in html


def test_anonymous_survey_shows_only_counts(people, client_as):
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat, anonymous=True, title="匿名調査")
    services.survey_open(actor=secretariat, survey=survey)
    services.response_save(survey=survey, answers={q["text"].pk: "はい"}, user=people[Role.STAFF])
    html = _get(_english(client_as(Role.SECRETARIAT)), reverse("surveys:results", args=[survey.pk]))
    assert "1/7" in html
    assert "only the numbers of answers are shown" in html
    assert reverse("surveys:non_respondents", args=[survey.pk]) not in html


# --- who has not answered ------------------------------------------------------------------


def test_non_respondents_lists_the_audience_who_have_not_answered(answered, client_as, people):
    survey, _q = answered
    html = _get(
        _english(client_as(Role.SECRETARIAT)),
        reverse("surveys:non_respondents", args=[survey.pk]),
    )
    listed = set(re.findall(r'<th scope="row">([^<]+)</th>', html))
    expected = {people[r].full_name for r in (Role.HQ_DEPUTY, Role.HQ_MEMBER, Role.PROMOTER)}
    expected.add(people[Role.SYSADMIN].full_name)
    assert listed == expected
    staff = people[Role.STAFF]
    assert f"{staff.department.parent} {staff.department}" not in html  # answered
    promoter = people[Role.PROMOTER]
    assert f"{promoter.department.parent} {promoter.department}" in html


def test_non_respondents_is_paginated(open_survey, client_as, settings):
    survey, _q = open_survey
    settings.KYOKAN_PAGE_SIZE = 3
    url = reverse("surveys:non_respondents", args=[survey.pk])
    html = _get(_english(client_as(Role.SECRETARIAT)), url)
    assert "Page 1 of 3" in html  # 7 people addressed, nobody answered
    assert len(re.findall(r'<th scope="row">', html)) == 3


@pytest.mark.parametrize("kind", ["anonymous", "public"])
def test_non_respondents_is_404_for_anonymous_and_public_surveys(kind, people, client_as):
    extra = {"anonymous": True} if kind == "anonymous" else {"audience": "public"}
    survey, _q = make_survey(people[Role.SECRETARIAT], title=kind, **extra)
    response = client_as(Role.SECRETARIAT).get(reverse("surveys:non_respondents", args=[survey.pk]))
    assert response.status_code == 404


# --- cross-tabulation ----------------------------------------------------------------------


def test_cross_tab_by_bureau_counts_and_row_percentages(answered, people, client_as):
    survey, q = answered
    colleague = UserFactory(department=people[Role.STAFF].department, roles=[Role.STAFF])
    services.response_save(
        survey=survey,
        answers=_answers(q, single=2, multiple=[0, 1], likert=3, number="1", text="同僚"),
        user=colleague,
    )
    client = _english(client_as(Role.HQ_DEPUTY))
    url = reverse("surveys:crosstab", args=[survey.pk, q["multiple"].pk])
    response = client.get(url, {"by": "department"})
    assert response.status_code == 200
    rows = {r["key"]: r for r in response.context["rows"]}
    staff_bureau = people[Role.STAFF].department.parent.name
    row = rows[staff_bureau]
    # two respondents: [0] and [0, 1] → 電子申請 2 (100%), RPA 1 (50%), チャット 0
    assert row["n"] == 2
    assert [c["count"] for c in row["cells"]] == [2, 1, 0]
    assert [c["percent"] for c in row["cells"]] == [100.0, 50.0, 0.0]
    assert response.context["total"]["n"] == 4
    assert [c["count"] for c in response.context["total"]["cells"]] == [3, 2, 1]
    html = response.content.decode()
    assert '2 <span class="help-text">(100.0%)</span>' in html
    assert response.context["labels"] == q["multiple"].choices


def test_cross_tab_by_role_of_a_likert_question(answered, client_as):
    survey, q = answered
    url = reverse("surveys:crosstab", args=[survey.pk, q["likert"].pk])
    response = _english(client_as(Role.SECRETARIAT)).get(url, {"by": "role"})
    assert response.status_code == 200
    rows = {r["key"]: [c["count"] for c in r["cells"]] for r in response.context["rows"]}
    assert rows == {
        str(Role.SECRETARIAT.label): [0, 0, 0, 1, 0],
        str(Role.HQ_CHIEF.label): [0, 0, 0, 0, 1],
        str(Role.STAFF.label): [0, 1, 0, 0, 0],
    }
    assert response.context["labels"][0] == "1 そう思わない"
    assert "Secretariat" in response.content.decode()


@pytest.mark.parametrize("by", ["department", "role"])
def test_the_cross_tab_is_one_selector_in_one_query_with_each_rows_respondents(
    by, answered, people
):
    """One cross-tab (the selector; the view's twin is gone), a fixed number of queries
    whatever the number of answers (by bureau: the answers, then the bureaus' names as they
    were when the survey ran — two), and a multiple-choice row's respondents are not its
    counts' sum."""
    from kyokan.apps.surveys.views import results

    assert not hasattr(results, "cross_tab") and not hasattr(results, "non_respondents_of")
    _survey, q = answered
    for key in ("single", "multiple", "likert"):
        with CaptureQueriesContext(connection) as queries:
            table = selectors.cross_tab(q[key], by)
        assert len(queries) == (1 if by == "role" else 3)
        assert sum(n for _key, _counts, n in table["rows"]) == 3
    secretariat = people[Role.SECRETARIAT]
    key = (
        str(Role.SECRETARIAT.label)
        if by == "role"
        else (secretariat.department.parent or secretariat.department).name
    )
    rows = {k: (counts, n) for k, counts, n in selectors.cross_tab(q["multiple"], by)["rows"]}
    assert rows[key] == ([1, 0, 1], 1)  # two options chosen by one respondent


def test_cross_tab_of_a_text_question_or_other_survey_is_404(answered, client_as, people):
    survey, q = answered
    client = client_as(Role.SECRETARIAT)
    assert (
        client.get(reverse("surveys:crosstab", args=[survey.pk, q["text"].pk])).status_code == 404
    )
    other, _other_q = make_survey(people[Role.SECRETARIAT], title="別の調査")
    url = reverse("surveys:crosstab", args=[other.pk, q["single"].pk])
    assert client.get(url).status_code == 404


# --- comparison of rounds -----------------------------------------------------------------


def _second_round(people, before):
    secretariat = people[Role.SECRETARIAT]
    today = timezone.localdate()
    after = services.survey_create(
        actor=secretariat,
        title="あなたにとってDXとは",
        round_label="事後",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
        audience="all_staff",
        previous_round=before,
    )
    services.survey_open(actor=secretariat, survey=after)
    return after, {q.kind: q for q in after.questions.all()}


def test_compare_shows_counts_side_by_side_and_the_likert_mean_change(
    open_survey, people, client_as
):
    before, q = open_survey
    for role, (single, likert) in {Role.STAFF: (0, 2), Role.PROMOTER: (1, 3)}.items():
        services.response_save(
            survey=before,
            answers={q["text"].pk: "前", q["single"].pk: single, q["likert"].pk: likert},
            user=people[role],
        )
    after, q2 = _second_round(people, before)
    for role, (single, likert) in {Role.STAFF: (0, 3), Role.PROMOTER: (0, 3)}.items():
        services.response_save(
            survey=after,
            answers={q2["text"].pk: "後", q2["single"].pk: single, q2["likert"].pk: likert},
            user=people[role],
        )
    response = _english(client_as(Role.HQ_CHIEF)).get(reverse("surveys:compare", args=[after.pk]))
    assert response.status_code == 200
    items = {i["question"].kind: i for i in response.context["items"]}
    assert items["likert"]["mean_change"] == "+0.5"  # 2.5 → 3.0
    single = {r["label"]: (r["before"], r["after"]) for r in items["single"]["rows"]}
    assert single == {"窓口": (1, 2), "内部管理": (1, 0), "事業": (0, 0)}
    html = response.content.decode()
    assert "(+0.5)" in html
    assert "2 responses" in html


def test_compare_without_a_previous_round_is_404(open_survey, client_as):
    survey, _q = open_survey
    response = client_as(Role.SECRETARIAT).get(reverse("surveys:compare", args=[survey.pk]))
    assert response.status_code == 404


# --- permissions ------------------------------------------------------------------------------

VIEWS = {
    "results": ("surveys.view_results", lambda s, q: [s.pk]),
    "non_respondents": ("surveys.manage_surveys", lambda s, q: [s.pk]),
    "crosstab": ("surveys.view_results", lambda s, q: [s.pk, q["single"].pk]),
    "compare": ("surveys.view_results", lambda s, q: [s.pk]),
    "export_csv": ("surveys.view_results", lambda s, q: [s.pk]),
    "export_xlsx": ("surveys.view_results", lambda s, q: [s.pk]),
    "import": ("surveys.manage_surveys", lambda s, q: [s.pk]),
}


@pytest.mark.parametrize("name", sorted(VIEWS))
@pytest.mark.parametrize("viewer", ["anonymous", *(r.value for r in Role)])
def test_who_may_use_each_view(name, viewer, open_survey, people, client_as):
    before, _q = open_survey
    survey, q2 = _second_round(people, before)  # so that "compare" exists
    perm, args = VIEWS[name]
    response = client_as(viewer).get(reverse(f"surveys:{name}", args=args(survey, q2)))
    if viewer == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif viewer in (MANAGERS if perm == "surveys.manage_surveys" else RESULT_VIEWERS):
        assert response.status_code == 200
    else:
        assert response.status_code == 403


# --- query counts ----------------------------------------------------------------------------


def _respond(survey, q, n: int) -> None:
    for i in range(n):
        person = UserFactory(roles=[Role.STAFF])
        services.response_save(
            survey=survey,
            answers=_answers(
                q, single=i % 3, multiple=[i % 3], likert=i % 5 + 1, number=str(i), text=f"意見{i}"
            ),
            user=person,
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["results", "export_csv", "export_xlsx", "crosstab", "compare"])
def test_query_counts_do_not_grow_with_responses(name, open_survey, people, client_as):
    before, q0 = open_survey
    survey, q = _second_round(people, before)
    args = [survey.pk, q["single"].pk] if name == "crosstab" else [survey.pk]
    url = reverse(f"surveys:{name}", args=args)
    client = client_as(Role.SECRETARIAT)
    _respond(survey, q, 3)
    few = _count(client, url)
    _respond(survey, q, 27)
    _respond(before, q0, 5)
    assert _count(client, url) == few
