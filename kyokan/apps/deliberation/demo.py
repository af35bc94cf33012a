"""Demo deliberation: the study group's (推進員検討部会) ideas at every status — one became an
initiative of the portfolio — with comments, supports and the sessions that discussed them,
a citizen's idea published on the portal, and a staff conversation on 「本市が目指すDXとは」.

The ideas are placed on the demo's timeline (relative to the day it is loaded): proposed,
commented on, supported and put on the agenda before the study-group session that discussed
them, decided after it, 事業化 after the decision, in that order and before today (the
services take ``at=`` for that, and the notifications they send are stamped with the same
moment through core.notifications.dated; their audit events keep the moment of loading).

The conversation's votes are generated, not collected: 60 staff members each hold one of
three stated viewpoints (citizen-centred reform, efficiency through tools, care for those
left behind), vote on about 80 % of the 14 statements as their viewpoint says, and vote
otherwise (or pass) 12 % of the time; the random generator has a fixed seed, so every demo
has the same votes. The analysis then runs once, so that the report is ready.

A second conversation, 「これからの市役所の手続」, is open to citizens on the portal with its
results published: 36 generated participants (no accounts) hold one of two viewpoints
(online first, or help at the counter kept), voted the same way, and its analysis has run."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kyokan.apps.core.notifications import dated
from kyokan.apps.meetings.models import Meeting, MeetingKind

from . import services

IDEAS = [
    # (title, problem, who, citizen value, proposal, author login, path of statuses, reason)
    (
        "窓口予約のオンライン化",
        "転入・転出の時期は市民課の窓口が混雑し、1時間以上待つ日がある。",
        "転入・転出する市民、子育て世帯",
        "待ち時間がなくなり、来庁の時刻を選べる。",
        "スマートフォンから窓口の来庁予約ができるようにし、予約枠に合わせて職員を配置する。",
        "suishinin",
        ["reviewing", "adopted", "launched"],
        "",
    ),
    (
        "申請書の事前入力サービス",
        "同じ住所・氏名を何枚もの申請書に手書きしている。",
        "窓口で手続をする市民",
        "書く手間と書き間違いがなくなる。",
        "来庁前にスマートフォンで入力した内容から申請書を作り、窓口では確認と署名だけにする。",
        "suishinin02",
        ["reviewing", "adopted"],
        "",
    ),
    (
        "公共施設の空き状況の公開",
        "施設の空きを電話で問い合わせる必要があり、職員も対応に追われている。",
        "施設を利用する市民団体",
        "空きを24時間確認できる。",
        "施設予約システムの空き状況をオープンデータとして公開する。",
        "suishinin03",
        ["reviewing"],
        "",
    ),
    (
        "押印欄の一斉点検",
        "押印が不要になった様式に押印欄が残り、市民が印鑑を持参している。",
        "申請・届出をする市民と事業者",
        "印鑑を持たずに手続できる。",
        "全様式の押印欄を点検し、不要な欄を削除する。",
        "suishinin04",
        ["reviewing"],
        "",
    ),
    (
        "庁内チャットボットの導入",
        "職員からの同じ問い合わせに総務課が何度も答えている。",
        "職員",
        "",
        "庁内向けにチャットボットを導入する。",
        "suishinin05",
        ["reviewing", "rejected"],
        "市民にとっての価値が示されておらず、まずは問い合わせの多い規程の見直しを優先するため。",
    ),
    (
        "子育て手続の案内の一本化",
        "出生時の手続が課ごとに案内され、何度も窓口を回っている。",
        "乳幼児のいる家庭",
        "一度の案内で必要な手続が分かる。",
        "出生時に必要な手続を一覧にした案内を作り、最初の窓口で全体を説明する。",
        "suishinin06",
        [],
        "",
    ),
    (
        "ごみ収集日の通知サービス",
        "収集日が分からず、出し忘れや誤った日の排出がある。",
        "ごみを出す市民",
        "出し忘れが減る。",
        "収集日をスマートフォンに通知する。",
        "suishinin07",
        [],
        "",
    ),
]

STATEMENTS = [
    # (text, stance of the viewpoints: reform, tools, care)
    ("DXの目的は市民サービスの向上である", (1, 1, 1)),
    ("職員がDXの目的を共有することが何より大切だ", (1, 1, 1)),
    ("取組は費用対価値を示してから選ぶべきだ", (1, 1, 1)),
    ("ツールの導入よりも業務の進め方を変えることが先だ", (1, -1, 0)),
    ("条例や規則の見直しまで踏み込むべきだ", (1, -1, -1)),
    ("まずは職員の事務を効率化するツールを入れるべきだ", (-1, 1, 0)),
    ("RPAやAI-OCRの導入件数を目標にすべきだ", (-1, 1, -1)),
    ("窓口の対面での支援は今後も残すべきだ", (0, -1, 1)),
    ("デジタルが苦手な市民への支援を最優先にすべきだ", (-1, -1, 1)),
    ("紙の申請もしばらくは残すべきだ", (-1, 0, 1)),
    ("市民が来庁しなくても手続が終わることを目指すべきだ", (1, 1, -1)),
    ("組織の縦割りを見直さなければDXは進まない", (1, -1, 0)),
    ("DXは情報部門が主導すべきだ", (-1, 1, 0)),
    ("市民の意見を聞いて手続を設計し直すべきだ", (1, 0, 1)),
]

VIEWPOINTS = [24, 20, 16]  # participants holding each viewpoint

CITIZEN_STATEMENTS = [
    # (text, stance of the viewpoints: online first, counter kept)
    ("市役所に行かなくても手続が終わるようにしてほしい", (1, 0)),
    ("同じことを何度も書かなくて済むようにしてほしい", (1, 1)),
    ("窓口で職員に相談できることは残してほしい", (-1, 1)),
    ("スマートフォンでの申請を基本にしてよい", (1, -1)),
    ("手続の待ち時間が分かるようにしてほしい", (1, 1)),
    ("デジタルが苦手な人に教えてくれる場所がほしい", (0, 1)),
    ("土日や夜間にも手続できるようにしてほしい", (1, 0)),
    ("紙の申請書はなくしてよい", (1, -1)),
]
CITIZEN_VIEWPOINTS = [20, 16]


def _study_sessions():
    return list(Meeting.objects.filter(series__kind=MeetingKind.STUDY).order_by("starts_at", "id"))


def _office_moment(tl, day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` on ``day``, or on the next day the city office is open."""
    while not tl.is_open(day):
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _later(tl, prev: datetime, days: int, hour: int) -> datetime:
    """An office moment ``days`` after ``prev`` at ``hour`` — strictly after ``prev``."""
    day = timezone.localtime(prev).date() + timedelta(days=days)
    moment = _office_moment(tl, day, hour)
    return moment if moment > prev else prev + timedelta(minutes=20)


