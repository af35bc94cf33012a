"""The acceptance journey of the surveys and free-text analysis modules, in a real browser,
through the real forms: "A survey can be created, answered by the demo staff in the
browser, analysed, and its results exported; a second round can be compared with the
first."

Then: the demo's second round (事後) shows the change since the first in its analysis, the
import of responses from a CSV file saved by Excel (Shift_JIS) — and the refusal of a file
with one bad row, importing nothing — and a public-link survey answered by a visitor who is
not logged in.

Analyses run in a background worker (``kyokan db_worker``): the tests start one through the
form, then run the worker in the test process, as the worker would, and look again.

Links and fields are found by their href and name, not by their labels, so the tests hold in
either language; texts that are checked are computed with the Japanese catalogue (the app's
default language), as the server renders them.
"""

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from kyokan.apps.analyses.models import AnalysisRun
from kyokan.apps.surveys import selectors
from kyokan.apps.surveys.models import (
    LIKERT_LABELS,
    Answer,
    ImportBatch,
    Participation,
    Question,
    Response,
    Survey,
)
from tests.browser.conftest import login
from tests.browser.journey import (
    download,
    follow,
    ja,
    path_of,
    run_worker,
    submit,
    switch_user,
)

TITLE = "窓口のデジタル化に関する職員アンケート"
PURPOSE = "書かない窓口の導入に向けて、職員の皆さんの考えを伺います。"
TEXT_Q = "窓口のデジタル化で市民にとって一番良くなることは何ですか。"
SINGLE_Q = "オンライン申請の研修を受けたことがありますか。"
SINGLE_OPTIONS = ["ある", "ない", "予定がある"]
LIKERT_Q = "書かない窓口の目的を説明できる"

SHOKUIN_TEXT = "市民が窓口で何度も同じことを書かずに済むようになること"
SUISHININ_TEXT = "申請書を書かなくても手続ができ、待ち時間が短くなること"
SUISHININ_CHANGED = "窓口に来なくてもオンラインで手続を終えられるようになること"
SHOKUIN_AFTER = "市民の手続が窓口でもオンラインでも簡単になること"


def ja_n(singular: str, plural: str, n: int) -> str:
    """A counted message ({% blocktranslate count %}) as the server shows it in Japanese."""
    with translation.override("ja"):
        return translation.ngettext(singular, plural, n) % {"n": n}


# --- driving the pages ------------------------------------------------------------------------


def expect_message(page, message: str):
    expect(page.locator("main .messages")).to_contain_text(message)


def survey_url(survey) -> str:
    return reverse("surveys:detail", args=[survey.pk])


def results_url(survey) -> str:
    return reverse("surveys:results", args=[survey.pk])


def answer_url(survey) -> str:
    return reverse("surveys:answer", args=[survey.pk])


def fill_survey_form(page, *, title, audience, previous=None, round_label=""):
    """The new-survey form: open today, closing in two weeks, named."""
    today = timezone.localdate()
    form = page.locator("main form[method=post]")
    form.locator('input[name="title"]').fill(title)
    form.locator('textarea[name="purpose"]').fill(PURPOSE)
    form.locator('input[name="opens_on"]').fill(today.isoformat())
    form.locator('input[name="closes_on"]').fill((today + timedelta(days=14)).isoformat())
    form.locator('select[name="audience"]').select_option(audience)
    expect(form.locator('input[name="anonymous"]')).not_to_be_checked()
    if previous is not None:
        form.locator('select[name="previous_round"]').select_option(str(previous.pk))
    form.locator('input[name="round_label"]').fill(round_label)


def create_survey(page, live_server, *, title, audience, previous=None, round_label="") -> Survey:
    page.goto(f"{live_server.url}{reverse('surveys:list')}")
    follow(page, reverse("surveys:create"))
    fill_survey_form(
        page, title=title, audience=audience, previous=previous, round_label=round_label
    )
    submit(page)
    survey = Survey.objects.get(title=title, round_label=round_label)
    assert path_of(page) == survey_url(survey)
    expect_message(page, ja("The survey was created; add its questions."))
    return survey


