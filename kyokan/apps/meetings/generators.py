"""The built-in generated papers (資料 built from Kyokan data when the packet is made).

Each ``build(meeting)`` returns a :class:`~kyokan.apps.meetings.papers.GeneratedTable` with
Japanese titles and headers and every value already a string, in a constant number of
queries whatever the amount of data.
"""

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import override

from kyokan.apps.core.selectors import municipality_get

from . import selectors
from .dates import paper_date, slot_label
from .models import ActionItem, DatePoll, Decision, Invitation, Meeting
from .papers import GeneratedTable, PaperGenerator, register_generator

DASH = "—"


def _time_range(starts_at, ends_at) -> str:
    """ "2月4日(金) 14:00–15:30" (Japan time)."""
    return slot_label(starts_at, ends_at, lang="ja")


# --- 未完了のアクションアイテム一覧 ---------------------------------------------------------

OPEN_ACTIONS_TITLE = "未完了のアクションアイテム一覧"


def build_open_actions(meeting: Meeting) -> GeneratedTable:
    """Open action items of the series' earlier meetings and those carried to this one."""
    carried = ActionItem.carried_to.through.objects.filter(meeting_id=meeting.pk).values(
        "actionitem_id"
    )
    actions = (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN)
        .filter(
            Q(meeting__series_id=meeting.series_id, meeting__number__lt=meeting.number)
            | Q(pk__in=carried)
        )
        .select_related("owner", "department", "meeting__series")
        .order_by("due_date", "id")
    )
    today = timezone.localdate()
    rows = []
    overdue = 0
    for n, action in enumerate(actions, start=1):
        late = action.due_date < today
        overdue += late
        origin = f"第{action.meeting.number}回"
        if action.meeting.series_id != meeting.series_id:
            origin = f"{action.meeting.series.name} {origin}"
        rows.append(
            [
                str(n),
                action.title,
                action.owner.full_name,
                action.department.name if action.department_id else DASH,
                paper_date(action.due_date),
                "期限超過" if late else str(action.get_status_display()),
                origin,
            ]
        )
    if rows:
        note = f"{paper_date(today)}現在、未完了 {len(rows)}件（うち期限超過 {overdue}件）。"
    else:
        note = "未完了のアクションアイテムはありません。"
    return GeneratedTable(
        title=OPEN_ACTIONS_TITLE,
        columns=["No.", "内容", "担当者", "担当課", "期限", "状況", "発生した会議"],
        rows=rows,
        note=note,
        numeric_columns=frozenset({0}),
    )


# --- 前回の決定事項 ------------------------------------------------------------------------

PREVIOUS_DECISIONS_TITLE = "前回の決定事項"


def build_previous_decisions(meeting: Meeting) -> GeneratedTable:
    """Decisions of the previous meeting of the series (the highest number below this one)."""
    previous = (
        Meeting.objects.filter(series_id=meeting.series_id, number__lt=meeting.number)
        .order_by("-number")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("agenda_item").order_by("id"),
            )
        )
        .first()
    )
    columns = ["No.", "決定事項", "議題"]
    if previous is None:
        return GeneratedTable(
            title=PREVIOUS_DECISIONS_TITLE,
            columns=columns,
            rows=[],
            note="前回の会議はありません（この回が初回です）。",
            numeric_columns=frozenset({0}),
        )
    rows = [
        [str(n), d.text, d.agenda_item.title if d.agenda_item_id else DASH]
        for n, d in enumerate(previous.decisions.all(), start=1)
    ]
    when = f"、{paper_date(timezone.localtime(previous.starts_at))}" if previous.starts_at else ""
    if rows:
        note = f"前回（第{previous.number}回{when}）の決定事項 {len(rows)}件。"
    else:
        note = f"前回（第{previous.number}回{when}）の決定事項はありません。"
    return GeneratedTable(
        title=PREVIOUS_DECISIONS_TITLE,
        columns=columns,
        rows=rows,
        note=note,
        numeric_columns=frozenset({0}),
    )


# --- 出席者名簿 ----------------------------------------------------------------------------

ATTENDANCE_TITLE = "出席者名簿"


def _affiliation(invitation) -> str:
    person = invitation.person
    if person is not None:
        if person.department_id:
            return person.department.name
        return person.affiliation or invitation.affiliation or DASH
    return invitation.affiliation or DASH


def build_attendance(meeting: Meeting) -> GeneratedTable:
    invitations = list(
        meeting.invitations.select_related("person__department").order_by("-required", "id")
    )
    rows = [
        [
            i.display_name,
            _affiliation(i),
            "必須" if i.required else DASH,
            str(i.get_attendance_display()),
        ]
        for i in invitations
    ]
    if rows:
        counts = {value: 0 for value in Invitation.Attendance.values}
        for i in invitations:
            counts[i.attendance] = counts.get(i.attendance, 0) + 1
        detail = "、".join(
            f"{Invitation.Attendance(value).label} {n}名" for value, n in counts.items() if n
        )
        note = f"招待 {len(rows)}名（{detail}）。"
    else:
        note = "招待者はまだいません。"
    return GeneratedTable(
        title=ATTENDANCE_TITLE,
        columns=["氏名", "所属", "区分", "出欠"],
        rows=rows,
        note=note,
    )


