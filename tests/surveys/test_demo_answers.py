"""The demo survey 「あなたにとってDXとは」 is a real test of the analysis (issue 12): its
pre-survey holds at least 250 distinct free-text answers written the way staff write
(5–300 characters), and its second round (after the training) exists with its answers,
its understanding scores higher, as its texts are."""

import fnmatch
import tomllib
import unicodedata
from pathlib import Path

import pytest

from kyokan.apps.core import demo as core_demo
from kyokan.apps.surveys import demo as surveys_demo
from kyokan.apps.surveys.demo import DemoAnswer, _deal, demo_answers
from kyokan.apps.surveys.models import Answer, ImportBatch, Question, Survey

ROOT = Path(__file__).resolve().parents[2]
BUREAUS = {name for name, _divisions in core_demo.DEPARTMENTS}


def _texts(survey: Survey) -> list[str]:
    return list(
        Answer.objects.filter(
            question__survey=survey, question__kind=Question.Kind.TEXT
        ).values_list("text", flat=True)
    )


def _understanding(survey: Survey) -> list[int]:
    return [
        int(n)
        for n in Answer.objects.filter(
            question__survey=survey, question__kind=Question.Kind.LIKERT
        ).values_list("number", flat=True)
    ]


@pytest.fixture
def rounds(db):
    """Only what the surveys' demo needs: the city and its people, then the surveys."""
    ctx = core_demo.DemoContext(timeline=core_demo.demo_timeline())
    core_demo.load(ctx)
    surveys_demo.load(ctx)
    before = Survey.objects.get(title="あなたにとってDXとは", round_label="事前")
    after = Survey.objects.get(title="あなたにとってDXとは", round_label="事後")
    return before, after


# --- the files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pre", "post"])
def test_every_written_answer_is_a_plausible_staff_answer(name):
    answers = demo_answers(name)
    assert answers
    for answer in answers:
        assert 5 <= len(answer.text) <= 300, answer.text
        assert answer.text == answer.text.strip()
        # Line breaks (箇条書き) are the only control characters; never NUL.
        assert all(c == "\n" or unicodedata.category(c) != "Cc" for c in answer.text)
        assert answer.bureau == "" or answer.bureau in BUREAUS, answer.bureau
        assert 1 <= answer.understanding <= 5


def test_the_pre_survey_is_mostly_distinct_with_a_few_real_duplicates():
    texts = [a.text for a in demo_answers("pre")]
    assert len(set(texts)) >= 250
    # As in real surveys: a few copied answers and short answers that coincide.
    assert len(texts) - len(set(texts)) >= 3
    # The negative and sceptical answers the headquarters heard are among them.
    for said in ["押し付けられている感じ", "ツールを入れるだけ", "IT化と何が違うのか分からない"]:
        assert any(said in t for t in texts), said
    # Width variants (full-width letters, half-width katakana), bullet-style answers with
    # line breaks, and the concerns of every bureau.
    assert any("Ａ" <= c <= "ｚ" for t in texts for c in t)
    assert any("ｦ" <= c <= "ﾟ" for t in texts for c in t)
    assert any("\n" in t for t in texts)
    assert len({a.bureau for a in demo_answers("pre") if a.bureau}) == len(BUREAUS)


def test_the_answer_files_are_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["*"]
    for name in ["pre", "post"]:
        assert any(fnmatch.fnmatch(f"demo_answers/{name}.csv", p) for p in patterns)


def test_answers_are_dealt_by_bureau_then_from_the_general_ones_in_order():
    answers = [
        DemoAnswer("", 2, "一般の回答その1"),
        DemoAnswer("福祉部", 3, "福祉の回答です"),
        DemoAnswer("", 2, "一般の回答その2"),
        DemoAnswer("財務部", 2, "税の回答です。"),
    ]
    dealt, rest = _deal(answers, ["福祉部", "福祉部", "消防本部"])
    assert [a.text for a in dealt] == ["福祉の回答です", "一般の回答その1", "一般の回答その2"]
    assert [a.text for a in rest] == ["税の回答です。"]
    dealt, rest = _deal(answers[:1], ["福祉部", "財務部"])
    assert len(dealt) == 1 and rest == []


# --- the demo as loaded ------------------------------------------------------------------------


def test_the_demo_rounds_as_loaded(rounds):
    """One load (the city's people take a few seconds), three properties."""
    before, after = rounds
    # The pre-survey: at least 250 distinct answers, 5 to 300 characters, answered by the
    # demo's staff in Kyokan and imported from the old form tool.
    pre_texts = _texts(before)
    assert len(pre_texts) == len(demo_answers("pre")) == before.responses.count()
    assert len(set(pre_texts)) >= 250
    assert all(5 <= len(t) <= 300 for t in pre_texts)
    assert before.responses.filter(respondent__isnull=False).count() >= 50
    assert ImportBatch.objects.filter(survey=before, published=True).count() == 1

    # The second round exists, repeats the first and has its answers.
    assert after.previous_round_id == before.pk
    post_texts = _texts(after)
    assert len(post_texts) == len(demo_answers("post")) == after.responses.count()
    assert len(set(post_texts)) >= 150
    assert all(5 <= len(t) <= 300 for t in post_texts)
    assert after.responses.filter(respondent__isnull=False).count() >= 50
    assert ImportBatch.objects.filter(survey=after, published=True).count() == 1

    # Understanding improves, as the texts do: fewer say they do not know, more restate
    # the definition (市民起点, 変革, デジタルは手段).
    pre, post = _understanding(before), _understanding(after)
    assert len(pre) == len(pre_texts) and len(post) == len(post_texts)
    assert sum(post) / len(post) >= sum(pre) / len(pre) + 0.5

    def share(texts, *words):
        return sum(any(w in t for w in words) for t in texts) / len(texts)

    assert share(post_texts, "分から", "わから") < share(pre_texts, "分から", "わから")
    assert share(post_texts, "市民起点", "変革", "手段") > share(
        pre_texts, "市民起点", "変革", "手段"
    )
