"""Demo meetings from the seed paper, on the demo's timeline (core.demo.DemoTimeline): the
story happens in the current fiscal year around the day the demo is loaded - the
headquarters' 5th meeting held about three weeks ago (minutes, decisions, action items),
the 6th being date-polled for about two months ahead, the 7th planned about three months
ahead - while the 1st to 4th meetings lie in the earlier fiscal years. Expert exchanges, the
study group and a training course have held sessions in the past and one each ahead.
Every meeting falls on a day the city office is open; held ones are in the past and planned
ones in the future. The invitations, date polls and action items tell people when they
happened on the timeline (core.notifications.dated), never at the moment of loading: the
meetings ahead were set up days or weeks ago."""

from contextlib import nullcontext
from datetime import date, datetime, timedelta

from kyokan.apps.core.links import link_type
from kyokan.apps.core.notifications import dated

from . import services
from .models import Invitation, Meeting, MeetingKind, PollAnswer, SkillAxis


def _on(ctx, day: date, hour: int, minute: int = 0) -> datetime:
    """An aware moment on the office day nearest ``day`` (earlier for a past day), from the
    timeline, so that nothing lands on a weekend, a holiday or a closed day."""
    return ctx.timeline.at((day - ctx.timeline.today).days, hour, minute)


def _in_fiscal_year(ctx, fy: int, month: int, day: int) -> date:
    """A day of fiscal year ``fy`` (April–March)."""
    return date(fy if month >= 4 else fy + 1, month, day)


def _hq_people(ctx):
    members = [u for login, u in ctx.people.items() if login.startswith("honbuin")]
    return [ctx.people["honbucho"], ctx.people["fukuhonbucho"], ctx.people["fukuhonbucho2"],
            *members]  # fmt: skip


def _secretariat(ctx):
    return [u for login, u in ctx.people.items() if login.startswith("jimukyoku")]


def _promoters(ctx):
    return [u for login, u in ctx.people.items() if login.startswith("suishinin")]


def _hq_meeting(ctx, series, number, *, starts=None, agenda=(), status=None, invited=None):
    """A headquarters meeting; ``invited`` is when its invitations went out (a meeting ahead:
    its invitees are told then; a held one's invitees are not told at all)."""
    meeting = services.meeting_create(
        actor=ctx.actor,
        series=series,
        number=number,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30) if starts else None,
        place="本庁舎5階 第1会議室",
    )
    with dated(invited) if invited else nullcontext():
        services.invitations_add(actor=ctx.actor, meeting=meeting,
                                 people=[ctx.people["honbucho"]], required=True)  # fmt: skip
        services.invitations_add(
            actor=ctx.actor, meeting=meeting, people=_hq_people(ctx) + _secretariat(ctx)
        )
    for title, presenter in agenda:
        services.agenda_item_create(
            actor=ctx.actor, meeting=meeting, title=title, presenter_text=presenter
        )
    if status:
        services.meeting_set_status(actor=ctx.actor, meeting=meeting, status=status)
    return meeting


def _link_documents(ctx, meeting) -> None:
    """Link the agenda items to the documents they discuss (through the generic link
    registry: meetings point at documents, never the other way round)."""
    documents = link_type("documents.version")
    if documents is None:
        return
    for item in meeting.agenda_items.all():
        for query in (
            "デジタル強靱化戦略 改定案",
            "オープンデータガイドライン",
            "デジタルデバイド",
        ):
            if query.split()[0] in item.title:
                for pk, label in documents.search(query.split()[0], ctx.actor)[:1]:
                    services.agenda_link_add(
                        actor=ctx.actor, item=item, target_type=documents.key,
                        target_id=pk, label=label,
                    )  # fmt: skip


def _strategy_decided_at(ctx, meeting) -> None:
    """The strategy's first version was on the agenda of ``meeting`` (held) and decided
    there: the documents' demo adopts it through the documents services, at that meeting, on
    its date (the decision is recorded among the meeting's decisions)."""
    from kyokan.apps.documents import demo as documents_demo

    original = documents_demo.strategy_original()
    if original is None:
        return
    target_type, target_id, label = original
    services.agenda_link_add(
        actor=ctx.actor, item=meeting.agenda_items.order_by("order").first(),
        target_type=target_type, target_id=target_id, label=label,
    )  # fmt: skip
    documents_demo.adopt_decided(ctx)


