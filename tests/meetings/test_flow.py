"""Meetings from creation to decisions carried out: agenda, papers, action items carried to
the next meeting, overdue items on the dashboard, and the bad inputs each step refuses."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services
from kyokan.apps.meetings.models import ActionItem, Meeting, Paper
from kyokan.apps.meetings.services import CARRY_OVER_TITLE

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="shiryo.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_meetings_are_numbered_within_their_series(sysadmin, hq_series):
    first = services.meeting_create(actor=sysadmin, series=hq_series)
    second = services.meeting_create(actor=sysadmin, series=hq_series)
    assert (first.number, second.number) == (1, 2)
    assert str(second) == "デジタル化推進本部会議 第2回"
    with pytest.raises(ValidationError):
        services.meeting_create(actor=sysadmin, series=hq_series, number=2)


def test_open_action_items_are_carried_to_the_next_meeting(sysadmin, hq_series, people, soon):
    fifth = services.meeting_create(
        actor=sysadmin, series=hq_series, number=5, starts_at=soon - timedelta(days=30)
    )
    due = timezone.localtime(fifth.starts_at).date() + timedelta(days=7)
    done = services.action_item_create(
        actor=sysadmin, meeting=fifth, title="完了する宿題", owner=people[Role.STAFF], due_date=due
    )
    pending = services.action_item_create(
        actor=sysadmin, meeting=fifth, title="残る宿題", owner=people[Role.PROMOTER], due_date=due
    )
    services.action_item_complete(actor=sysadmin, action=done, result="済")
    sixth = services.meeting_create(actor=sysadmin, series=hq_series, number=6)
    carried = sixth.agenda_items.get(carried_over=True)
    assert carried.title == CARRY_OVER_TITLE
    assert list(sixth.carried_action_items.all()) == [pending]
    # An action decided later at the 5th is carried to the 6th, which is not held yet.
    later = services.action_item_create(
        actor=sysadmin, meeting=fifth, title="追加の宿題", owner=people[Role.STAFF], due_date=due
    )
    assert set(sixth.carried_action_items.all()) == {pending, later}
    assert sixth.agenda_items.filter(carried_over=True).count() == 1
    # Once done, an item is no longer carried to meetings created afterwards.
    services.action_item_complete(actor=sysadmin, action=pending)
    services.action_item_complete(actor=sysadmin, action=later)
    seventh = services.meeting_create(actor=sysadmin, series=hq_series, number=7)
    assert not seventh.agenda_items.filter(carried_over=True).exists()


def test_an_action_item_due_before_the_meeting_is_refused(sysadmin, dated_meeting, people):
    day = timezone.localtime(dated_meeting.starts_at).date()
    with pytest.raises(ValidationError, match="before the meeting"):
        services.action_item_create(
            actor=sysadmin,
            meeting=dated_meeting,
            title="遅すぎ",
            owner=people[Role.STAFF],
            due_date=day - timedelta(days=1),
        )
    assert not ActionItem.objects.exists()


def test_action_item_form_keeps_input_on_error(client_as, dated_meeting, people):
    client = client_as(Role.SECRETARIAT)
    client.cookies["django_language"] = "en"
    day = timezone.localtime(dated_meeting.starts_at).date()
    response = client.post(
        reverse("meetings:action_create", args=[dated_meeting.pk]),
        {
            "title": "定義案の作成",
            "owner": people[Role.STAFF].username,
            "due_date": f"{day - timedelta(days=3):%Y-%m-%d}",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "before the meeting" in body and "定義案の作成" in body
    unknown = client.post(
        reverse("meetings:action_create", args=[dated_meeting.pk]),
        {"title": "x", "owner": "誰でもない人", "due_date": f"{day:%Y-%m-%d}"},
    )
    assert "No active person" in unknown.content.decode()
    assert not ActionItem.objects.exists()


def test_an_action_needs_a_dated_meeting(sysadmin, hq_series, people):
    undated = services.meeting_create(actor=sysadmin, series=hq_series)
    with pytest.raises(ValidationError, match="Fix the meeting's date"):
        services.action_item_create(
            actor=sysadmin,
            meeting=undated,
            title="x",
            owner=people[Role.STAFF],
            due_date=timezone.localdate(),
        )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "cannot be attached"),
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"), "does not match"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
        (SimpleUploadedFile("notes.txt", b"abc\x00\x01"), "binary"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(
    sysadmin, dated_meeting, upload, message, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match=message):
        services.paper_upload(actor=sysadmin, meeting=dated_meeting, title="資料", file=upload)
    assert not Paper.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_a_too_large_upload_is_refused(sysadmin, dated_meeting, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "MAX_PAPER_BYTES", 20)
    with pytest.raises(ValidationError, match="the limit is"):
        services.paper_upload(actor=sysadmin, meeting=dated_meeting, title="大きい", file=_pdf())
    assert not Paper.objects.exists()


def test_upload_form_shows_the_error(client_as, dated_meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(Role.SECRETARIAT)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("meetings:paper_upload", args=[dated_meeting.pk]),
        {"title": "実行ファイル", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "cannot be attached" in body and "実行ファイル" in body


def test_papers_are_numbered_and_renumbered(sysadmin, dated_meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    one = services.paper_upload(actor=sysadmin, meeting=dated_meeting, title="一", file=_pdf())
    two = services.paper_add_generated(
        actor=sysadmin, meeting=dated_meeting, generator="attendance"
    )
    three = services.paper_upload(actor=sysadmin, meeting=dated_meeting, title="三", file=_pdf())
    assert [p.number for p in (one, two, three)] == [1, 2, 3]
    services.paper_delete(actor=sysadmin, paper=one)
    assert list(dated_meeting.papers.values_list("number", "title")) == [
        (1, "出席者名簿"),
        (2, "三"),
    ]


def test_overdue_action_items_appear_on_the_dashboard(client_as, sysadmin, hq_series, people):
    past = timezone.now() - timedelta(days=20)
    meeting = services.meeting_create(actor=sysadmin, series=hq_series, starts_at=past)
    services.action_item_create(
        actor=sysadmin,
        meeting=meeting,
        title="期限切れの宿題",
        owner=people[Role.STAFF],
        due_date=timezone.localdate() - timedelta(days=3),
    )
    secretariat_home = client_as(Role.SECRETARIAT).get("/").content.decode()
    assert "期限切れの宿題" in secretariat_home
    owner_home = client_as(Role.STAFF).get("/").content.decode()
    assert "期限切れの宿題" in owner_home
    citizen_home = client_as(Role.CITIZEN).get("/").content.decode()
    assert "期限切れの宿題" not in citizen_home


def test_owner_completes_an_action_item(client_as, sysadmin, dated_meeting, people):
    day = timezone.localtime(dated_meeting.starts_at).date()
    action = services.action_item_create(
        actor=sysadmin, meeting=dated_meeting, title="宿題", owner=people[Role.STAFF], due_date=day
    )
    response = client_as(Role.STAFF).post(
        reverse("meetings:action_complete", args=[action.pk]), {"result": "報告済み"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE and action.result == "報告済み"
    other = client_as(Role.PROMOTER).get(reverse("meetings:action_complete", args=[action.pk]))
    assert other.status_code == 403


def test_experts_see_only_the_meetings_they_are_invited_to(client_as, sysadmin, hq_series, people):
    mine = services.meeting_create(actor=sysadmin, series=hq_series, title="招待あり")
    other = services.meeting_create(actor=sysadmin, series=hq_series, title="招待なし")
    services.invitations_add(actor=sysadmin, meeting=mine, people=[people[Role.EXPERT]])
    client = client_as(Role.EXPERT)
    listing = client.get(reverse("meetings:list")).content.decode()
    assert "招待あり" in listing and "招待なし" not in listing
    assert client.get(reverse("meetings:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("meetings:detail", args=[other.pk])).status_code == 403
    assert client.get(reverse("meetings:packet_docx", args=[other.pk])).status_code == 403
    assert client_as(Role.CITIZEN).get(reverse("meetings:list")).status_code == 403


def test_invite_by_role_and_department_reports_missing_emails(client_as, people, hq_series):
    meeting = services.meeting_create(actor=None, series=hq_series)
    people[Role.HQ_MEMBER].email = ""
    people[Role.HQ_MEMBER].save()
    client = client_as(Role.SECRETARIAT)
    response = client.post(
        reverse("meetings:invite", args=[meeting.pk]),
        {"role": Role.HQ_MEMBER, "department": people[Role.STAFF].department_id},
        follow=True,
    )
    invited = set(meeting.invitations.values_list("person__username", flat=True))
    assert {people[Role.HQ_MEMBER].username, people[Role.STAFF].username} <= invited
    assert people[Role.HQ_MEMBER].full_name in response.content.decode()
    again = client.post(reverse("meetings:invite", args=[meeting.pk]), {"people": "存在しない人"})
    assert again.status_code == 200
    assert meeting.invitations.count() == len(invited)


def test_meeting_status_needs_confirmation(client_as, dated_meeting):
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:status", args=[dated_meeting.pk, "cancelled"])
    assert client.get(url).status_code == 200
    dated_meeting.refresh_from_db()
    assert dated_meeting.status == Meeting.Status.SCHEDULED
    client.post(url)
    dated_meeting.refresh_from_db()
    assert dated_meeting.status == Meeting.Status.CANCELLED


def test_giving_a_date_schedules_a_planned_meeting_unless_polled(sysadmin, hq_series, soon):
    planned = services.meeting_create(actor=sysadmin, series=hq_series)
    services.meeting_update(actor=sysadmin, meeting=planned, starts_at=soon)
    planned.refresh_from_db()
    assert planned.status == Meeting.Status.SCHEDULED
    polled = services.meeting_create(actor=sysadmin, series=hq_series)
    services.poll_open(
        actor=sysadmin, meeting=polled, candidates=[(soon, soon + timedelta(hours=1))]
    )
    with pytest.raises(ValidationError, match="date poll is open"):
        services.meeting_update(actor=sysadmin, meeting=polled, starts_at=soon)


def test_meeting_page_shows_guests_and_people(client_as, sysadmin, dated_meeting, people):
    services.invitations_add(actor=sysadmin, meeting=dated_meeting, people=[people[Role.EXPERT]])
    services.invitation_add_guest(
        actor=sysadmin, meeting=dated_meeting, name="外部 花子", email="g@example.jp"
    )
    services.invitation_add_guest(
        actor=sysadmin, meeting=dated_meeting, name="外部 次郎", email="j@example.jp",
        affiliation="市民協働研究センター",
    )  # fmt: skip
    body = client_as(Role.SECRETARIAT).get(reverse("meetings:detail", args=[dated_meeting.pk]))
    text = body.content.decode()
    assert body.status_code == 200
    assert "外部 花子" in text and "市民協働研究センター" in text
