"""The Django layer around kyokan.textanalysis: start an analysis of a survey question (queued,
run by the background worker), follow it, read and export it; import a comment set; the
command line; permissions."""

import html
import io
import json
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kyokan.apps.analyses import selectors, services
from kyokan.apps.analyses.messages import input_error_text
from kyokan.apps.analyses.models import AnalysisRun, CommentSet
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import services as survey_services
from tests.conftest import ROLE_NAMES
from tests.factories import UserFactory
from tests.surveys.conftest import make_survey

ANSWERS = [
    "紙の申請をなくしてオンラインで手続できるようにすること",
    "オンライン申請を増やして窓口に来なくてよくすること",
    "電子申請で役所に行かずに済むこと",
    "RPAで定型業務を自動化すること",
    "AIやRPAを導入して事務を効率化すること",
    "ツールを入れて残業を減らすこと",
    "市民目線で仕事のやり方を変えること",
    "ルールや組織、予算を見直して変革すること",
    "よくわからない",
    "よくわからない",
]


@pytest.fixture
def answered(people):
    secretary = people[Role.SECRETARIAT]
    survey, questions = make_survey(secretary)
    survey_services.survey_open(actor=secretary, survey=survey)
    for text in ANSWERS:
        person = UserFactory(roles=[Role.STAFF])
        survey_services.response_save(
            survey=survey, user=person, answers={questions["text"].pk: text}
        )
    return questions["text"]


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_an_analysis_is_queued_then_run_by_the_worker(client_as, answered):
    client = client_as(Role.SECRETARIAT)
    response = client.post(
        reverse("analyses:create") + f"?question={answered.pk}",
        {"coarse": "", "fine": "", "with_reference": ""},
    )
    run = AnalysisRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/analyses/{run.pk}/"
    assert run.status == AnalysisRun.Status.QUEUED
    page = client.get(f"/analyses/{run.pk}/").content.decode()
    assert 'id="run-progress"' in page and "every 2s" in page
    _work()
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.DONE and run.progress == 1.0
    assert len(run.result["items"]) == len(ANSWERS)
    assert run.result["stats"]["duplicates"] >= 1  # 「よくわからない」 twice
    page = client.get(f"/analyses/{run.pk}/").content.decode()
    assert 'class="opinion-map"' in page and 'id="groups"' in page
    progress = client.get(f"/analyses/{run.pk}/progress/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"


def test_the_result_page_and_exports(client_as, answered, sysadmin):
    run = services.analysis_start(actor=sysadmin, question=answered, with_reference=False)
    services.analysis_execute(run_id=run.pk)
    client = client_as(Role.HQ_MEMBER)
    page = client.get(f"/analyses/{run.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'class="opinion-map"' in body
    assert "オンライン" in body  # a representative answer is quoted
    data = json.loads(client.get(f"/analyses/{run.pk}/export.json").content)
    assert {"items", "clusters", "stats"} <= set(data)
    csv_text = b"".join(client.get(f"/analyses/{run.pk}/export.csv").streaming_content)
    with translation.override("ja"):  # the app's default language
        header = selectors.export_header(run)
        sheets = [
            translation.gettext(name)
            for name in ("Answers", "Groups", "Near-duplicates", "Campaigns")
        ]
    assert csv_text.decode("utf-8").startswith("\ufeff" + ",".join(header[:3]))
    workbook = load_workbook(io.BytesIO(client.get(f"/analyses/{run.pk}/export.xlsx").content))
    assert workbook.sheetnames == sheets
    assert [c.value for c in next(workbook.worksheets[0].iter_rows(max_row=1))] == header


def test_only_free_text_questions_with_answers(sysadmin, people):
    from django.core.exceptions import ValidationError

    _survey, questions = make_survey(people[Role.SECRETARIAT])
    with pytest.raises(ValidationError):
        services.analysis_start(actor=sysadmin, question=questions["likert"])
    with pytest.raises(ValidationError):
        services.analysis_start(actor=sysadmin, question=questions["text"])  # no answer yet


def test_import_a_cp932_comment_set_and_refuse_a_broken_one(client_as):
    client = client_as(Role.SECRETARIAT)
    content = (
        "comment-id,comment-body,地区\n1,窓口の待ち時間を減らしてほしい,北\n"
        "2,ｵﾝﾗｲﾝ申請を増やして,南\n"
    )
    good = SimpleUploadedFile("comments.csv", content.encode("cp932"), content_type="text/csv")
    response = client.post(
        reverse("analyses:comment_set_import"), {"title": "市民意見", "file": good}
    )
    assert response.status_code == 302
    comment_set = CommentSet.objects.get()
    assert comment_set.rows == 2 and comment_set.attributes == ["地区"]
    assert "ｵﾝﾗｲﾝ申請" in comment_set.content  # the original text is kept
    bad = SimpleUploadedFile("bad.csv", b"id,text\n1,hello\n", content_type="text/csv")
    client.cookies["django_language"] = "en"
    response = client.post(reverse("analyses:comment_set_import"), {"title": "x", "file": bad})
    assert response.status_code == 200 and "cannot be used" in response.content.decode()
    assert CommentSet.objects.count() == 1


def test_a_comment_set_with_too_many_columns_is_refused_in_japanese(client_as):
    # 40,000 attribute names: 14 s of the request before (hours for a 20 MB header).
    client = client_as(Role.SECRETARIAT)
    names = ",".join(f"属性{n}" for n in range(40_000))
    upload = SimpleUploadedFile(
        "wide.csv", f"comment-id,comment-body,{names}\n1,x\n".encode(), content_type="text/csv"
    )
    response = client.post(
        reverse("analyses:comment_set_import"), {"title": "広い", "file": upload}
    )
    assert response.status_code == 200
    assert (
        "ファイルの列が40002列あります。読み込めるのは50列までです。" in response.content.decode()
    )
    assert not CommentSet.objects.exists()


def test_a_failed_analysis_records_its_error(sysadmin, client_as):
    comment_set = CommentSet.objects.create(
        title="壊れた", content="comment-id,comment-body\n", rows=0
    )
    run = AnalysisRun.objects.create(comment_set=comment_set)
    services.analysis_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.FAILED and run.error
    assert (run.error_code, run.error_params) == ("no_rows", {})
    page = client_as(Role.SECRETARIAT).get(f"/analyses/{run.pk}/").content.decode()
    with translation.override("ja"):
        expected = input_error_text("no_rows")
    assert html.escape(expected) in page
    assert run.error not in page  # the library's English message stays out of the page


EXPECTED = {
    "analyses.view_analyses": {Role.SECRETARIAT, Role.HQ_CHIEF, Role.HQ_DEPUTY, Role.HQ_MEMBER},
    "analyses.run_analyses": {Role.SECRETARIAT},
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_permission_for_role(perm, role, people):
    assert people[role].has_perm(perm) is (role in EXPECTED[perm])


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "kyokan", "analyze", *args, "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_writes_the_json_and_refuses_bad_input_without_a_file(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "comment-id,comment-body\n" + "".join(f"{i},{t}\n" for i, t in enumerate(ANSWERS)),
        encoding="utf-8-sig",
    )
    reference = tmp_path / "ref.txt"
    reference.write_text("市民起点でルール・組織・予算を変えること", encoding="utf-8")
    out = tmp_path / "out.json"
    result = _cli(str(source), "--out", str(out), "--reference", str(reference))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [i["id"] for i in data["items"]] == [str(i) for i in range(len(ANSWERS))]
    assert all("alignment" in i for i in data["items"])
    assert {c["level"] for c in data["clusters"]} == {1, 2}
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    bad_out = tmp_path / "bad.json"
    failed = _cli(str(empty), "--out", str(bad_out))
    assert failed.returncode != 0 and "empty" in failed.stderr.lower()
    assert not bad_out.exists()
    missing = _cli(str(tmp_path / "nope.csv"), "--out", str(bad_out))
    assert missing.returncode != 0 and "No such file" in missing.stderr


def test_how_the_number_of_groups_was_chosen_reads_in_japanese_for_every_rule():
    from kyokan.apps.analyses.messages import selection_text

    trivial = {"rule": "trivial", "chosen": 1, "given": False, "scores": []}
    two = {**trivial, "chosen": 2}
    given = {"rule": "given", "chosen": 4, "given": True, "scores": []}
    with translation.override("ja"):
        assert "一つの大分類" in selection_text(trivial, 1)
        assert "2 通り" in selection_text(two, 2) and "それぞれ" in selection_text(two, 2)
        assert "大分類 4 個" in selection_text(given, 4)
    with translation.override("en"):
        assert "Only 2 different positions" in selection_text(two, 2)


def test_the_map_centres_an_axis_along_which_all_answers_lie_at_one_value():
    from kyokan.apps.analyses.charts import HEIGHT, map_data, opinion_map_svg

    items = [
        {"x": -1.0, "y": 0.0, "clusters": ["C1", "C1.1"]},
        {"x": 1.0, "y": 0.0, "clusters": ["C2", "C2.1"]},
    ]
    svg = opinion_map_svg(
        map_data(items, ["キャッシュレス", "ペーパーレス"]),
        [{"id": "C1", "parent": None}, {"id": "C2", "parent": None}],
        title="意見マップ",
        description="説明",
        group_url=lambda cid: f"/g/{cid}/",
        group_title=lambda c: c["id"],
        point_title=lambda snippet, n: snippet,
    )
    assert svg.count(f'cy="{HEIGHT / 2:.1f}"') == 2  # in the middle, not on the bottom edge


def test_a_divergence_capped_at_its_largest_value_is_not_written_as_an_equation():
    from kyokan.apps.analyses.messages import divergence_detail

    detail = {
        "code": "divergence_mean_similarity",
        "params": {
            "divergence": 1.0, "mean_similarity": -0.27, "respondents": 4, "distinct": 4,
            "counted_once": 0,
        },
    }  # fmt: skip
    with translation.override("ja"):
        text = divergence_detail(detail)
    assert "最大値" in text and "0未満" in text and "1 − -0.27" not in text
    positive = {**detail, "params": {**detail["params"], "mean_similarity": 0.4}}
    with translation.override("ja"):
        assert "1 − 0.40" in divergence_detail(positive) or "1 − 0.4" in divergence_detail(positive)