def add_question(page, survey, kind: str, text: str, *, required=True, options=()) -> Question:
    follow(page, reverse("surveys:question_create", args=[survey.pk]))
    form = page.locator("main form[method=post]")
    form.locator('select[name="kind"]').select_option(kind)
    form.locator('input[name="text"]').fill(text)
    form.locator('input[name="required"]').set_checked(required)
    if options:
        form.locator('textarea[name="choices_text"]').fill("\n".join(options))
    submit(page)
    assert path_of(page) == survey_url(survey)
    expect_message(page, ja("The question was added."))
    question = survey.questions.get(text=text)
    assert question.kind == kind and question.choices == list(options)
    return question


def open_survey(page, survey):
    follow(page, reverse("surveys:state", args=[survey.pk, "open"]))
    submit(page)
    assert path_of(page) == survey_url(survey)
    expect_message(page, ja("The survey is open."))
    survey.refresh_from_db()
    assert survey.state == Survey.State.OPEN


def question_section(page, question):
    return page.locator(f'main section[aria-labelledby="q-{question.pk}"]')


def count_cell(section, label: str):
    """The count next to an answer's label in a results table."""
    return row_of(section, label).locator("td").first


def row_of(within, label: str):
    """The table row whose header cell is exactly ``label``."""
    exactly = re.compile(f"^\\s*{re.escape(label)}\\s*$")
    return within.locator("table.data-table tbody tr").filter(
        has=within.page.locator("th", has_text=exactly)
    )


def answers_of(survey, person) -> dict[int, Answer]:
    response = Response.objects.get(survey=survey, respondent=person)
    return {a.question_id: a for a in response.answers.all()}


# --- the journey -------------------------------------------------------------------------------


