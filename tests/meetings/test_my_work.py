"""Issue 9, item 16: what concerns a person on their home page and in "my work" - the date
polls they have to answer, the meetings they are invited to (a meeting whose date is still
being polled is upcoming too) and their action items by due date."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.mywork import work_for
from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services
from kyokan.apps.meetings.models import PollAnswer

TZ = timezone.get_fixed_timezone(9 * 60)


def _office_day(offset: int) -> date:
    day = timezone.localdate() + timedelta(days=offset)
    while not japanese_dates.is_business_day(day):
        day += timedelta(days=1)
    return day


def _slot(day: date, hour: int = 10):
    start = datetime.combine(day, time(hour), tzinfo=TZ)
    return start, start + timedelta(hours=1)


@pytest.fixture
def polled_for_the_mayor(sysadmin, hq_series, people):
    """The 6th meeting being polled; the mayor (本部長) is a required invitee."""
    meeting = services.meeting_create(actor=sysadmin, series=hq_series, number=6)
    services.invitations_add(
        actor=sysadmin, meeting=meeting, people=[people[Role.HQ_CHIEF]], required=True
    )
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[people[Role.HQ_MEMBER]])
    services.poll_open(
        actor=sysadmin,
        meeting=meeting,
        candidates=[_slot(_office_day(30)), _slot(_office_day(37))],
        deadline=_office_day(14),
    )
    return meeting


def _group(user, key):
    return next((g for g in work_for(user) if g["key"] == key), None)


def test_the_mayor_sees_the_poll_he_has_to_answer(polled_for_the_mayor, people):
    mayor = people[Role.HQ_CHIEF]
    group = _group(mayor, "meetings.polls")
    assert group is not None
    [item] = group["items"]
    assert item.url == reverse("meetings:poll_answer", args=[polled_for_the_mayor.pk])
    assert item.deadline == _office_day(14)
    # Answered: it no longer waits for him.
    poll = polled_for_the_mayor.poll
    services.poll_answer(
        invitation=polled_for_the_mayor.invitations.get(person=mayor),
        answers={c.pk: (PollAnswer.Choice.YES, "") for c in poll.candidates.all()},
    )
    assert _group(mayor, "meetings.polls") is None
    # Someone not invited has nothing to answer.
    assert _group(people[Role.STAFF], "meetings.polls") is None


def test_a_partly_answered_poll_still_waits(polled_for_the_mayor, people, sysadmin):
    member = people[Role.HQ_MEMBER]
    invitation = polled_for_the_mayor.invitations.get(person=member)
    first = polled_for_the_mayor.poll.candidates.order_by("starts_at").first()
    # Answers are saved for every candidate at once; a candidate added later is unanswered.
    services.poll_answer(
        invitation=invitation,
        answers={
            c.pk: (PollAnswer.Choice.NO, "") for c in polled_for_the_mayor.poll.candidates.all()
        },
    )
    assert _group(member, "meetings.polls") is None
    first.answers.filter(invitation=invitation).delete()
    assert _group(member, "meetings.polls") is not None


def test_a_meeting_being_polled_is_upcoming_for_its_invitees(
    client_as, polled_for_the_mayor, people
):
    """「招待されている開催予定の会議はありません」 was shown to an invitee of the 6th meeting."""
    client = client_as(Role.HQ_MEMBER)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("core:home")).content.decode()
    panel = body.split('aria-labelledby="panel-upcoming"')[1].split("</section>")[0]
    assert reverse("meetings:detail", args=[polled_for_the_mayor.pk]) in panel
    assert "Date being polled" in panel
    assert "not invited" not in panel
    group = _group(people[Role.HQ_MEMBER], "meetings.meetings")
    assert [i.url for i in group["items"]] == [
        reverse("meetings:detail", args=[polled_for_the_mayor.pk])
    ]


def test_meetings_ahead_in_date_order_and_past_ones_left_out(sysadmin, hq_series, people):
    member = people[Role.HQ_MEMBER]
    soon, later = _office_day(5), _office_day(40)
    dated = []
    for day in (later, soon):
        start, end = _slot(day)
        meeting = services.meeting_create(
            actor=sysadmin, series=hq_series, starts_at=start, ends_at=end, place="第1会議室"
        )
        services.invitations_add(actor=sysadmin, meeting=meeting, people=[member])
        dated.append(meeting)
    start = timezone.now() - timedelta(days=3)
    past = services.meeting_create(actor=sysadmin, series=hq_series, starts_at=start)
    services.invitations_add(actor=sysadmin, meeting=past, people=[member])
    with translation.override("ja"):
        items = _group(member, "meetings.meetings")["items"]
    assert [i.deadline for i in items] == [soon, later]
    assert "第1会議室" in items[0].detail and "10:00–11:00" in items[0].detail


def test_own_action_items_by_due_date(client_as, sysadmin, people, hq_series):
    start, _end = _slot(_office_day(1))
    meeting = services.meeting_create(actor=sysadmin, series=hq_series, starts_at=start)
    owner = people[Role.STAFF]
    due = [_office_day(60), _office_day(20)]
    for n, day in enumerate(due):
        services.action_item_create(
            actor=sysadmin, meeting=meeting, title=f"宿題{n}", owner=owner, due_date=day
        )
    done = services.action_item_create(
        actor=sysadmin, meeting=meeting, title="済み", owner=owner, due_date=_office_day(10)
    )
    services.action_item_complete(actor=sysadmin, action=done)
    items = _group(owner, "meetings.actions")["items"]
    assert [i.title for i in items] == ["宿題1", "宿題0"]
    assert [i.deadline for i in items] == sorted(due)
    page = client_as(Role.STAFF).get(reverse("core:my_work")).content.decode()
    assert "宿題1" in page and "済み" not in page
