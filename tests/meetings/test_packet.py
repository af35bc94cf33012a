"""The meeting packet (会議資料一式) in Word and PDF, and the built-in generated papers."""

import builtins
import io
import shutil
import subprocess
import sys
from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader, PdfWriter

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import packet, services
from kyokan.apps.meetings.models import Meeting, MeetingKind, PollAnswer, PollCandidate
from kyokan.apps.meetings.papers import generator_get
from tests.factories import BureauFactory, DivisionFactory, UserFactory

SERIES = "デジタル化推進本部会議"
AGENDA = [
    ("オープンデータガイドライン改定版について", 15),
    ("デジタル強靱化戦略の改定(案)について", 30),
    ("デジタルデバイド対策に関する考え方について", 20),
    ("令和4年度の重点目標について", 15),
    ("次年度以降の取組について", 10),
]
GENERATORS = [
    "previous_decisions",
    "open_actions",
    "attendance",
    "poll_result",
    "training_coverage",
]
COLUMNS = {
    "open_actions": ["No.", "内容", "担当者", "担当課", "期限", "状況", "発生した会議"],
    "previous_decisions": ["No.", "決定事項", "議題"],
    "attendance": ["氏名", "所属", "区分", "出欠"],
    "poll_result": ["順位", "候補日時", "○", "△", "×", "必須者の不参加", "閉庁日"],
    "training_coverage": ["部局", "推進員", "うち受講", "職員", "うち受講", "受講率"],
}
UPLOAD_SIZE = (420, 595)  # points: the uploaded PDF's pages are recognisable by their size
UPLOAD_PAGES = 3


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _wareki(d) -> str:
    return japanese_dates.wareki_date(d, with_western=False)