def test_survey_journey_from_creation_to_analysis_exports_and_second_round(
    page, live_server, demo, tmp_path
):
    base = live_server.url
    shokuin, suishinin = demo.people["shokuin"], demo.people["suishinin"]

    # 1. The secretariat creates a named survey for all staff, with three questions.
    login(page, live_server, "jimukyoku")
    first = create_survey(
        page, live_server, title=TITLE, audience=Survey.Audience.ALL_STAFF, round_label="事前"
    )
    assert not first.anonymous and first.state == Survey.State.DRAFT
    assert first.opens_on == timezone.localdate()
    assert first.closes_on == timezone.localdate() + timedelta(days=14)
    text_q = add_question(page, first, Question.Kind.TEXT, TEXT_Q)
    single_q = add_question(page, first, Question.Kind.SINGLE, SINGLE_Q, options=SINGLE_OPTIONS)
    likert_q = add_question(page, first, Question.Kind.LIKERT, LIKERT_Q)
    expect(page.locator("main > ol > li")).to_have_count(3)
    open_survey(page, first)

    # 2. 職員 finds it among the surveys open for them, and forgets the required text.
    switch_user(page, live_server, "shokuin")
    page.goto(f"{base}{reverse('surveys:list')}")
    follow(page, answer_url(first), within="main section[aria-labelledby='for-me']")
    form = page.locator("main form[method=post]")
    form.locator(f'input[name="q{single_q.pk}"][value="1"]').check()  # ない
    form.locator(f'input[name="q{likert_q.pk}"][value="4"]').check()
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    assert path_of(page) == answer_url(first)
    expect(page.locator("main .form-errors[role=alert]")).to_be_visible()
    text_field = page.locator(f'main textarea[name="q{text_q.pk}"]')
    expect(text_field.locator("xpath=..").locator(".errorlist")).to_be_visible()
    # The other answers are kept.
    expect(form.locator(f'input[name="q{single_q.pk}"][value="1"]')).to_be_checked()
    expect(form.locator(f'input[name="q{likert_q.pk}"][value="4"]')).to_be_checked()
    assert not Response.objects.filter(survey=first).exists()
    text_field.fill(SHOKUIN_TEXT)
    submit(page)
    assert path_of(page) == answer_url(first)
    expect_message(page, ja("Thank you. Your answers were saved."))
    expect(page.locator("main .message--info[role=status]")).to_be_visible()  # answered
    answers = answers_of(first, shokuin)
    assert answers[text_q.pk].text == SHOKUIN_TEXT
    assert answers[single_q.pk].choices == [1] and answers[likert_q.pk].number == 4

    # 3. 推進員 answers from the survey's page, then changes the answers.
    switch_user(page, live_server, "suishinin")
    page.goto(f"{base}{survey_url(first)}")
    follow(page, answer_url(first))
    form = page.locator("main form[method=post]")
    form.locator(f'textarea[name="q{text_q.pk}"]').fill(SUISHININ_TEXT)
    form.locator(f'input[name="q{single_q.pk}"][value="0"]').check()  # ある
    form.locator(f'input[name="q{likert_q.pk}"][value="5"]').check()
    submit(page)
    expect_message(page, ja("Thank you. Your answers were saved."))
    page.goto(f"{base}{survey_url(first)}")
    follow(page, answer_url(first))  # now "Change your answers"
    form = page.locator("main form[method=post]")
    expect(form.locator(f'textarea[name="q{text_q.pk}"]')).to_have_value(SUISHININ_TEXT)
    expect(form.locator(f'input[name="q{likert_q.pk}"][value="5"]')).to_be_checked()
    form.locator(f'textarea[name="q{text_q.pk}"]').fill(SUISHININ_CHANGED)
    form.locator(f'input[name="q{likert_q.pk}"][value="3"]').check()
    submit(page)
    expect_message(page, ja("Thank you. Your answers were saved."))
    answers = answers_of(first, suishinin)
    assert answers[text_q.pk].text == SUISHININ_CHANGED and answers[likert_q.pk].number == 3
    assert Response.objects.filter(survey=first).count() == 2  # replaced, not added

    # 4. The secretariat reads the results: counts, charts, the response rate.
    switch_user(page, live_server, "jimukyoku")
    page.goto(f"{base}{survey_url(first)}")
    follow(page, results_url(first))
    audience = selectors.audience_people(first).count()
    lead = page.locator("main p.lead")
    expect(lead).to_contain_text(ja_n("%(n)s response", "%(n)s responses", 2))
    expect(lead).to_contain_text(f"(2/{audience})")
    single = question_section(page, single_q)
    expect(count_cell(single, "ある")).to_have_text("1")
    expect(count_cell(single, "ない")).to_have_text("1")
    expect(count_cell(single, "予定がある")).to_have_text("0")
    likert = question_section(page, likert_q)
    expect(count_cell(likert, f"4 {LIKERT_LABELS[3]}")).to_have_text("1")
    expect(count_cell(likert, f"3 {LIKERT_LABELS[2]}")).to_have_text("1")
    expect(likert.locator("tfoot")).to_contain_text("3.50")  # the mean
    for section in (single, likert):
        chart = section.locator("figure.survey-figure svg[role=img]")
        expect(chart).to_have_count(1)
        assert chart.get_attribute("aria-label"), "a chart without an accessible name"
        expect(chart.locator("title")).to_have_count(1)
    expect(page.locator("main section[aria-labelledby=rate-heading] svg[role=img]")).to_have_count(
        1
    )
    texts = question_section(page, text_q).locator("ul.survey-texts li")
    expect(texts).to_have_count(2)
    expect(texts.filter(has_text=SUISHININ_CHANGED)).to_have_count(1)

    # Who has not answered: everybody else in the audience.
    follow(page, reverse("surveys:non_respondents", args=[first.pk]))
    missing = page.locator("main table.data-table tbody tr")
    assert missing.count() > 0
    expect(page.locator("main table.data-table")).not_to_contain_text(shokuin.full_name)
    expect(page.locator("main table.data-table")).not_to_contain_text(suishinin.full_name)

    # 5. The responses as CSV (UTF-8 with a BOM, for Excel) and as an Excel workbook.
    page.goto(f"{base}{results_url(first)}")
    csv_path = download(page, reverse("surveys:export_csv", args=[first.pk]), tmp_path / "r.csv")
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][-3:] == [TEXT_Q, SINGLE_Q, LIKERT_Q]
    assert len(rows) == 3
    by_text = {row[-3]: row for row in rows[1:]}
    assert by_text[SHOKUIN_TEXT][-2:] == ["ない", "4"]
    assert by_text[SUISHININ_CHANGED][-2:] == ["ある", "3"]
    assert shokuin.full_name in by_text[SHOKUIN_TEXT]  # named survey, exported to the office

    xlsx_path = download(page, reverse("surveys:export_xlsx", args=[first.pk]), tmp_path / "r.xlsx")
    sheet = load_workbook(xlsx_path).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][-3:] == [TEXT_Q, SINGLE_Q, LIKERT_Q]
    assert len(values) == 3
    assert sorted(row[-1] for row in values[1:]) == [3, 4]  # Likert levels as numbers

    # 6. An analysis of the free-text answers, run by the background worker.
    follow(page, f"{reverse('analyses:create')}?question={text_q.pk}")
    form = page.locator("main form[method=post]")
    expect(form.locator('input[name="with_reference"]')).to_be_checked()
    submit(page)
    run = AnalysisRun.objects.get(question=text_q)
    run_url = reverse("analyses:run", args=[run.pk])
    assert path_of(page) == run_url
    expect_message(page, ja("The analysis has started; this page shows its progress."))
    expect(page.locator("main #run-progress progress")).to_be_visible()
    assert run.status == AnalysisRun.Status.QUEUED
    # Leave the polling page while the worker runs, then look again.
    page.goto(f"{base}{reverse('analyses:list')}")
    run_worker()
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.DONE, run.error
    page.reload()
    follow(page, run_url)
    expect(page.locator("main #run-progress")).to_have_count(0)
    groups = page.locator("main section[aria-labelledby=groups] ul.tree > li")
    assert groups.count() >= 1
    expect(page.locator("main section[aria-labelledby=groups]")).to_contain_text(
        SUISHININ_CHANGED
    )  # a representative answer is quoted
    # The map is named by its <title> (not role=img: its points are links to the groups).
    opinion_map = page.locator("main section[aria-labelledby=map] svg.opinion-map")
    expect(opinion_map).to_have_count(1)
    expect(opinion_map).to_have_attribute("aria-labelledby", "map-title map-desc")
    expect(opinion_map.locator("title#map-title")).to_have_text(ja("Opinion map"))
    assert opinion_map.locator("a circle").count() >= 1

    json_path = download(
        page, reverse("analyses:export", args=[run.pk, "json"]), tmp_path / "a.json"
    )
    result = json.loads(json_path.read_text(encoding="utf-8"))
    assert {"items", "clusters", "stats"} <= set(result)
    assert len(result["items"]) == 2

    # 7. A second round (事後) repeats the questions of the first.
    second = create_survey(
        page,
        live_server,
        title=TITLE,
        audience=Survey.Audience.ALL_STAFF,
        previous=first,
        round_label="事後",
    )
    assert second.previous_round_id == first.pk
    copied = list(second.questions.order_by("order").values_list("kind", "text", "choices"))
    assert copied == [
        (Question.Kind.TEXT, TEXT_Q, []),
        (Question.Kind.SINGLE, SINGLE_Q, SINGLE_OPTIONS),
        (Question.Kind.LIKERT, LIKERT_Q, []),
    ]
    expect(page.locator("main > ol > li")).to_have_count(3)
    expect(page.locator(f'main dl a[href="{survey_url(first)}"]')).to_have_count(1)
    open_survey(page, second)
    text_2, single_2, likert_2 = second.questions.order_by("order")

    switch_user(page, live_server, "shokuin")
    page.goto(f"{base}{survey_url(second)}")
    follow(page, answer_url(second))
    form = page.locator("main form[method=post]")
    form.locator(f'textarea[name="q{text_2.pk}"]').fill(SHOKUIN_AFTER)
    form.locator(f'input[name="q{single_2.pk}"][value="0"]').check()  # ある
    form.locator(f'input[name="q{likert_2.pk}"][value="5"]').check()
    submit(page)
    expect_message(page, ja("Thank you. Your answers were saved."))

    # 8. The comparison shows both rounds, question by question.
    switch_user(page, live_server, "jimukyoku")
    page.goto(f"{base}{results_url(second)}")
    follow(page, reverse("surveys:compare", args=[second.pk]))
    rounds = page.locator("main dl.detail-list")
    expect(rounds.locator(f'a[href="{results_url(first)}"]')).to_have_text(str(first))
    expect(rounds.locator(f'a[href="{results_url(second)}"]')).to_have_text(str(second))
    expect(rounds.locator("dd").nth(0)).to_contain_text(
        ja_n("%(n)s response", "%(n)s responses", 2)
    )
    expect(rounds.locator("dd").nth(1)).to_contain_text(
        ja_n("%(n)s response", "%(n)s responses", 1)
    )
    sections = page.locator("main section")
    expect(sections).to_have_count(3)
    aru = row_of(page.locator(f'main section[aria-labelledby="c-{single_2.pk}"]'), "ある")
    expect(aru.locator("td").nth(0)).to_contain_text("1")  # before: 1 of 2
    expect(aru.locator("td").nth(0)).to_contain_text("50.0%")
    expect(aru.locator("td").nth(1)).to_contain_text("100.0%")  # after: 1 of 1
    likert_foot = page.locator(f'main section[aria-labelledby="c-{likert_2.pk}"] tfoot')
    expect(likert_foot).to_contain_text("3.50")
    expect(likert_foot).to_contain_text("5.00")
    expect(likert_foot).to_contain_text("+1.5")


