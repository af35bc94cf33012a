""" "My work" and notifications of the people concerned: the study group's sessions (an idea
linked to a meeting ahead shows in the work of those invited, not of others, and not once the
meeting is past or cancelled), the ideas (the author told of each status; followers told of
comments), and the conversations (the open ones with statements left to vote on)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kyokan.apps.core.models import Notification
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
