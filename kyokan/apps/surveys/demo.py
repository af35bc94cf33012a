"""Demo surveys from the seed: the pre-survey 「あなたにとってDXとは」 whose answers diverged
(振り返り①), and its second round after the staff's training, so that the comparison shows
something.

The free-text answers of both rounds are in ``demo_answers/pre.csv`` and
``demo_answers/post.csv`` (columns 部局, 理解度, 回答): written by hand, one answer a row,
the way city staff write — registers, typos, width and kana variants, several themes in one
answer, one-word and off-topic answers, bureau-specific concerns, a few copied answers and a
few near-duplicates (the same person's small edits sent twice through the old form tool).
理解度 is the writer's own 1–5 answer to 「本市がDXで目指すことを理解している」, chosen with
the text; 部局 (empty: any bureau) is the bureau whose concerns the answer speaks of. How the
rows were written, and what the analysis found on them, is in the README (Demo survey).

Each round: the demo's staff answer in Kyokan (each takes the next answer written for their
bureau, else the next one written for any bureau); the rest of the rows come in through the
import service — before Kyokan, from the outside form tool's export; in the second round,
from the paper forms of the staff of the outposts, typed in by the secretariat."""

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from . import services
from .models import Survey

ANSWERS_DIR = Path(__file__).with_name("demo_answers")


@dataclass(frozen=True)
class DemoAnswer:
    bureau: str  # the bureau (部局) whose concerns the answer speaks of; "" for any
    understanding: int  # 1–5, the Likert answer given with the text
    text: str