def test_demo_second_round_analysis_shows_the_change_since_the_first(page, live_server, demo):
    # The demo analyses each round alone (this one, with the change by bureau since the
    # first) and then compares the two on one scale (a run of its own).
    run = AnalysisRun.objects.get(
        question__survey__title="あなたにとってDXとは",
        question__survey__round_label="事後",
        earlier_question__isnull=True,
        status=AnalysisRun.Status.DONE,
    )
    before = Survey.objects.get(title="あなたにとってDXとは", round_label="事前")
    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{reverse('analyses:list')}")
    follow(page, reverse("analyses:run", args=[run.pk]))

    change = page.locator("main section[aria-labelledby=rounds]")
    expect(change.locator("h2#rounds")).to_have_text(ja("Change since the previous round"))
    expect(change).to_contain_text(str(before))
    rows = change.locator("table.data-table tbody tr")
    assert rows.count() >= 2, "one row per bureau expected"
    # Each row: before, after and the change (signed), for a bureau.
    first_row = rows.first.locator("td")
    expect(first_row).to_have_count(3)
    for cell in first_row.all():
        assert cell.inner_text().strip(), "an empty cell in the change table"
    # The demo's second round is closer to the definition than the first.
    changes = [row.locator("td").nth(2).inner_text().strip() for row in rows.all()]
    assert any(c.startswith("+") for c in changes), changes


