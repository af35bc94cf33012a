"""A staff member's idea and a conversation sent twice (a double click, a resent POST) were
created twice; their forms carry core's one-time key, and the second POST goes where the
first went and creates nothing."""

from django.urls import reverse

from kyokan.apps.deliberation.models import Conversation, Idea
from tests.conftest import submit_twice

from .conftest import idea_fields


def test_an_idea_sent_twice_is_proposed_once(client_as):
    data = {**idea_fields(), "similar_seen": "on"}
    submit_twice(client_as("staff"), reverse("deliberation:idea_create"), data)
    assert Idea.objects.count() == 1


def test_a_conversation_sent_twice_is_created_once(client_as):
    data = {"title": "DXとは", "question": "本市が目指すDXとは", "seeds": "来庁不要にする"}
    submit_twice(client_as("secretariat"), reverse("deliberation:conversation_create"), data)
    assert Conversation.objects.count() == 1