class _Clock:
    """The moments of one idea's story, each strictly after the one before and all in the
    past: a step that would reach the last hour before now (the office closed for days
    around the new year, say) is taken a few minutes after the one before instead."""

    def __init__(self, tl, start: datetime):
        self.tl, self.now = tl, start
        self.limit = timezone.now() - timedelta(hours=1)

    def _move(self, moment: datetime) -> datetime:
        self.now = moment if moment <= self.limit else self.now + timedelta(minutes=5)
        return self.now

    def next(self, days: int = 0, hour: int = 10) -> datetime:
        return self._move(_later(self.tl, self.now, days, hour))

    def at_least(self, moment: datetime) -> datetime:
        return self._move(max(self.now + timedelta(minutes=20), moment))


def _ideas(ctx, secretariat) -> None:
    """The ideas on the demo's timeline: each was proposed, commented on, supported and put
    on the study group's agenda (検討中) before the session that discussed it; the
    secretariat's decision (採用 / 不採用) and 事業化 came after that session, on office days,
    in that order, all before today. The ideas still 提案 were proposed in the last weeks,
    for the next session."""
    from kyokan.apps.core.demo import DEPARTMENTS

    tl = ctx.timeline
    fy = tl.fiscal_year
    sessions = _study_sessions()
    now = timezone.now()
    held = [m for m in sessions if m.starts_at and m.starts_at < now]
    ahead = [m for m in sessions if m.starts_at and m.starts_at > now]
    discussed = held[-1] if held else None
    upcoming = ahead[0] if ahead else None
    # the session that discussed the ideas: its start (and end), or about a month ago
    met = discussed.starts_at if discussed else tl.at(-30, 15)
    met_end = (discussed.ends_at or met) if discussed else met
    met_day = timezone.localtime(met).date()
    promoters = [u for login, u in ctx.people.items() if login.startswith("suishinin")]
    supporters = [u for login, u in ctx.people.items() if login.startswith(("staff", "suishinin"))]
    for n, (title, problem, who, value, proposal, login, path, reason) in enumerate(IDEAS):
        author = ctx.people.get(login) or promoters[n % len(promoters)]
        if path:  # discussed at the held session: proposed some weeks before it
            start = _office_moment(tl, met_day - timedelta(days=56 - 5 * n), 9 + n)
        else:  # proposed in the last weeks, for the next session
            start = tl.at(-12 + 4 * (n - 5), 9 + n)
        clock = _Clock(tl, start)
        with dated(clock.now):
            idea = services.idea_create(
                actor=author, title=title, problem=problem, who=who, citizen_value=value,
                proposal=proposal, at=clock.now,
            )  # fmt: skip
        commenter = promoters[(n + 1) % len(promoters)]
        with dated(clock.next(1, 11)):
            first = services.comment_add(
                actor=commenter,
                idea=idea,
                body="私の課でも同じ問題があります。効果を測る指標も決めたいです。",
                at=clock.now,
            )
        with dated(clock.next(0, 14)):
            services.comment_add(
                actor=author,
                idea=idea,
                parent=first,
                body="ありがとうございます。待ち時間を指標にする案です。",
                at=clock.now,
            )
        people = [p for p in supporters[n : n + 3 + 2 * (len(IDEAS) - n)] if p.pk != author.pk]
        for k, person in enumerate(people):
            hour = 9 + (k % 3) * 3
            services.support_set(
                actor=person, idea=idea, support=True, at=clock.next(int(k % 3 == 0), hour)
            )
        if path:
            # put on the agenda of the session (検討中) about ten days before it
            clock.at_least(_office_moment(tl, met_day - timedelta(days=10), 10))
            if discussed is not None:
                with dated(clock.now):
                    services.session_link(
                        actor=secretariat, idea=idea, meeting=discussed,
                        note="推進員検討部会で提案者が説明", at=clock.now,
                    )  # fmt: skip
        elif upcoming is not None:
            with dated(clock.next(1, 16)):
                services.session_link(
                    actor=secretariat, idea=idea, meeting=upcoming, note="次回の部会で検討",
                    at=clock.now,
                )  # fmt: skip
        for status in path:
            if status in ("adopted", "rejected"):  # decided on the session's discussion
                clock.at_least(_later(tl, met_end, 2, 10))
            if status == "launched":
                bureau = ctx.departments[DEPARTMENTS[3][0]]  # 市民生活部
                with dated(clock.next(7, 10)):
                    services.idea_launch(
                        actor=secretariat, idea=idea, bureau=bureau, fiscal_year_start=fy + 1,
                        fiscal_year_end=fy + 2, scope="henkaku", dx="X",
                        organisation_kind="change",
                        organisation_change="窓口の予約枠に合わせて職員の配置を見直す",
                        at=clock.now,
                    )  # fmt: skip
                continue
            if status == "adopted":
                with dated(clock.now):
                    services.comment_add(
                        actor=secretariat, idea=idea, is_answer=True,
                        body="推進員検討部会での検討の結果、採用しました。次年度の取組として準備します。",
                        at=clock.now,
                    )  # fmt: skip
            with dated(clock.at_least(clock.now)):
                services.idea_set_status(
                    actor=secretariat, idea=idea, status=status, reason=reason, at=clock.now
                )
    # A citizen's idea from the portal (sent on a Saturday evening or any day), published,
    # under review and answered on the next office days.
    sent = timezone.make_aware(datetime.combine(tl.today - timedelta(days=20), time(20, 30)))
    clock = _Clock(tl, sent)
    with dated(clock.now):
        citizen = services.idea_create(
            actor=None, origin="citizen", author_name="ひかり野の住民",
            title="市役所の駐車場の混雑状況を知りたい",
            problem="手続に行くと駐車場が満車で、周りを何周もすることがある。",
            who="車で来庁する市民", citizen_value="空いている時間に来庁できる。",
            proposal="駐車場の混雑状況をホームページで見られるようにする。", at=clock.now,
        )  # fmt: skip
    services.idea_publish(actor=secretariat, idea=citizen, public=True, at=clock.next(1, 10))
    with dated(clock.at_least(clock.now)):
        services.idea_set_status(actor=secretariat, idea=citizen, status="reviewing", at=clock.now)
    with dated(clock.next(1, 11)):
        services.comment_add(
            actor=secretariat, idea=citizen, is_answer=True,
            body="ご提案ありがとうございます。窓口予約のオンライン化とあわせて検討します。",
            at=clock.now,
        )  # fmt: skip