# --- importing responses -----------------------------------------------------------------------

IMPORT_HEADER = ["回答日", "所属", "役割", "DXとは（自由記述）", "理解度"]
IMPORT_ROWS = [
    ["2021/11/05", "情報戦略課", "職員", "窓口に来なくても手続ができること", "4"],
    ["2021/11/08", "", "", "業務の仕組みとルールを見直すこと", "5 そう思う"],
]
BAD_ROWS = [
    ["2021/11/09", "情報戦略課", "職員", "紙をなくすこと", "3"],
    ["2021/11/10", "情報戦略課", "職員", "市民の立場で手続を見直すこと", "とても"],
]


def cp932_csv(path: Path, rows: list[list[str]]) -> Path:
    """A CSV file as Excel saves it in Japan ("CSV (comma delimited)": Shift_JIS, CRLF)."""
    with path.open("w", encoding="cp932", newline="") as f:
        csv.writer(f).writerows([IMPORT_HEADER, *rows])
    return path


def upload_and_map(page, survey, path: Path, text_q, likert_q):
    """Step 1: upload the file; step 2: choose the column of each question, then import."""
    form = page.locator("main form[method=post][enctype='multipart/form-data']")
    form.locator('input[name="file"]').set_input_files(str(path))
    submit(page, "main form[method=post][enctype='multipart/form-data']")
    import_url = reverse("surveys:import", args=[survey.pk])
    assert path_of(page) == import_url
    mapping = page.locator("main form[method=post]:has(input[name=step][value=import])")
    # The preview shows the file's rows, decoded.
    expect(page.locator("main section[aria-labelledby=preview-heading]")).to_contain_text(
        IMPORT_HEADER[3]
    )
    # The bureau and role columns are recognised by their headings; the questions are not.
    expect(mapping.locator('select[name="department_column"]')).to_have_value("1")
    expect(mapping.locator('select[name="role_column"]')).to_have_value("2")
    expect(mapping.locator(f'select[name="q{text_q.pk}"]')).to_have_value("")
    mapping.locator(f'select[name="q{text_q.pk}"]').select_option("3")
    mapping.locator(f'select[name="q{likert_q.pk}"]').select_option("4")
    with page.expect_navigation() as navigation:
        mapping.locator('button[type="submit"]').click()
    assert navigation.value.status == 200
    # The import runs in the background: its page shows the progress, then the outcome.
    batch = ImportBatch.objects.filter(survey=survey).latest("created_at", "pk")
    assert path_of(page) == reverse("surveys:import_status", args=[survey.pk, batch.pk])
    expect(page.locator("main #import-progress")).to_be_visible()
    run_worker()
    page.reload()
    return batch


