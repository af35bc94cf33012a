"""Every text a person reads on the Japanese pages of surveys and analyses is Japanese
(issue 9, item 8): the library's English error messages, its progress steps and the
explanations of a result used to reach the pages untranslated, and the exports had English
headers and sheet names.

The walk signs in as the secretariat, fills surveys and analyses with data like the demo's
(named and anonymous surveys, two rounds, a public link, an import with a bad row, finished,
failed and waiting analyses, bulk submissions, alignment with a reference text), opens every
page of both apps in Japanese and fails on any run of three or more English words in a text
node or in a title, label, alt or placeholder — leaving out <code>, <script> and <style>,
URLs, file names and what the user typed (the data here is Japanese).
"""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kyokan.apps.analyses import services as analysis_services
from kyokan.apps.analyses.models import AnalysisRun, CommentSet
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import services
from kyokan.apps.surveys.models import Survey
from tests.factories import UserFactory
from tests.surveys.conftest import make_survey

# Three or more English words in a row ("Missing column(s): comment-id", "coarse, fine").
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'’]+(?:[\s,.;:()/&-]+[A-Za-z][A-Za-z'’]+){2,}")
# Left out: URLs and paths, file names, and column names of the Kouchou-AI format
# (comment-id, comment-body: code values the messages quote).
URL_OR_FILE = re.compile(
    r"https?://\S+|/\S*|\S+\.(?:csv|xlsx|json|docx|pdf|svg)\b|\b[a-z]+(?:-[a-z]+)+\b"
)
SKIPPED_ELEMENTS = {"code", "script", "style", "kbd", "samp"}
READ_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder", "aria-description"}


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        self.texts += [v for k, v in attrs if k in READ_ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.texts.append(data)


def english_sentences(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    found = []
    for text in parser.texts:
        found += ENGLISH.findall(URL_OR_FILE.sub(" ", text))
    return found


def test_the_check_finds_english_and_leaves_japanese_code_and_urls_alone():
    assert english_sentences("<p>このファイルは使用できません：Missing columns: id, body</p>") == [
        "Missing columns: id, body"
    ]
    assert english_sentences('<p title="Progress of the analysis">分析</p>')
    assert not english_sentences(
        "<p>UTF-8またはShift_JIS（CP932）で保存。RPAやAIを導入。</p>"
        "<code>pip install ja-ginza now</code><style>a { color: red }</style>"
        "<p>https://example.jp/s/abc/ と results of survey.csv</p>"
    )


# --- data like the demo's ------------------------------------------------------------------------

TEXTS = [
    "紙の申請をなくしてオンラインで手続できるようにすること",
    "オンライン申請を増やして窓口に来なくてよくすること",
    "RPAで定型業務を自動化すること",
    "AIやRPAを導入して事務を効率化すること",
    "市民の立場で手続を見直すこと",
    "仕事のやり方や組織そのものを変えること",
]
BULK = "窓口に来なくても手続ができるようにしてほしいです"  # sent 6 times: a bulk submission
REFERENCE = "市民の視点に立ち、デジタル技術を活用して、仕事のやり方や組織、ルールを変革すること"


def _answers(q, i: int) -> dict:
    return {
        q["text"].pk: BULK if i >= len(TEXTS) else TEXTS[i],
        q["single"].pk: i % 3,
        q["multiple"].pk: [0, 2] if i % 2 else [1],
        q["likert"].pk: 1 + i % 5,
        q["number"].pk: str(i),
    }


@pytest.fixture
def city_data(people):
    secretary = people[Role.SECRETARIAT]
    staff = [people[r] for r in (Role.STAFF, Role.PROMOTER, Role.HQ_MEMBER, Role.SECRETARIAT)]
    staff += [UserFactory(roles=[Role.STAFF]) for _ in range(8)]
    first, q1 = make_survey(secretary, title="あなたにとってDXとは", round_label="事前")
    services.survey_open(actor=secretary, survey=first)
    for i, person in enumerate(staff):
        services.response_save(survey=first, answers=_answers(q1, i), user=person)
    second = services.survey_create(
        actor=secretary,
        title="あなたにとってDXとは",
        round_label="事後",
        opens_on=first.opens_on,
        closes_on=first.closes_on,
        audience="all_staff",
        previous_round=first,
    )  # repeats the first round's questions
    services.survey_open(actor=secretary, survey=second)
    q2 = {kind: second.questions.get(kind=kind) for kind in q1}  # the repeated questions
    for i, person in enumerate(staff[:7]):
        services.response_save(survey=second, answers=_answers(q2, i), user=person)
    anonymous, qa = make_survey(
        secretary, anonymous=True, title="業務の負担についての匿名アンケート"
    )
    services.survey_open(actor=secretary, survey=anonymous)
    for i, person in enumerate(staff[:6]):
        services.response_save(survey=anonymous, answers=_answers(qa, i), user=person)
    few, qf = make_survey(secretary, anonymous=True, title="少人数の匿名アンケート")
    services.survey_open(actor=secretary, survey=few)
    services.response_save(survey=few, answers=_answers(qf, 0), user=staff[0])
    public, _qp = make_survey(secretary, audience="public", title="市民の皆さんへのアンケート")
    services.survey_open(actor=secretary, survey=public)
    draft, _qd = make_survey(secretary, title="準備中のアンケート")

    done = AnalysisRun.objects.create(
        question=q1["text"], reference_label="DXの定義（令和8年度）", reference_text=REFERENCE
    )
    analysis_services.analysis_execute(run_id=done.pk)
    done.refresh_from_db()
    assert done.status == AnalysisRun.Status.DONE, done.error
    assert done.result["stats"]["bulk"], "the data must have a bulk submission"
    again = AnalysisRun.objects.create(question=q2["text"], reference_text=REFERENCE)
    analysis_services.analysis_execute(run_id=again.pk)
    comments = "comment-id,comment-body,地区\n" + "".join(
        f"{i},{text},{'北南'[i % 2]}\n" for i, text in enumerate(TEXTS * 2, 1)
    )
    comment_set = CommentSet.objects.create(
        title="市民意見", content=comments, rows=len(TEXTS) * 2, attributes=["地区"]
    )
    from_comments = AnalysisRun.objects.create(comment_set=comment_set)
    analysis_services.analysis_execute(run_id=from_comments.pk)
    broken = CommentSet.objects.create(title="壊れたファイル", content="comment-id,comment-body\n")
    failed = AnalysisRun.objects.create(comment_set=broken)
    analysis_services.analysis_execute(run_id=failed.pk)
    crashed = AnalysisRun.objects.create(
        comment_set=comment_set, status=AnalysisRun.Status.FAILED, error="RuntimeError: boom"
    )
    rounds = analysis_services.rounds_start(
        actor=secretary, question=q2["text"], earlier=q1["text"], with_reference=False
    )
    analysis_services.analysis_execute(run_id=rounds.pk)
    queued = analysis_services.analysis_start(actor=secretary, question=q1["text"])
    AnalysisRun.objects.filter(pk=queued.pk).update(
        status=AnalysisRun.Status.RUNNING, progress=0.3, message="Morphological analysis"
    )
    return {
        "surveys": [first, second, anonymous, few, public, draft],
        "questions": q1,
        "runs": [done, again, from_comments, failed, crashed, rounds, queued],
    }


def _pages(data) -> list[str]:
    first, second, anonymous, _few, public, draft = data["surveys"]
    q = data["questions"]
    urls = [reverse("surveys:list"), reverse("surveys:create"), reverse("analyses:list")]
    for survey in data["surveys"]:
        urls += [reverse("surveys:detail", args=[survey.pk])]
        if survey.state != Survey.State.DRAFT:
            urls += [
                reverse("surveys:results", args=[survey.pk]),
                reverse("surveys:void", args=[survey.pk]),
                reverse("surveys:import", args=[survey.pk]),
            ]
    urls += [
        reverse("surveys:edit", args=[draft.pk]),
        reverse("surveys:question_create", args=[draft.pk]),
        reverse("surveys:question_edit", args=[draft.questions.first().pk]),
        reverse("surveys:question_delete", args=[draft.questions.first().pk]),
        reverse("surveys:state", args=[draft.pk, "open"]),
        reverse("surveys:state", args=[first.pk, "close"]),
        reverse("surveys:non_respondents", args=[first.pk]),
        reverse("surveys:compare", args=[second.pk]),
        reverse("surveys:answer", args=[first.pk]),
        reverse("surveys:public_answer", args=[public.public_token]),
    ]
    for survey in (first, anonymous):
        for kind in ("single", "multiple", "likert"):
            question = survey.questions.get(kind=kind)
            for by in ("department", "role"):
                url = reverse("surveys:crosstab", args=[survey.pk, question.pk])
                urls.append(f"{url}?by={by}")
    for run in data["runs"]:
        urls += [
            reverse("analyses:run", args=[run.pk]),
            reverse("analyses:progress", args=[run.pk]),
        ]
        run.refresh_from_db()
        if run.status == AnalysisRun.Status.DONE and not run.is_rounds:
            urls += [
                reverse("analyses:near_duplicates", args=[run.pk]),
                reverse("analyses:campaigns", args=[run.pk]),
                reverse("analyses:rerun", args=[run.pk]),
            ]
            urls += [
                reverse("analyses:group", args=[run.pk, c["id"]]) for c in run.summary["clusters"]
            ]
    urls.append(f"{reverse('analyses:rounds_create')}?question={q['text'].pk}")
    urls += [
        f"{reverse('analyses:create')}?question={q['text'].pk}",
        f"{reverse('analyses:create')}?comment_set={CommentSet.objects.first().pk}",
        reverse("analyses:comment_set_import"),
    ]
    return urls


def _japanese(client):
    client.cookies["django_language"] = "ja"
    return client


def test_the_japanese_pages_of_surveys_and_analyses_have_no_english_sentences(city_data, client_as):
    client = _japanese(client_as(Role.SECRETARIAT))
    found: dict[str, list[str]] = {}

    def look(url, response):
        assert response.status_code == 200, (url, response.status_code)
        sentences = english_sentences(response.content.decode())
        if sentences:
            found[url] = sentences

    for url in _pages(city_data):
        look(url, client.get(url))

    first, *_rest = city_data["surveys"]
    # Forms sent with mistakes: the messages are Japanese too.
    look("question with one option", client.post(
        reverse("surveys:question_create", args=[city_data["surveys"][-1].pk]),
        {"kind": "single", "text": "研修", "choices_text": "ひとつ"},
    ))  # fmt: skip
    bad_file = SimpleUploadedFile("bad.csv", b"id,text\n1,hello\n", content_type="text/csv")
    look("comment set without its columns", client.post(
        reverse("analyses:comment_set_import"), {"title": "市民意見", "file": bad_file}
    ))  # fmt: skip
    binary = SimpleUploadedFile("book.xlsx", b"PK\x03\x04\x14\x00\x00\x00", content_type="text/csv")
    look("comment set that is not text", client.post(
        reverse("analyses:comment_set_import"), {"title": "市民意見", "file": binary}
    ))  # fmt: skip
    # The import wizard: the file's columns, then a row the survey cannot take.
    import_url = reverse("surveys:import", args=[first.pk])
    rows = [["所属", "DXとは", "理解度"], ["第1課", "紙をなくすこと", "4"], ["", "窓口", "とても"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    upload = SimpleUploadedFile("回答.csv", buffer.getvalue().encode("cp932"))
    response = client.post(import_url, {"step": "upload", "file": upload}, follow=True)
    look("import: columns", response)
    text_q = first.questions.get(kind="text")
    likert_q = first.questions.get(kind="likert")
    mapping = {"step": "import", f"q{text_q.pk}": "1", f"q{likert_q.pk}": "2"}
    look("import: a bad row", client.post(import_url, mapping, follow=True))
    look("import: not text", client.post(import_url, {"step": "upload", "file": SimpleUploadedFile(
        "book.csv", b"PK\x03\x04\x14\x00\x00\x00"
    )}))  # fmt: skip
    assert not found, "English on Japanese pages:\n" + "\n".join(
        f"{where}: {sentence}" for where, sentences in found.items() for sentence in sentences
    )


def test_the_analysis_exports_have_japanese_headers_and_sheet_names(city_data, client_as):
    client = _japanese(client_as(Role.SECRETARIAT))
    done = city_data["runs"][0]
    body = b"".join(client.get(reverse("analyses:export", args=[done.pk, "csv"])).streaming_content)
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert not [h for h in header if re.search("[A-Za-z]{3}", h)], header  # 「回答ID」 is fine
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("analyses:export", args=[done.pk, "xlsx"])).content)
    )
    for sheet in workbook.worksheets:
        assert not re.search("[A-Za-z]", sheet.title), sheet.title
        titles = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert not [t for t in titles if re.search("[A-Za-z]{3}", str(t))], titles
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        body = b"".join(
            client.get(reverse("analyses:export", args=[done.pk, "csv"])).streaming_content
        )
    assert body.decode("utf-8-sig").startswith("answer id,")  # English stays complete
