"""The lists of deliberation do not grow in queries with the data: each page is measured with
little data, then with much more (ideas with comments, supports and reports, hidden items
waiting for the secretariat, conversations with statements, participants, votes and an
analysis), and the two counts must be equal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kyokan.apps.deliberation import services
from tests.factories import UserFactory

from .test_conversations import SEEDS, _two_camps

pytestmark = pytest.mark.django_db


def _grow(people, n: int, offset: int, conversation) -> None:
    secretariat = people["secretariat"]
    for i in range(n):
        k = offset + i
        idea = services.idea_create(
            actor=people["staff"] if i % 2 else people["promoter"],
            title=f"提案その{k}：窓口の待ち時間を減らす",
            problem=f"課題{k}：窓口が混む。",
            proposal=f"提案{k}：予約制にする。",
        )
        services.comment_add(actor=people["promoter"], idea=idea, body=f"賛成です{k}")
        services.support_set(actor=people["staff"], idea=idea, support=True)
        if i % 2 == 0:
            services.idea_set_status(actor=secretariat, idea=idea, status="reviewing")
        # reported by enough people to be hidden: they wait in the moderation queue
        comment = services.comment_add(actor=people["staff"], idea=idea, body=f"宣伝{k}")
        for _r in range(services.report_threshold()):
            services.report_file(actor=UserFactory(), target=comment, reason="spam")
        if i % 3 == 0:
            for _r in range(services.report_threshold()):
                services.report_file(actor=UserFactory(), target=idea, reason="spam")
        other = services.conversation_create(
            actor=secretariat,
            title=f"対話{k}",
            question=f"問い{k}は何でしょうか。",
            seeds=[f"意見{k}の一", f"意見{k}の二"],
        )
        services.conversation_set_state(actor=secretariat, conversation=other, state="open")
        statement = services.statement_add(
            actor=people["staff"], conversation=conversation, text=f"追加の意見その{k}"
        )
        services.moderation_decide(actor=secretariat, target=statement, keep=True)
    _two_camps(conversation, n=20 + 10 * (offset + n))
    services.analysis_execute(
        run_id=services.analysis_start(actor=secretariat, conversation=conversation).pk
    )


def _counts(client, pages) -> dict:
    counts = {}
    for name, args, who in pages:
        client.force_login(who)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(name, args=args))
        assert response.status_code == 200, (name, response.status_code)
        counts[(name, who.username)] = len(ctx.captured_queries)
    return counts


def test_list_pages_do_not_grow_with_the_data(client, people, make_conversation):
    conversation = make_conversation(seeds=SEEDS)
    pages = [
        ("deliberation:ideas", [], people["secretariat"]),
        ("deliberation:ideas", [], people["staff"]),
        ("deliberation:moderation", [], people["secretariat"]),
        ("deliberation:conversations", [], people["secretariat"]),
        ("deliberation:conversations", [], people["staff"]),
        ("deliberation:report", [conversation.pk], people["secretariat"]),
        ("deliberation:report", [conversation.pk], people["staff"]),
        ("deliberation:statements", [conversation.pk], people["secretariat"]),
        ("deliberation:contributions", [], people["secretariat"]),
        ("deliberation:public_ideas", [], people["staff"]),
    ]
    _grow(people, 2, 0, conversation)
    small = _counts(client, pages)
    _grow(people, 8, 2, conversation)
    large = _counts(client, pages)
    assert large == small
