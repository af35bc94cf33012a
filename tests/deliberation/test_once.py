"""A staff member's idea and a conversation sent twice (a double click, a resent POST) were
created twice; their forms carry core's one-time key, and the second POST goes where the
first went and creates nothing."""

import re

from django.urls import reverse

from kyokan.apps.deliberation.models import Conversation, Idea

from .conftest import idea_fields


def _twice(client, url: str, data: dict):
    match = re.search(r'name="once" value="([^"]+)"', client.get(url).content.decode())
    assert match, "the form carries a one-time key"
    first, second = (client.post(url, {**data, "once": match.group(1)}) for _ in range(2))
    assert first.status_code == 302, first.content.decode()[:2000]
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_an_idea_sent_twice_is_proposed_once(client_as):
    data = {**idea_fields(), "similar_seen": "on"}
    _twice(client_as("staff"), reverse("deliberation:idea_create"), data)
    assert Idea.objects.count() == 1


def test_a_conversation_sent_twice_is_created_once(client_as):
    data = {"title": "DXとは", "question": "本市が目指すDXとは", "seeds": "来庁不要にする"}
    _twice(client_as("secretariat"), reverse("deliberation:conversation_create"), data)
    assert Conversation.objects.count() == 1
