"""Issue 9, item 11: the minutes (会議録) as Word and PDF in the city-hall layout of the
packet, every paper in one streamed ZIP with safe names, action items edited and several
completed at once, attendance marked for everyone at once."""

import io
import zipfile
from datetime import timedelta

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import packet, services
from kyokan.apps.meetings.models import ActionItem, Invitation, Meeting


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def held(sysadmin, hq_series, people, city):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=3)
    meeting = services.meeting_create(
        actor=sysadmin,
        series=hq_series,
        number=5,
        title="今後の進め方",
        starts_at=start,
        ends_at=start + timedelta(hours=1, minutes=30),
        place="本庁舎5階 第1会議室",
    )
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[people[Role.HQ_CHIEF]])
    services.invitations_add(
        actor=sysadmin, meeting=meeting, people=[people[Role.HQ_MEMBER], people[Role.STAFF]]
    )
    item = services.agenda_item_create(
        actor=sysadmin, meeting=meeting, title="今後の進め方について", presenter_text="事務局"
    )
    services.minutes_save(actor=sysadmin, item=item, text="事務局より説明。\n質疑なし。")
    services.decision_add(
        actor=sysadmin, meeting=meeting, agenda_item=item, text="DXの定義を明確化する。"
    )
    services.decision_add(actor=sysadmin, meeting=meeting, text="次回は2月に開催する。")
    services.action_item_create(
        actor=sysadmin,
        meeting=meeting,
        title="事務局案を作成する",
        owner=people[Role.SECRETARIAT],
        due_date=timezone.localdate() + timedelta(days=10),
    )
    invitations = {i.person_id: i for i in meeting.invitations.all()}
    services.attendance_record(
        actor=sysadmin,
        meeting=meeting,
        attendance={
            invitations[people[Role.HQ_CHIEF].pk].pk: Invitation.Attendance.PRESENT,
            invitations[people[Role.HQ_MEMBER].pk].pk: Invitation.Attendance.PROXY,
            invitations[people[Role.STAFF].pk].pk: Invitation.Attendance.ABSENT,
        },
    )
    services.meeting_set_status(actor=sysadmin, meeting=meeting, status=Meeting.Status.HELD)
    return meeting


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_minutes_as_word_in_the_city_hall_layout(client_as, held, people):
    response = client_as(Role.HQ_MEMBER).get(reverse("meetings:minutes_docx", args=[held.pk]))
    assert response.status_code == 200
    assert "_%E4%BC%9A%E8%AD%B0%E9%8C%B2.docx" in response["Content-Disposition"]  # _会議録
    text = _docx_text(response.content)
    for expected in (
        "デジタル化推進本部会議 第5回",
        "会　議　録",
        "本庁舎5階 第1会議室",
        "1. 今後の進め方について（事務局）",
        "事務局より説明。",
        "質疑なし。",
        "【決定】DXの定義を明確化する。",
        "次回は2月に開催する。",
        "事務局案を作成する",
        people[Role.HQ_CHIEF].full_name,
        f"{people[Role.HQ_MEMBER].full_name}（代理出席）",
    ):
        assert expected in text, expected
    present_line = next(line for line in text.split("\n") if line.startswith("出席者："))
    assert people[Role.STAFF].full_name not in present_line
    assert f"欠席者：{people[Role.STAFF].full_name}" in text
    ctx = packet.minutes_context(held)
    assert ctx["date_label"] == packet.packet_context(held)["date_label"]  # one layout
    assert ctx["when"].startswith("令和")


