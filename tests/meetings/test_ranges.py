"""Numbers and lists of a meeting that must stay in a sane range: an agenda item's time,
how many agenda items, candidate dates and papers a meeting takes, and series and course
names that cannot be told apart in a list."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services
from kyokan.apps.meetings.models import AgendaItem, Course, MeetingSeries, PollCandidate

# The models' limits, as the messages name them.
AGENDA_ITEMS_MAX = 50
PAPERS_MAX = 100
POLL_CANDIDATES_MAX = 40

MINUTES_MESSAGE = "議題の所要時間は1分から600分（10時間）までの分数で入力してください。"


def _post_item(client, meeting, minutes: str, title: str):
    url = reverse("meetings:item_create", args=[meeting.pk])
    token = client.get(url).context["form"]["once"].value()
    return client.post(url, {"title": title, "duration_minutes": minutes, "once": token})


@pytest.mark.parametrize("minutes", ["0", "-5", "601", str(10**9)])
def test_an_agenda_item_takes_1_to_600_minutes(dated_meeting, client_as, minutes):
    # 0 was stored and then shown as no time at all (the page and the packet leave it out).
    client = client_as(Role.SECRETARIAT)
    response = _post_item(client, dated_meeting, minutes, f"議題{minutes}")
    assert response.status_code == 200
    assert MINUTES_MESSAGE in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=dated_meeting).exists()


@pytest.mark.parametrize("minutes", ["1", "600", ""])
def test_sane_agenda_times_are_taken(dated_meeting, client_as, minutes):
    client = client_as(Role.SECRETARIAT)
    assert _post_item(client, dated_meeting, minutes, "報告").status_code == 302
    item = AgendaItem.objects.get(meeting=dated_meeting)
    assert item.duration_minutes == (int(minutes) if minutes else None)


def test_the_service_refuses_zero_minutes_on_create_and_update(sysadmin, dated_meeting):
    with translation.override("ja"), pytest.raises(ValidationError) as exc:
        services.agenda_item_create(
            actor=sysadmin, meeting=dated_meeting, title="報告", duration_minutes=0
        )
    assert exc.value.messages == [MINUTES_MESSAGE]
    item = services.agenda_item_create(
        actor=sysadmin, meeting=dated_meeting, title="報告", duration_minutes=10
    )
    with pytest.raises(ValidationError):
        services.agenda_item_update(actor=sysadmin, item=item, duration_minutes=0)


def test_a_meeting_takes_at_most_50_agenda_items(sysadmin, dated_meeting, client_as):
    # The items' order is a small integer: past 32,767 PostgreSQL refuses the row.
    for i in range(AGENDA_ITEMS_MAX):
        services.agenda_item_create(actor=sysadmin, meeting=dated_meeting, title=f"議題{i}")
    response = _post_item(client_as(Role.SECRETARIAT), dated_meeting, "10", "もう一つ")
    assert "1つの会議の議題は50件までです。" in response.content.decode()
    assert dated_meeting.agenda_items.count() == AGENDA_ITEMS_MAX


def test_a_date_poll_takes_at_most_40_candidates(sysadmin, hq_series, client_as):
    # 500 candidate dates were taken; every invitee must answer each of them.
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:poll_create", args=[meeting.pk])
    first = timezone.localdate() + timedelta(days=3)

    def lines(n):
        return "\n".join(
            f"{first + timedelta(days=i // 8)} {9 + i % 8}:00-{10 + i % 8}:00" for i in range(n)
        )

    token = client.get(url).context["form"]["once"].value()
    data = {"candidates": lines(POLL_CANDIDATES_MAX + 1), "allow_closed_days": "on"}
    response = client.post(url, {**data, "once": token})
    assert response.status_code == 200
    assert (
        "候補日時は40件までにしてください（41件あります）。招待者はすべての候補日時に回答します。"
        in response.content.decode()
    )
    assert not PollCandidate.objects.exists()
    with translation.override("ja"), pytest.raises(ValidationError) as exc:
        starts = [timezone.now() + timedelta(days=2, hours=i) for i in range(41)]
        services.poll_open(
            actor=sysadmin,
            meeting=meeting,
            candidates=[(s, s + timedelta(hours=1)) for s in starts],
        )
    assert "候補日時は40件までにしてください（41件あります）。" in exc.value.messages[0]
    data["candidates"] = lines(POLL_CANDIDATES_MAX)
    assert client.post(url, {**data, "once": token}).status_code == 302
    assert PollCandidate.objects.count() == POLL_CANDIDATES_MAX


def test_a_meeting_takes_at_most_100_papers(sysadmin, dated_meeting):
    for _i in range(PAPERS_MAX):
        services.paper_add_generated(actor=sysadmin, meeting=dated_meeting, generator="attendance")
    with translation.override("ja"), pytest.raises(ValidationError) as exc:
        services.paper_add_generated(actor=sysadmin, meeting=dated_meeting, generator="attendance")
    assert exc.value.messages == ["1つの会議の資料は100件までです。"]
    assert dated_meeting.papers.count() == PAPERS_MAX


@pytest.mark.parametrize("name", ["ＤＸ推進チーム会議", "dx推進チーム会議", "DX推進 チーム会議"])
def test_a_series_name_that_differs_only_in_width_or_case_is_refused(sysadmin, client_as, name):
    services.series_create(actor=sysadmin, name="DX推進チーム会議", kind="team")
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:series_create")
    token = client.get(url).context["form"]["once"].value()
    response = client.post(url, {"name": name, "kind": "team", "once": token})
    assert response.status_code == 200
    assert (
        f"会議体「DX推進チーム会議」がすでにあります。「{name}」との違いは全角・半角、"
        "大文字・小文字、カタカナ・ひらがな、空白だけです。" in response.content.decode()
    )
    assert MeetingSeries.objects.filter(kind="team").count() == 1


def test_a_course_title_that_differs_only_in_width_is_refused(sysadmin, client_as):
    services.course_create(actor=sysadmin, title="DX基礎研修")
    client = client_as(Role.SECRETARIAT)
    url = reverse("meetings:course_create")
    token = client.get(url).context["form"]["once"].value()
    response = client.post(url, {"title": "ＤＸ基礎研修", "once": token})
    assert response.status_code == 200
    assert "研修コース「DX基礎研修」がすでにあります。「ＤＸ基礎研修」との違いは" in (
        response.content.decode()
    )
    assert Course.objects.count() == 1


def test_the_next_number_after_the_largest_is_refused_with_a_message(sysadmin, hq_series):
    services.meeting_create(actor=sysadmin, series=hq_series, number=32767)
    with translation.override("ja"), pytest.raises(ValidationError) as info:
        services.meeting_create(actor=sysadmin, series=hq_series)  # would be 32768
    assert "32,767" in info.value.message_dict["number"][0]
    assert "番号" in info.value.message_dict["number"][0]
    assert hq_series.meetings.count() == 1
    assert services.meeting_create(actor=sysadmin, series=hq_series, number=9).number == 9


def test_an_agenda_item_without_presenter_shows_its_time_without_a_separator(
    sysadmin, dated_meeting, client_as
):
    services.agenda_item_create(
        actor=sysadmin, meeting=dated_meeting, title="報告", duration_minutes=15
    )
    services.agenda_item_create(actor=sysadmin, meeting=dated_meeting, title="その他")
    url = reverse("meetings:detail", args=[dated_meeting.pk])
    page = client_as(Role.SECRETARIAT).get(url).content.decode()
    assert '<p class="help-text"> · ' not in page
    assert '<p class="help-text">15' in page
    assert '<p class="help-text"></p>' not in page