def _pdf_upload(name: str, pages: int) -> SimpleUploadedFile:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=UPLOAD_SIZE[0], height=UPLOAD_SIZE[1])
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hq(people, sysadmin, city):
    """The 6th 本部会議 with two earlier meetings, a date poll, invitees and 7 papers."""
    actor = sysadmin
    series = services.series_create(actor=actor, name=SERIES, kind=MeetingKind.HQ)
    chief, deputy, member = people[Role.HQ_CHIEF], people[Role.HQ_DEPUTY], people[Role.HQ_MEMBER]
    secretariat, promoter = people[Role.SECRETARIAT], people[Role.PROMOTER]

    fourth = services.meeting_create(
        actor=actor, series=series, number=4, starts_at=_at(-56, 14), ends_at=_at(-56, 15)
    )
    old_action = services.action_item_create(
        actor=actor, meeting=fourth, title="庁内ネットワークの棚卸し", owner=member,
        due_date=timezone.localdate() - timedelta(days=50),
    )  # fmt: skip
    services.meeting_set_status(actor=actor, meeting=fourth, status=Meeting.Status.HELD)

    fifth = services.meeting_create(
        actor=actor, series=series, number=5, starts_at=_at(-28, 14), ends_at=_at(-28, 15)
    )
    fifth_item = services.agenda_item_create(
        actor=actor, meeting=fifth, title="オープンデータガイドラインについて"
    )
    decisions = [
        services.decision_add(
            actor=actor, meeting=fifth, agenda_item=fifth_item,
            text="オープンデータガイドラインの改定案を次回までに作成する。",
        ),
        services.decision_add(actor=actor, meeting=fifth, text="推進員研修を年2回開催する。"),
    ]  # fmt: skip
    late = services.action_item_create(
        actor=actor, meeting=fifth, title="ガイドライン改定案の作成", owner=secretariat,
        due_date=timezone.localdate() - timedelta(days=7),
    )  # fmt: skip
    pending = services.action_item_create(
        actor=actor, meeting=fifth, title="研修計画の策定", owner=promoter,
        due_date=timezone.localdate() + timedelta(days=20),
    )  # fmt: skip
    done = services.action_item_create(
        actor=actor, meeting=fifth, title="議事録の公開", owner=secretariat,
        due_date=timezone.localdate(),
    )  # fmt: skip
    services.action_item_complete(actor=actor, action=done, result="公開済み")
    services.meeting_set_status(actor=actor, meeting=fifth, status=Meeting.Status.HELD)

    meeting = services.meeting_create(
        actor=actor, series=series, number=6, title="令和4年度第1回", place="本庁舎3階 第1会議室"
    )
    required = services.invitations_add(
        actor=actor, meeting=meeting, people=[chief], required=True
    ).added[0]
    others = services.invitations_add(
        actor=actor, meeting=meeting, people=[deputy, member, secretariat, promoter]
    ).added
    guest = services.invitation_add_guest(
        actor=actor, meeting=meeting, name="山田 花子", email="yamada@example.jp",
        affiliation="ひかり野大学",
    )  # fmt: skip
    items = [
        services.agenda_item_create(
            actor=actor, meeting=meeting, title=title, presenter_text="事務局",
            duration_minutes=minutes,
        )
        for title, minutes in AGENDA
    ]  # fmt: skip

    slots = [((7, 14), (7, 15, 30)), ((8, 10), (8, 11)), ((9, 14), (9, 16))]
    poll = services.poll_open(
        actor=actor,
        meeting=meeting,
        candidates=[(_at(*start), _at(*end)) for start, end in slots],
        deadline=timezone.localdate() + timedelta(days=5),
    )
    c1, c2, c3 = poll.candidates.order_by("starts_at")
    yes, maybe, no = PollAnswer.Choice.YES, PollAnswer.Choice.MAYBE, PollAnswer.Choice.NO
    for invitation, choices in (
        (required, (yes, no, maybe)),
        (others[0], (yes, yes, yes)),
        (others[1], (maybe, yes, no)),
    ):
        services.poll_answer(
            invitation=invitation,
            answers={c.pk: (choice, "") for c, choice in zip((c1, c2, c3), choices, strict=True)},
        )
    services.poll_fix(actor=actor, meeting=meeting, candidate=c1)
    services.attendance_record(
        actor=actor,
        meeting=meeting,
        attendance={required.pk: "present", others[0].pk: "absent", others[3].pk: "proxy"},
    )

    # Papers in a mixed order, so that the uploaded PDF is spliced in the middle.
    services.paper_add_generated(
        actor=actor, meeting=meeting, generator="previous_decisions", agenda_item=items[0]
    )
    services.paper_add_generated(actor=actor, meeting=meeting, generator="open_actions")
    services.paper_upload(
        actor=actor, meeting=meeting, title="デジタル強靱化戦略（改定案）",
        file=_pdf_upload("senryaku.pdf", UPLOAD_PAGES), agenda_item=items[1],
    )  # fmt: skip
    services.paper_add_generated(actor=actor, meeting=meeting, generator="attendance")
    services.paper_add_generated(actor=actor, meeting=meeting, generator="poll_result")
    services.paper_add_generated(
        actor=actor, meeting=meeting, generator="training_coverage", agenda_item=items[3]
    )
    services.paper_upload(
        actor=actor, meeting=meeting, title="参考資料（用語集）",
        file=SimpleUploadedFile("yougo.txt", "用語集\n".encode(), content_type="text/plain"),
    )  # fmt: skip

    # An action of this meeting itself is not "open from earlier meetings".
    services.action_item_create(
        actor=actor, meeting=Meeting.objects.get(pk=meeting.pk), title="本日の宿題",
        owner=member, due_date=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip

    # A training session the promoter attended.
    course = services.course_create(actor=actor, title="DX基礎研修")
    training_series = services.series_create(actor=actor, name="DX研修", kind=MeetingKind.TRAINING)
    session = services.meeting_create(
        actor=actor, series=training_series, course=course, starts_at=_at(-10, 10)
    )
    attended = services.invitations_add(actor=actor, meeting=session, people=[promoter]).added
    services.attendance_record(actor=actor, meeting=session, attendance={attended[0].pk: "present"})

    return {
        "meeting": Meeting.objects.select_related("series").get(pk=meeting.pk),
        "fourth": fourth,
        "fifth": fifth,
        "fifth_item": fifth_item,
        "decisions": decisions,
        "actions": {"old": old_action, "late": late, "pending": pending},
        "candidates": (c1, c2, c3),
        "guest": guest,
        "people": people,
    }


def _build(key: str, meeting):
    return generator_get(key).build(meeting)


# --- the generated papers ---------------------------------------------------------------------


def test_generators_are_registered():
    for key in GENERATORS:
        spec = generator_get(key)
        assert spec is not None, key
        assert spec.title and spec.description


def test_open_actions_rows(hq):
    today = timezone.localdate()
    table = _build("open_actions", hq["meeting"])
    assert table.title == "未完了のアクションアイテム一覧"
    assert table.columns == COLUMNS["open_actions"]
    assert table.numeric_columns == frozenset({0})
    people = hq["people"]
    assert table.rows == [
        [
            "1",
            "庁内ネットワークの棚卸し",
            people[Role.HQ_MEMBER].full_name,
            people[Role.HQ_MEMBER].department.name,
            _wareki(today - timedelta(days=50)),
            "期限超過",
            "第4回",
        ],
        [
            "2",
            "ガイドライン改定案の作成",
            people[Role.SECRETARIAT].full_name,
            people[Role.SECRETARIAT].department.name,
            _wareki(today - timedelta(days=7)),
            "期限超過",
            "第5回",
        ],
        [
            "3",
            "研修計画の策定",
            people[Role.PROMOTER].full_name,
            people[Role.PROMOTER].department.name,
            _wareki(today + timedelta(days=20)),
            "未完了",
            "第5回",
        ],
    ]
    assert "期限超過 2件" in table.note


def test_papers_format_short_wareki_with_core():
    from kyokan.apps.meetings.dates import paper_date

    assert paper_date(datetime(2022, 3, 31).date()) == "令和4年3月31日"
    with translation.override("en"):  # papers are Japanese whatever the reader's language
        assert paper_date(datetime(2019, 5, 1).date()) == "令和元年5月1日"


def test_previous_decisions_rows(hq):
    table = _build("previous_decisions", hq["meeting"])
    assert table.title == "前回の決定事項"
    assert table.columns == COLUMNS["previous_decisions"]
    assert table.rows == [
        ["1", hq["decisions"][0].text, hq["fifth_item"].title],
        ["2", hq["decisions"][1].text, "—"],
    ]
    assert "第5回" in table.note
    # The 5th meeting's previous one (the 4th) decided nothing; the 4th has none before it.
    assert _build("previous_decisions", hq["fifth"]).rows == []
    assert "第4回" in _build("previous_decisions", hq["fifth"]).note
    first = _build("previous_decisions", hq["fourth"])
    assert first.rows == [] and first.note


def test_attendance_rows(hq):
    people = hq["people"]
    table = _build("attendance", hq["meeting"])
    assert table.title == "出席者名簿"
    assert table.columns == COLUMNS["attendance"]
    chief = people[Role.HQ_CHIEF]
    assert table.rows[0] == [chief.full_name, chief.department.name, "必須", "出席"]
    deputy = people[Role.HQ_DEPUTY]
    assert [deputy.full_name, deputy.department.name, "—", "欠席"] in table.rows
    assert ["山田 花子", "ひかり野大学", "—", "未確認"] in table.rows
    promoter = people[Role.PROMOTER]
    assert [promoter.full_name, promoter.department.name, "—", "代理出席"] in table.rows
    assert len(table.rows) == 6
    assert "招待 6名" in table.note


def _slot(start: datetime, end: datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    day = japanese_dates.format_date_with_weekday(start.date())
    return f"{day} {start:%H:%M}–{end:%H:%M}"


def test_poll_result_rows(hq):
    c1, c2, c3 = hq["candidates"]
    table = _build("poll_result", hq["meeting"])
    assert table.title == "日程調整結果"
    assert table.columns == COLUMNS["poll_result"]
    assert table.numeric_columns == frozenset({0, 2, 3, 4})

    def closed(c):
        return japanese_dates.closure_reason(timezone.localtime(c.starts_at).date()) or ""

    chief = hq["people"][Role.HQ_CHIEF].full_name
    assert table.rows == [
        ["1", _slot(c1.starts_at, c1.ends_at), "2", "1", "0", "", closed(c1)],
        ["2", _slot(c3.starts_at, c3.ends_at), "1", "1", "1", "", closed(c3)],
        ["3", _slot(c2.starts_at, c2.ends_at), "2", "0", "1", chief, closed(c2)],
    ]
    assert "決定" in table.note
    assert table.rows[0][1].endswith("14:00–15:30")


def test_poll_result_without_poll(hq):
    table = _build("poll_result", hq["fifth"])
    assert table.rows == []
    assert "日程調整を行っていません" in table.note


def test_training_coverage_rows(hq):
    people = hq["people"]
    table = _build("training_coverage", hq["meeting"])
    assert table.title == "研修受講状況（部局別）"
    assert table.columns == COLUMNS["training_coverage"]
    promoter_bureau = people[Role.PROMOTER].department.parent.name
    staff_bureau = people[Role.STAFF].department.parent.name
    assert [promoter_bureau, "1", "1", "1", "1", "100.0%"] in table.rows
    assert [staff_bureau, "0", "0", "1", "0", "0.0%"] in table.rows
    total = table.rows[-1]
    assert total[:3] == ["合計", "1", "1"]
    assert total[5] == f"{1 / int(total[3]) * 100:.1f}%"


def test_training_rate_has_one_decimal():
    from kyokan.apps.meetings.generators import _percent

    assert _percent(1, 8) == "12.5%"
    assert _percent(0, 0) == "0.0%"


def _grow(hq, n: int) -> None:
    """n more of everything the generators read."""
    meeting, fifth = hq["meeting"], hq["fifth"]
    actor = hq["people"][Role.SYSADMIN]
    course = services.course_create(actor=actor, title=f"研修{n}")
    series = services.series_create(actor=actor, name=f"研修シリーズ{n}", kind="training")
    session = services.meeting_create(
        actor=actor, series=series, course=course, starts_at=_at(-3, 10)
    )
    for i in range(n):
        bureau = BureauFactory()
        person = UserFactory(department=DivisionFactory(parent=bureau), roles=[Role.PROMOTER])
        invitation = services.invitations_add(
            actor=actor, meeting=meeting, people=[person], required=i % 2 == 0
        ).added[0]
        for candidate in hq["candidates"]:
            PollAnswer.objects.create(candidate=candidate, invitation=invitation, choice="yes")
        PollCandidate.objects.create(
            poll=meeting.poll, starts_at=_at(20 + i, 10), ends_at=_at(20 + i, 11)
        )
        services.action_item_create(
            actor=actor, meeting=fifth, title=f"追加の宿題{i}", owner=person,
            due_date=timezone.localdate() + timedelta(days=i),
        )  # fmt: skip
        services.decision_add(
            actor=actor, meeting=fifth, text=f"追加の決定{i}", agenda_item=hq["fifth_item"]
        )
        trained = services.invitations_add(actor=actor, meeting=session, people=[person]).added
        services.attendance_record(
            actor=actor, meeting=session, attendance={trained[0].pk: "present"}
        )
        services.agenda_item_create(actor=actor, meeting=meeting, title=f"追加議題{i}")
        services.paper_add_generated(actor=actor, meeting=meeting, generator="attendance")


def _queries(fn) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result


@pytest.mark.parametrize("key", GENERATORS)
def test_generator_query_count_does_not_grow(hq, key):
    meeting = hq["meeting"]
    small, before = _queries(lambda: _build(key, meeting))
    _grow(hq, 6)
    large, after = _queries(lambda: _build(key, meeting))
    assert small == large, (key, small, large)
    assert len(after.rows) > len(before.rows), key


def test_packet_context_query_count_does_not_grow(hq):
    meeting = hq["meeting"]
    small, before = _queries(lambda: packet.packet_context(meeting))
    _grow(hq, 6)
    large, after = _queries(lambda: packet.packet_context(meeting))
    assert small == large
    assert len(after["papers"]) > len(before["papers"])
    assert len(after["agenda_items"]) > len(before["agenda_items"])


# --- Word ---------------------------------------------------------------------------------------


def _docx_blocks(document):
    """The body's paragraphs and tables in document order."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)


def test_docx_content(hq):
    meeting = hq["meeting"]
    document = Document(io.BytesIO(packet.build_packet_docx(meeting)))
    blocks = list(_docx_blocks(document))
    lines = [b.text.strip() for b in blocks if isinstance(b, Paragraph) and b.text.strip()]
    text = "\n".join(lines)
    held_on = timezone.localtime(meeting.starts_at).date()

    # 次第: date and issuing office top right, centred title, 日時 and 場所.
    assert lines[0] == _wareki(held_on)
    assert lines[0].startswith("令和")
    assert lines[1] == "デジタル化推進本部事務局"
    assert f"{SERIES} 第6回" in lines
    assert "令和4年度第1回" in lines
    weekday = japanese_dates.weekday_ja(held_on)
    assert f"日時：{_wareki(held_on)}({weekday}) 14:00～15:30" in lines
    assert "場所：本庁舎3階 第1会議室" in lines
    first = next(b for b in blocks if isinstance(b, Paragraph) and b.text.strip())
    assert first.alignment == WD_ALIGN_PARAGRAPH.RIGHT

    # The agenda, numbered and in order (after the carried-over action items).
    positions = [text.index(f". {title}") for title, _minutes in AGENDA]
    assert positions == sorted(positions)
    assert "1. 前回までのアクションアイテムの確認" in lines
    assert f"2. {AGENDA[0][0]}" in lines
    assert "（事務局・15分・資料1）" in lines

    # 配布資料 list, then every paper on its own page with its number top right.
    papers = list(meeting.papers.order_by("number"))
    assert len(papers) == 7
    for paper in papers:
        assert any(line.startswith(f"{paper.label}　{paper.title}") for line in lines)
    labels = [
        b for b in blocks if isinstance(b, Paragraph) and b.paragraph_format.page_break_before
    ]
    assert [b.text.strip() for b in labels] == [f"資料{n}" for n in range(1, 8)]
    assert all(b.alignment == WD_ALIGN_PARAGRAPH.RIGHT for b in labels)
    assert all(b.runs[0].bold for b in labels)
    assert "別添（senryaku.pdf）" in lines
    assert "別添（yougo.txt）" in lines

    # One table per generated paper, in paper order, with its header and data.
    tables = [b for b in blocks if isinstance(b, Table)]
    expected = [p.generator for p in papers if p.generator]
    assert len(tables) == len(expected)
    for key, table in zip(expected, tables, strict=True):
        header = [c.text for c in table.rows[0].cells]
        assert header == COLUMNS[key], key
        assert all(r.bold for c in table.rows[0].cells for r in c.paragraphs[0].runs)
    cells = {
        key: [[c.text for c in row.cells] for row in table.rows[1:]]
        for key, table in zip(expected, tables, strict=True)
    }
    assert ["1", hq["decisions"][0].text, hq["fifth_item"].title] in cells["previous_decisions"]
    assert any(
        r[1] == "ガイドライン改定案の作成" and r[5] == "期限超過" for r in cells["open_actions"]
    )
    assert ["山田 花子", "ひかり野大学", "—", "未確認"] in cells["attendance"]
    assert cells["poll_result"][0][0] == "1"
    assert cells["poll_result"][0][1].endswith("14:00–15:30")
    promoter_bureau = hq["people"][Role.PROMOTER].department.parent.name
    assert [promoter_bureau, "1", "1", "1", "1", "100.0%"] in cells["training_coverage"]
    # Numbers are right-aligned.
    actions = tables[expected.index("open_actions")]
    assert actions.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert actions.rows[1].cells[1].paragraphs[0].alignment is None

    # A4 portrait, a Japanese font, page numbers in the footer.
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == packet.DOCX_FONT
    assert fonts.get(qn("w:ascii")) == packet.DOCX_FONT
    assert 'w:instr="PAGE"' in section.footer._element.xml


def test_docx_empty_tables_and_unknown_generator(hq):
    meeting = hq["fifth"]  # no poll, no invitations
    actor = hq["people"][Role.SYSADMIN]
    services.paper_add_generated(actor=actor, meeting=meeting, generator="poll_result")
    services.paper_add_generated(actor=actor, meeting=meeting, generator="attendance")
    meeting.papers.filter(generator="attendance").update(generator="retired_generator")
    document = Document(io.BytesIO(packet.build_packet_docx(meeting)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "この会議では日程調整を行っていません。" in text
    assert "retired_generator" in text
    (table,) = document.tables
    assert table.rows[1].cells[0].text == "該当するデータはありません。"


def test_packet_filename(hq):
    meeting = hq["meeting"]
    assert packet.packet_filename(meeting, "docx") == f"第6回{SERIES}_資料.docx"
    assert packet.packet_filename(meeting, ".pdf") == f"第6回{SERIES}_資料.pdf"
    meeting.series.name = 'A/B "本部"\r\n会議'
    name = packet.packet_filename(meeting, "pdf")
    assert not set('/\\"\r\n') & set(name)
    assert name.endswith("_資料.pdf")


# --- PDF ------------------------------------------------------------------------------------------


def _has_japanese_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    result = subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


def _flat(text: str) -> str:
    return "".join(text.split())


def test_pdf_content(hq):
    pytest.importorskip("weasyprint")
    meeting = hq["meeting"]
    try:
        data = packet.build_packet_pdf(meeting)
    except packet.PacketUnavailable as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"WeasyPrint cannot run here: {exc}")
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    papers = list(meeting.papers.order_by("number"))
    uploaded_pdfs = [p for p in papers if p.file and p.file.name.endswith(".pdf")]
    assert len(uploaded_pdfs) == 1
    # The 次第 plus one page per paper that is not an uploaded PDF, plus the upload's pages.
    assert len(reader.pages) > len(papers) - len(uploaded_pdfs)
    assert len(reader.pages) >= 1 + (len(papers) - 1) + UPLOAD_PAGES
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ]
    spliced = [i for i, size in enumerate(sizes) if size == UPLOAD_SIZE]
    assert len(spliced) == UPLOAD_PAGES
    assert spliced == list(range(spliced[0], spliced[0] + UPLOAD_PAGES))
    # 資料3 sits between 資料2 and 資料4: after the 次第 and two generated papers.
    assert spliced[0] >= 3
    assert spliced[-1] < len(reader.pages) - 1
    outline = [item.title for item in reader.outline]
    assert outline[0] == "次第"
    assert outline[3] == "資料3 デジタル強靱化戦略（改定案）"

    if not _has_japanese_font():
        pytest.skip(
            "No Japanese font installed (`fc-list :lang=ja` is empty): skipping text checks"
        )
    first = _flat(reader.pages[0].extract_text())
    assert _flat(f"{SERIES} 第6回") in first
    assert _flat(_wareki(timezone.localtime(meeting.starts_at).date())) in first
    for title, _minutes in AGENDA:
        assert _flat(title) in first
    # The uploaded PDF's first page carries its 資料番号.
    assert "資料3" in _flat(reader.pages[spliced[0]].extract_text())
    everything = _flat("".join(page.extract_text() for page in reader.pages))
    for n in range(1, 8):
        assert f"資料{n}" in everything
    assert "別添（yougo.txt）" in everything
    assert "出席者名簿" in everything
    assert "山田花子" in everything


def test_pdf_with_a_broken_upload_gets_an_attachment_page(hq):
    pytest.importorskip("weasyprint")
    meeting = hq["fifth"]
    actor = hq["people"][Role.SYSADMIN]
    services.paper_upload(
        actor=actor, meeting=meeting, title="壊れた資料",
        file=SimpleUploadedFile("broken.pdf", b"%PDF-1.7\nnot really a pdf"),
    )  # fmt: skip
    reader = PdfReader(io.BytesIO(packet.build_packet_pdf(meeting)))
    assert len(reader.pages) == 2
    if _has_japanese_font():
        assert "別添（broken.pdf）" in _flat(reader.pages[1].extract_text())


def test_pdf_unavailable_when_weasyprint_cannot_be_imported(hq, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(packet.PacketUnavailable) as exc:
        packet.build_packet_pdf(hq["meeting"])
    assert isinstance(exc.value, RuntimeError)
    assert "Pango" in str(exc.value) and "README" in str(exc.value)


def test_pdf_unavailable_when_system_libraries_are_missing(hq, monkeypatch):
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libgobject-2.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    with pytest.raises(packet.PacketUnavailable, match="CJK"):
        packet.build_packet_pdf(hq["meeting"])
