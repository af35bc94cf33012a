"""Control characters (a line break, or anything in \\x00-\\x1f) in a meeting's title,
place, notes, agenda items, papers' names, decisions and action items: the .ics stays
valid RFC 5545, the packet opens in Word, and the e-mail that fixes the date is sent."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document
from icalendar import Calendar

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import ics, packet, services
from kyokan.apps.meetings.models import Meeting, MeetingSeries

# \x00 cannot be stored (PostgreSQL refuses it; forms refuse it): the stored values hold
# \x01-\x1f, and the .ics is also built from an unsaved meeting holding \x00-\x1f.
ALL_CONTROLS = "".join(chr(c) for c in range(0x20))
STORED = ALL_CONTROLS[1:]
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _ics_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    for line in lines:
        # RFC 5545: no control character in a content line but HTAB.
        assert not re.search("[\x00-\x08\x0a-\x1f\x7f]", line), repr(line)
    return lines


@pytest.fixture
def hostile(sysadmin, people, hq_series, soon):
    earlier = services.meeting_create(
        actor=sysadmin, series=hq_series, starts_at=soon - timedelta(days=30),
        ends_at=soon - timedelta(days=30, hours=-1),
    )  # fmt: skip
    services.decision_add(actor=sysadmin, meeting=earlier, text=f"前回の決定{STORED}")
    services.action_item_create(
        actor=sysadmin, meeting=earlier, title=f"宿題{STORED}",
        owner=people[Role.SECRETARIAT], due_date=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    meeting = services.meeting_create(
        actor=sysadmin,
        series=hq_series,
        title=f"第1回\n会議{STORED}題",
        place=f"本庁舎\r\n3階{STORED}",
        notes=f"持ち物\n資料{STORED}",
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
    )
    item = services.agenda_item_create(
        actor=sysadmin, meeting=meeting, title=f"議題\n一{STORED}", presenter_text=f"事務{STORED}局"
    )
    services.decision_add(actor=sysadmin, meeting=meeting, agenda_item=item, text=f"決定{STORED}")
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[people[Role.HQ_CHIEF]])
    services.paper_upload(
        actor=sysadmin, meeting=meeting, title=f"資料\nの名前{STORED}",
        file=SimpleUploadedFile(f"名前{STORED[:8]}.txt", "本文".encode()),
    )  # fmt: skip
    for generator in ("previous_decisions", "open_actions", "attendance"):
        services.paper_add_generated(
            actor=sysadmin, meeting=meeting, generator=generator, title=f"生成\t資料{STORED}"
        )
    return meeting


def test_the_ics_of_a_meeting_with_control_characters_is_valid(hostile):
    data = ics.meetings_calendar([hostile], name=f"予定\n表{STORED}")
    _ics_lines(data)
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    # Line breaks and tabs become spaces on one-line properties; the rest is removed.
    assert str(event["SUMMARY"]) == "デジタル化推進本部会議 第2回 第1回 会議 題"
    assert str(event["LOCATION"]) == "本庁舎 3階"
    assert str(event["DESCRIPTION"]) == "持ち物\n資料"  # the line break kept, escaped


def test_the_ics_survives_a_nul_and_every_other_control_character(hq_series, soon):
    meeting = Meeting(
        pk=1, series=hq_series, number=1, title=f"題{ALL_CONTROLS}名", place=ALL_CONTROLS,
        notes=f"メモ{ALL_CONTROLS}", starts_at=soon,
    )  # fmt: skip
    data = ics.meetings_calendar([meeting], name=ALL_CONTROLS)
    _ics_lines(data)
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]).endswith("題 名")
    assert "LOCATION" not in event  # nothing left of it


def test_the_ics_downloads_are_valid(client_as, hostile):
    client = client_as(Role.HQ_CHIEF)
    for name in ("meetings:calendar_ics_mine", "meetings:calendar_ics_hq"):
        from django.urls import reverse

        response = client.get(reverse(name))
        assert response.status_code == 200
        _ics_lines(response.content)


def test_the_word_packet_opens_and_holds_the_text(hostile):
    data = packet.build_packet_docx(hostile)
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("議題\n一" in t for t in texts)  # a line break stays a line break
    assert any("前回の決定" in t for t in texts) and any("宿題" in t for t in texts)
    assert any("資料\nの名前" in t for t in texts)
    for text in texts:
        assert not XML_ILLEGAL.search(text), repr(text)


def test_the_pdf_packet_builds(hostile):
    pytest.importorskip("weasyprint")
    try:
        data = packet.build_packet_pdf(hostile)
    except packet.PacketUnavailable as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"WeasyPrint cannot run here: {exc}")
    assert data.startswith(b"%PDF")


def test_fixing_the_date_mails_invitees_despite_a_line_break_in_the_title(
    sysadmin, people, django_capture_on_commit_callbacks
):
    series = MeetingSeries.objects.create(name="推進チーム", kind="team")
    meeting = services.meeting_create(actor=sysadmin, series=series, title=f"改行\n入り{STORED}")
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[people[Role.HQ_CHIEF]])
    people[Role.HQ_CHIEF].email = "chief@example.jp"
    people[Role.HQ_CHIEF].save()
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=9)
    poll = services.poll_open(
        actor=sysadmin, meeting=meeting, candidates=[(start, start + timedelta(hours=1))]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.poll_fix(actor=sysadmin, meeting=meeting, candidate=poll.candidates.get())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "\n" not in message.subject and "改行 入り" in message.subject
    attachment = message.attachments[0]
    _ics_lines(attachment[1] if isinstance(attachment[1], bytes) else attachment[1].encode())
