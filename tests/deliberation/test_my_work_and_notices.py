""" "My work" and notifications of the people concerned: the study group's sessions (an idea
linked to a meeting ahead shows in the work of those invited, not of others, and not once the
meeting is past or cancelled), the ideas (the author told of each status; followers told of
comments), and the conversations (the open ones with statements left to vote on)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from kyokan.apps.core.models import Notification, OutgoingEmail
from kyokan.apps.core.mywork import work_for
from kyokan.apps.deliberation import services
from tests.factories import InvitationFactory, MeetingFactory, MeetingSeriesFactory

pytestmark = pytest.mark.django_db


def _titles(user, key):
    groups = {g["key"]: g for g in work_for(user)}
    return [i.title for i in groups[key]["items"]] if key in groups else []


def test_a_session_ahead_shows_the_idea_in_the_work_of_those_invited(make_idea, people):
    idea = make_idea()
    series = MeetingSeriesFactory(name="推進員検討部会", kind="study")
    ahead = MeetingFactory(series=series, starts_at=timezone.now() + timedelta(days=7))
    past = MeetingFactory(series=series, starts_at=timezone.now() - timedelta(days=7))
    InvitationFactory(meeting=ahead, person=people["promoter"])
    InvitationFactory(meeting=past, person=people["staff"])
    services.session_link(actor=people["secretariat"], idea=idea, meeting=ahead, note="説明")
    services.session_link(actor=people["secretariat"], idea=idea, meeting=past)

    assert _titles(people["promoter"], "deliberation.sessions") == [idea.title]
    assert _titles(people["staff"], "deliberation.sessions") == []  # only a past meeting
    assert _titles(people["hq_member"], "deliberation.sessions") == []  # not invited
    ahead.status = "cancelled"
    ahead.save(update_fields=["status"])
    assert _titles(people["promoter"], "deliberation.sessions") == []


def test_the_author_and_the_followers_are_told(make_idea, people):
    idea = make_idea(actor=people["promoter"])
    services.follow_set(actor=people["staff"], idea=idea, follow=True)
    services.idea_set_status(actor=people["secretariat"], idea=idea, status="reviewing")
    services.comment_add(actor=people["hq_member"], idea=idea, body="効果の指標も決めましょう。")
    kinds = {
        who: set(Notification.objects.filter(recipient=people[who]).values_list("kind", flat=True))
        for who in ("promoter", "staff", "hq_member")
    }
    assert {services.KIND_STATUS, services.KIND_COMMENT} <= kinds["promoter"]
    assert {services.KIND_STATUS, services.KIND_COMMENT} <= kinds["staff"]
    # the commenter is not told of their own comment
    assert services.KIND_COMMENT not in kinds["hq_member"]


def test_open_conversations_show_in_my_work_until_everything_is_voted(make_conversation, people):
    conversation = make_conversation()
    assert _titles(people["staff"], "deliberation.vote") == [conversation.title]
    for statement in conversation.statements.all():
        services.vote_cast(actor=people["staff"], statement=statement, value=1)
    assert _titles(people["staff"], "deliberation.vote") == []
    assert _titles(people["promoter"], "deliberation.vote") == [conversation.title]


def test_a_session_whose_date_is_being_set_shows_to_those_invited(make_idea, people):
    """A session of the study group still in its date poll (no date yet) is ahead too."""
    idea = make_idea()
    series = MeetingSeriesFactory(name="推進員検討部会", kind="study")
    polling = MeetingFactory(series=series, status="planning", starts_at=None)
    # held a minute ago: today, but not ahead any more
    held = MeetingFactory(
        series=series, status="held", starts_at=timezone.now() - timedelta(minutes=1)
    )
    InvitationFactory(meeting=polling, person=people["promoter"])
    InvitationFactory(meeting=held, person=people["staff"])
    services.session_link(actor=people["secretariat"], idea=idea, meeting=polling)
    services.session_link(actor=people["secretariat"], idea=idea, meeting=held)
    groups = {g["key"]: g for g in work_for(people["promoter"])}
    [item] = groups["deliberation.sessions"]["items"]
    assert item.title == idea.title and item.deadline is None and item.detail == "日程調整中"
    assert _titles(people["staff"], "deliberation.sessions") == []  # already held


def _told(person, kind):
    return list(Notification.objects.filter(recipient=person, kind=kind))


def test_linking_a_session_tells_the_author_and_the_followers_which_meeting_and_when(
    make_idea, people
):
    idea = make_idea(actor=people["promoter"])
    services.follow_set(actor=people["staff"], idea=idea, follow=True)
    services.follow_set(actor=people["secretariat"], idea=idea, follow=True)
    services.follow_set(actor=people["promoter"], idea=idea, follow=False)  # still the author
    series = MeetingSeriesFactory(name="推進員検討部会", kind="study")
    # 2031-02-04 05:00 UTC is 14:00 on Tuesday 4 February, Reiwa 13, in Tokyo
    starts = datetime(2031, 2, 4, 5, 0, tzinfo=UTC)
    meeting = MeetingFactory(
        series=series, number=3, status="scheduled", starts_at=starts,
        ends_at=starts + timedelta(minutes=90), place="第2会議室",
    )  # fmt: skip
    services.session_link(
        actor=people["secretariat"], idea=idea, meeting=meeting, note="提案者が説明"
    )

    for who in ("promoter", "staff"):
        [notice] = _told(people[who], services.KIND_SESSION)
        assert "推進員検討部会 第3回" in notice.subject and idea.title in notice.subject
        assert "令和13年2月4日(火) 14:00–15:30" in notice.body
        assert "第2会議室" in notice.body and "提案者が説明" in notice.body
        assert notice.link == idea.get_absolute_url()
    assert _told(people["secretariat"], services.KIND_SESSION) == []  # not the one who linked
    assert _told(people["hq_member"], services.KIND_SESSION) == []  # neither author nor follower


def test_a_citizens_idea_tells_no_citizen_of_an_internal_session(people):
    idea = services.idea_create(
        actor=None, origin="citizen", title="公園の予約", problem="電話しかない",
        proposal="ネット予約", author_name="市民A", author_email="citizen@example.jp",
    )  # fmt: skip
    services.follow_set(actor=people["staff"], idea=idea, follow=True)
    meeting = MeetingFactory(series=MeetingSeriesFactory(kind="study"), starts_at=None)
    services.session_link(actor=people["secretariat"], idea=idea, meeting=meeting)
    [notice] = _told(people["staff"], services.KIND_SESSION)
    assert "日程は調整中" in notice.body
    assert not OutgoingEmail.objects.filter(to="citizen@example.jp").exists()
