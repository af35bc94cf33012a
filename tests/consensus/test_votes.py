import pytest

from kyokan.consensus import CODES, ConsensusInputError, Votes, message_ja
from kyokan.consensus.errors import MESSAGES_JA


def test_latest_vote_counts_in_input_order():
    votes = Votes.from_triples([("p", "s", 1), ("p", "s", -1), ("q", "s", 0)])
    assert votes.vote_of("p", "s") == -1
    assert votes.vote_of("q", "s") == 0  # a pass is a vote
    assert votes.vote_of("q", "t") is None
    assert votes.n_votes == 2


def test_latest_vote_counts_by_timestamp_not_by_position():
    votes = Votes.from_triples([("p", "s", 1, 200), ("p", "s", -1, 100)])
    assert votes.vote_of("p", "s") == 1


def test_participant_voting_on_everything_twice_counts_once():
    first = [("p", f"s{i}", 1, i) for i in range(10)]
    second = [("p", f"s{i}", -1, 100 + i) for i in range(10)]
    votes = Votes.from_triples(first + second)
    assert votes.n_votes == 10
    assert {v for _p, _s, v in votes.triples()} == {-1}


@pytest.mark.parametrize(
    "item, code",
    [
        (("p", "s", 2), "bad_vote"),
        (("p", "s", True), "bad_vote"),
        (("p", "s", "1"), "bad_vote"),
        (("p", "s", 1.5), "bad_vote"),
        (("p", "s"), "bad_vote"),
        (("p", "s", 1, "yesterday"), "bad_vote"),
        (("", "s", 1), "bad_participant"),
        (("p" * 201, "s", 1), "bad_participant"),
        ((None, "s", 1), "bad_participant"),
        (("p", "s\x00", 1), "bad_statement"),
        (("p", "  ", 1), "bad_statement"),
    ],
)
def test_bad_items_are_refused_with_their_position(item, code):
    with pytest.raises(ConsensusInputError) as error:
        Votes.from_triples([("ok", "s", 1), item])
    assert error.value.code == code
    assert error.value.params["line"] == 2
    assert set(error.value.params) == set(CODES[code])


def test_mixed_timestamps_are_refused():
    with pytest.raises(ConsensusInputError) as error:
        Votes.from_triples([("p", "s", 1, 10), ("q", "s", 1)])
    assert error.value.code == "bad_vote"


def test_unknown_statement_is_refused_when_statements_are_given():
    with pytest.raises(ConsensusInputError) as error:
        Votes.from_triples([("p", "a", 1), ("p", "zz", 1)], statements=["a", "b"])
    assert error.value.code == "unknown_statement"
    assert error.value.params == {"line": 2, "statement": "zz"}
    assert "zz" in error.value.message_ja


def test_hidden_statement_votes_refused_or_kept_out_of_the_analysis():
    triples = [("p", "a", 1), ("p", "h", -1)]
    with pytest.raises(ConsensusInputError) as error:
        Votes.from_triples(triples, statements=["a", "h"], hidden=["h"], refuse_hidden=True)
    assert error.value.code == "hidden_statement"
    votes = Votes.from_triples(triples, statements=["a", "h"], hidden=["h"])
    assert votes.hidden == {"h"}
    assert votes.vote_of("p", "h") == -1


def test_integer_ids_are_read_as_text():
    votes = Votes.from_triples([(1, 2, 1)])
    assert votes.participants == ("1",)
    assert votes.statements == ("2",)


def test_every_code_has_a_japanese_text_with_its_parameters():
    assert set(CODES) == set(MESSAGES_JA)
    for code, names in CODES.items():
        text = message_ja(code, {name: f"<{name}>" for name in names})
        for name in names:
            assert f"<{name}>" in text, (code, name)
    assert message_ja("no-such-code") == MESSAGES_JA["invalid_input"]


def test_admission_over_time_follows_polis_in_conv():
    from kyokan.consensus.votes import GREEDY_N

    # The first GREEDY_N voters are in (Polis's greedy fill of an empty conversation) ...
    early = [(f"e{i}", "s0", 1, i) for i in range(GREEDY_N)]
    # ... later ones only once they reach min(7, statements voted on so far).
    late = [("busy", f"s{j}", 1, 100 + j) for j in range(7)]
    late += [("idle", "s1", -1, 200)]
    votes = Votes.from_triples(early + late)
    assert {f"e{i}" for i in range(GREEDY_N)} | {"busy"} == votes.admitted
    # Without timestamps nobody is admitted early: the final state decides.
    assert Votes.from_triples([t[:3] for t in early + late]).admitted == frozenset()