# --- 日程調整結果 --------------------------------------------------------------------------

POLL_RESULT_TITLE = "日程調整結果"


def build_poll_result(meeting: Meeting) -> GeneratedTable:
    columns = ["順位", "候補日時", "○", "△", "×", "必須者の不参加", "閉庁日"]
    numeric = frozenset({0, 2, 3, 4})
    poll = DatePoll.objects.filter(meeting_id=meeting.pk).first()
    if poll is None:
        return GeneratedTable(
            title=POLL_RESULT_TITLE,
            columns=columns,
            rows=[],
            note="この会議では日程調整を行っていません。",
            numeric_columns=numeric,
        )
    poll.meeting = meeting  # poll_table reads the invitations through it
    table = selectors.poll_table(poll, municipality_get())
    rows = [
        [
            str(row.rank),
            _time_range(row.candidate.starts_at, row.candidate.ends_at),
            str(row.yes),
            str(row.maybe),
            str(row.no),
            "、".join(row.required_missing),
            row.closed_reason or "",
        ]
        for row in table["ranked"]
    ]
    notes = [f"回答 {len(table['invitations']) - len(table['not_answered'])}名"]
    if table["not_answered"]:
        notes[0] += f"（未回答 {len(table['not_answered'])}名）"
    chosen = next((r for r in table["ranked"] if r.candidate.pk == poll.chosen_id), None)
    if chosen is not None:
        notes.append(f"{_time_range(chosen.candidate.starts_at, chosen.candidate.ends_at)} に決定")
    elif not rows:
        notes.append("候補日がありません")
    return GeneratedTable(
        title=POLL_RESULT_TITLE,
        columns=columns,
        rows=rows,
        note="。".join(notes) + "。",
        numeric_columns=numeric,
    )


# --- 研修受講状況（部局別） ---------------------------------------------------------------

TRAINING_COVERAGE_TITLE = "研修受講状況（部局別）"


def _percent(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "0.0%"


def build_training_coverage(meeting: Meeting) -> GeneratedTable:
    data = selectors.training_coverage()
    rows = [
        [
            r["bureau"].name,
            str(r["promoters"]),
            str(r["promoters_trained"]),
            str(r["staff"]),
            str(r["staff_trained"]),
            _percent(r["staff_trained"], r["staff"]),
        ]
        for r in data
    ]
    if data:
        totals = [
            sum(r[key] for r in data)
            for key in ("promoters", "promoters_trained", "staff", "staff_trained")
        ]
        rows.append(["合計", *map(str, totals), _percent(totals[3], totals[2])])
    note = f"{paper_date(timezone.localdate())}現在。受講率は職員に占める受講者の割合です。"
    return GeneratedTable(
        title=TRAINING_COVERAGE_TITLE,
        columns=["部局", "推進員", "うち受講", "職員", "うち受講", "受講率"],
        rows=rows,
        note=note,
        numeric_columns=frozenset({1, 2, 3, 4, 5}),
    )


# --- registration ------------------------------------------------------------------------


def _in_japanese(build):
    """Papers are printed in Japanese whatever the reader's interface language."""

    def wrapped(meeting):
        with override("ja"):
            return build(meeting)

    wrapped.__name__ = build.__name__
    wrapped.__doc__ = build.__doc__
    return wrapped


BUILT_IN = [
    PaperGenerator(
        key="open_actions",
        title=OPEN_ACTIONS_TITLE,
        description="このシリーズの過去の会議で決めた、未完了のアクションアイテム。",
        build=_in_japanese(build_open_actions),
    ),
    PaperGenerator(
        key="previous_decisions",
        title=PREVIOUS_DECISIONS_TITLE,
        description="同じシリーズの前回の会議の決定事項。",
        build=_in_japanese(build_previous_decisions),
    ),
    PaperGenerator(
        key="attendance",
        title=ATTENDANCE_TITLE,
        description="招待者の氏名・所属・出欠。",
        build=_in_japanese(build_attendance),
    ),
    PaperGenerator(
        key="poll_result",
        title=POLL_RESULT_TITLE,
        description="日程調整の候補日ごとの回答数と順位。",
        build=_in_japanese(build_poll_result),
    ),
    PaperGenerator(
        key="training_coverage",
        title=TRAINING_COVERAGE_TITLE,
        description="部局ごとの推進員・職員の研修受講状況。",
        build=_in_japanese(build_training_coverage),
    ),
]


def register() -> None:
    for generator in BUILT_IN:
        register_generator(generator)
