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


def test_the_conversation_list_counts_each_relation_alone_in_one_query(people, make_conversation):
    """Statements, participants and votes counted through joins in one query multiply one
    another (3 statements × 4 voters × their votes); each is a subquery of its own."""
    from kyokan.apps.deliberation import selectors

    secretariat = people["secretariat"]
    busy = make_conversation(seeds=SEEDS[:5])
    hidden = busy.statements.order_by("number").last()
    services.moderation_decide(actor=secretariat, target=hidden, keep=False)
    pending = services.statement_add(
        actor=people["staff"], conversation=busy, text="確認待ちの意見がここにあります"
    )
    assert pending.visibility == "pending"
    numbers = sorted(busy.statements.values_list("number", flat=True))
    # four voters: 4, 3, 2 and 1 votes (the last one on the hidden statement)
    votes = [(p, s, 1) for p in range(1, 5) for s in numbers[: 5 - p]]
    votes.append((4, hidden.number, -1))
    services.votes_load(actor=secretariat, conversation=busy, votes=votes)
    quiet = make_conversation(seeds=SEEDS[5:7])  # the secretariat wrote it, nobody voted
    voters = [UserFactory(roles=["staff"]) for _n in range(2)]
    for person in voters:
        for statement in quiet.statements.all():
            services.vote_cast(actor=person, statement=statement, value=-1)

    with CaptureQueriesContext(connection) as ctx:
        rows = {
            c.pk: (c.statement_count, c.participant_count, c.vote_count)
            for c in selectors.conversations(secretariat)
        }
    assert len(ctx.captured_queries) == 1
    # busy: 4 visible statements (one hidden, one pending), 4 voters (the secretariat, who
    # wrote the seeds, did not vote), 4 + 3 + 2 + 1 + 1 = 11 votes
    assert rows[busy.pk] == (4, 4, 11)
    assert rows[quiet.pk] == (2, 2, 4)
    assert selectors.conversation_counts(busy) == {
        "participants": 4,
        "statements": 4,
        "pending": 1,
        "votes": 11,
    }
    # the people's own open conversations: how many statements are left to each
    left = dict(selectors.my_open_conversations(voters[0]))
    assert left == {busy: 4}
