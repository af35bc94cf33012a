"""The vote matrix handed to the library stays close to Polis's method: every vote with its
timestamp (a participant is grouped from the moment they reached the threshold) and the votes
on hidden statements kept, passed as ``hidden=`` (they count for the threshold, not in the
analysis)."""

import pytest
from django.urls import reverse

from kyokan.apps.deliberation import selectors, services
from kyokan.apps.deliberation.models import Vote

from .test_conversations import SEEDS, _two_camps

pytestmark = pytest.mark.django_db


def test_triples_carry_timestamps_in_vote_order_and_include_hidden_statements(
    make_conversation, people
):
    conversation = make_conversation(seeds=SEEDS[:3])
    first, second, third = conversation.statements.order_by("number")
    services.vote_cast(actor=people["staff"], statement=second, value=-1)
    services.vote_cast(actor=people["staff"], statement=first, value=1)
    services.vote_cast(actor=people["secretariat"], statement=third, value=0)
    services.moderation_decide(actor=people["secretariat"], target=third, keep=False)

    triples = selectors.vote_triples(conversation)
    assert all(len(t) == 4 and isinstance(t[3], float) for t in triples)
    assert [t[3] for t in triples] == sorted(t[3] for t in triples)
    assert [(t[1], t[2]) for t in triples] == [
        (str(second.number), -1),
        (str(first.number), 1),
        (str(third.number), 0),
    ]
    assert selectors.hidden_statement_numbers(conversation) == {str(third.number)}


def test_hidden_statements_count_for_the_threshold_but_stay_out_of_the_report(
    make_conversation, people, client_as
):
    conversation = make_conversation(seeds=SEEDS)
    _two_camps(conversation, n=40)
    hidden = conversation.statements.get(number=2)
    services.moderation_decide(actor=people["secretariat"], target=hidden, keep=False)
    all_votes = Vote.objects.filter(statement__conversation=conversation).count()
    on_hidden = hidden.votes.count()
    assert on_hidden > 0

    run = services.analysis_execute(
        run_id=services.analysis_start(actor=people["secretariat"], conversation=conversation).pk
    )
    assert run.status == "done", run.error
    stats = run.result["stats"]
    assert stats["statements_hidden"] == 1
    assert stats["votes"] == all_votes  # the library saw the hidden statement's votes
    assert run.votes == all_votes - on_hidden  # what the run page counts: shown statements
    named = {c["statement"] for c in run.result["consensus"]}
    named |= {c["statement"] for c in run.result["divisive"]}
    for group in run.result["groups"]:
        named |= {r["statement"] for r in group["representative"]}
    assert "2" not in named
    assert run.result["stats"]["k"] == 2
    page = client_as("staff").get(reverse("deliberation:report", args=[conversation.pk]))
    text = page.content.decode()
    # the page is the analysis report (レポート), not a moderation report (通報)
    assert "レポート：グループと合意" in text and "通報:" not in text
    assert hidden.text not in text


def test_a_participant_is_grouped_with_votes_on_a_statement_hidden_later(make_conversation, people):
    """Seven votes, one of them on a statement removed afterwards: Polis keeps counting it
    towards the threshold of seven, so the participant stays on the map."""
    conversation = make_conversation(seeds=SEEDS)
    _two_camps(conversation, n=30)
    statements = list(conversation.statements.order_by("number")[:7])
    for s in statements:
        services.vote_cast(actor=people["promoter"], statement=s, value=1)
    services.moderation_decide(actor=people["secretariat"], target=statements[-1], keep=False)
    run = services.analysis_execute(
        run_id=services.analysis_start(actor=people["secretariat"], conversation=conversation).pk
    )
    assert run.status == "done", run.error
    number = str(conversation.participants.get(person=people["promoter"]).number)
    mine = [p for p in run.result["participants"] if p["id"] == number]
    assert mine and mine[0]["group"] is not None
