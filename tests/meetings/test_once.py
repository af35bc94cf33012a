"""Creation forms of meetings are idempotent: a double click creates one meeting, agenda
item, paper, decision, action item, poll, guest, series, course or expert input."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services
from kyokan.apps.meetings.models import (
    ActionItem,
    AgendaItem,
    Course,
    DatePoll,
    Decision,
    ExpertInput,
    Invitation,
    Meeting,
    MeetingSeries,
    Paper,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _key(page: str) -> str:
    match = re.search(r'name="once" value="([^"]+)"', page)
    assert match, "the form carries a one-time key"
    return match.group(1)


def _twice(client, url: str, data: dict, files=None):
    key = _key(client.get(url).content.decode())
    responses = []
    for _ in range(2):
        payload = {**data, "once": key}
        if files:
            payload.update({name: factory() for name, factory in files.items()})
        responses.append(client.post(url, payload))
    first, second = responses
    assert first.status_code == 302, first.content.decode()[:2000]
    assert second.status_code == 302 and second["Location"] == first["Location"]
    return first


def test_a_meeting_sent_twice_is_created_once(client_as, hq_series, soon):
    client = client_as(Role.SECRETARIAT)
    data = {"series": hq_series.pk, "title": "第6回", "starts_at": f"{soon:%Y-%m-%dT%H:%M}"}
    _twice(client, reverse("meetings:create"), data)
    assert Meeting.objects.filter(series=hq_series).count() == 1


def test_a_series_and_a_course_sent_twice(client_as, city):
    client = client_as(Role.SECRETARIAT)
    _twice(client, reverse("meetings:series_create"), {"name": "推進チーム会議", "kind": "team"})
    assert MeetingSeries.objects.filter(name="推進チーム会議").count() == 1
    _twice(client, reverse("meetings:course_create"), {"title": "DX基礎研修"})
    assert Course.objects.filter(title="DX基礎研修").count() == 1


@pytest.mark.parametrize(
    "name,data,model",
    [
        ("meetings:item_create", {"title": "戦略の改定について"}, AgendaItem),
        ("meetings:decision_add", {"text": "改定案を了承する。"}, Decision),
        ("meetings:paper_generate", {"generator": "attendance"}, Paper),
        ("meetings:guest_add", {"name": "山田 花子", "email": "yamada@example.jp"}, Invitation),
    ],
)
def test_meeting_creations_sent_twice(name, data, model, client_as, dated_meeting):
    client = client_as(Role.SECRETARIAT)
    before = model.objects.count()
    _twice(client, reverse(name, args=[dated_meeting.pk]), data)
    assert model.objects.count() == before + 1


def test_an_action_item_and_an_upload_sent_twice(client_as, people, dated_meeting):
    client = client_as(Role.SECRETARIAT)
    due = timezone.localdate() + timedelta(days=30)
    data = {"title": "改定案の作成", "owner": people[Role.SECRETARIAT].username, "due_date": due}
    _twice(client, reverse("meetings:action_create", args=[dated_meeting.pk]), data)
    assert ActionItem.objects.filter(meeting=dated_meeting).count() == 1
    _twice(
        client,
        reverse("meetings:paper_upload", args=[dated_meeting.pk]),
        {"title": "資料"},
        files={"file": lambda: SimpleUploadedFile("memo.txt", "本文".encode())},
    )
    assert Paper.objects.filter(meeting=dated_meeting, generator="").count() == 1


def test_a_date_poll_sent_twice(client_as, sysadmin, hq_series, soon):
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    client = client_as(Role.SECRETARIAT)
    day = soon.date()
    data = {
        "candidates": f"{day:%Y-%m-%d} 14:00-15:30\n{day + timedelta(days=1):%Y-%m-%d} 10:00-11:00",
        "allow_closed_days": "on",  # the days may fall on a weekend
    }
    _twice(client, reverse("meetings:poll_create", args=[meeting.pk]), data)
    assert DatePoll.objects.filter(meeting=meeting).count() == 1  # no "already has a poll"


def test_an_expert_input_sent_twice(client_as, sysadmin, people, hq_series, soon):
    exchange = services.meeting_create(actor=sysadmin, series=hq_series, starts_at=soon)
    expert = services.invitations_add(
        actor=sysadmin, meeting=exchange, people=[people[Role.EXPERT]]
    ).added[0]
    client = client_as(Role.SECRETARIAT)
    data = {"expert": expert.pk, "title": "業務の見直し", "body": "先に業務を見直す。"}
    _twice(client, reverse("meetings:expert_input_create", args=[exchange.pk]), data)
    assert ExpertInput.objects.filter(meeting=exchange).count() == 1
