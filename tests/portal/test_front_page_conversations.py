"""The portal's front page lists the consensus conversations citizens can take part in (the
public, open ones, through deliberation.public), beside the surveys: never a draft, a closed
or an internal conversation; the number of queries does not grow with them."""

import re

import pytest
from django.urls import reverse

from kyokan.apps.deliberation import services as ds
from kyokan.apps.portal.views import RUBY_COOKIE
from tests.portal.content import INTERNAL

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")


def _text(html: str) -> str:
    html = re.sub(r"<rt>.*?</rt>|<rp>.*?</rp>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def _card(html: str) -> str:
    found = re.search(r'<section class="card" aria-labelledby="h-conversations">.*?</section>',
                      html, re.S)  # fmt: skip
    assert found, "no conversations card"
    return found.group(0)


@pytest.fixture
def conversation(people):
    """make(title, public=True, state="open") → a conversation with two seed statements."""
    actor = people["secretariat"]

    def make(title, *, public=True, state="open"):
        made = ds.conversation_create(
            actor=actor, title=title, question=f"{title}について", is_public=public,
            seeds=(f"{title}の意見その一です", f"{title}の意見その二です"),
        )  # fmt: skip
        if state in ("open", "closed"):
            ds.conversation_set_state(actor=actor, conversation=made, state="open")
        if state == "closed":
            ds.conversation_set_state(actor=actor, conversation=made, state="closed")
        return made

    return make


@pytest.mark.parametrize("ruby", [False, True])
def test_open_public_conversations_are_listed_beside_the_surveys(client, conversation, ruby):
    open_one = conversation("窓口のデジタル化")
    conversation(f"{INTERNAL}庁内の対話", public=False)
    conversation(f"{INTERNAL}準備中の対話", state="draft")
    conversation(f"{INTERNAL}終了した対話", state="closed")
    if ruby:
        client.cookies[RUBY_COOKIE] = "1"
    page = client.get(HOME).content.decode()
    card = _card(page)
    text = _text(card)
    assert "参加できる対話" in text and "窓口のデジタル化" in text
    assert f'<a href="{open_one.public_url}">' in card
    assert "意見2件・参加者0人" in text  # two visible seeds, nobody has voted yet
    assert INTERNAL not in _text(page)
    # Beside the surveys: the card follows the surveys' card.
    assert page.index('aria-labelledby="h-surveys"') < page.index(
        'aria-labelledby="h-conversations"'
    )
    assert f'href="{reverse("deliberation:public_conversations")}">すべての' in card
    assert client.get(open_one.public_url).status_code == 200


def test_no_open_conversation_says_so(client, conversation):
    conversation(f"{INTERNAL}庁内の対話", public=False)
    card = _text(_card(client.get(HOME).content.decode()))
    assert "いま参加できる対話はありません。" in card
    assert INTERNAL not in card


def test_english(client, conversation):
    conversation("窓口のデジタル化")
    client.cookies["django_language"] = "en"
    card = _text(_card(client.get(HOME).content.decode()))
    assert "Conversations you can take part in" in card
    assert "2 opinions, 0 people taking part" in card and "All conversations" in card


def test_at_most_five_and_the_query_count_does_not_grow(client, conversation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    conversation("対話1")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME).status_code == 200
        return len(ctx)

    before = count()
    for n in range(2, 9):
        conversation(f"対話{n}")
    assert count() <= before
    card = _card(client.get(HOME).content.decode())
    assert card.count("<li>") == 5 and "対話8" in card and "対話1<" not in card  # newest first