def test_import_responses_from_an_excel_csv_then_refuse_a_file_with_a_bad_row(
    page, live_server, demo, tmp_path
):
    # The demo's first round, closed: responses collected on paper are added afterwards.
    survey = Survey.objects.get(title="あなたにとってDXとは", round_label="事前")
    assert survey.state == Survey.State.CLOSED
    text_q = survey.questions.get(kind=Question.Kind.TEXT)
    likert_q = survey.questions.get(kind=Question.Kind.LIKERT)
    before = survey.responses.count()
    existing = list(survey.responses.values_list("pk", flat=True))
    import_url = reverse("surveys:import", args=[survey.pk])

    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{results_url(survey)}")
    follow(page, import_url)
    upload_and_map(
        page, survey, cp932_csv(tmp_path / "紙の回答.csv", IMPORT_ROWS), text_q, likert_q
    )

    with translation.override("ja"):
        imported = translation.ngettext(
            "%(n)s response was imported from %(file)s.",
            "%(n)s responses were imported from %(file)s.",
            2,
        ) % {"n": 2, "file": "紙の回答.csv"}
    expect(page.locator("main #import-progress")).to_contain_text(imported)
    follow(page, results_url(survey))
    expect(page.locator("main p.lead")).to_contain_text(
        ja_n("%(n)s response", "%(n)s responses", before + 2)
    )
    added = survey.responses.exclude(pk__in=existing)
    assert added.count() == 2
    assert {r.source for r in added} == {Response.Source.IMPORT}
    texts = set(
        Answer.objects.filter(response__in=added, question=text_q).values_list("text", flat=True)
    )
    assert texts == {IMPORT_ROWS[0][3], IMPORT_ROWS[1][3]}
    levels = sorted(
        Answer.objects.filter(response__in=added, question=likert_q).values_list(
            "number", flat=True
        )
    )
    assert levels == [4, 5]
    with_bureau = added.get(attributes__import_row=2)
    assert with_bureau.department.name == "情報戦略課" and with_bureau.role == "staff"

    # A file with one bad row (a level that is not 1–5): nothing is imported.
    follow(page, import_url)
    upload_and_map(page, survey, cp932_csv(tmp_path / "追加分.csv", BAD_ROWS), text_q, likert_q)
    problems = page.locator("main #import-errors[role=alert]")
    expect(problems).to_be_visible()
    with translation.override("ja"):
        rejected = translation.ngettext(
            "Nothing was imported: %(n)s row has problems.",
            "Nothing was imported: %(n)s rows have problems.",
            1,
        ) % {"n": 1}
    expect(problems).to_contain_text(rejected)
    error_rows = problems.locator("tbody tr")
    expect(error_rows).to_have_count(1)
    cells = error_rows.first.locator("td")
    expect(cells.nth(0)).to_have_text("3")  # spreadsheet row 3: the header is row 1
    expect(cells.nth(1)).to_have_text(likert_q.text)
    expect(cells.nth(2)).to_have_text(ja("Choose a level from 1 to 5."))
    assert survey.responses.count() == before + 2


# --- the public link ---------------------------------------------------------------------------

PUBLIC_TITLE = "市役所のオンライン手続についてのご意見"
PUBLIC_TEXT_Q = "オンライン手続で困ったことを教えてください。"
PUBLIC_ANSWER = "マイナンバーカードの暗証番号が分からず申請できなかった。"


def answer_publicly(visitor, url, text_q, likert_q, text: str, level: int, *, survey):
    response = visitor.goto(url)
    assert response.status == 200
    expect(visitor.locator("main h1")).to_have_text(str(survey))
    form = visitor.locator("main form[method=post]")
    form.locator(f'textarea[name="q{text_q.pk}"]').fill(text)
    form.locator(f'input[name="q{likert_q.pk}"][value="{level}"]').check()
    submit(visitor)
    expect_message(visitor, ja("Thank you. Your answers were saved."))


