"""Date poll and the city's calendar (issue 9, items 9 and 13): a candidate on a 閉庁日, a
weekend or a holiday is marked, ranked last and never the default date to fix; the poll
form warns before such a date is polled; candidates carry the 和暦 year when the poll spans
years; every time a person reads is Japan time, in 和暦."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from kyokan.apps.core import japanese_dates
from kyokan.apps.core import services as core_services
from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import selectors, services
from kyokan.apps.meetings.models import DatePoll, PollAnswer

TZ = timezone.get_fixed_timezone(9 * 60)


def _slot(day: date, hour: int = 10):
    start = datetime.combine(day, time(hour), tzinfo=TZ)
    return start, start + timedelta(hours=1, minutes=30)


def _office_day(day: date) -> date:
    while not japanese_dates.is_business_day(day):
        day += timedelta(days=1)
    return day


def _next_year() -> int:
    return timezone.localdate().year + 1


def test_a_closed_day_candidate_is_ranked_last_and_not_the_default(sysadmin, hq_series, city):
    """Before anyone answered, the earliest candidate used to win: here 1月2日 (年末年始)."""
    year = _next_year()
    closed = date(year, 1, 2)  # year-end closure (and maybe a weekend)
    open_days = [_office_day(date(year, 1, 6)), _office_day(date(year, 1, 13))]
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    services.poll_open(
        actor=sysadmin,
        meeting=meeting,
        candidates=[_slot(closed), *(_slot(d) for d in open_days)],
    )
    table = selectors.poll_table(meeting.poll, city)
    ranked_days = [timezone.localtime(r.candidate.starts_at).date() for r in table["ranked"]]
    assert ranked_days == [*open_days, closed]
    assert table["ranked"][-1].closed_reason
    assert table["best"].candidate.starts_at.date() == open_days[0]
    assert [r.candidate for r in table["closed_rows"]] == [table["ranked"][-1].candidate]


def test_a_closed_day_stays_last_even_with_better_answers(sysadmin, hq_series, people, city):
    year = _next_year()
    saturday = date(year, 6, 1)
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    weekday = _office_day(saturday + timedelta(days=2))
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[people[Role.HQ_MEMBER]])
    poll = services.poll_open(
        actor=sysadmin, meeting=meeting, candidates=[_slot(saturday), _slot(weekday)]
    )
    sat, wk = poll.candidates.order_by("starts_at")
    services.poll_answer(
        invitation=meeting.invitations.get(),
        answers={sat.pk: (PollAnswer.Choice.YES, ""), wk.pk: (PollAnswer.Choice.MAYBE, "")},
    )
    table = selectors.poll_table(meeting.poll, city)
    assert [r.candidate for r in table["ranked"]] == [wk, sat]
    assert table["ranked"][1].closed_reason == "土曜日"


def test_when_every_candidate_is_closed_none_is_preselected(client_as, sysadmin, hq_series, city):
    year = _next_year()
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    services.poll_open(
        actor=sysadmin,
        meeting=meeting,
        candidates=[_slot(date(year, 1, 2)), _slot(date(year, 1, 3))],
    )
    assert selectors.poll_table(meeting.poll, city)["best"] is None
    body = client_as(Role.SECRETARIAT).get(reverse("meetings:poll", args=[meeting.pk]))
    html = body.content.decode()
    assert 'name="candidate"' in html and " checked" not in html


def test_the_poll_page_marks_and_warns_about_closed_days(client_as, sysadmin, hq_series, city):
    year = _next_year()
    core_services.closed_day_create(
        actor=sysadmin, date=_office_day(date(year, 7, 1)), name="庁舎点検"
    )
    inspection = _office_day(date(year, 7, 1))
    other = _office_day(inspection + timedelta(days=1))
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    services.poll_open(
        actor=sysadmin, meeting=meeting, candidates=[_slot(inspection), _slot(other)]
    )
    client = client_as(Role.SECRETARIAT)
    with translation.override("ja"):
        html = client.get(reverse("meetings:poll", args=[meeting.pk])).content.decode()
    assert "poll-closed-warning" in html
    assert "庁舎点検" in html
    rows = selectors.poll_table(meeting.poll, city)
    best = rows["best"].candidate
    assert timezone.localtime(best.starts_at).date() == other
    assert f'value="{best.pk}" checked' in html


def test_the_poll_form_warns_before_polling_a_closed_day(client_as, hq_series, city):
    year = _next_year()
    meeting = services.meeting_create(actor=None, series=hq_series)
    client = client_as(Role.SECRETARIAT)
    client.cookies["django_language"] = "en"
    url = reverse("meetings:poll_create", args=[meeting.pk])
    office = _office_day(date(year, 1, 6))
    typed = f"{year}-01-02 10:00-11:30\n{office:%Y-%m-%d} 10:00-11:30"
    response = client.post(url, {"candidates": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The city office is closed on" in body and "年末年始" in body
    assert typed.split("\n")[0] in body  # what was typed is kept
    assert not DatePoll.objects.filter(meeting=meeting).exists()
    response = client.post(url, {"candidates": typed, "allow_closed_days": "on"})
    assert response.status_code == 302
    assert meeting.poll.candidates.count() == 2


def test_candidates_carry_the_year_when_the_poll_spans_years(sysadmin, hq_series, city):
    year = _next_year()
    december = _office_day(date(year, 12, 14))
    january = _office_day(date(year + 1, 1, 12))
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    services.poll_open(
        actor=sysadmin, meeting=meeting, candidates=[_slot(december), _slot(january)]
    )
    with translation.override("ja"):
        table = selectors.poll_table(meeting.poll, city)
    assert table["with_year"]
    era, n = japanese_dates.era_year(january)
    assert table["rows"][1].label.startswith(f"{japanese_dates.format_era_year(era, n)}1月")
    assert "10:00–11:30" in table["rows"][1].label


def test_candidates_of_this_year_are_written_without_the_year(sysadmin, hq_series, city):
    today = timezone.localdate()
    day = today + timedelta(days=3)
    if day.year != today.year:
        pytest.skip("no day of this year is left three days ahead")
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    services.poll_open(
        actor=sysadmin,
        meeting=meeting,
        candidates=[_slot(day)],
    )
    with translation.override("ja"):
        table = selectors.poll_table(meeting.poll, city)
    assert not table["with_year"]
    assert table["rows"][0].label.startswith(japanese_dates.format_date_with_weekday(day))


def test_a_candidate_reads_in_japan_time_not_utc(sysadmin, hq_series):
    """「(2026-12-01 08:23)」 beside 17:23: the candidate's name used to be written in UTC."""
    year = _next_year()
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    start = datetime(year, 12, 1, 17, 23, tzinfo=TZ)
    poll = services.poll_open(
        actor=sysadmin, meeting=meeting, candidates=[(start, start + timedelta(hours=1))]
    )
    with translation.override("ja"):
        text = str(poll.candidates.get())
    assert "17:23" in text and "08:23" not in text
    era, n = japanese_dates.era_year(start.date())
    assert text.startswith(f"{japanese_dates.format_era_year(era, n)}12月1日")


