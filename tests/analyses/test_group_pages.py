"""Reading an analysis (issue 12, items 2, 5 and 6): a group's page lists all its answers
with bureau and role, near-duplicates folded with their count, counts as answers and
different answers; near-duplicate and campaign lists show their texts; the number of
groups is explained and can be chosen (a re-run keeps the ids); the divergence is explained
with its numbers; rounds are compared on one scale; the map has tooltips and links; the
exports hold the text and the attributes."""

import csv
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kyokan import textanalysis
from kyokan.apps.analyses import selectors, services
from kyokan.apps.analyses.models import AnalysisItem, AnalysisRun, CommentSet
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import services as survey_services
from tests.analyses.results import large_result, stored_run
from tests.factories import UserFactory
from tests.surveys.conftest import make_survey

ANSWERS = [
    "紙の申請をなくしてオンラインで手続できるようにすること",
    "オンライン申請を増やして窓口に来なくてよくすること",
    "電子申請で役所に行かずに手続が済むこと",
    "スマホから24時間いつでも申請できるようにすること",
    "RPAで定型業務を自動化して残業を減らすこと",
    "AIやRPAを導入して事務作業を効率化すること",
    "チャットツールで庁内の連絡を早くすること",
    "市民の立場に立って仕事のやり方そのものを変えること",
    "ルールや組織、予算の仕組みを見直して業務を変革すること",
    "前例にとらわれず、市民起点でサービスを作り直すこと",
    "よくわからない",
    "よくわからない",
    "よくわからない。",
    "ＩＴ化との違いがよくわからない",
]
REFERENCE = "市民起点で、デジタル技術を活用し、ルール・組織・予算を見直して業務を変革すること"


def _answer_survey(secretary, texts, *, anonymous=False, title="あなたにとってDXとは", **extra):
    survey, questions = make_survey(secretary, anonymous=anonymous, title=title, **extra)
    survey_services.survey_open(actor=secretary, survey=survey)
    for text in texts:
        person = UserFactory(roles=[Role.STAFF])
        survey_services.response_save(
            survey=survey, user=person, answers={questions["text"].pk: text}
        )
    return survey, questions["text"]


@pytest.fixture
def analysed(people):
    secretary = people[Role.SECRETARIAT]
    _survey, question = _answer_survey(secretary, ANSWERS)
    run = AnalysisRun.objects.create(
        question=question, reference_label="DXの定義", reference_text=REFERENCE
    )
    run = services.analysis_execute(run_id=run.pk)
    assert run.status == AnalysisRun.Status.DONE, run.error
    return run


def _ja(client):
    client.cookies["django_language"] = "ja"
    return client


def test_a_group_page_lists_all_its_answers_with_bureau_role_and_folded_duplicates(
    analysed, client_as
):
    client = _ja(client_as(Role.HQ_MEMBER))
    items = AnalysisItem.objects.filter(run=analysed)
    assert items.count() == len(ANSWERS)
    folded = items.get(text__startswith="よくわからない", is_head=True, fold_size__gt=1)
    assert folded.fold_size >= 2  # 「よくわからない」 twice (and its variant with 。)
    group = next(c for c in analysed.summary["clusters"] if c["id"] == folded.fine)
    page = client.get(reverse("analyses:group", args=[analysed.pk, group["id"]]))
    assert page.status_code == 200
    body = page.content.decode()
    expected = f"{group['rows']}件（異なる回答{group['size']}件）"
    assert expected in body
    assert f"×{folded.fold_size}" in body
    bureau = folded.attributes["department"]
    assert bureau and html.escape(bureau) in body
    assert "職員" in body  # the role column
    assert "ここにまとめた重複" in body  # the fold's bureaus
    # Every answer of a coarse group appears on its page (folded or not).
    coarse = next(c for c in analysed.summary["clusters"] if c["id"] == folded.coarse)
    page = client.get(reverse("analyses:group", args=[analysed.pk, coarse["id"]]))
    body = html.unescape(page.content.decode())
    for item in items.filter(coarse=coarse["id"], is_head=True):
        assert item.text in body
    assert f"{coarse['rows']}件（異なる回答{coarse['size']}件）" in body