def load(ctx) -> None:
    actor = ctx.actor
    hq = services.series_create(
        actor=actor,
        name="デジタル化推進本部会議",
        kind=MeetingKind.HQ,
        description="本部長（市長）、副本部長、本部員（各部長）で構成する本部の会議。",
    )
    team = services.series_create(
        actor=actor, name="デジタル化推進チーム会議", kind=MeetingKind.TEAM
    )
    study = services.series_create(
        actor=actor,
        name="デジタル化推進員検討部会",
        kind=MeetingKind.STUDY,
        description="提案されたアイデアをベースに、市民サービス向上に向けた施策を提案する。",
    )
    exchange = services.series_create(
        actor=actor,
        name="デジタル化推進本部員意見交換会",
        kind=MeetingKind.EXCHANGE,
        description="様々なテーマで有識者との意見交換を重ね、インプットを増やす。",
    )
    training = services.series_create(
        actor=actor, name="デジタル化推進員研修", kind=MeetingKind.TRAINING,
        description="DXや各種ツールの利用について、着実なベースアップを図る。",
    )  # fmt: skip

    tl = ctx.timeline
    fy = tl.fiscal_year

    # 第1回–第4回: the earlier fiscal years (令和3年度 → the current strategy).
    earlier = [
        (fy - 3, 10, 20, "デジタル化推進本部の設置について", "本部の設置要綱と構成員を確認する。"),
        (fy - 2, 8, 24, "デジタル強靱化戦略の策定について", "デジタル強靱化戦略を策定する。"),
        (fy - 1, 5, 22, "デジタル強靱化戦略の進捗状況について", "各部局の取組の進捗を共有する。"),
        (fy - 1, 10, 21, "デジタル化推進本部員意見交換会の実施について",
         "有識者との意見交換会を今年度から実施する。"),
    ]  # fmt: skip
    for number, (year, month, day, title, decision) in enumerate(earlier, start=1):
        held = _hq_meeting(
            ctx,
            hq,
            number,
            starts=_on(ctx, _in_fiscal_year(ctx, year, month, day), 14),
            agenda=[(title, "事務局")],
        )
        item = held.agenda_items.get()
        services.minutes_save(actor=actor, item=item, text=f"事務局より説明。{decision}")
        services.decision_add(actor=actor, meeting=held, agenda_item=item, text=decision)
        services.attendance_record(
            actor=actor,
            meeting=held,
            attendance={i.pk: Invitation.Attendance.PRESENT for i in held.invitations.all()},
        )
        services.meeting_set_status(actor=actor, meeting=held, status=Meeting.Status.HELD)
    _strategy_decided_at(ctx, hq.meetings.get(number=2))

    # 第5回: held about three weeks ago, with the seed paper itself as 資料3 and its
    # decisions and actions.
    fifth = _hq_meeting(
        ctx,
        hq,
        5,
        starts=tl.at(-21, 14),
        agenda=[
            ("デジタル化推進本部員意見交換会の振り返りについて", "事務局"),
            ("今後の進め方について", "事務局"),
        ],
    )
    items = list(fifth.agenda_items.all())
    services.minutes_save(
        actor=actor,
        item=items[-1],
        text=(
            "事務局より資料3に基づき説明。DXの定義を本部員とともに明確化し、デジタル強靱化戦略に"
            "明記すること、第6回・第7回本部会議で議論し年度内に確定することを確認した。\n"
            "本部長より「DXは経営そのものであり、ルール・組織・予算を変えることである」との発言。"
        ),
    )
    services.decision_add(
        actor=actor,
        meeting=fifth,
        agenda_item=items[-1],
        text="本市としての「DX」の定義を本部員とともに明確化し、デジタル強靱化戦略に明記する。",
    )
    services.decision_add(
        actor=actor,
        meeting=fifth,
        agenda_item=items[-1],
        text="デジタル強靱化戦略の改定案を第6回・第7回本部会議で議論し、年度内に確定する。",
    )
    secretary = ctx.people["jimukyoku"]
    # One action item is a week overdue (the dashboard shows it), the other is ahead. Both
    # were assigned at the meeting (its owners told as it ended).
    with dated(tl.at(-21, 15, 30)):
        services.action_item_create(
            actor=actor, meeting=fifth, agenda_item=items[-1], owner=secretary,
            title="DXの定義（事務局案）を作成し、推進チームで議論する", due_date=tl.day(-7),
        )  # fmt: skip
        services.action_item_create(
            actor=actor, meeting=fifth, agenda_item=items[-1], owner=ctx.people["honbuin"],
            title="各部局の「DXとは」についての意見を取りまとめる", due_date=tl.day(14),
        )  # fmt: skip
    services.attendance_record(
        actor=actor,
        meeting=fifth,
        attendance={i.pk: Invitation.Attendance.PRESENT for i in fifth.invitations.all()},
    )
    services.meeting_set_status(actor=actor, meeting=fifth, status=Meeting.Status.HELD)

    # 第6回: being date-polled for about two months ahead, on office days. The 本部長
    # (required) has not answered yet: it waits for him in "my work". The secretariat set it
    # up and opened the poll the day after the 5th meeting.
    polled = tl.at(-20, 10)
    sixth = _hq_meeting(
        ctx,
        hq,
        6,
        invited=polled,
        agenda=[
            ("オープンデータガイドライン改定版について", "情報戦略課"),
            ("デジタル強靱化戦略の改定(案)について", "事務局"),
            ("デジタルデバイド対策に関する考え方について", "情報戦略課"),
            ("重点目標について", "事務局"),
            ("次年度以降の取組について", "事務局"),
        ],
    )
    with dated(polled):
        poll = services.poll_open(
            actor=actor,
            meeting=sixth,
            candidates=[
                (tl.at(56, 14), tl.at(56, 15, 30)),
                (tl.at(60, 10), tl.at(60, 11, 30)),
                (tl.at(63, 14), tl.at(63, 15, 30)),
            ],
            deadline=tl.day(21),
            message="第6回本部会議の日程を調整します。ご都合をお知らせください。",
        )
    candidates = list(poll.candidates.all())
    yes, no, maybe = PollAnswer.Choice.YES, PollAnswer.Choice.NO, PollAnswer.Choice.MAYBE
    for n, invitation in enumerate(sixth.invitations.select_related("person")):
        person = invitation.person
        if invitation.required or (person and person.username.startswith("jimukyoku")):
            continue
        if n % 5 == 4:
            continue  # a few have not answered yet
        patterns = [(yes, yes, maybe), (maybe, yes, no), (no, yes, yes)][n % 3]
        answers = {
            c.pk: (choice, "午後は調整可" if choice == maybe else "")
            for c, choice in zip(candidates, patterns, strict=True)
        }
        services.poll_answer(invitation=invitation, answers=answers, actor=person)
    services.paper_add_generated(actor=actor, meeting=sixth, generator="previous_decisions")
    _link_documents(ctx, sixth)
    services.paper_add_generated(actor=actor, meeting=sixth, generator="open_actions")
    services.paper_add_generated(actor=actor, meeting=sixth, generator="poll_result")

    # 第7回: planned about three months ahead, its invitations sent a week ago.
    _hq_meeting(
        ctx,
        hq,
        7,
        starts=tl.at(90, 10),
        invited=tl.at(-7, 10),
        agenda=[
            ("将来像：ステップ2の共有", "事務局"),
            ("オープンデータガイドライン改定版について", "情報戦略課"),
            ("重点目標について", "事務局"),
            ("次年度以降の取組について", "事務局"),
        ],
    )

    # The digital promotion team discussed the secretariat's draft two weeks ago.
    team_meeting = services.meeting_create(
        actor=actor, series=team, starts_at=tl.at(-14, 15), ends_at=tl.at(-14, 16),
        place="情報戦略課 打合せスペース",
    )  # fmt: skip
    services.invitations_add(actor=actor, meeting=team_meeting, people=_secretariat(ctx))
    services.agenda_item_create(
        actor=actor, meeting=team_meeting, title="DXの定義（事務局案）について"
    )
    services.meeting_set_status(actor=actor, meeting=team_meeting, status=Meeting.Status.HELD)

    # Expert exchanges: two held (an account holder each), one ahead with a guest too.
    themes = [
        (-120, "自治体DXと業務改革（BPR）", "yushikisha"),
        (-60, "データ利活用とオープンデータ", "yushikisha2"),
    ]
    inputs = {
        "yushikisha": [
            (
                "ツール導入より先に業務を見直す",
                "紙の様式を最適化しても紙の手続である限り価値は増えない。"
                "まず市民が不在だったプロセスを描き直し、"
                "ルール・組織・予算をどう変えるかを決めること。",
            ),
            (
                "費用対価値で取組を選ぶ",
                "取組ごとに市民の時間の節約と職員の時間の節約を金額で示し、"
                "費用と比べて優先順位を付ける。数字にならない価値は別に評価する。",
            ),
        ],
        "yushikisha2": [
            (
                "オープンデータは機械判読可能に",
                "1セル1データ、数値に単位を入れない、西暦表記など、"
                "デジタル庁のルールに沿えば利用者が加工せずに使える。",
            ),
        ],
    }
    for offset, theme, login in themes:
        meeting = services.meeting_create(
            actor=actor, series=exchange, theme=theme, starts_at=tl.at(offset, 15),
            ends_at=tl.at(offset, 17), place="本庁舎5階 第1会議室",
        )  # fmt: skip
        services.invitations_add(actor=actor, meeting=meeting, people=_hq_people(ctx))
        expert = services.invitations_add(
            actor=actor, meeting=meeting, people=[ctx.people[login]]
        ).added[0]
        for title, body in inputs[login]:
            services.expert_input_create(
                actor=actor, meeting=meeting, expert=expert, title=title, body=body,
                tags="BPR,費用対価値" if login == "yushikisha" else "オープンデータ",
            )  # fmt: skip
        services.meeting_set_status(actor=actor, meeting=meeting, status=Meeting.Status.HELD)
    upcoming_exchange = services.meeting_create(
        actor=actor, series=exchange, theme="デジタルデバイド対策",
        starts_at=tl.at(21, 15), ends_at=tl.at(21, 17),
        online_url="https://meet.example.jp/kyokan",
    )  # fmt: skip
    with dated(tl.at(-10, 10)):  # its invitations went out ten days ago
        services.invitations_add(actor=actor, meeting=upcoming_exchange, people=_hq_people(ctx))
        services.invitations_add(
            actor=actor, meeting=upcoming_exchange, people=[ctx.people["yushikisha3"]]
        )
        services.invitation_add_guest(
            actor=actor, meeting=upcoming_exchange, name="山下 恵子",
            email="yamashita@univ.example.jp", affiliation="市民協働研究センター 准教授",
        )  # fmt: skip

    # The study group: one session held, the next one ahead (its promoters invited two days
    # after the held one).
    for offset, status in ((-30, Meeting.Status.HELD), (14, None)):
        session = services.meeting_create(
            actor=actor, series=study, starts_at=tl.at(offset, 15),
            ends_at=tl.at(offset, 16, 30),
            place="本庁舎3階 研修室",
        )  # fmt: skip
        with nullcontext() if status else dated(tl.at(-28, 10)):
            services.invitations_add(actor=actor, meeting=session, people=_promoters(ctx))
        services.agenda_item_create(
            actor=actor, meeting=session, title="職員提案「窓口予約のオンライン化」の検討"
        )
        if status:
            services.meeting_set_status(actor=actor, meeting=session, status=status)

    # Training: a DX basics course, one session held with attendance and self-assessments.
    course = services.course_create(
        actor=actor, title="DX基礎研修", description="DXの定義、費用対価値、業務改革の考え方。"
    )
    services.course_create(actor=actor, title="ノーコードツール活用研修")
    session = services.meeting_create(
        actor=actor, series=training, course=course, starts_at=tl.at(-45, 13, 30),
        ends_at=tl.at(-45, 16, 30), place="本庁舎3階 研修室",
    )  # fmt: skip
    trainees = (
        _promoters(ctx) + [u for login, u in ctx.people.items() if login.startswith("staff0")][:12]
    )
    services.invitations_add(actor=actor, meeting=session, people=trainees)
    attendance = {}
    for n, invitation in enumerate(session.invitations.all()):
        present = n % 4 != 3
        attendance[invitation.pk] = (
            Invitation.Attendance.PRESENT if present else Invitation.Attendance.ABSENT
        )
        if present:
            base = 1 + n % 3
            before = {axis.value: min(5, base + i % 2) for i, axis in enumerate(SkillAxis)}
            after = {axis: min(5, level + 1) for axis, level in before.items()}
            services.assessment_save(
                actor=invitation.person, invitation=invitation, phase="before", scores=before
            )
            services.assessment_save(
                actor=invitation.person, invitation=invitation, phase="after", scores=after
            )
    services.attendance_record(actor=actor, meeting=session, attendance=attendance)
    services.meeting_set_status(actor=actor, meeting=session, status=Meeting.Status.HELD)