def _generated_votes(statements, viewpoints, seed: int) -> list[tuple[int, int, int]]:
    rng = random.Random(seed)
    votes, pid = [], 0
    for view, count in enumerate(viewpoints):
        for _n in range(count):
            pid += 1
            for number, (_text, stances) in enumerate(statements, start=1):
                if rng.random() > 0.8:
                    continue
                stance = stances[view]
                if rng.random() < 0.12:
                    value = rng.choice([v for v in (1, -1, 0) if v != stance])
                elif stance == 0:
                    value = rng.choice([0, 0, 1, -1])
                else:
                    value = stance
                votes.append((pid, number, value))
    return votes


def _conversation(ctx, secretariat) -> None:
    conversation = services.conversation_create(
        actor=secretariat,
        title="本市が目指すDXとは",
        question="本市が目指すDX（デジタル・トランスフォーメーション）とは何でしょうか。",
        description=(
            "DXの定義を本部員・職員とともにつくるため、意見を短い文で出し合い、賛成・反対で"
            "答えてください。グループごとの考え方と、全員が賛成する点を見える化します。"
        ),
        seeds=[text for text, _stances in STATEMENTS],
    )
    services.conversation_set_state(actor=secretariat, conversation=conversation, state="open")
    staff = [u for login, u in sorted(ctx.people.items()) if login.startswith("staff")]
    votes = _generated_votes(STATEMENTS, VIEWPOINTS, seed=20240401)
    people = {pid: person for pid, person in enumerate(staff[: sum(VIEWPOINTS)], start=1)}
    services.votes_load(actor=secretariat, conversation=conversation, votes=votes, people=people)
    run = services.analysis_start(actor=secretariat, conversation=conversation, background=False)
    services.analysis_execute(run_id=run.pk)


def _public_conversation(ctx, secretariat) -> None:
    conversation = services.conversation_create(
        actor=secretariat,
        title="これからの市役所の手続",
        question="市役所の手続は、これからどうあるべきだと思いますか。",
        description=(
            "市では、市民の皆さんの立場から手続を見直しています。短い意見を一つずつ読んで、"
            "賛成・反対・パスで答えてください。ご自分の意見を書き加えることもできます。"
            "アカウントは要りません。"
        ),
        seeds=[text for text, _stances in CITIZEN_STATEMENTS],
        is_public=True,
        results_public=True,
    )
    services.conversation_set_state(actor=secretariat, conversation=conversation, state="open")
    votes = _generated_votes(CITIZEN_STATEMENTS, CITIZEN_VIEWPOINTS, seed=20240402)
    services.votes_load(actor=secretariat, conversation=conversation, votes=votes)
    run = services.analysis_start(actor=secretariat, conversation=conversation, background=False)
    services.analysis_execute(run_id=run.pk)


def load(ctx) -> None:
    secretariat = ctx.people.get("jimukyoku") or ctx.actor
    _ideas(ctx, secretariat)
    _conversation(ctx, secretariat)
    _public_conversation(ctx, secretariat)