@pytest.mark.django_db(transaction=True)
def test_the_date_fixed_email_reads_in_wareki_not_iso(people, city):
    secretary = people[Role.SECRETARIAT]
    series = services.series_create(actor=secretary, name="本部会議", kind="hq")
    meeting = services.meeting_create(actor=secretary, series=series, place="第1会議室")
    chief = people[Role.HQ_CHIEF]
    chief.email, chief.language = "chief@example.jp", "ja"
    chief.save()
    services.invitations_add(actor=secretary, meeting=meeting, people=[chief])
    day = _office_day(date(_next_year(), 2, 4))
    start, end = _slot(day, 14)
    poll = services.poll_open(actor=secretary, meeting=meeting, candidates=[(start, end)])
    mail.outbox.clear()  # the poll's own invitation
    services.poll_fix(actor=secretary, meeting=meeting, candidate=poll.candidates.get())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert day.isoformat() not in message.subject + message.body
    assert japanese_dates.wareki_date(day) in message.body  # 令和N年（YYYY年）M月D日
    assert "14:00–15:30" in message.body
    assert message.attachments[0][0] == "meeting.ics"


@pytest.mark.django_db(transaction=True)
def test_opening_a_poll_asks_every_invitee_and_a_guest_gets_the_personal_link(people, city):
    secretary = people[Role.SECRETARIAT]
    series = services.series_create(actor=secretary, name="本部会議", kind="hq")
    meeting = services.meeting_create(actor=secretary, series=series)
    chief = people[Role.HQ_CHIEF]
    chief.email = "chief@example.jp"
    chief.save()
    services.invitations_add(actor=secretary, meeting=meeting, people=[chief], required=True)
    guest = services.invitation_add_guest(
        actor=secretary, meeting=meeting, name="山下 恵子", email="yamashita@example.jp"
    )
    day = _office_day(timezone.localdate() + timedelta(days=20))
    services.poll_open(
        actor=secretary, meeting=meeting, candidates=[_slot(day)], deadline=day - timedelta(7)
    )
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"chief@example.jp", "yamashita@example.jp"}
    assert reverse("meetings:poll_link", args=[guest.token]) in by_to["yamashita@example.jp"].body
    assert reverse("meetings:poll_answer", args=[meeting.pk]) in by_to["chief@example.jp"].body
