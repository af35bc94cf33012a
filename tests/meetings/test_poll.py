"""The date poll: opening it, answering (signed in and by personal link), ranking, holiday
marking, fixing the date, and every bad input."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core import japanese_dates
from kyokan.apps.core import services as core_services
from kyokan.apps.core.models import AuditEvent, Notification
from kyokan.apps.core.roles import Role
from kyokan.apps.core.selectors import municipality_get
from kyokan.apps.meetings import selectors, services
from kyokan.apps.meetings.models import DatePoll, Meeting, PollAnswer

YES, MAYBE, NO = PollAnswer.Choice.YES, PollAnswer.Choice.MAYBE, PollAnswer.Choice.NO


def _slot(day: date, hour: int):
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time(hour), tzinfo=tz)
    return start, start + timedelta(hours=1, minutes=30)


def _future_weekday(offset: int) -> date:
    """An office day (no weekend, holiday or year-end closure) ``offset`` days ahead or
    just after."""
    day = timezone.localdate() + timedelta(days=offset)
    while not japanese_dates.is_business_day(day):
        day += timedelta(days=1)
    return day


@pytest.fixture
def polled(sysadmin, hq_series, people):
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    services.invitations_add(
        actor=sysadmin, meeting=meeting, people=[people[Role.HQ_CHIEF]], required=True
    )
    services.invitations_add(
        actor=sysadmin,
        meeting=meeting,
        people=[people[Role.HQ_DEPUTY], people[Role.HQ_MEMBER], people[Role.STAFF]],
    )
    guest = services.invitation_add_guest(
        actor=sysadmin, meeting=meeting, name="山下 恵子", email="yamashita@example.jp"
    )
    d1, d2, d3 = _future_weekday(20), _future_weekday(24), _future_weekday(28)
    services.poll_open(
        actor=sysadmin, meeting=meeting, candidates=[_slot(d1, 14), _slot(d2, 10), _slot(d3, 10)]
    )
    return meeting, guest


def _answer(meeting, person_or_invitation, choices):
    invitation = (
        person_or_invitation
        if hasattr(person_or_invitation, "token")
        else meeting.invitations.get(person=person_or_invitation)
    )
    candidates = list(meeting.poll.candidates.order_by("starts_at"))
    services.poll_answer(
        invitation=invitation,
        answers={c.pk: (choice, "") for c, choice in zip(candidates, choices, strict=True)},
    )


def test_ranking_puts_dates_a_required_member_cannot_attend_last(polled, people):
    meeting, guest = polled
    # The first date suits everyone but the 本部長 (required); the third suits the 本部長.
    _answer(meeting, people[Role.HQ_CHIEF], [NO, MAYBE, YES])
    _answer(meeting, people[Role.HQ_DEPUTY], [YES, YES, NO])
    _answer(meeting, people[Role.HQ_MEMBER], [YES, YES, NO])
    _answer(meeting, people[Role.STAFF], [YES, NO, NO])
    _answer(meeting, guest, [YES, YES, MAYBE])
    table = selectors.poll_table(meeting.poll, municipality_get())
    first, second, third = table["rows"]
    # Scores: required answers count 3×; ○ 1, △ 0.5, × 0.
    assert first.score == 0 + 1 + 1 + 1 + 1
    assert second.score == 1.5 + 1 + 1 + 0 + 1
    assert third.score == 3 + 0 + 0 + 0 + 0.5
    assert first.required_missing == [str(people[Role.HQ_CHIEF].full_name)]
    assert [r.candidate for r in table["ranked"]] == [
        second.candidate,  # required member can come (△), best score
        third.candidate,  # required member can come, lower score
        first.candidate,  # highest raw count of ○, but the 本部長 cannot attend
    ]
    assert table["best"].candidate == second.candidate
    assert table["not_answered"] == []


def test_ties_break_on_yes_count_then_the_earlier_date(polled, people):
    meeting, guest = polled
    _answer(meeting, people[Role.HQ_CHIEF], [YES, YES, YES])
    _answer(meeting, people[Role.STAFF], [MAYBE, MAYBE, YES])
    _answer(meeting, people[Role.HQ_MEMBER], [MAYBE, MAYBE, NO])
    table = selectors.poll_table(meeting.poll, None)
    ranked = [r.candidate.pk for r in table["ranked"]]
    rows = table["rows"]
    # All three score 4.0; the third has two ○ and comes first, then the earlier of 1 and 2.
    assert {r.score for r in rows} == {4.0}
    assert ranked == [rows[2].candidate.pk, rows[0].candidate.pk, rows[1].candidate.pk]
    assert {i.display_name for i in table["not_answered"]} == {
        people[Role.HQ_DEPUTY].full_name,
        guest.name,
    }


def test_holidays_and_closed_days_are_marked(sysadmin, hq_series, city):
    year = timezone.localdate().year + 1
    core_services.closed_day_create(actor=sysadmin, date=date(year, 6, 3), name="庁舎点検")
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    services.poll_open(
        actor=sysadmin,
        meeting=meeting,
        candidates=[
            _slot(date(year, 2, 11), 10),  # 建国記念の日
            _slot(date(year, 6, 3), 10),  # the city's own closed day
            _slot(date(year, 12, 29), 10),  # year-end closure
            _slot(date(year, 6, 4), 10),  # an ordinary day (or a weekend)
        ],
    )
    rows = selectors.poll_table(meeting.poll, city)["rows"]
    reasons = {timezone.localtime(r.candidate.starts_at).date(): r.closed_reason for r in rows}
    assert reasons[date(year, 2, 11)] == "建国記念の日"
    assert reasons[date(year, 6, 3)] == "庁舎点検"
    assert reasons[date(year, 12, 29)] in ("年末年始（閉庁日）", "土曜日", "日曜日")
    assert reasons[date(year, 6, 4)] in (None, "土曜日", "日曜日")


@pytest.mark.parametrize(
    ("candidates", "message"),
    [
        ([], "at least one candidate"),
        ([_slot(date(2022, 2, 4), 14)], "must be in the future"),
    ],
)
def test_a_poll_needs_future_candidates(sysadmin, hq_series, candidates, message):
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    with pytest.raises(ValidationError, match=message):
        services.poll_open(actor=sysadmin, meeting=meeting, candidates=candidates)
    assert not DatePoll.objects.filter(meeting=meeting).exists()


def test_poll_form_refuses_bad_lines_and_past_dates_keeping_the_text(client_as, hq_series):
    client = client_as(Role.SECRETARIAT)
    client.cookies["django_language"] = "en"
    meeting = services.meeting_create(actor=None, series=hq_series)
    url = reverse("meetings:poll_create", args=[meeting.pk])
    typed = "2022-02-04 14:00-15:30\n令和4年2月8日 10:00〜11:30"
    body = client.post(url, {"candidates": typed}).content.decode()
    assert "must be in the future" in body
    assert "令和4年2月8日 10:00〜11:30" in body
    body = client.post(url, {"candidates": "来週のどこか"}).content.decode()
    assert "Line 1" in body
    assert not DatePoll.objects.filter(meeting=meeting).exists()
    future = _future_weekday(15)
    response = client.post(url, {"candidates": f"{future:%Y-%m-%d} 14:00-15:30"})
    assert response.status_code == 302
    assert meeting.poll.candidates.count() == 1


def test_answer_by_personal_link_without_an_account(client, polled):
    meeting, guest = polled
    url = reverse("meetings:poll_link", args=[guest.token])
    page = client.get(url)
    assert page.status_code == 200 and "山下 恵子" in page.content.decode()
    candidates = list(meeting.poll.candidates.all())
    data = {f"c{c.pk}": "yes" for c in candidates} | {f"c{candidates[0].pk}_comment": "午後可"}
    assert client.post(url, data).status_code == 302
    assert PollAnswer.objects.filter(invitation=guest).count() == 3
    event = AuditEvent.objects.filter(target_type="meetings.invitation").order_by("id").last()
    assert event.actor is None and event.actor_name == "山下 恵子"
    assert client.get(reverse("meetings:poll_link", args=["not-a-token"])).status_code == 404


def test_an_answer_after_the_poll_closed_is_refused(client, polled, sysadmin):
    meeting, guest = polled
    candidate = meeting.poll.candidates.first()
    services.poll_fix(actor=sysadmin, meeting=meeting, candidate=candidate)
    with pytest.raises(ValidationError, match="closed"):
        _answer(meeting, guest, [YES, YES, YES])
    url = reverse("meetings:poll_link", args=[guest.token])
    data = {f"c{c.pk}": "yes" for c in meeting.poll.candidates.all()}
    response = client.post(url, data, HTTP_COOKIE="django_language=en")
    assert response.status_code == 409
    assert PollAnswer.objects.filter(invitation=guest).count() == 0


def test_fixing_the_date_schedules_closes_and_mails_an_ics(
    client_as, polled, people, django_capture_on_commit_callbacks
):
    meeting, guest = polled
    people[Role.STAFF].email = ""
    people[Role.STAFF].save()
    candidate = meeting.poll.candidates.order_by("starts_at").last()
    client = client_as(Role.SECRETARIAT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:poll_fix", args=[meeting.pk]),
            {"candidate": candidate.pk, "place": "第1会議室"},
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.starts_at == candidate.starts_at and meeting.place == "第1会議室"
    assert not meeting.poll.is_open
    # One e-mail per invitee with an address (sent by the worker through core's
    # notifications), each with the calendar file; the guest's carries their personal link.
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {
        "yamashita@example.jp",
        *(people[r].email for r in (Role.HQ_CHIEF, Role.HQ_DEPUTY, Role.HQ_MEMBER)),
    }
    for message in mail.outbox:
        name, content, mimetype = message.attachments[0]
        assert name == "meeting.ics" and mimetype == "text/calendar"
        assert "BEGIN:VEVENT" in (content if isinstance(content, str) else content.decode())
    guest_mail = by_to["yamashita@example.jp"].body
    assert reverse("meetings:poll_link", args=[guest.token]) in guest_mail
    warnings = [str(m) for m in response.wsgi_request._messages]
    assert any(people[Role.STAFF].full_name in w for w in warnings)
    # The staff member without an address is told in Kyokan.
    assert Notification.objects.filter(
        recipient=people[Role.STAFF], kind="meetings.date_fixed"
    ).exists()
    again = client.post(
        reverse("meetings:poll_fix", args=[meeting.pk]), {"candidate": candidate.pk}
    )
    assert again.status_code == 302  # refused with a message; nothing changes
    assert len(mail.outbox) == 4


def test_signed_in_invitee_answers_and_can_change_until_closed(client_as, polled, people):
    meeting, _guest = polled
    client = client_as(Role.HQ_MEMBER)
    url = reverse("meetings:poll_answer", args=[meeting.pk])
    candidates = list(meeting.poll.candidates.all())
    client.post(url, {f"c{c.pk}": "no" for c in candidates})
    client.post(url, {f"c{c.pk}": "maybe" for c in candidates})
    answers = PollAnswer.objects.filter(invitation__person=people[Role.HQ_MEMBER])
    assert {a.choice for a in answers} == {"maybe"} and answers.count() == 3
    partial = client.post(url, {f"c{candidates[0].pk}": "yes"})
    assert partial.status_code == 200  # every date must be answered; nothing changed
    assert {a.choice for a in answers.all()} == {"maybe"}


def test_an_uninvited_person_cannot_answer(client_as, polled):
    meeting, _guest = polled
    response = client_as(Role.PROMOTER).get(reverse("meetings:poll_answer", args=[meeting.pk]))
    assert response.status_code == 403


def test_a_guest_needs_an_email(client_as, hq_series):
    meeting = services.meeting_create(actor=None, series=hq_series)
    client = client_as(Role.SECRETARIAT)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("meetings:guest_add", args=[meeting.pk]), {"name": "外部 太郎", "email": ""}
    )
    assert response.status_code == 200
    assert "required" in response.content.decode()
    assert not meeting.invitations.exists()
    with pytest.raises(ValidationError, match="e-mail"):
        services.invitation_add_guest(actor=None, meeting=meeting, name="外部 太郎", email="")


def test_the_place_given_when_fixing_the_date_has_no_control_characters(client_as, polled):
    """The place typed beside 「日程を確定」 went to the meeting as sent: a NUL (which
    PostgreSQL cannot store) or a line break in a one-line field."""
    meeting, _guest = polled
    candidate = meeting.poll.candidates.order_by("starts_at").last()
    response = client_as(Role.SECRETARIAT).post(
        reverse("meetings:poll_fix", args=[meeting.pk]),
        {"candidate": candidate.pk, "place": " 第1\x00会議室\r\n（本庁舎）\x1b "},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "第1会議室 （本庁舎）"
