"""Edge cases of the two-level clustering: tied merges, one or two positions only."""

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from kyokan.textanalysis import analyze
from kyokan.textanalysis.cluster import cut_into, two_level


def _three_islands(points_per_group: int = 30, seed: int = 0) -> np.ndarray:
    """Three groups of near-identical unit vectors, orthogonal to each other: no neighbour
    list reaches another group, so no ensemble member ever joins two of them."""
    rng = np.random.RandomState(seed)
    rows = []
    for axis in range(3):
        base = np.zeros(8, dtype=np.float32)
        base[axis] = 1.0
        rows.append(base + 0.001 * rng.rand(points_per_group, 8).astype(np.float32))
    return np.vstack(rows)


def test_a_tree_whose_top_merges_tie_is_cut_into_the_number_asked_for():
    # Three pairs that never meet: their merges tie at distance 1.
    distance = np.ones((6, 6))
    for a, b in ((0, 1), (2, 3), (4, 5)):
        distance[a, b] = distance[b, a] = 0.0
    np.fill_diagonal(distance, 0.0)
    tree = linkage(distance[np.triu_indices(6, 1)], method="average")
    # What the cut by height alone gives: no height leaves two groups.
    assert len(set(fcluster(tree, t=2, criterion="maxclust"))) == 1
    labels = cut_into(tree, 2)
    assert len(set(labels)) == 2
    # Pairs stay together, and the cut by height is kept where it works.
    assert labels[0] == labels[1] and labels[2] == labels[3] and labels[4] == labels[5]
    three = cut_into(tree, 3)
    assert len(set(three)) == 3 and len({three[0], three[2], three[4]}) == 3
    assert len(set(cut_into(tree, 1))) == 1
    assert len(set(cut_into(tree, 10))) == 6  # at most one group per leaf


def test_groups_no_member_ever_joined_still_give_the_chosen_number_of_coarse_groups():
    matrix = _three_islands()
    for coarse in (2, 3):
        partition = two_level(matrix, coarse=coarse, fine=6)
        assert len(set(partition.coarse)) == coarse
        assert len(set(partition.fine)) == 6
        # Each island stays inside one coarse group.
        for start in (0, 30, 60):
            assert len(set(partition.coarse[start : start + 30])) == 1
    chosen = two_level(matrix)
    assert chosen.selection["rule"] == "modularity"
    assert len(set(chosen.coarse)) == chosen.selection["chosen"]


def test_different_answers_with_one_position_are_one_group():
    # Four different texts whose only content word is the same (found crashing the
    # analysis: the fine level cut a tree that was never built).
    result = analyze(
        ["ペーパーレスにしてほしい", "ペーパーレスにして", "ペーパーレスで", "ペーパーレスがいい"]
    )
    assert {tuple(item.clusters) for item in result.items} == {("C1", "C1.1")}
    assert result.stats["selection"]["rule"] == "trivial"
    assert result.stats["selection"]["chosen"] == 1


def test_two_positions_are_two_groups():
    texts = ["ペーパーレスで", "ペーパーレスがいい", "キャッシュレス", "キャッシュレスで"]
    result = analyze(texts)
    coarse = [item.clusters[0] for item in result.items]
    assert coarse[0] == coarse[1] and coarse[2] == coarse[3] and coarse[0] != coarse[2]
    assert result.stats["selection"] == {
        "rule": "trivial",
        "chosen": 2,
        "given": False,
        "scores": [],
    }
    # One group when one is asked for.
    asked = analyze(texts, coarse=1)
    assert {item.clusters[0] for item in asked.items} == {"C1"}


def test_answers_without_any_content_word_are_one_group():
    # Found by probing with random small inputs: none of these has a content word (DX and
    # わかる are stop words), which crashed the analysis.
    result = analyze([" ", "<script>alert(1)</script>", "わかりません", "DX", "特になし"])
    # Blank ones (markup is not analysed) are in no group.
    assert result.items[0].clusters == result.items[1].clusters == [None, None]
    assert {tuple(item.clusters) for item in result.items[2:]} == {("C1", "C1.1")}
    assert result.stats["selection"]["rule"] == "trivial"
    assert result.stats["divergence"] == 0.0