def test_the_run_page_explains_the_number_of_groups_and_the_divergence_in_japanese(
    analysed, client_as
):
    body = html.unescape(_ja(client_as(Role.SECRETARIAT)).get(
        reverse("analyses:run", args=[analysed.pk])
    ).content.decode())  # fmt: skip
    stats = analysed.summary["stats"]
    selection = stats["selection"]
    coarse = stats["clusters"]["coarse"]
    assert f"大分類 {coarse} 個" in body or "一つの大分類" in body
    if selection["rule"] == "modularity":
        best = next(s for s in selection["scores"] if s["k"] == selection["chosen"])
        assert f"大分類 {selection['chosen']} 個（基準による選択）" in body
        assert f"Q ＝ {best['modularity']:.3f}" in body
    assert f"小分類 {stats['clusters']['fine']} 個" in body
    detail = stats["divergence_detail"]["params"]
    if detail["mean_similarity"] >= 0:
        assert f"ばらつき {detail['divergence']:.2f} ＝ 1 − {detail['mean_similarity']:.2f}" in body
    else:  # capped at 1: no equation that does not hold
        assert f"ばらつき {detail['divergence']:.2f}（最大値）" in body
        assert f"{detail['mean_similarity']:.2f} と0未満" in body
    assert f"回答者 {detail['respondents']} 人" in body
    # The definition's parts and each group linked to its page.
    assert "定義の部分" in body
    for cluster in analysed.summary["clusters"]:
        assert reverse("analyses:group", args=[analysed.pk, cluster["id"]]) in body


def test_the_map_has_a_tooltip_and_a_link_for_every_group(analysed, client_as):
    page = client_as(Role.SECRETARIAT).get(reverse("analyses:run", args=[analysed.pk]))
    svg = page.context["map_svg"]
    assert svg.startswith('<svg class="opinion-map"') and "<script" not in svg
    fine = [c for c in analysed.summary["clusters"] if c["level"] == 2]
    placed = {i.fine for i in AnalysisItem.objects.filter(run=analysed) if i.x is not None}
    for cluster in fine:
        if cluster["id"] in placed:
            url = reverse("analyses:group", args=[analysed.pk, cluster["id"]])
            assert f'<a href="{url}"' in svg
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert any("「" in t for t in titles)  # an answer quoted in its tooltip
    assert len(titles) > len(fine)


def test_an_anonymous_surveys_group_pages_show_no_bureau_or_role(people, client_as):
    secretary = people[Role.SECRETARIAT]
    _survey, question = _answer_survey(secretary, ANSWERS[:8], anonymous=True)
    run = services.analysis_execute(
        run_id=services.analysis_start(actor=secretary, question=question, with_reference=False).pk
    )
    assert run.status == AnalysisRun.Status.DONE, run.error
    assert not any(i.attributes for i in AnalysisItem.objects.filter(run=run))
    client = _ja(client_as(Role.SECRETARIAT))
    cluster = run.summary["clusters"][0]
    body = client.get(reverse("analyses:group", args=[run.pk, cluster["id"]])).content.decode()
    assert "匿名アンケートのため" in body
    assert '<th scope="col">部局</th>' not in body and '<th scope="col">役割</th>' not in body
    csv_body = b"".join(
        client.get(reverse("analyses:export", args=[run.pk, "csv"])).streaming_content
    ).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(csv_body)))
    assert "部局" not in header and "役割" not in header


def test_exports_hold_text_attributes_groups_marks_and_definition_part(analysed, client_as):
    client = _ja(client_as(Role.HQ_MEMBER))
    body = b"".join(
        client.get(reverse("analyses:export", args=[analysed.pk, "csv"])).streaming_content
    ).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header = rows[0]
    for column in ("回答ID", "回答", "部局", "役割", "大分類", "小分類", "組織的な意見"):
        assert column in header, header
    assert "最も近い定義の部分" in header and "重複元の回答ID" in header
    text_at, part_at = header.index("回答"), header.index("最も近い定義の部分")
    assert sorted(r[text_at] for r in rows[1:]) == sorted(ANSWERS)
    assert all(r[part_at] for r in rows[1:] if r[header.index("大分類")])
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("analyses:export", args=[analysed.pk, "xlsx"])).content)
    )
    assert workbook.sheetnames == ["回答", "グループ", "重複", "組織的な意見"]
    near = [r for r in workbook["重複"].iter_rows(min_row=2, values_only=True)]
    # Answers' ids are random (their order tells nothing of who answered when), so the group's
    # representative is whichever of 「よくわからない」 and its variant with 。 comes first.
    assert any(r[1] in ("よくわからない", "よくわからない。") and r[2] == 3 for r in near), near


