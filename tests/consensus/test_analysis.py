import json

import pytest

from kyokan.consensus import ConsensusInputError, ConsensusResult, Votes, analyze

from .helpers import two_camps


def _groups(result):
    return {p["id"]: p["group"] for p in result.participants}


def test_two_camps_are_found_with_consensus_and_divisive_statements():
    result = analyze(Votes.from_triples(two_camps()))
    assert isinstance(result, ConsensusResult)
    groups = _groups(result)
    camp0 = {groups[f"c0-{i}"] for i in range(30)}
    camp1 = {groups[f"c1-{i}"] for i in range(30)}
    assert len(camp0) == 1 and len(camp1) == 1 and camp0 != camp1
    assert result.stats["k"] == 2
    assert set(result.stats["candidates"]) >= {"2", "3"}
    assert result.stats["participants_in"] == 60
    # s0: everyone agrees → the group-informed consensus; others split the camps.
    assert result.consensus[0]["statement"] == "s0"
    assert result.consensus[0]["p_agree_min"] > 0.8
    assert set(result.consensus[0]["per_group"]) == {str(g["id"]) for g in result.groups}
    assert "s0" not in {d["statement"] for d in result.divisive}
    assert len(result.divisive) >= 15
    for group in result.groups:
        assert group["size"] == 30
        assert 1 <= len(group["representative"]) <= 5
        first = group["representative"][0]
        assert {"statement", "repness", "agree", "disagree", "pass", "seen", "p_agree"} <= set(
            first
        )
        assert first["seen"] == first["agree"] + first["disagree"] + first["pass"]
    json.dumps(result.to_json())  # serialisable as it is


def test_participants_with_too_few_votes_are_left_out():
    triples = two_camps()
    triples += [("newcomer", f"s{i}", 1) for i in range(3)]
    result = analyze(Votes.from_triples(triples))
    assert _groups(result)["newcomer"] is None
    assert result.stats["min_votes"] == 7
    assert result.stats["participants_out"] == 1
    entry = next(p for p in result.participants if p["id"] == "newcomer")
    assert isinstance(entry["x"], float)  # still on the map


def test_hidden_statements_are_not_analysed():
    triples = two_camps() + [(f"c0-{i}", "h", 1) for i in range(30)]
    votes = Votes.from_triples(triples, hidden=["h"])
    result = analyze(votes)
    mentioned = {c["statement"] for c in result.consensus}
    mentioned |= {d["statement"] for d in result.divisive}
    mentioned |= {r["statement"] for g in result.groups for r in g["representative"]}
    assert "h" not in mentioned
    assert result.stats["statements_hidden"] == 1


def test_result_does_not_depend_on_the_order_of_the_votes():
    triples = two_camps(seed=3)
    one = analyze(Votes.from_triples(triples)).to_json()
    two = analyze(Votes.from_triples(list(reversed(triples)))).to_json()
    assert _groups_json(one) == _groups_json(two)


def _groups_json(data):
    return {p["id"]: p["group"] for p in data["participants"]}


def test_previous_result_keeps_group_ids_and_k_steady():
    triples = two_camps(seed=4)
    first = analyze(Votes.from_triples(triples))
    # More votes arrive (a third, small and noisy camp); ids of the two camps stay.
    extra = [(f"x{i}", f"s{s}", (i + s) % 3 - 1) for i in range(6) for s in range(20)]
    second = analyze(Votes.from_triples(triples + extra), previous=first.to_json())
    before, after = _groups(first), _groups(second)
    for pid, gid in before.items():
        assert after[pid] == gid
    assert second.stats["k"] == first.stats["k"] == 2
    # Swapping which camp comes first does not swap the ids either.
    swapped = [t for t in triples if t[0].startswith("c1")] + [
        t for t in triples if t[0].startswith("c0")
    ]
    third = analyze(Votes.from_triples(swapped), previous=first.to_json())
    assert _groups(third) == before


def test_k_smoother_keeps_previous_k_until_another_holds():
    from kyokan.consensus.analysis import K_BUFFER, _choose_k

    silhouettes = {2: 0.40, 3: 0.45, 4: 0.30}
    previous = {"k": 2, "smoother": {"last_k": 3, "last_k_count": 1}}
    # 3 is best for the second time: not yet enough to leave the kept k = 2.
    assert _choose_k(3, silhouettes, previous) == (2, {"last_k": 3, "last_k_count": 2})
    # ... it is after K_BUFFER analyses in a row (Polis's group-k-buffer).
    previous["smoother"]["last_k_count"] = K_BUFFER - 1
    assert _choose_k(3, silhouettes, previous)[0] == 3
    # A clearly better k wins at once.
    clear = {2: 0.20, 3: 0.45}
    assert _choose_k(3, clear, {"k": 2, "smoother": {}})[0] == 3
    # Without a previous result the best k is taken.
    assert _choose_k(3, silhouettes, {"k": None, "smoother": {}})[0] == 3


def test_previous_k_is_kept_through_analyze():
    triples = two_camps(seed=5)
    first = analyze(Votes.from_triples(triples)).to_json()
    pretend = json.loads(json.dumps(first))
    pretend["stats"]["k"] = 3  # as if three groups had been kept before
    pretend["stats"]["k_smoother"] = {"last_k": 3, "last_k_count": 4}
    result = analyze(Votes.from_triples(triples), previous=pretend)
    candidates = result.stats["candidates"]
    expected = 2 if candidates["2"] - candidates["3"] >= 0.15 else 3
    assert result.stats["k"] == expected
    assert result.stats["k_smoother"] == {"last_k": 2, "last_k_count": 1}


def test_bad_previous_result_is_refused():
    votes = Votes.from_triples(two_camps())
    with pytest.raises(ConsensusInputError) as error:
        analyze(votes, previous={"participants": [{"no-id": 1}]})
    assert error.value.code == "bad_previous"
    with pytest.raises(ConsensusInputError):
        analyze(votes, previous={"participants": 5})


def test_no_votes_and_tiny_conversations_give_an_empty_grouping():
    empty = analyze(Votes.from_triples([]))
    assert empty.participants == [] and empty.groups == []
    assert empty.stats["k"] == 0 and empty.stats["reason"] == "no_votes"
    alike = analyze(Votes.from_triples([("a", "s", 1), ("b", "s", 1)]))
    assert [p["group"] for p in alike.participants] == [None, None]
    assert alike.stats["reason"] == "too_few_participants"
    # Two camps voting identically: two positions on the map, two groups (as Polis does).
    triples = [
        (f"{c}{i}", f"s{j}", (1 if c == "a" else -1) * (1 if j % 2 else -1))
        for c in "ab"
        for i in range(5)
        for j in range(8)
    ]
    two = analyze(Votes.from_triples(triples))
    assert two.stats["k"] == 2 and two.stats["silhouette"] is None
    assert sorted(g["size"] for g in two.groups) == [5, 5]


def test_analyze_refuses_what_is_not_votes():
    with pytest.raises(ConsensusInputError):
        analyze([("p", "s", 1)])