def test_public_link_survey_is_answered_by_a_visitor_who_is_not_logged_in(
    page, new_page, live_server, demo
):
    login(page, live_server, "jimukyoku")
    survey = create_survey(page, live_server, title=PUBLIC_TITLE, audience=Survey.Audience.PUBLIC)
    assert survey.anonymous, "public answers are never named"
    text_q = add_question(page, survey, Question.Kind.TEXT, PUBLIC_TEXT_Q)
    likert_q = add_question(page, survey, Question.Kind.LIKERT, "オンライン手続は使いやすい")
    open_survey(page, survey)
    public_path = reverse("surveys:public_answer", args=[survey.public_token])
    link = page.locator("main dl code")
    expect(link).to_have_text(f"{live_server.url}{public_path}")
    public_url = link.inner_text()

    visitor = new_page()
    response = visitor.goto(public_url)
    assert response.status == 200
    expect(visitor.locator("header nav.site-nav")).to_have_count(0)
    answer_publicly(visitor, public_url, text_q, likert_q, PUBLIC_ANSWER, 2, survey=survey)
    assert path_of(visitor) == public_path

    saved = Response.objects.get(survey=survey)
    assert saved.source == Response.Source.PUBLIC and saved.respondent is None
    assert {a.question_id: a.text or a.number for a in saved.answers.all()} == {
        text_q.pk: PUBLIC_ANSWER,
        likert_q.pk: 2,
    }

    # One answer of an anonymous survey: the results hide it (groups under 5 never shown).
    page.goto(f"{live_server.url}{results_url(survey)}")
    expect(page.locator("main p.lead")).to_contain_text(
        ja_n("%(n)s response", "%(n)s responses", 1)
    )
    hidden = ja("Hidden: fewer than %(n)s respondents") % {"n": selectors.MIN_GROUP}
    expect(question_section(page, text_q)).to_contain_text(hidden)
    expect(question_section(page, text_q)).not_to_contain_text(PUBLIC_ANSWER)

    # A member of staff is not offered the public survey: not on the home page, not among
    # the surveys for them, and its staff answer page is closed to them.
    switch_user(page, live_server, "shokuin")
    answer_path = answer_url(survey)
    expect(page.locator(f'main a[href="{answer_path}"]')).to_have_count(0)
    page.goto(f"{live_server.url}{reverse('surveys:list')}")
    expect(page.locator(f'main a[href="{answer_path}"]')).to_have_count(0)
    assert page.goto(f"{live_server.url}{answer_path}").status in (403, 404)
    # Answering through the public link, signed in, counts as one more public visitor.
    answer_publicly(page, public_url, text_q, likert_q, "窓口の予約もオンラインでしたい", 4,
                    survey=survey)  # fmt: skip
    staff_answer = Response.objects.filter(survey=survey).exclude(pk=saved.pk).get()
    assert staff_answer.source == Response.Source.PUBLIC
    assert staff_answer.respondent is None and staff_answer.department is None
    assert staff_answer.role == ""
    assert not Participation.objects.filter(survey=survey, user__isnull=False).exists()

    # Three more visitors: five respondents, so the answers are shown.
    for n in range(3):
        answer_publicly(new_page(), public_url, text_q, likert_q, f"申請の画面が分かりにくい{n}",
                        3, survey=survey)  # fmt: skip
    switch_user(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{results_url(survey)}")
    expect(page.locator("main p.lead")).to_contain_text(
        ja_n("%(n)s response", "%(n)s responses", 5)
    )
    texts = question_section(page, text_q).locator("ul.survey-texts")
    expect(texts).to_contain_text(PUBLIC_ANSWER)
    expect(texts).to_contain_text("窓口の予約もオンラインでしたい")
    expect(question_section(page, text_q)).not_to_contain_text(hidden)
    # No list of people to measure a rate against, and no list of who has not answered.
    expect(page.locator("main section[aria-labelledby=rate-heading] .empty-state")).to_be_visible()
    expect(
        page.locator(f'main a[href="{reverse("surveys:non_respondents", args=[survey.pk])}"]')
    ).to_have_count(0)
