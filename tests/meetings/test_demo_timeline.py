"""Issue 9, item 17: the demo's meetings tell one story on the calendar of the day the demo
is loaded - the 5th headquarters meeting held about three weeks ago, the 6th being polled
for about two months ahead, the 7th planned about three months ahead, the 1st-4th in the
earlier fiscal years; no held meeting in the future, no planned one in the past, none on a
day the city office is closed, no action item overdue by more than a few months, every date
within the demo's fiscal years.

The demo is loaded as if on several days (the clock is set to that day), including the first
days of a fiscal year, the year-end and the end of a fiscal year."""

from datetime import date

import pytest
from django.utils import timezone

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.demo import demo_load
from kyokan.apps.core.models import ClosedDay, FiscalYear
from kyokan.apps.meetings.models import ActionItem, DatePoll, Meeting, PollCandidate

DAYS = [date(2026, 12, 1), date(2027, 3, 25), date(2026, 4, 2), date(2027, 1, 4)]


def _local_day(moment) -> date:
    return timezone.localtime(moment).date()


@pytest.mark.django_db
@pytest.mark.parametrize("today", DAYS, ids=[d.isoformat() for d in DAYS])
def test_the_demo_meetings_agree_with_the_calendar(clock, today):
    clock(today)
    ctx = demo_load(today=today, only={"core", "documents", "meetings"})
    now = timezone.now()
    fy = japanese_dates.fiscal_year_of(today)
    years = set(FiscalYear.objects.values_list("year", flat=True))
    assert fy in years
    first_day = japanese_dates.fiscal_year_range(min(years))[0]
    last_day = japanese_dates.fiscal_year_range(max(years))[1]
    closed = dict(ClosedDay.objects.values_list("date", "name"))
    meetings = list(Meeting.objects.select_related("series"))
    assert meetings

    problems = []
    for m in meetings:
        if m.status == Meeting.Status.HELD and not (m.starts_at and m.starts_at < now):
            problems.append(f"{m}: held, but on {m.starts_at}")
        if m.status == Meeting.Status.SCHEDULED and m.starts_at <= now:
            problems.append(f"{m}: still planned, but on {m.starts_at}")
        if m.starts_at:
            day = _local_day(m.starts_at)
            reason = japanese_dates.closure_reason(day, extra_closed=closed)
            if reason:
                problems.append(f"{m}: on {day} ({reason})")
            if not first_day <= day <= last_day:
                problems.append(f"{m}: on {day}, outside the demo's fiscal years")
    for c in PollCandidate.objects.select_related("poll__meeting"):
        day = _local_day(c.starts_at)
        if c.poll.is_open and c.starts_at <= now:
            problems.append(f"open poll candidate in the past: {c}")
        if japanese_dates.closure_reason(day, extra_closed=closed):
            problems.append(f"poll candidate on a closed day: {c}")
    for a in ActionItem.objects.select_related("meeting"):
        if a.status == ActionItem.Status.OPEN and (today - a.due_date).days > 90:
            problems.append(f"{a}: overdue by {(today - a.due_date).days} days")
        if a.due_date < _local_day(a.meeting.starts_at):
            problems.append(f"{a}: due before its meeting")
        if not first_day <= a.due_date <= last_day:
            problems.append(f"{a}: due outside the demo's fiscal years")
    for poll in DatePoll.objects.all():
        if poll.deadline and not first_day <= poll.deadline <= last_day:
            problems.append(f"poll deadline {poll.deadline} outside the fiscal years")
    assert problems == []

    hq = {m.number: m for m in meetings if m.series.kind == "hq"}
    assert sorted(hq) == [1, 2, 3, 4, 5, 6, 7]
    for n in (1, 2, 3, 4):
        assert hq[n].status == Meeting.Status.HELD
        assert japanese_dates.fiscal_year_of(_local_day(hq[n].starts_at)) < fy
    starts = [hq[n].starts_at for n in (1, 2, 3, 4, 5)]
    assert starts == sorted(starts)
    # The 5th: held about three weeks ago, with minutes, decisions and action items.
    fifth = hq[5]
    assert fifth.status == Meeting.Status.HELD
    assert 14 <= (today - _local_day(fifth.starts_at)).days <= 35
    assert fifth.decisions.count() >= 2 and fifth.action_items.exists()
    assert fifth.agenda_items.exclude(minutes_text="").exists()
    # The 6th: being polled, its candidates about two months ahead on office days.
    sixth = hq[6]
    assert sixth.status == Meeting.Status.PLANNING and sixth.poll.is_open
    for c in sixth.poll.candidates.all():
        assert 40 <= (_local_day(c.starts_at) - today).days <= 80
    assert sixth.poll.deadline > today
    # The mayor, a required invitee, has not answered: the poll waits for him.
    mayor = sixth.invitations.get(person=ctx.people["honbucho"])
    assert mayor.required and not mayor.poll_answers.exists()
    # The 7th: planned about three months ahead.
    seventh = hq[7]
    assert seventh.status == Meeting.Status.SCHEDULED
    assert 70 <= (_local_day(seventh.starts_at) - today).days <= 110
    # Expert exchanges, the study group and training: held ones in the past, one ahead.
    for kind in ("exchange", "study", "training"):
        of_kind = [m for m in meetings if m.series.kind == kind]
        assert any(m.status == Meeting.Status.HELD for m in of_kind), kind
    assert any(
        m.series.kind == "exchange" and m.status == Meeting.Status.SCHEDULED for m in meetings
    )
