"""The demo's ideas on the demo's timeline (issue 13): loaded on several days (the clock set
to that day), each idea of the study group was proposed, commented on, supported and put on
the agenda (検討中) before the session that discussed it; the decision (採用 / 不採用) came
after that session and 事業化 after the decision; the ideas still 提案 were proposed before
the session that will discuss them; nothing is dated after now, none all on the load day,
staff wrote on days the city office is open, every date within the demo's fiscal years."""

from datetime import date

import pytest
from django.utils import timezone

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.demo import demo_load
from kyokan.apps.core.models import ClosedDay, FiscalYear
from kyokan.apps.deliberation import selectors
from kyokan.apps.deliberation.models import Comment, Follow, Idea, StatusChange, Support

# an ordinary day, the first days of a fiscal year, just after the new-year closure
DAYS = [date(2026, 12, 1), date(2026, 4, 2), date(2027, 1, 4)]
ORDER = ["proposed", "reviewing", "adopted", "launched"]


def _day(moment) -> date:
    return timezone.localtime(moment).date()


@pytest.mark.django_db
@pytest.mark.parametrize("today", DAYS, ids=[d.isoformat() for d in DAYS])
def test_the_demo_ideas_follow_the_demo_calendar(clock, today):
    clock(today)
    demo_load(today=today, only={"core", "documents", "meetings", "portfolio", "deliberation"})
    now = timezone.now()
    years = sorted(FiscalYear.objects.values_list("year", flat=True))
    first_day = japanese_dates.fiscal_year_range(years[0])[0]
    closed = dict(ClosedDay.objects.values_list("date", "name"))
    ideas = list(Idea.objects.prefetch_related("sessions__meeting"))
    assert len(ideas) == 8
    problems = []

    def check(cond: bool, what: str) -> None:
        if not cond:
            problems.append(what)

    for idea in ideas:
        name = idea.title
        comments = list(Comment.objects.filter(idea=idea).order_by("created_at"))
        supports = list(Support.objects.filter(idea=idea))
        follows = list(Follow.objects.filter(idea=idea))
        changes = list(StatusChange.objects.filter(idea=idea).order_by("at", "id"))
        before_decision = [c for c in comments if not c.is_answer]
        moments = [c.created_at for c in comments] + [s.created_at for s in supports]
        moments += [f.created_at for f in follows] + [c.at for c in changes]
        check(_day(idea.created_at) != today, f"{name}: proposed on the load day")
        check(first_day <= _day(idea.created_at), f"{name}: before the demo's fiscal years")
        for moment in [idea.created_at, idea.updated_at, *moments]:
            check(moment < now, f"{name}: dated {moment}, after now")
        for moment in moments:  # the author follows from the moment of proposing
            check(moment >= idea.created_at, f"{name}: {moment} before it was proposed")
        later = [c.created_at for c in comments] + [s.created_at for s in supports]
        for moment in later + [c.at for c in changes]:
            check(moment > idea.created_at, f"{name}: {moment} not after it was proposed")
        # the path in its order: 提案 < 検討中 < 採用 / 不採用 < 事業化
        steps = [idea.created_at] + [c.at for c in changes]
        check(steps == sorted(steps) and len(set(steps)) == len(steps), f"{name}: steps {steps}")
        walked = ["proposed"] + [c.new for c in changes]
        ranks = [ORDER.index("adopted" if s == "rejected" else s) for s in walked]
        check(ranks == sorted(ranks), f"{name}: path {walked}")
        check(idea.updated_at == steps[-1], f"{name}: updated {idea.updated_at}, not {steps[-1]}")
        if idea.origin == "staff":
            for moment in [idea.created_at, *moments]:
                day = _day(moment)
                reason = japanese_dates.closure_reason(day, extra_closed=closed)
                check(not reason, f"{name}: staff wrote on {day} ({reason})")
        for session in idea.sessions.all():
            meeting = session.meeting
            assert meeting.starts_at is not None
            meeting_start, meeting_end = meeting.starts_at, meeting.ends_at or meeting.starts_at
            for moment in [idea.created_at, *[c.created_at for c in before_decision]]:
                check(moment < meeting_start, f"{name}: {moment} not before {meeting}")
            for s in supports:
                check(s.created_at < meeting_start, f"{name}: supported after {meeting}")
            for c in changes:
                if c.new == "reviewing":
                    check(c.at < meeting_start, f"{name}: 検討中 only after {meeting}")
                if c.new in ("adopted", "rejected", "launched"):
                    check(c.at > meeting_end, f"{name}: {c.new} before the session ended")
            for c in comments:
                if c.is_answer and idea.origin == "staff":
                    check(c.created_at > meeting_end, f"{name}: answered before the session")
    assert problems == [], "\n".join(problems)

    # every status of the path is there, one idea became an initiative
    statuses = {i.status for i in ideas}
    assert {"proposed", "reviewing", "adopted", "rejected", "launched"} <= statuses
    launched = [i for i in ideas if i.status == "launched"]
    assert len(launched) == 1 and launched[0].initiative_id
    assert list(selectors.launched_ideas()) == launched
    # the discussed ideas are linked to a held session, the others to one ahead
    for idea in ideas:
        for session in idea.sessions.all():
            held = session.meeting.starts_at < now
            assert held == (idea.status != "proposed"), (idea.title, session.meeting)
    # proposed over some weeks, not all on one day
    days = sorted({_day(i.created_at) for i in ideas})
    assert len({i.created_at for i in ideas}) == len(ideas) and len(days) >= 6
    assert (days[-1] - days[0]).days >= 42
