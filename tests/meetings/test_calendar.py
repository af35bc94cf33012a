"""Calendar: upcoming meetings, .ics files, and the dashboard panels about meetings."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services

CITY_STAFF = [
    Role.SECRETARIAT,
    Role.HQ_CHIEF,
    Role.HQ_DEPUTY,
    Role.HQ_MEMBER,
    Role.PROMOTER,
    Role.STAFF,
    Role.SYSADMIN,
]


def _meeting(actor, series, *, days: int, **fields):
    starts = timezone.now() + timedelta(days=days)
    return services.meeting_create(
        actor=actor, series=series, starts_at=starts, ends_at=starts + timedelta(hours=2), **fields
    )


@pytest.fixture
def hq_meeting(sysadmin, people):
    series = services.series_create(actor=sysadmin, name="DX推進本部会議", kind="hq")
    meeting = _meeting(sysadmin, series, days=10, title="戦略改定", place="本庁舎 大会議室")
    services.invitations_add(
        actor=sysadmin, meeting=meeting, people=[people[Role.STAFF], people[Role.EXPERT]]
    )
    return meeting


@pytest.fixture
def exchange(sysadmin):
    """An opinion exchange nobody from the fixtures is invited to."""
    series = services.series_create(actor=sysadmin, name="有識者意見交換会", kind="exchange")
    meeting = _meeting(sysadmin, series, days=20, theme="オープンデータ")
    services.invitation_add_guest(
        actor=sysadmin, meeting=meeting, name="外部 一郎", email="ichiro@example.jp"
    )
    return meeting


def _events(response) -> list:
    return [c for c in Calendar.from_ical(response.content).walk() if c.name == "VEVENT"]


# --- the calendar page --------------------------------------------------------------------


def test_staff_see_their_meetings_and_the_headquarters(client_as, hq_meeting, exchange):
    response = client_as(Role.STAFF).get(reverse("meetings:calendar"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="my-meetings"' in body
    assert 'id="hq-meetings"' in body
    assert str(hq_meeting) in body
    assert reverse("meetings:meeting_ics", args=[hq_meeting.pk]) in body
    assert reverse("meetings:calendar_ics_mine") in body
    assert reverse("meetings:calendar_ics_hq") in body
    assert str(exchange) not in body  # neither theirs nor a headquarters meeting


def test_dates_are_in_wareki_with_the_weekday_and_grouped_by_month(client_as, hq_meeting):
    body = client_as(Role.STAFF).get(reverse("meetings:calendar")).content.decode()
    local = timezone.localtime(hq_meeting.starts_at)
    weekday = "月火水木金土日"[local.weekday()]
    assert f"{local.month}月{local.day}日（{weekday}）" in body
    assert re.search(rf"<h3 [^>]*>令和\d+年（{local.year}年）{local.month}月</h3>", body)
    assert f"{local:%H:%M}–" in body


def test_an_expert_sees_only_their_own_meetings(client_as, hq_meeting, exchange):
    body = client_as(Role.EXPERT).get(reverse("meetings:calendar")).content.decode()
    assert str(hq_meeting) in body
    assert str(exchange) not in body
    assert 'id="hq-meetings"' not in body
    assert reverse("meetings:calendar_ics_hq") not in body


def test_someone_without_meetings_gets_an_empty_state(client_as, hq_meeting):
    body = client_as(Role.HQ_DEPUTY).get(reverse("meetings:calendar")).content.decode()
    mine = body.split('id="my-meetings"')[1].split('id="hq-meetings"')[0]
    assert "empty-state" in mine
    assert str(hq_meeting) in body  # in the headquarters' list


def test_citizens_and_anonymous_are_refused(client_as, hq_meeting):
    assert client_as(Role.CITIZEN).get(reverse("meetings:calendar")).status_code == 403
    response = client_as("anonymous").get(reverse("meetings:calendar"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- .ics files -------------------------------------------------------------------------------


def test_my_calendar_file(client_as, hq_meeting, exchange):
    response = client_as(Role.STAFF).get(reverse("meetings:calendar_ics_mine"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR")
    assert "DTSTART" in text
    events = _events(response)
    assert [str(e["SUMMARY"]) for e in events] == [str(hq_meeting)]
    assert events[0].decoded("DTSTART") == hq_meeting.starts_at.replace(microsecond=0)
    assert str(events[0]["LOCATION"]) == "本庁舎 大会議室"


def test_the_headquarters_calendar_file(client_as, hq_meeting, exchange):
    response = client_as(Role.HQ_CHIEF).get(reverse("meetings:calendar_ics_hq"))
    assert response.status_code == 200
    assert [str(e["SUMMARY"]) for e in _events(response)] == [str(hq_meeting)]


@pytest.mark.parametrize("role", [Role.EXPERT, Role.CITIZEN])
def test_the_headquarters_calendar_is_for_city_staff(role, client_as, hq_meeting):
    assert client_as(role).get(reverse("meetings:calendar_ics_hq")).status_code == 403


@pytest.mark.parametrize("role", [*CITY_STAFF, Role.EXPERT])
def test_one_meeting_as_a_calendar_file(role, client_as, hq_meeting):
    response = client_as(role).get(reverse("meetings:meeting_ics", args=[hq_meeting.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "BEGIN:VCALENDAR" in text
    assert "DTSTART" in text
    assert [str(e["SUMMARY"]) for e in _events(response)] == [str(hq_meeting)]
    assert f"meeting-{hq_meeting.pk}.ics" in response["Content-Disposition"]


def test_an_expert_cannot_fetch_a_meeting_they_are_not_invited_to(client_as, exchange):
    response = client_as(Role.EXPERT).get(reverse("meetings:meeting_ics", args=[exchange.pk]))
    assert response.status_code == 403
    response = client_as(Role.CITIZEN).get(reverse("meetings:meeting_ics", args=[exchange.pk]))
    assert response.status_code == 403


def test_a_missing_meeting_is_not_found(client_as):
    assert client_as(Role.STAFF).get(reverse("meetings:meeting_ics", args=[999])).status_code == 404


# --- dashboard panels -------------------------------------------------------------------------


def test_upcoming_panel(client_as, hq_meeting):
    body = client_as(Role.STAFF).get(reverse("core:home")).content.decode()
    panel = body.split('aria-labelledby="panel-upcoming"')[1].split("</section>")[0]
    assert str(hq_meeting) in panel
    assert reverse("meetings:calendar") in panel


@pytest.fixture
def overdue(sysadmin, people):
    """An action item three days past its due date, owned by the staff member."""
    series = services.series_create(actor=sysadmin, name="推進チーム会議", kind="team")
    held = services.meeting_create(
        actor=sysadmin, series=series, starts_at=timezone.now() - timedelta(days=10)
    )
    return services.action_item_create(
        actor=sysadmin,
        meeting=held,
        title="庁内アンケートの集計",
        owner=people[Role.STAFF],
        due_date=timezone.localdate() - timedelta(days=3),
    )


def test_overdue_panel_lists_the_late_action_items(client_as, overdue):
    body = client_as(Role.SECRETARIAT).get(reverse("core:home")).content.decode()
    panel = body.split('aria-labelledby="panel-overdue"')[1].split("</section>")[0]
    assert "庁内アンケートの集計" in panel
    assert overdue.owner.full_name in panel
    assert "令和" in panel
    assert str(overdue.meeting) in panel
    assert reverse("meetings:actions") in panel
    badge = re.search(r'class="badge badge--warning">(.*?)</span>', panel, re.S).group(1)
    assert "3" in badge


def test_overdue_panel_is_omitted_when_nothing_of_ones_own_is_late(client_as, overdue):
    body = client_as(Role.EXPERT).get(reverse("core:home")).content.decode()
    assert "panel-overdue" not in body


def test_overdue_panel_shows_an_empty_state_to_those_who_see_everything(client_as, sysadmin):
    body = client_as(Role.HQ_CHIEF).get(reverse("core:home")).content.decode()
    panel = body.split('aria-labelledby="panel-overdue"')[1].split("</section>")[0]
    assert "empty-state" in panel


# --- query count ------------------------------------------------------------------------------


def _grow(actor, person, n: int, offset: int) -> None:
    hq = services.series_create(actor=actor, name=f"本部会議{offset}", kind="hq")
    study = services.series_create(actor=actor, name=f"検討部会{offset}", kind="study")
    for i in range(n):
        for series in (hq, study):
            meeting = _meeting(actor, series, days=offset + i + 1, place="会議室")
            services.invitations_add(actor=actor, meeting=meeting, people=[person])


@pytest.mark.parametrize("name", ["meetings:calendar", "meetings:calendar_ics_mine"])
def test_query_count_does_not_grow(name, client_as, sysadmin, people):
    client = client_as(Role.STAFF)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(name))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _grow(sysadmin, people[Role.STAFF], 3, 0)
    small = count()
    _grow(sysadmin, people[Role.STAFF], 30, 100)
    assert count() == small