def demo_answers(round_name: str) -> list[DemoAnswer]:
    """The hand-written answers of a round (``"pre"`` or ``"post"``), in the file's order."""
    with (ANSWERS_DIR / f"{round_name}.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)  # 部局, 理解度, 回答
        return [DemoAnswer(bureau, int(level), text) for bureau, level, text in reader]


def _deal(answers: list[DemoAnswer], bureaus: list[str]) -> tuple[list[DemoAnswer], list]:
    """One answer for each respondent (given by bureau, in order): the first unused one
    written for their bureau, else the first unused one written for any bureau, else the
    first unused one; respondents beyond the answers get none. Returns the dealt answers
    (one per respondent served, in order) and the unused ones, in the file's order."""
    unused = list(range(len(answers)))
    dealt = []
    for bureau in bureaus:
        if not unused:
            break
        pick = next((i for i in unused if answers[i].bureau == bureau), None)
        if pick is None:
            pick = next((i for i in unused if not answers[i].bureau), unused[0])
        unused.remove(pick)
        dealt.append(answers[pick])
    return dealt, [answers[i] for i in unused]


def _bureau_of(person) -> str:
    department = person.department
    if department is None:
        return ""
    return department.parent.name if department.parent_id else department.name


def _round(ctx, *, label: str, opens: int, closes: int, answers_file: str, previous=None,
           seed: int, import_name: str):  # fmt: skip
    """A round of the survey, ``opens`` and ``closes`` as offsets (days) on the demo's
    timeline: answered between the two (never after today), closed only once its closing
    day has passed."""
    timeline = ctx.timeline
    secretary = ctx.people["jimukyoku"]
    opens_on, closes_on = timeline.day(opens), timeline.day(closes)
    survey = services.survey_create(
        actor=secretary,
        title="あなたにとってDXとは",
        purpose="本市が目指すDXについて、職員の皆さんの考えを教えてください。",
        opens_on=opens_on,
        closes_on=closes_on,
        audience=Survey.Audience.ALL_STAFF,
        anonymous=False,
        previous_round=previous,
        round_label=label,
    )
    if previous is None:
        services.question_create(
            actor=secretary, survey=survey, kind="text", text="あなたにとってDXとは何ですか。",
            required=True,
        )  # fmt: skip
        services.question_create(
            actor=secretary, survey=survey, kind="likert",
            text="本市がDXで目指すことを理解している", required=True,
        )  # fmt: skip
    text_q, likert_q = list(survey.questions.order_by("order"))
    # The demo records the survey as it happened, on its own calendar.
    services.survey_open(actor=secretary, survey=survey, record_past=True)
    rng = random.Random(seed)
    staff = [p for login, p in ctx.people.items()
             if login.startswith(("staff", "suishinin", "honbuin", "jimukyoku"))]  # fmt: skip
    respondents = [p for p in staff if rng.random() >= 0.15]  # not everyone answers
    dealt, rest = _deal(demo_answers(answers_file), [_bureau_of(p) for p in respondents])
    # Answered on the office days from the opening up to the closing, or up to yesterday.
    last = min(closes_on, timeline.day(-1))
    days = [d for d in range(opens, 0) if opens_on <= timeline.day(d) <= last] or [opens]
    for person, answer in zip(respondents, dealt, strict=False):
        services.response_save(
            survey=survey,
            user=person,
            answers={text_q.pk: answer.text, likert_q.pk: answer.understanding},
            _record_past=True,
            _answered_at=timeline.at(rng.choice(days), rng.randint(9, 17), rng.randint(0, 59)),
        )
    if rest:
        _import_rows(ctx, survey, rest, rng=rng, filename=import_name)
    if closes_on < timeline.today:
        services.survey_close(actor=secretary, survey=survey)
    return survey


def _import_rows(ctx, survey, answers: list[DemoAnswer], *, rng, filename: str) -> None:
    """The answers collected outside Kyokan (bureau, answer, understanding), imported
    through the import service; an answer written for any bureau gets one at random."""
    from .importing import ColumnMap, Table, responses_import

    bureaus = [name for name, dept in ctx.departments.items() if dept.parent_id is None]
    rows = [[a.bureau or rng.choice(bureaus), a.text, str(a.understanding)] for a in answers]
    text_q, likert_q = list(survey.questions.order_by("order"))
    responses_import(
        actor=ctx.people["jimukyoku"],
        survey=survey,
        table=Table(header=["所属部局", "DXとは", "理解度"], rows=rows),
        mapping=ColumnMap(questions={text_q.pk: 1, likert_q.pk: 2}, department=0),
        filename=filename,
    )


# On the demo's timeline: the pre-survey ran some weeks before the 5th headquarters meeting
# (held about three weeks ago), which discussed its diverging answers; the second round
# opened after the promotion staff's training and is still open.
PRE_SURVEY = (-70, -49)
POST_SURVEY = (-10, 11)


def load(ctx) -> None:
    before = _round(ctx, label="事前", opens=PRE_SURVEY[0], closes=PRE_SURVEY[1],
                    answers_file="pre", seed=1,
                    import_name="事前アンケート（フォーム）.csv")  # fmt: skip
    _round(ctx, label="事後", opens=POST_SURVEY[0], closes=POST_SURVEY[1], previous=before,
           answers_file="post", seed=2, import_name="事後アンケート（紙の回答用紙）.csv")  # fmt: skip


# --- the surveys benchmark's generator ---------------------------------------------------------
# `kyokan/apps/surveys/bench.py` builds its 10,000-answer survey from these few phrases (its
# figures were measured on them); the demo no longer uses them.

BEFORE = {
    "tools": [
        "RPAやAIなどのツールを導入すること",
        "タブレットやWeb会議などのデジタル機器を使えるようにすること",
        "最新のシステムを入れて業務をIT化すること",
        "ICTを活用した新しいシステムの導入",
        "電子申請システムやチャットツールを入れること",
    ],
    "efficiency": [
        "業務を効率化して残業を減らすこと",
        "手作業を自動化して職員の負担を軽くすること",
        "事務処理のスピードを上げること",
        "無駄な作業をなくして効率よく仕事をすること",
    ],
    "paperless": [
        "紙をなくしてペーパーレスにすること",
        "押印をやめて書類を電子化すること",
        "紙の申請書をデジタルに置き換えること",
    ],
    "citizen": [
        "市民が窓口に来なくても手続できるようにすること",
        "市民の立場で手続を見直し、便利にすること",
        "行かない窓口、書かない窓口を実現すること",
    ],
    "management": [
        "仕事のやり方や組織そのものを変えること",
        "ルールや予算の使い方まで見直すこと",
        "前例にとらわれず、業務の仕組みを変革すること",
    ],
    "burden": [
        "上から言われてやらされている仕事という印象",
        "正直、負担が増えるだけだと感じる",
        "国から言われているから進めるもの",
    ],
    "unknown": [
        "よくわからない",
        "言葉は聞くが、何をすればいいのか分からない",
        "IT化と何が違うのか分からない",
    ],
}
BEFORE_WEIGHTS = {"tools": 28, "efficiency": 20, "paperless": 14, "citizen": 10,
                  "management": 6, "burden": 10, "unknown": 12}  # fmt: skip
ENDINGS = ["", "", "。", "だと思う。", "と考えています。", "かな"]