def test_a_rerun_with_chosen_numbers_passes_the_previous_result_and_keeps_ids(
    analysed, client_as, monkeypatch
):
    client = client_as(Role.SECRETARIAT)
    counts = analysed.summary["stats"]["clusters"]
    response = client.post(
        reverse("analyses:rerun", args=[analysed.pk]),
        {"coarse": counts["coarse"], "fine": counts["fine"]},
    )
    rerun = AnalysisRun.objects.exclude(pk=analysed.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/analyses/{rerun.pk}/"
    assert rerun.previous_id == analysed.pk and rerun.reference_text == analysed.reference_text
    seen = {}
    real = textanalysis.analyze

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(textanalysis, "analyze", spy)
    rerun = services.analysis_execute(run_id=rerun.pk)
    assert seen["previous"] == analysed.result and seen["coarse"] == counts["coarse"]
    assert rerun.summary["stats"]["selection"]["rule"] == "given"
    before = dict(AnalysisItem.objects.filter(run=analysed).values_list("item_id", "fine"))
    after = dict(AnalysisItem.objects.filter(run=rerun).values_list("item_id", "fine"))
    assert after == before  # same answers, same numbers: every group keeps its id
    body = _ja(client).get(reverse("analyses:run", args=[rerun.pk])).content.decode()
    assert "分析を始めた人が数を指定しました" in body


def test_a_rerun_refuses_more_coarse_than_fine_groups_and_keeps_what_was_typed(analysed, client_as):
    client = _ja(client_as(Role.SECRETARIAT))
    response = client.post(
        reverse("analyses:rerun", args=[analysed.pk]), {"coarse": "5", "fine": "3"}
    )
    assert response.status_code == 200 and AnalysisRun.objects.count() == 1
    body = response.content.decode()
    assert 'value="5"' in body and 'value="3"' in body
    response = client.post(reverse("analyses:rerun", args=[analysed.pk]), {"coarse": "0"})
    assert response.status_code == 200 and AnalysisRun.objects.count() == 1


def test_only_the_secretariat_reruns_and_headquarters_members_read(analysed, client_as):
    group = analysed.summary["clusters"][0]["id"]
    urls = [
        reverse("analyses:group", args=[analysed.pk, group]),
        reverse("analyses:near_duplicates", args=[analysed.pk]),
        reverse("analyses:campaigns", args=[analysed.pk]),
    ]
    for role in (Role.SECRETARIAT, Role.HQ_CHIEF, Role.HQ_DEPUTY, Role.HQ_MEMBER):
        client = client_as(role)
        assert all(client.get(u).status_code == 200 for u in urls), role
    for role in (Role.STAFF, Role.PROMOTER, Role.CITIZEN, Role.EXPERT, Role.SYSADMIN):
        client = client_as(role)
        assert all(client.get(u).status_code == 403 for u in urls), role
    rerun = reverse("analyses:rerun", args=[analysed.pk])
    assert client_as(Role.HQ_MEMBER).post(rerun, {"coarse": "2"}).status_code == 403
    assert client_as(Role.SECRETARIAT).get(rerun).status_code == 200
    assert client_as("anonymous").get(urls[0]).status_code == 302


def test_unknown_groups_and_campaigns_and_old_results_are_404(analysed, client_as):
    client = client_as(Role.SECRETARIAT)
    assert client.get(reverse("analyses:group", args=[analysed.pk, "C999"])).status_code == 404
    assert client.get(reverse("analyses:campaign", args=[analysed.pk, "K999"])).status_code == 404
    AnalysisRun.objects.filter(pk=analysed.pk).update(summary=None)  # made before the pages
    assert client.get(reverse("analyses:group", args=[analysed.pk, "C1"])).status_code == 404
    page = _ja(client).get(reverse("analyses:run", args=[analysed.pk]))
    assert page.status_code == 200 and "再分析してください" in page.content.decode()


# --- near-duplicates and campaigns ----------------------------------------------------------


def _with_campaign(n=60):
    result = large_result(n, duplicates_every=None)
    members = [it for it in result["items"] if it["clusters"][1] == "C1.1"][:6]
    for it in members:
        it["campaign"] = "K1"
    result["stats"]["campaigns"] = [
        {"id": "K1", "representative": members[0]["id"], "text": "窓口の待ち時間を短くしてほしい",
         "distinct": 6, "count": 6, "items": [m["id"] for m in members]}
    ]  # fmt: skip
    result["stats"]["near_duplicates"] = [
        {"representative": "3", "text": "テンプレートどおりの意見", "count": 7, "items": ["3"]}
    ]
    result["stats"]["bulk"] = [{"representative": "3", "count": 7, "items": ["3"]}]
    texts = [f"意見{i}：窓口の待ち時間を短くしてほしい（言い換え{i}）" for i in range(n)]
    return stored_run(result, texts=texts), members


def test_near_duplicate_and_campaign_lists_show_their_text_and_size(people, client_as):
    run, members = _with_campaign()
    client = _ja(client_as(Role.SECRETARIAT))
    body = client.get(reverse("analyses:near_duplicates", args=[run.pk])).content.decode()
    assert "テンプレートどおりの意見" in body and ">7<" in body and "一括提出" in body
    body = client.get(reverse("analyses:campaigns", args=[run.pk])).content.decode()
    assert "窓口の待ち時間を短くしてほしい" in body and ">6<" in body
    body = client.get(reverse("analyses:campaign", args=[run.pk, "K1"])).content.decode()
    assert "6件（異なる回答6件）" in body
    for member in members:
        assert f"言い換え{member['id']}）" in body
    page = client.get(reverse("analyses:run", args=[run.pk])).content.decode()
    assert "組織的な意見" in page and reverse("analyses:campaign", args=[run.pk, "K1"]) in page


# --- query counts ---------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_group_page_query_count_does_not_grow_with_the_answers(people, client_as):
    client = client_as(Role.SECRETARIAT)
    counts = []
    for n in (300, 3000):
        attributes = {
            "地区": [("北", "南", "東")[i % 3] for i in range(n)],
            "年代": [f"{20 + 10 * (i % 5)}代" for i in range(n)],
        }
        run = stored_run(large_result(n, duplicates_every=4), attributes=attributes)
        urls = [
            reverse("analyses:group", args=[run.pk, "C1"]),
            reverse("analyses:group", args=[run.pk, "C1.1"]) + "?page=2",
            reverse("analyses:near_duplicates", args=[run.pk]) + "?page=2",
            reverse("analyses:campaigns", args=[run.pk]),
            reverse("analyses:run", args=[run.pk]),
        ]
        counts.append([_queries(client, u) for u in urls])
    assert counts[0] == counts[1], counts


def test_a_group_page_is_paginated_with_imported_attributes(people, client_as):
    n = 800
    attributes = {"地区": [("北", "南")[i % 2] for i in range(n)]}
    run = stored_run(large_result(n, duplicates_every=None), attributes=attributes)
    client = _ja(client_as(Role.SECRETARIAT))
    first = client.get(reverse("analyses:group", args=[run.pk, "C1"]))
    assert first.context["page"].paginator.count == n // 8
    assert (
        len(first.context["rows"]) == 50 and '<th scope="col">地区</th>' in first.content.decode()
    )
    second = client.get(reverse("analyses:group", args=[run.pk, "C1"]) + "?page=2")
    shown = {r["item"].position for r in first.context["rows"]}
    assert not shown & {r["item"].position for r in second.context["rows"]}


# --- rounds -------------------------------------------------------------------------------

AFTER = [
    "市民起点で業務のやり方を変えること",
    "市民の立場から手続とルールを見直すこと",
    "市民起点でサービスと組織を変えること",
    "ルールや予算を見直して市民の手間を減らすこと",
    "市民の目線で業務を変革すること",
    "市民起点で仕事の仕組みを作り直すこと",
]


def test_rounds_are_compared_on_one_scale_from_the_ui(people, client_as):
    secretary = people[Role.SECRETARIAT]
    before_survey, before = _answer_survey(secretary, ANSWERS, round_label="事前")
    after_survey = survey_services.survey_create(
        actor=secretary,
        title=before_survey.title,
        round_label="事後",
        opens_on=before_survey.opens_on,
        closes_on=before_survey.closes_on,
        audience="all_staff",
        previous_round=before_survey,
    )  # repeats the first round's questions
    survey_services.survey_open(actor=secretary, survey=after_survey)
    after = after_survey.questions.get(kind="text")
    for text in AFTER:
        survey_services.response_save(
            survey=after_survey, user=UserFactory(roles=[Role.STAFF]), answers={after.pk: text}
        )
    client = _ja(client_as(Role.SECRETARIAT))
    form = client.get(reverse("analyses:rounds_create") + f"?question={after.pk}")
    assert form.status_code == 200
    assert f'<option value="{before.pk}" selected>' in form.content.decode()
    response = client.post(
        reverse("analyses:rounds_create") + f"?question={after.pk}",
        {"earlier": before.pk, "with_reference": ""},
    )
    run = AnalysisRun.objects.get(earlier_question=before)
    assert response.status_code == 302 and run.question == after
    run = services.analysis_execute(run_id=run.pk)
    assert run.status == AnalysisRun.Status.DONE, run.error
    rounds = run.result["rounds"]
    assert [r["answers"] for r in rounds] == [len(ANSWERS), len(AFTER)]
    body = html.unescape(client.get(reverse("analyses:run", args=[run.pk])).content.decode())
    for r in rounds:
        assert f"{r['divergence']:.2f}" in body
    assert str(before_survey) in body and str(after_survey) in body
    assert "回ごとの各グループの割合" in body and "同じ尺度" in body
    for cluster in run.result["clusters"]:
        assert cluster["label"] in body
    assert run.result["change"] is not None and "意見のばらつきは" in body


def test_rounds_of_an_anonymous_survey_need_five_answers_each(people):
    from django.core.exceptions import ValidationError

    secretary = people[Role.SECRETARIAT]
    _s1, few = _answer_survey(secretary, ANSWERS[:3], anonymous=True, title="匿名1")
    _s2, many = _answer_survey(secretary, ANSWERS[:8], anonymous=True, title="匿名2")
    with pytest.raises(ValidationError):
        services.rounds_start(actor=secretary, question=many, earlier=few)
    with pytest.raises(ValidationError):
        services.rounds_start(actor=secretary, question=many, earlier=many)


def test_english_pages_are_complete(analysed, client_as):
    client = client_as(Role.SECRETARIAT)
    client.cookies["django_language"] = "en"
    group = analysed.summary["clusters"][0]
    body = client.get(reverse("analyses:group", args=[analysed.pk, group["id"]])).content.decode()
    assert f"{group['rows']} answer" in body and "All its answers" in body
    with translation.override("en"):
        assert selectors.export_header(analysed)[1] == "answer"


def test_a_comment_set_run_keeps_its_imported_attributes(people, client_as):
    content = "comment-id,comment-body,地区\n" + "".join(
        f"c{i},{text},{'北南'[i % 2]}\n" for i, text in enumerate(ANSWERS)
    )
    comment_set = CommentSet.objects.create(
        title="市民意見", content=content, rows=len(ANSWERS), attributes=["地区"]
    )
    run = services.analysis_execute(run_id=AnalysisRun.objects.create(comment_set=comment_set).pk)
    assert run.status == AnalysisRun.Status.DONE, run.error
    item = AnalysisItem.objects.get(run=run, item_id="c1")
    assert item.attributes == {"地区": "南"} and item.text == ANSWERS[1]
    page = _ja(client_as(Role.SECRETARIAT)).get(
        reverse("analyses:group", args=[run.pk, item.coarse])
    )
    assert '<th scope="col">地区</th>' in page.content.decode()