def test_minutes_as_pdf(client_as, held):
    try:
        content = packet.build_minutes_pdf(held)
    except packet.PacketUnavailable as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"WeasyPrint cannot run here: {exc}")
    assert content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "議事" in text and "【決定】DXの定義を明確化する" in text
    assert "事務局案を作成する" in text
    response = client_as(Role.SECRETARIAT).get(reverse("meetings:minutes_pdf", args=[held.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_every_paper_in_one_zip_with_safe_names(client_as, sysadmin, held, media):
    pdf = SimpleUploadedFile("../../etc/戦略 案.pdf", b"%PDF-1.4\n%%EOF\n")
    services.paper_upload(actor=sysadmin, meeting=held, title='改定案 "最終"/版', file=pdf)
    services.paper_upload(
        actor=sysadmin,
        meeting=held,
        title="改定案 \x07 別紙",
        file=SimpleUploadedFile("memo.txt", "メモ".encode()),
    )
    services.paper_add_generated(actor=sysadmin, meeting=held, generator="attendance")
    response = client_as(Role.STAFF).get(reverse("meetings:papers_zip", args=[held.pk]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert names == ["資料1_改定案_最終_版.pdf", "資料2_改定案_別紙.txt", "資料3_出席者名簿.docx"]
    for name in names:
        assert "/" not in name and "\\" not in name and ".." not in name
    assert archive.read(names[0]).startswith(b"%PDF-1.4")
    assert archive.read(names[1]).decode() == "メモ"
    assert "出席者名簿" in _docx_text(archive.read(names[2]))


def test_a_zip_past_the_limit_is_refused(client_as, sysadmin, held, media, monkeypatch):
    services.paper_upload(
        actor=sysadmin,
        meeting=held,
        title="大きな資料",
        file=SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2000),
    )
    monkeypatch.setattr(packet, "ZIP_MAX_BYTES", 1000)
    response = client_as(Role.STAFF).get(reverse("meetings:papers_zip", args=[held.pk]))
    assert response.status_code == 302
    assert not getattr(response, "streaming", False)


def test_the_secretariat_edits_an_action_item(client_as, held, people):
    action = held.action_items.get()
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:action_edit", args=[action.pk])
    assert client.get(url).status_code == 200
    due = timezone.localdate() + timedelta(days=40)
    response = client.post(
        url,
        {"title": "事務局案を作成し推進チームで議論する", "owner": people[Role.PROMOTER].username,
         "due_date": due.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "事務局案を作成し推進チームで議論する"
    assert action.owner == people[Role.PROMOTER] and action.due_date == due
    assert action.department == people[Role.PROMOTER].department
    # Not before the meeting; and only the secretariat edits.
    early = (timezone.localtime(held.starts_at) - timedelta(days=2)).date()
    client.post(url, {"title": "x", "owner": people[Role.PROMOTER].username, "due_date": early})
    action.refresh_from_db()
    assert action.due_date == due
    assert client_as(Role.PROMOTER).get(url).status_code == 403


def test_several_action_items_completed_at_once(client_as, sysadmin, held, people):
    owner = people[Role.STAFF]
    mine = [
        services.action_item_create(
            actor=sysadmin,
            meeting=held,
            title=f"宿題{n}",
            owner=owner,
            due_date=timezone.localdate() + timedelta(days=5 + n),
        )
        for n in range(3)
    ]
    others = held.action_items.exclude(owner=owner).get()
    client = client_as(Role.STAFF)
    page = client.get(reverse("meetings:actions")).content.decode()
    assert 'form="actions-complete"' in page
    response = client.post(
        reverse("meetings:actions_complete"),
        {"action": [mine[0].pk, mine[2].pk, others.pk], "result": "対応済み"},
    )
    assert response.status_code == 302
    statuses = dict(ActionItem.objects.values_list("pk", "status"))
    assert statuses[mine[0].pk] == statuses[mine[2].pk] == ActionItem.Status.DONE
    assert statuses[mine[1].pk] == ActionItem.Status.OPEN
    assert statuses[others.pk] == ActionItem.Status.OPEN  # not hers to complete
    assert ActionItem.objects.get(pk=mine[0].pk).result == "対応済み"
    events = AuditEvent.objects.filter(target_type="meetings.actionitem", action="update")
    assert events.filter(actor=owner).count() == 2
    assert client.post(reverse("meetings:actions_complete"), {"action": "abc"}).status_code == 404


def test_attendance_for_everyone_at_once(client_as, held):
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:attendance", args=[held.pk])
    data = {f"i{i.pk}": Invitation.Attendance.ABSENT for i in held.invitations.all()}
    response = client.post(url, {**data, "everyone": Invitation.Attendance.PRESENT})
    assert response.status_code == 302
    assert set(held.invitations.values_list("attendance", flat=True)) == {"present"}
    # Without "everyone", each person's choice counts.
    response = client.post(url, {**data, "everyone": ""})
    assert set(held.invitations.values_list("attendance", flat=True)) == {"absent"}


@pytest.mark.parametrize("back", ["999999", "abc", "//evil.example/", "https://evil.example/"])
def test_completing_action_items_goes_back_only_to_a_path_of_this_site(client_as, held, back):
    """A "next" that is no path ("999999" was reversed as a view name: a server error) or
    points elsewhere leads to the action items' list."""
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:actions_complete")
    action = held.action_items.get()
    for data in ({"next": back}, {"next": back, "action": action.pk, "result": "済"}):
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == reverse("meetings:actions")
    assert client.post(url, {"next": "/meetings/"})["Location"] == "/meetings/"


@pytest.mark.parametrize("result", ["済" * 2001, "対応\x00済み"])
def test_completing_several_action_items_checks_the_result(client_as, held, result):
    """The result for every ticked item is checked as on one item's form: it was cut at
    2,000 characters without a word, and a NUL went to the database (PostgreSQL refuses
    it: a server error)."""
    action = held.action_items.get()
    client = client_as(Role.SECRETARIAT)
    response = client.post(
        reverse("meetings:actions_complete"), {"action": action.pk, "result": result}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionItem.Status.OPEN and action.result == ""
    assert [m.level_tag for m in response.wsgi_request._messages] == ["error"]
