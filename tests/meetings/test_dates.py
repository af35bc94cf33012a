"""Dates in a sane range: a meeting, a poll and an action item at the extreme valid dates
(1900-01-01, 2100-12-31) render on every page, and every date field of meetings refuses
0001-01-01 and 9999-12-31 with a message (a meeting at 0001-01-01 made its creation 500)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import ics, packet, services
from kyokan.apps.meetings.forms import parse_slots
from kyokan.apps.meetings.models import ActionItem, DatePoll, Meeting, PollCandidate


@pytest.fixture
def client_as(client_as):
    """The pages in English: these tests read the English messages (the Japanese ones are
    checked complete by tests/core/test_translations.py)."""

    def make(who):
        client = client_as(who)
        client.cookies["django_language"] = "en"
        return client

    return make


RANGE_MESSAGE = "Enter a date between 1900-01-01 and 2100-12-31."
EXTREMES = [
    datetime.combine(date(1900, 1, 1), time(9, 0)),
    datetime.combine(date(2100, 12, 31), time(22, 0)),
]
OUT_OF_RANGE = ["0001-01-01", "9999-12-31"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("moment", EXTREMES, ids=["1900-01-01", "2100-12-31"])
def test_pages_render_with_extreme_dates(moment, client_as, sysadmin, people, hq_series):
    start = timezone.make_aware(moment)
    meeting = services.meeting_create(
        actor=sysadmin, series=hq_series, title="極端", starts_at=start,
        ends_at=start + timedelta(hours=1),
    )  # fmt: skip
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[people[Role.STAFF]])
    services.action_item_create(
        actor=sysadmin, meeting=meeting, title="宿題", owner=people[Role.STAFF],
        due_date=moment.date(),
    )  # fmt: skip
    polled = services.meeting_create(actor=sysadmin, series=hq_series, title="日程調整")
    services.invitations_add(actor=sysadmin, meeting=polled, people=[people[Role.STAFF]])
    poll = DatePoll.objects.create(meeting=polled, deadline=moment.date())
    PollCandidate.objects.create(poll=poll, starts_at=start, ends_at=start + timedelta(hours=1))
    client = client_as(Role.STAFF)
    for url in (
        reverse("meetings:list"),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:poll", args=[polled.pk]),
        reverse("meetings:poll_answer", args=[polled.pk]),
        reverse("meetings:actions") + "?status=all",
        reverse("meetings:calendar"),
        reverse("meetings:meeting_ics", args=[meeting.pk]),
        reverse("meetings:calendar_ics_mine"),
        reverse("core:home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert ics.meetings_calendar([meeting]).startswith(b"BEGIN:VCALENDAR")
    assert packet.build_packet_docx(meeting).startswith(b"PK")


def _meeting_form(series, starts: str, ends: str = "") -> dict:
    return {"series": series.pk, "title": "範囲外", "starts_at": starts, "ends_at": ends}


@pytest.mark.parametrize("typed", OUT_OF_RANGE)
def test_creating_a_meeting_far_out_of_range_is_a_form_error(typed, client_as, hq_series):
    client = client_as(Role.SECRETARIAT)
    for data in (
        _meeting_form(hq_series, f"{typed}T10:00"),
        _meeting_form(hq_series, f"{typed} 10:00"),
        _meeting_form(hq_series, "2030-04-01T10:00", f"{typed}T11:00"),
    ):
        response = client.post(reverse("meetings:create"), data)
        assert response.status_code == 200
        assert RANGE_MESSAGE in response.content.decode()
    assert not Meeting.objects.filter(title="範囲外").exists()


def test_the_meeting_form_takes_the_browser_value_and_japanese_dates(client_as, hq_series):
    client = client_as(Role.SECRETARIAT)
    page = client.get(reverse("meetings:create")).content.decode()
    assert 'min="1900-01-01T00:00"' in page and 'max="2100-12-31T23:59"' in page
    for typed in ("2030-04-01T10:00", "令和12年4月2日 10:00"):
        response = client.post(reverse("meetings:create"), _meeting_form(hq_series, typed))
        assert response.status_code == 302, typed
    starts = sorted(timezone.localtime(m.starts_at) for m in Meeting.objects.all())
    assert [(s.date(), s.hour) for s in starts] == [(date(2030, 4, 1), 10), (date(2030, 4, 2), 10)]


@pytest.mark.parametrize("typed", OUT_OF_RANGE)
def test_editing_a_meeting_refuses_out_of_range(typed, client_as, dated_meeting):
    response = client_as(Role.SECRETARIAT).post(
        reverse("meetings:edit", args=[dated_meeting.pk]),
        {"title": "", "starts_at": f"{typed}T10:00", "ends_at": ""},
    )
    assert response.status_code == 200 and RANGE_MESSAGE in response.content.decode()


@pytest.mark.parametrize("typed", OUT_OF_RANGE)
def test_poll_and_action_forms_refuse_out_of_range(typed, client_as, sysadmin, people, hq_series,
                                                    dated_meeting):  # fmt: skip
    client = client_as(Role.SECRETARIAT)
    planning = services.meeting_create(actor=sysadmin, series=hq_series)
    response = client.post(
        reverse("meetings:poll_create", args=[planning.pk]),
        {"candidates": f"{typed} 14:00-15:00", "deadline": ""},
    )
    assert response.status_code == 200
    assert (
        "Line 1: the date must be between 1900-01-01 and 2100-12-31." in response.content.decode()
    )
    response = client.post(
        reverse("meetings:poll_create", args=[planning.pk]),
        {"candidates": "2030-04-01 14:00-15:00", "deadline": typed},
    )
    assert response.status_code == 200 and RANGE_MESSAGE in response.content.decode()
    assert not DatePoll.objects.filter(meeting=planning).exists()
    response = client.post(
        reverse("meetings:action_create", args=[dated_meeting.pk]),
        {"title": "宿題", "owner": people[Role.STAFF].username, "due_date": typed},
    )
    assert response.status_code == 200 and RANGE_MESSAGE in response.content.decode()
    assert not ActionItem.objects.exists()


def test_the_candidate_parser_refuses_years_outside_1900_to_2100():
    for line in ("1899-12-31 10:00-11:00", "2101-01-01 10:00-11:00", "明治32年1月1日 10:00-11:00"):
        with pytest.raises(ValidationError, match="between 1900-01-01 and 2100-12-31"):
            parse_slots(line)
    assert len(parse_slots("1900-01-01 10:00-11:00\n2100-12-31 10:00-11:00")) == 2


def test_the_services_refuse_out_of_range_dates(sysadmin, people, hq_series, dated_meeting):
    far = timezone.make_aware(datetime(9999, 12, 30, 10, 0))
    with pytest.raises(ValidationError, match="between 1900-01-01 and 2100-12-31"):
        services.meeting_create(actor=sysadmin, series=hq_series, starts_at=far)
    with pytest.raises(ValidationError, match="between 1900-01-01 and 2100-12-31"):
        services.action_item_create(
            actor=sysadmin, meeting=dated_meeting, title="宿題", owner=people[Role.STAFF],
            due_date=date(9999, 12, 31),
        )  # fmt: skip
