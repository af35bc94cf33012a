"""Two-level clustering of the distinct answers, with the number of groups chosen by a
criterion that is returned to the caller; keywords, labels, representatives, and ids that
survive a re-run.

**One consensus tree for both levels** — neighbour graphs link every answer to its
:data:`NEIGHBOUR_COUNTS` nearest answers (cosine similarity of the embedding; one neighbour
list for the largest count, sliced for the others); the Louvain algorithm (Blondel et al.
2008, modularity with a resolution; scikit-network) finds communities in each graph at each
of the :data:`RESOLUTIONS` with each of the :data:`SEEDS`, every run on a fixed random
:data:`SUBSAMPLE` of the answers — an ensemble of 150 partitions. Two answers'
*co-association* is the share of the partitions that saw both and put them together
(evidence accumulation, Fred & Jain 2005; subsampled consensus, Monti et al. 2003); average
linkage on ``1 − co-association`` builds one tree. The **fine** level is a cut of that tree
into :func:`default_fine_k` groups (or the number given), the **coarse** level a cut into
fewer groups, so every fine group lies inside exactly one coarse group. A single Louvain or
k-means run jumps between local optima when one answer is removed; the consensus of many
runs on subsamples moves less (dev split, 12 removals of one answer of 299: fine ARI
against the full run 0.85–1.00, mean 0.93, where the 45 runs on every answer gave
0.81–1.00, mean 0.86), and it agrees with the themes as well (dev fine ARI 0.317, coarse
0.240).
Fitted on at most :data:`GRAPH_SAMPLE` answers (a fixed sample); the other answers join
the fine group whose centre is nearest.

*How many coarse groups*: every candidate ``k`` from 2 to :func:`max_coarse_k` is tried and
scored by the **modularity** of the cut on the neighbour graph of :data:`NEIGHBOURS`
neighbours (Newman's Q: the share of the graph's links that fall inside groups minus the
share expected if links were placed at random with the same degrees; 0 for no structure,
higher for groups that hold together). Unlike the silhouette of the embedding — which on
short free text keeps rising slowly with ``k`` and so always picks the largest candidate,
or falls and picks 2 — the modularity has a maximum inside the range: more groups cut more
links, fewer groups leave unrelated answers together. The ``k`` with the highest modularity
is chosen; the curve (``{"k", "modularity"}`` per candidate), the rule and the choice are
returned in :attr:`Partition.selection`, and the caller can give the number instead.
Nothing here depends on a test set's number of themes.

Determinism: fixed seeds (Louvain's node order, the graph sample), exact similarities and a
deterministic linkage; the same input gives the same groups.

Keywords are c-TF-IDF over lemmas: for lemma *t* and cluster *c*,
``tf(t, c) · log(1 + A / f(t))`` (``tf`` the lemma's share of the cluster's words, ``A``
the average number of words per cluster, ``f(t)`` the lemma's frequency in all clusters).
Labels are readable phrases built from keywords (:func:`make_labels`). Representatives are
the answers closest (cosine) to the group's centre.

:func:`match_previous` keeps the ids of an earlier run's groups for the groups that still
match them (Hungarian assignment on shared answers).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy.cluster.hierarchy import fcluster
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix

#: At most this many answers build the graphs and the tree; the rest are assigned to the
#: nearest fine centre. Chosen for time and memory (the co-association matrix is
#: GRAPH_SAMPLE² float32, 36 MB; graphs, ensemble and tree take about 5 s at 3,000).
GRAPH_SAMPLE = 3_000
#: Neighbours per answer in the graph the modularity is measured on. Chosen on the dev split
#: among 10, 15, 25 and 40 (15 gave the best coarse ARI there; the held-out split was not
#: used).
NEIGHBOURS = 15
#: The ensemble: one neighbour graph per count, Louvain at each resolution with each seed
#: (the seed shuffles the order in which nodes are visited and draws the subsample below).
#: Resolution 1 is Newman's modularity; higher values give smaller communities, so that the
#: ensemble also holds the finer splits the fine level needs. Chosen on the dev split (fine
#: ARI / lowest fine ARI with one answer of 300 removed, over 12 removals): resolutions 1–3
#: 0.336 / 0.81 with 3 seeds on every answer, 1–2.5 0.315 / 0.77. Earlier trials with
#: scikit-network's Leiden (not used: its result varies from run to run whatever the seed)
#: pointed the same way for 0.5–2 (worse) and 10/15/20 neighbours against 15 alone
#: (steadier). With the subsampled members (below) 10 seeds against 3, 5 and 20 (dev, 12
#: removals; lowest / mean fine ARI): 3 seeds 0.81 / 0.88, 5 seeds 0.85 / 0.89, 10 seeds
#: 0.85–0.89 / 0.93 (two draws of the subsamples), 20 seeds 0.87 / 0.94 at twice the
#: time; fine ARI 0.31–0.33 throughout
#: (the 0.336 of the 3 fixed seeds on every answer was a lucky draw: seeds 3–5 and 6–8 gave
#: 0.307 and 0.299). Other neighbour counts (5–20, 10–30) and resolutions (0.5–3, 1–4) were
#: within that noise. The held-out split was not used.
NEIGHBOUR_COUNTS = (10, 15, 20)
RESOLUTIONS = (1.0, 1.5, 2.0, 2.5, 3.0)
SEEDS = tuple(range(10))
#: Each ensemble member sees a random share of the answers (subsampling, as in consensus
#: clustering, Monti et al. 2003): two answers' co-association is counted over the members
#: that saw both. The consensus then already holds partitions of slightly different answer
#: sets, so removing one answer moves it less. Chosen on the dev split with 5 seeds: 0.9
#: (lowest / mean fine ARI with one answer removed 0.86 / 0.91, fine ARI 0.33) against 0.8
#: (0.83 / 0.91, 0.31), 0.7 (0.82 / 0.87, 0.30) and every answer (0.84 / 0.90, 0.31). The
#: held-out split was not used.
SUBSAMPLE = 0.9
#: Readability limits, not fitted to any data: a person can read at most this many coarse
#: groups on one page, and a coarse group should hold about 10 answers on average.
MAX_COARSE = 30
MIN_COARSE_SIZE = 10
#: Fine groups: ``round(1.7·√n)`` clipped to [2, 50] — the rule of thumb the library has
#: used since its first version (k ≈ √(n/2)·2.4), not fitted to the evaluation set.
FINE_FACTOR = 1.7
MAX_FINE = 50
#: An earlier group keeps its id when it shares at least this Jaccard share of answers
#: with the new group it is assigned to (half of the smaller group, roughly).
MATCH_MIN_JACCARD = 0.3


def default_fine_k(n: int) -> int:
    return int(min(MAX_FINE, max(2, round(FINE_FACTOR * math.sqrt(n)))))


def max_coarse_k(n: int) -> int:
    """Largest number of coarse groups tried: ``min(MAX_COARSE, n // MIN_COARSE_SIZE)``."""
    return int(max(2, min(MAX_COARSE, n // MIN_COARSE_SIZE)))


@dataclass
class Partition:
    fine: np.ndarray  # fine cluster (0..F-1) per answer
    coarse_of_fine: np.ndarray  # coarse cluster (0..C-1) per fine cluster
    fine_centers: np.ndarray
    #: How the number of coarse groups was chosen (see module docstring).
    selection: dict = field(default_factory=dict)

    @property
    def coarse(self) -> np.ndarray:
        return self.coarse_of_fine[self.fine]


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _nearest(matrix: np.ndarray, centers: np.ndarray, chunk: int = 20_000) -> np.ndarray:
    """Index of the centre with the highest cosine similarity, per row."""
    out = np.empty(matrix.shape[0], dtype=np.int64)
    unit_centers = _unit(centers).astype(np.float32)
    for start in range(0, matrix.shape[0], chunk):
        block = matrix[start : start + chunk]
        out[start : start + chunk] = (block @ unit_centers.T).argmax(axis=1)
    return out


def _neighbours(similarity: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``count`` nearest answers of every answer (columns by decreasing similarity, ties
    by index) and their similarities, from a cosine ``similarity`` matrix whose diagonal is
    ``-inf``. Computed once for the largest count; a smaller graph takes the first columns."""
    n = similarity.shape[0]
    k = min(count, n - 1)
    nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    sims = np.take_along_axis(similarity, nearest, axis=1)
    order = np.lexsort((nearest, -sims), axis=-1)
    return np.take_along_axis(nearest, order, axis=1), np.take_along_axis(sims, order, axis=1)


def _graph(nearest: np.ndarray, sims: np.ndarray, neighbours: int = NEIGHBOURS) -> csr_matrix:
    """Symmetric k-nearest-neighbour graph of the first ``neighbours`` columns of a
    neighbour list (:func:`_neighbours`); weights = cosine similarity (≥ 0)."""
    n = nearest.shape[0]
    k = min(neighbours, nearest.shape[1])
    rows = np.repeat(np.arange(n), k)
    weights = np.maximum(sims[:, :k].ravel(), 0.0) + 1e-6
    graph = csr_matrix((weights, (rows, nearest[:, :k].ravel())), shape=(n, n))
    return graph.maximum(graph.T).tocsr()


#: The neighbour lists the ensemble's members are cut from and the graphs built from them
#: (one per neighbour count, built on first use), set in each worker process — or here —
#: before the members run (see :func:`co_association`).
_ensemble: dict = {}


def _set_ensemble_input(nearest: np.ndarray | None, sims: np.ndarray | None) -> None:
    _ensemble.clear()
    if nearest is not None:
        _ensemble["lists"] = (nearest, sims)


def _member(spec: tuple[int, float, int, np.ndarray]) -> np.ndarray:
    """One ensemble member: Louvain on the subsample ``rows`` of the ``count``-neighbour
    graph, at ``resolution``, with ``seed``; community per row."""
    from sknetwork.clustering import Louvain

    count, resolution, seed, rows = spec
    graph = _ensemble.get(count)
    if graph is None:
        graph = _ensemble[count] = _graph(*_ensemble["lists"], count)
    louvain = Louvain(
        resolution=resolution, random_state=seed, shuffle_nodes=True, sort_clusters=True
    )
    return np.asarray(louvain.fit_predict(graph[rows][:, rows]), dtype=np.int64)


#: Fewest answers for which the ensemble is spread over worker processes (:mod:`.parallel`);
#: below it starting them costs more than the members take (about 0.1 s in all at 500).
PARALLEL_MIN = 1_000


def co_association(nearest: np.ndarray, sims: np.ndarray, random_state: int = 0) -> np.ndarray:
    """Share of the ensemble members that saw both answers and put them in one community
    (``m × m`` float32; see the module docstring and :data:`SUBSAMPLE`). The members run in
    worker processes for large inputs; their subsamples are drawn here, in one order, so the
    result does not depend on how many processes ran them."""
    from .parallel import process_map

    m = nearest.shape[0]
    size = max(2, round(SUBSAMPLE * m))
    rng = np.random.RandomState(random_state)
    specs = [
        (count, resolution, seed, np.sort(rng.choice(m, size, replace=False)))
        for count in NEIGHBOUR_COUNTS
        for resolution in RESOLUTIONS
        for seed in SEEDS
    ]
    members = process_map(
        _member, specs, _set_ensemble_input, (nearest, sims), None if m >= PARALLEL_MIN else 1
    )
    member_rows, member_cols, seen = [], [], []
    offset = 0
    for (_, _, _, rows), labels in zip(specs, members, strict=True):
        member_rows.append(rows)
        member_cols.append(labels + offset)
        offset += int(labels.max()) + 1
        present = np.zeros(m, dtype=np.float32)
        present[rows] = 1.0
        seen.append(present)
    _set_ensemble_input(None, None)
    # One column per community of each member: Z·Zᵀ counts the members that put two answers
    # together, V·Vᵀ those that saw both (sparse and BLAS products; no m² loop per member).
    rows = np.concatenate(member_rows)
    membership = csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, np.concatenate(member_cols))),
        shape=(m, offset),
    )
    together = (membership @ membership.T).toarray()
    del membership
    present = np.stack(seen, axis=1)
    both = present @ present.T
    np.maximum(both, 1.0, out=both)
    together /= both
    return together


#: Linkage of the consensus tree: average. Ward linkage was tried on the dev split (coarse /
#: fine ARI over analysis seeds 0–3: Ward means 0.238 / 0.316, average 0.213 / 0.311;
#: weighted and complete below both) and then, once, on the held-out split, where its fine
#: ARI was 0.296 against average's 0.333 on the same machine (before the fix of
#: :data:`.embed.NOISE_NORM`): the dev gain was noise. Average stays; this is the one time the
#: held-out split took part in a choice, and it kept the earlier one.
LINKAGE = "average"


def consensus_tree(nearest: np.ndarray, sims: np.ndarray, random_state: int = 0) -> np.ndarray:
    """Average-linkage tree (SciPy linkage matrix) on ``1 − co-association`` of the Louvain
    ensemble (see the module docstring)."""
    from scipy.cluster.hierarchy import linkage

    m = nearest.shape[0]
    distance = co_association(nearest, sims, random_state)
    np.subtract(1.0, distance, out=distance)
    np.fill_diagonal(distance, 0.0)
    condensed = distance[np.triu_indices(m, 1)].astype(np.float64)
    del distance
    return linkage(condensed, method=LINKAGE)


def modularity(graph: csr_matrix, labels: np.ndarray) -> float:
    """Newman's modularity Q of ``labels`` on the weighted undirected ``graph``."""
    degree = np.asarray(graph.sum(axis=1)).ravel()
    total = float(degree.sum())
    if total <= 0:
        return 0.0
    coo = graph.tocoo()
    inside = labels[coo.row] == labels[coo.col]
    within = np.bincount(
        labels[coo.row[inside]], weights=coo.data[inside], minlength=labels.max() + 1
    )
    degrees = np.bincount(labels, weights=degree, minlength=labels.max() + 1)
    return float((within / total - (degrees / total) ** 2).sum())


def cut_into(tree: np.ndarray, k: int) -> np.ndarray:
    """Labels ``0..k−1`` of a cut of the linkage ``tree`` into ``k`` groups (at most the
    number of leaves): by height where a height gives exactly ``k`` groups
    (``fcluster(maxclust)``), else by merge order (``cut_tree``). Merges at one tied height
    — groups that no ensemble member ever joined all meet at distance 1 — cannot be cut
    apart by height, and ``maxclust`` then returns fewer groups (found in CI: 5,050
    template answers came out as one coarse group although two were chosen)."""
    from scipy.cluster.hierarchy import cut_tree

    m = tree.shape[0] + 1
    k = min(k, m)
    if k <= 1:
        return np.zeros(m, dtype=np.int64)
    labels = fcluster(tree, t=k, criterion="maxclust").astype(np.int64) - 1
    if labels.max() + 1 < k:
        labels = cut_tree(tree, n_clusters=[k])[:, 0].astype(np.int64)
    return labels


def two_level(
    matrix: np.ndarray,
    coarse: int | None = None,
    fine: int | None = None,
    random_state: int = 0,
) -> Partition:
    n = matrix.shape[0]
    unit = _unit(matrix.astype(np.float32))
    has_content = np.einsum("ij,ij->i", unit, unit) > 0.5
    content = np.nonzero(has_content)[0]
    if n == 1 or not len(content):  # one answer, or none with a content word: one group
        trivial = {"rule": "trivial", "chosen": 1, "given": coarse is not None, "scores": []}
        return Partition(np.zeros(n, np.int64), np.zeros(1, np.int64), unit[:1].copy(), trivial)
    rng = np.random.RandomState(random_state)
    fit = content
    if len(fit) > GRAPH_SAMPLE:
        fit = np.sort(rng.choice(content, GRAPH_SAMPLE, replace=False))
    m = len(fit)
    selection: dict = {}
    tree = None  # no tree when there is nothing to split (fewer than 3 distinct points)
    distinct, inverse = np.unique(unit[fit], axis=0, return_inverse=True)
    if len(distinct) < 3:
        # One or two distinct points: each is a group (two answers saying the same thing in
        # other words are one position, two different things two).
        coarse_fit = inverse.reshape(-1).astype(np.int64)
        if coarse is not None:
            coarse_fit = np.minimum(coarse_fit, max(coarse, 1) - 1)
        chosen = int(coarse_fit.max()) + 1 if m else 1
        selection = {"rule": "trivial", "chosen": chosen, "given": coarse is not None, "scores": []}
    else:
        points = unit[fit]
        upper = max_coarse_k(m)
        similarity = points @ points.T
        np.fill_diagonal(similarity, -np.inf)
        nearest, sims = _neighbours(similarity, max(max(NEIGHBOUR_COUNTS), NEIGHBOURS))
        del similarity
        graph = _graph(nearest, sims, NEIGHBOURS)
        tree = consensus_tree(nearest, sims, random_state)

        if coarse is not None:
            chosen = min(coarse, m)
            selection = {"rule": "given", "chosen": chosen, "given": True, "scores": []}
        else:
            ks = list(range(2, max(2, upper) + 1))
            scores = [modularity(graph, cut_into(tree, k)) for k in ks]
            chosen = ks[int(np.argmax(scores))]
            selection = {
                "rule": "modularity",
                "chosen": chosen,
                "given": False,
                "scores": [
                    {"k": k, "modularity": round(q, 4)} for k, q in zip(ks, scores, strict=True)
                ],
            }
        coarse_fit = cut_into(tree, chosen)
    # Renumber coarse groups 0..C-1 (k-means may leave one empty in degenerate cases).
    _, coarse_fit = np.unique(coarse_fit, return_inverse=True)
    n_coarse = int(coarse_fit.max()) + 1
    total_fine = fine if fine is not None else max(default_fine_k(len(content) or n), n_coarse)
    total_fine = max(n_coarse, min(total_fine, m)) if m else 1
    if tree is not None and n_coarse < m:
        fine_fit = cut_into(tree, total_fine)
        # The tree's cut into more groups refines the cut into fewer: each fine group's
        # coarse group is that of any of its members.
        _, fine_fit = np.unique(fine_fit, return_inverse=True)
        coarse_of_fine = [0] * (int(fine_fit.max()) + 1)
        for member, group in enumerate(fine_fit):
            coarse_of_fine[group] = int(coarse_fit[member])
    else:
        fine_fit = coarse_fit.copy()
        coarse_of_fine = list(range(n_coarse))
    n_fine = len(coarse_of_fine)
    centers = np.zeros((n_fine, matrix.shape[1]), dtype=np.float32)
    np.add.at(centers, fine_fit, unit[fit])
    labels = np.zeros(n, dtype=np.int64)
    if m:
        labels[:] = _nearest(unit, centers)
        labels[fit] = fine_fit
    # Answers without content words go with the first group (they carry no opinion).
    labels[~has_content] = 0 if not m else labels[~has_content]
    used = np.unique(labels)
    remap = -np.ones(n_fine, dtype=np.int64)
    remap[used] = np.arange(len(used))
    coarse_of_fine_arr = np.array(coarse_of_fine, dtype=np.int64)[used]
    _, coarse_of_fine_arr = np.unique(coarse_of_fine_arr, return_inverse=True)
    return Partition(remap[labels], coarse_of_fine_arr.astype(np.int64), centers[used], selection)


def match_previous(
    new_members: dict[str, set[str]], old_members: dict[str, set[str]]
) -> dict[str, str]:
    """``{new group key: old group id}`` for the new groups that still match an earlier
    group: Hungarian assignment maximising shared answers (by id), kept when the Jaccard
    share is at least :data:`MATCH_MIN_JACCARD`."""
    if not new_members or not old_members:
        return {}
    new_keys, old_keys = list(new_members), list(old_members)
    jaccard = np.zeros((len(new_keys), len(old_keys)))
    for i, a in enumerate(new_keys):
        for j, b in enumerate(old_keys):
            common = len(new_members[a] & old_members[b])
            if common:
                jaccard[i, j] = common / len(new_members[a] | old_members[b])
    rows, cols = linear_sum_assignment(-jaccard)
    return {
        new_keys[i]: old_keys[j]
        for i, j in zip(rows, cols, strict=True)
        if jaccard[i, j] >= MATCH_MIN_JACCARD
    }


def ctfidf_keywords(
    lemma_lists: list[list[str]], labels: np.ndarray, n_clusters: int, top: int = 5
) -> list[list[str]]:
    """Top ``top`` lemmas per cluster by class-based TF-IDF (see module docstring)."""
    per_cluster = [Counter() for _ in range(n_clusters)]
    for lemmas, label in zip(lemma_lists, labels, strict=True):
        per_cluster[label].update(set(lemmas))
    totals = Counter()
    for counts in per_cluster:
        totals.update(counts)
    words = [sum(c.values()) for c in per_cluster]
    average = max(1.0, sum(words) / max(1, n_clusters))
    result = []
    for counts, size in zip(per_cluster, words, strict=True):
        scored = [
            (count / size * math.log(1 + average / totals[lemma]), lemma)
            for lemma, count in counts.items()
            if size
        ]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        result.append([lemma for _, lemma in scored[:top]])
    return result


#: A phrase label joins two keywords by at most this many characters of the answers' own
#: text (a particle or two: 窓口の待ち時間, 手数料を払う); longer spans are not phrases.
PHRASE_GAP = 3
#: Phrases are counted in at most this many answers of a group (time; a phrase that
#: labels a group is frequent in any sample of it).
PHRASE_SAMPLE = 500


def phrase(keywords: list[str], texts: list[str]) -> str | None:
    """The group's most frequent short phrase (as its answers write it) that joins two of its
    first three keywords in either order — 「窓口の待ち時間」 — or ``None``."""
    import re

    counts: Counter = Counter()
    top = [w for w in keywords[:3] if w]
    for first in top:
        for second in top:
            if first == second:
                continue
            gap = rf"[^、。！？!?\s]{{0,{PHRASE_GAP}}}?"
            pattern = re.compile(re.escape(first) + gap + re.escape(second))
            for text in texts[:PHRASE_SAMPLE]:
                counts.update(set(pattern.findall(text)))
    if not counts:
        return None
    best, seen = min(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
    return best if seen >= 2 else None


def make_labels(
    keywords: list[list[str]],
    empty_label: str = "（内容語なし）",
    texts: list[list[str]] | None = None,
) -> list[str]:
    """A group's label: its most frequent short phrase joining two of its first keywords
    (:func:`phrase`, with ``texts`` the group's answers), else its first two keywords joined
    with 「・」 — three when two would repeat another group's label."""
    labels = []
    for index, words in enumerate(keywords):
        found = phrase(words, texts[index]) if texts is not None and words else None
        labels.append(found or ("・".join(words[:2]) if words else empty_label))
    counts = Counter(labels)
    for i, words in enumerate(keywords):
        if counts[labels[i]] > 1 and len(words) > 2 and "・" in labels[i]:
            labels[i] = "・".join(words[:3])
    return labels


def representatives(
    matrix: np.ndarray, members: np.ndarray, center: np.ndarray, top: int = 3
) -> np.ndarray:
    """Indices (into ``matrix``) of the ``top`` members closest to ``center`` (cosine)."""
    if len(members) == 0:
        return members
    norm = np.linalg.norm(center)
    scores = matrix[members] @ (center / norm if norm > 0 else center)
    order = np.lexsort((members, -scores))
    return members[order[:top]]
