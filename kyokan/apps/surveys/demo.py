"""Demo surveys from the seed: the pre-survey 「あなたにとってDXとは」 whose answers diverged
(振り返り①), and its second round after the definition was adopted, so that the comparison
shows something. The answers are written for the demo: they mix the views the seed describes
— DX as buying tools (the D), as efficiency, as paperless, as citizen-centred redesign, as
management (rules, organisation, budget), as a burden, or simply not knowing."""

import random

from . import services
from .models import Survey

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
AFTER_WEIGHTS = {"tools": 1, "efficiency": 2, "paperless": 1, "citizen": 76,
                 "management": 18, "burden": 0, "unknown": 2}  # fmt: skip
ENDINGS = ["", "", "。", "だと思う。", "と考えています。", "かな"]


def _answer(rng: random.Random, weights: dict[str, int]) -> str:
    theme = rng.choices(list(weights), weights=list(weights.values()))[0]
    return rng.choice(BEFORE[theme]) + rng.choice(ENDINGS)


def _round(ctx, *, label: str, opens: int, closes: int, previous=None, weights, seed: int):
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
    # Answered on the office days from the opening up to the closing, or up to yesterday.
    last = min(closes_on, timeline.day(-1))
    days = [d for d in range(opens, 0) if opens_on <= timeline.day(d) <= last] or [opens]
    for person in staff:
        if rng.random() < 0.15:
            continue  # not everyone answers
        understanding = 2 + (weights is AFTER_WEIGHTS) + rng.randint(-1, 2)
        services.response_save(
            survey=survey,
            user=person,
            answers={text_q.pk: _answer(rng, weights), likert_q.pk: max(1, min(5, understanding))},
            _record_past=True,
            _answered_at=timeline.at(rng.choice(days), rng.randint(9, 17), rng.randint(0, 59)),
        )
    if closes_on < timeline.today:
        services.survey_close(actor=secretary, survey=survey)
    return survey


IMPORTED = 240  # answers collected with the form tool used before Kyokan


def _import_form_tool_answers(ctx, survey) -> None:
    """The pre-survey of the experts' exchange had been run with an outside form tool; its
    export (bureau, answer, understanding) is imported through the import service."""
    from .importing import ColumnMap, Table, responses_import

    rng = random.Random(7)
    bureaus = [name for name, dept in ctx.departments.items() if dept.parent_id is None]
    rows = [
        [rng.choice(bureaus), _answer(rng, BEFORE_WEIGHTS), str(rng.choice([1, 2, 2, 3, 3, 4]))]
        for _ in range(IMPORTED)
    ]
    text_q, likert_q = list(survey.questions.order_by("order"))
    responses_import(
        actor=ctx.people["jimukyoku"],
        survey=survey,
        table=Table(header=["所属部局", "DXとは", "理解度"], rows=rows),
        mapping=ColumnMap(questions={text_q.pk: 1, likert_q.pk: 2}, department=0),
        filename="事前アンケート（フォーム）.csv",
    )


# On the demo's timeline: the pre-survey ran some weeks before the 5th headquarters meeting
# (held about three weeks ago), which discussed its diverging answers; the second round
# opened after the promotion staff's training and is still open.
PRE_SURVEY = (-70, -49)
POST_SURVEY = (-10, 11)


def load(ctx) -> None:
    before = _round(ctx, label="事前", opens=PRE_SURVEY[0], closes=PRE_SURVEY[1],
                    weights=BEFORE_WEIGHTS, seed=1)  # fmt: skip
    _import_form_tool_answers(ctx, before)
    _round(ctx, label="事後", opens=POST_SURVEY[0], closes=POST_SURVEY[1], previous=before,
           weights=AFTER_WEIGHTS, seed=2)  # fmt: skip
