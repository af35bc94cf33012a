"""Every text a meetings form takes has a length limit: 1,000,000 characters of minutes, a
decision, an action item's result or an expert's input were stored and then drawn on the
meeting's page, the minutes and the packet for everyone. Too long a text is refused with
the form redisplayed (what was typed kept); nothing is stored. A meeting number beyond the
column (a small integer) is refused too."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services
from kyokan.apps.meetings.models import (
    ActionItem,
    Course,
    Decision,
    ExpertInput,
    Meeting,
    MeetingSeries,
)

HUGE = "長" * 1_000_000


@pytest.fixture
def held(sysadmin, hq_series, people):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=3)
    meeting = services.meeting_create(
        actor=sysadmin, series=hq_series, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[people[Role.HQ_CHIEF]])
    services.agenda_item_create(actor=sysadmin, meeting=meeting, title="今後の進め方")
    services.action_item_create(
        actor=sysadmin, meeting=meeting, title="事務局案を作成する",
        owner=people[Role.SECRETARIAT], due_date=timezone.localdate() + timedelta(days=10),
    )  # fmt: skip
    return meeting


def _refused(response, kept: str = ""):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert 'class="errorlist' in page
    if kept:
        assert kept in page  # what else was typed is still there


def test_a_huge_decision_is_refused(client_as, held):
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:decision_add", args=[held.pk])
    _refused(client.post(url, {"text": HUGE}))
    assert not Decision.objects.exists()
    assert client.post(url, {"text": "決" * 4000}).status_code == 302


def test_huge_minutes_are_refused(client_as, held):
    item = held.agenda_items.get()
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:item_minutes", args=[item.pk])
    _refused(client.post(url, {"minutes_text": HUGE}))
    item.refresh_from_db()
    assert item.minutes_text == ""
    assert client.post(url, {"minutes_text": "議" * 100_000}).status_code == 302


def test_a_huge_result_of_an_action_item_is_refused(client_as, held):
    action = held.action_items.get()
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:action_complete", args=[action.pk])
    _refused(client.post(url, {"result": HUGE}))
    action.refresh_from_db()
    assert action.status == ActionItem.Status.OPEN and action.result == ""


def test_a_huge_expert_input_is_refused(client_as, held):
    invitation = held.invitations.get()
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:expert_input_create", args=[held.pk])
    data = {"expert": invitation.pk, "title": "意見の題", "body": HUGE, "tags": "子育て"}
    _refused(client.post(url, data), kept="意見の題")
    assert not ExpertInput.objects.exists()


def test_huge_notes_and_descriptions_are_refused(client_as, hq_series):
    client = client_as(Role.SECRETARIAT)
    data = {"series": hq_series.pk, "title": "第9回の題", "notes": HUGE}
    _refused(client.post(reverse("meetings:create"), data), kept="第9回の題")
    assert not Meeting.objects.exists()
    data = {"name": "新しい会議体", "kind": "team", "description": HUGE}
    _refused(client.post(reverse("meetings:series_create"), data), kept="新しい会議体")
    assert not MeetingSeries.objects.filter(name="新しい会議体").exists()
    data = {"title": "新しい研修", "description": HUGE}
    _refused(client.post(reverse("meetings:course_create"), data), kept="新しい研修")
    assert not Course.objects.exists()


def test_a_huge_poll_message_is_refused(client_as, hq_series):
    meeting = services.meeting_create(actor=None, series=hq_series)
    day = timezone.localdate() + timedelta(days=30)
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:poll_create", args=[meeting.pk])
    data = {
        "candidates": f"{day.isoformat()} 10:00-11:00",
        "allow_closed_days": "on",
        "message": HUGE,
    }
    _refused(client.post(url, data), kept=day.isoformat())
    assert not hasattr(Meeting.objects.get(pk=meeting.pk), "poll")
    assert client.post(url, {**data, "message": "ご回答ください"}).status_code == 302


@pytest.mark.parametrize("number", ["32768", "2147483648"])
def test_a_meeting_number_beyond_the_column_is_refused(client_as, hq_series, number):
    client = client_as(Role.SECRETARIAT)
    data = {"series": hq_series.pk, "number": number, "title": "番号の大きな会議"}
    _refused(client.post(reverse("meetings:create"), data), kept="番号の大きな会議")
    assert not Meeting.objects.exists()
    assert client.post(reverse("meetings:create"), {**data, "number": "32767"}).status_code == 302
