"""The analysis of a vote matrix, as Polis publishes it (polismath ``conversation.clj``,
``pca.clj``, ``clusters.clj``, ``repness.clj``), in numpy / scipy / scikit-learn.

1. **Who is grouped** — participants who voted on at least ``min(7, statements)`` statements
   (counting hidden ones, as Polis counts its raw matrix), those admitted earlier (from the
   votes' timestamps or the previous result: once in, always in), and, while fewer than 15
   are in, the most active others (Polis's ``greedy-n``).
2. **Map** — PCA of the participant × statement matrix (every participant, hidden statements
   zeroed) with a missing vote replaced by the statement's mean vote. After centring, the
   imputed entries are exactly zero, so the centred matrix stays sparse and its two leading
   right singular vectors are the components (Polis finds the same by power iteration).
   Each participant is projected from their own votes only and the projection scaled by
   ``sqrt(n_statements / n_voted)`` (Polis's ``sparsity-aware-project-ptpt``; Polis's zeroed
   hidden columns count as voted).
3. **Base clusters** — k-means with 100 clusters on the map's points of the grouped
   participants (each distinct point its own cluster when there are fewer).
4. **Opinion groups** — k-means of the base clusters' centres weighted by their sizes, for
   k = 2 … min(5, 2 + bases/12); k is chosen by the silhouette of the base clusters and
   kept steady against the previous result (see :func:`_choose_k`); group ids are kept by
   matching members with the previous groups.
5. **Numbers per statement** — repness per group (:func:`_repness`), group-informed consensus
   (the product over groups of each group's smoothed agree probability), divisive statements
   (the variance of the groups' agree rates).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.linalg import svds
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from . import stats as zstats
from .errors import ConsensusInputError
from .result import ConsensusResult
from .votes import GREEDY_N, MIN_VOTES, Votes

#: Polis's ``base-k``: base clusters per conversation.
BASE_K = 100
#: Polis's ``max-k``: at most five opinion groups.
MAX_K = 5
#: Polis's ``group-k-buffer``: a new best k replaces the kept one after being the best in
#: this many analyses in a row.
K_BUFFER = 4
#: Silhouette margin by which a new k wins at once (not in Polis, which only has the buffer):
#: chosen as a large step on the silhouette scale (-1 … 1) — a conversation whose shape has
#: plainly changed should not wait four analyses. Not tuned on the Polis conversations (each
#: is analysed once, without a previous result, so the rule never applies there).
K_CLEAR_MARGIN = 0.15
#: When the previous groups, recentred on the new map, seed a k-means whose within-group
#: spread is at most this much (relative) above a fresh k-means, the seeded groups are kept:
#: steadiness over a marginally tighter fit. 2 % is well below the spread differences between
#: genuinely different splits seen on the Polis conversations.
STEADY_TOLERANCE = 0.02
#: Polis zeroes the columns of hidden statements, so in its projection's scaling they count
#: as statements every participant voted on; kept for fidelity to Polis.
HIDDEN_AS_VOTED = True
#: Repeated k-means starts for the base clusters (the best of a few starts makes the base
#: clusters, hence the silhouettes that choose k, far less dependent on the random start).
BASE_N_INIT = 3
#: Repeated k-means starts for the opinion groups (cheap: at most 100 weighted points).
GROUP_N_INIT = 10
#: Most representative statements per group (Polis: 5).
MAX_REPRESENTATIVE = 5
#: Below this many distinct base clusters (positions on the map) no grouping is made.
MIN_BASES = 2
#: Above this many cells the SVD runs on the sparse matrix (ARPACK) instead of densely.
DENSE_CELLS = 2_000_000


def analyze(
    votes: Votes,
    previous: Mapping | None = None,
    *,
    min_votes: int = MIN_VOTES,
    random_state: int = 0,
) -> ConsensusResult:
    """Analyse ``votes`` (see the module docstring). ``previous``: an earlier result's
    ``to_json()``, used to keep groups, their ids and k steady; the map keeps its orientation.
    """
    # One BLAS / OpenMP thread: the matrices are small or sparse, and on a busy two-core
    # server threads cost far more than they give (a 448 × 152 SVD took 2.6 s with two
    # OpenBLAS threads under load, 0.04 s with one).
    with threadpool_limits(limits=1):
        return _analyze(votes, previous, min_votes=min_votes, random_state=random_state)


def _analyze(votes, previous, *, min_votes, random_state) -> ConsensusResult:
    if not isinstance(votes, Votes):
        raise ConsensusInputError("analyze() needs a Votes object.", code="invalid_input")
    prev = _read_previous(previous)
    n_p = len(votes.participants)
    codes = votes.codes
    # Statements that are columns of the analysis: those with at least one vote (Polis's
    # rating matrix has a column per voted comment).
    voted_counts = np.diff(codes.tocsc().indptr)
    column_ids = np.flatnonzero(voted_counts > 0)
    hidden_mask = np.array([votes.statements[j] in votes.hidden for j in column_ids], dtype=bool)
    visible = column_ids[~hidden_mask]
    n_columns = len(column_ids)
    stats: dict = {
        "participants": n_p,
        "statements": len(votes.statements),
        "statements_voted": n_columns,
        "statements_hidden": int(hidden_mask.sum()),
        "votes": votes.n_votes,
    }
    if n_p == 0 or len(visible) == 0:
        return _empty_result(votes, stats, "no_votes", min(min_votes, n_columns))

    # 1. who is grouped
    per_participant = np.diff(codes.indptr)  # votes counted (hidden included), Polis's raw
    threshold = max(1, min(min_votes, n_columns))
    in_conv = per_participant >= threshold
    earlier = votes.admitted | prev["in_conv"]
    if earlier:
        index = votes.participant_rows
        for pid in earlier:
            row = index.get(pid)
            if row is not None and per_participant[row] > 0:
                in_conv[row] = True
    if in_conv.sum() < GREEDY_N:
        order = np.lexsort((np.arange(n_p), -per_participant))
        for row in order:
            if in_conv.sum() >= GREEDY_N or per_participant[row] == 0:
                break
            in_conv[row] = True

    # 2. map
    sub = codes[:, visible].astype(np.float64)
    sub.data -= 2.0  # back to -1 / 0 / 1 (passes are stored zeros now)
    voted = codes[:, visible].astype(bool).astype(np.float64)
    per_column = np.asarray(voted.sum(axis=0)).ravel()
    means = np.asarray(sub.sum(axis=0)).ravel() / np.maximum(per_column, 1)
    centred = voted.multiply(-means[np.newaxis, :]).tocsr() + sub
    centred = sparse.csr_matrix(centred)
    components, explained = _top_components(centred, random_state)
    components = _orient(components)
    projection = np.asarray(centred @ components.T)
    n_voted = np.diff(voted.tocsr().indptr)
    if HIDDEN_AS_VOTED:
        n_voted = n_voted + int(hidden_mask.sum())
        scale_columns = n_columns
    else:
        scale_columns = len(visible)
    projection *= np.sqrt(scale_columns / np.maximum(n_voted, 1))[:, np.newaxis]
    projection = _align_with_previous(projection, votes.participants, prev)
    stats.update(
        {
            "min_votes": int(threshold),
            "participants_in": int(in_conv.sum()),
            "participants_out": int(n_p - in_conv.sum()),
            "explained_variance": [round(float(v), 6) for v in explained],
        }
    )

    # 3. base clusters
    rows_in = np.flatnonzero(in_conv)
    points = projection[rows_in]
    base_of, centres, weights = _base_clusters(points, random_state)
    stats["base_clusters"] = len(centres)
    if len(centres) < MIN_BASES:
        result = _empty_result(votes, stats, "too_few_participants", threshold, projection)
        return result

    # 4. opinion groups
    silhouettes: dict[int, float] = {}
    if len(centres) == 2:
        # Two distinct positions only (e.g. two camps voting identically): two groups; a
        # silhouette is not defined for two points.
        labels, k, best_k = np.array([0, 1]), 2, 2
        smoother = _choose_k(2, {2: 0.0}, {"k": None, "smoother": prev["smoother"]})[1]
    else:
        max_k = min(MAX_K, 2 + len(centres) // 12, len(centres) - 1)
        candidates: dict[int, np.ndarray] = {}
        inertias: dict[int, float] = {}
        for k in range(2, max_k + 1):
            labels, inertia = _weighted_kmeans(centres, weights, k, random_state)
            if len(set(labels.tolist())) < 2:
                continue
            candidates[k] = labels
            inertias[k] = inertia
            silhouettes[k] = float(silhouette_score(centres, labels))
        if not candidates:
            return _empty_result(votes, stats, "too_few_participants", threshold, projection)
        best_k = max(silhouettes, key=lambda k: (silhouettes[k], -k))
        k, smoother = _choose_k(best_k, silhouettes, prev)
        labels = candidates[k]
        if prev["groups"] and prev["k"] == k:
            labels = _steady_labels(
                labels, inertias[k], centres, weights, base_of, rows_in, votes, prev, k
            )
    member_labels = labels[base_of]
    group_ids = _group_ids(member_labels, rows_in, votes.participants, prev)
    group_of_row = np.full(n_p, -1, dtype=np.int64)
    group_of_row[rows_in] = np.array([group_ids[label] for label in member_labels])
    stats.update(
        {
            "k": int(k),
            "silhouette": round(silhouettes[k], 6) if k in silhouettes else None,
            "candidates": {str(c): round(s, 6) for c, s in sorted(silhouettes.items())},
            "best_k": int(best_k),
            "k_smoother": smoother,
        }
    )

    # 5. numbers per statement
    gids = sorted(set(group_ids.values()))
    counts = _group_counts(codes, visible, group_of_row, gids)
    representative = _repness(counts, [votes.statements[j] for j in visible], gids)
    consensus, divisive = _consensus_and_divisive(
        counts, [votes.statements[j] for j in visible], gids
    )
    groups = [
        {
            "id": gid,
            "size": int((group_of_row == gid).sum()),
            "representative": representative[gid],
        }
        for gid in gids
    ]
    participants = [
        {
            "id": pid,
            "group": int(group_of_row[row]) if group_of_row[row] >= 0 else None,
            "x": round(float(projection[row, 0]), 6),
            "y": round(float(projection[row, 1]), 6),
            "votes": int(per_participant[row]),
        }
        for row, pid in enumerate(votes.participants)
    ]
    return ConsensusResult(participants, groups, consensus, divisive, stats)


# -- previous result ---------------------------------------------------------------------
def _read_previous(previous) -> dict:
    empty = {"in_conv": frozenset(), "groups": {}, "k": None, "smoother": {}, "xy": {}}
    if previous is None:
        return empty
    if isinstance(previous, ConsensusResult):
        previous = previous.to_json()
    try:
        participants = previous["participants"]
        groups: dict[str, int] = {}
        xy: dict[str, tuple[float, float]] = {}
        for item in participants:
            pid = str(item["id"])
            if item.get("group") is not None:
                groups[pid] = int(item["group"])
            if item.get("x") is not None and item.get("y") is not None:
                xy[pid] = (float(item["x"]), float(item["y"]))
        stats = previous.get("stats") or {}
        k = stats.get("k")
        k = int(k) if k is not None else None
        smoother = stats.get("k_smoother") or {}
        smoother = {
            "last_k": int(smoother["last_k"]) if smoother.get("last_k") is not None else None,
            "last_k_count": int(smoother.get("last_k_count") or 0),
        }
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ConsensusInputError(
            f"The previous result cannot be read ({type(error).__name__}: {error}).",
            code="bad_previous",
            params={"reason": f"{type(error).__name__}: {error}"[:200]},
        ) from None
    return {
        "in_conv": frozenset(groups),
        "groups": groups,
        "k": k,
        "smoother": smoother,
        "xy": xy,
    }


def _empty_result(votes, stats, reason, threshold, projection=None) -> ConsensusResult:
    per_participant = np.diff(votes.codes.indptr)
    participants = []
    for row, pid in enumerate(votes.participants):
        x = y = 0.0
        if projection is not None:
            x, y = float(projection[row, 0]), float(projection[row, 1])
        participants.append(
            {
                "id": pid,
                "group": None,
                "x": round(x, 6),
                "y": round(y, 6),
                "votes": int(per_participant[row]),
            }
        )
    stats.setdefault("min_votes", int(threshold))
    stats.setdefault("participants_in", 0)
    stats.setdefault("participants_out", len(votes.participants))
    stats.update({"k": 0, "silhouette": None, "candidates": {}, "reason": reason})
    return ConsensusResult(participants, [], [], [], stats)


# -- map ---------------------------------------------------------------------------------
def _top_components(centred: sparse.csr_matrix, random_state: int):
    n_rows, n_cols = centred.shape
    total = float(centred.multiply(centred).sum()) or 1.0
    if n_rows * n_cols <= DENSE_CELLS or min(n_rows, n_cols) <= 3:
        _, singular, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
        singular, vt = singular[:2], vt[:2]
    else:
        rng = np.random.default_rng(random_state)
        start = rng.standard_normal(min(n_rows, n_cols))
        _, singular, vt = svds(centred, k=2, v0=start, random_state=random_state)
        order = np.argsort(-singular)
        singular, vt = singular[order], vt[order]
    components = np.zeros((2, n_cols))
    components[: len(vt)] = vt
    explained = np.zeros(2)
    explained[: len(singular)] = singular**2 / total
    return components, explained


def _orient(components: np.ndarray) -> np.ndarray:
    """A deterministic sign: each component's largest loading is positive."""
    for i in range(len(components)):
        row = components[i]
        if row.any() and row[np.argmax(np.abs(row))] < 0:
            components[i] = -row
    return components


def _align_with_previous(projection, participants, prev) -> np.ndarray:
    """Flip an axis when it points against the previous map (PCA signs are arbitrary), so the
    map does not mirror itself between analyses."""
    if not prev["xy"]:
        return projection
    rows, old = [], []
    for row, pid in enumerate(participants):
        if pid in prev["xy"]:
            rows.append(row)
            old.append(prev["xy"][pid])
    if len(rows) < 2:
        return projection
    old = np.asarray(old)
    new = projection[rows]
    for axis in range(2):
        if float(np.dot(new[:, axis], old[:, axis])) < 0:
            projection[:, axis] = -projection[:, axis]
    return projection


# -- clustering --------------------------------------------------------------------------
def _base_clusters(points: np.ndarray, random_state: int):
    """``(base index of each point, centres, sizes)``. The distinct points (sorted, weighted
    by how many participants share them) are clustered, so that the result does not depend
    on the order in which participants came."""
    distinct, inverse, counts = np.unique(
        np.round(points, 9), axis=0, return_inverse=True, return_counts=True
    )
    inverse = inverse.ravel()
    weights = counts.astype(float)
    if len(distinct) <= BASE_K:
        return inverse, distinct.astype(float), weights
    model = KMeans(n_clusters=BASE_K, n_init=BASE_N_INIT, random_state=random_state)
    model.fit(distinct, sample_weight=weights)
    used, labels = np.unique(model.labels_, return_inverse=True)
    centres = model.cluster_centers_[used]
    sizes = np.bincount(labels, weights=weights, minlength=len(used))
    return labels[inverse], centres, sizes


def _weighted_kmeans(centres, weights, k, random_state, init=None):
    if init is None:
        model = KMeans(n_clusters=k, n_init=GROUP_N_INIT, random_state=random_state)
    else:
        model = KMeans(n_clusters=k, init=init, n_init=1, random_state=random_state)
    model.fit(centres, sample_weight=weights)
    return model.labels_, float(model.inertia_)


def _choose_k(best_k: int, silhouettes: dict[int, float], prev) -> tuple[int, dict]:
    """Polis's k smoother plus a clear-margin rule (see K_BUFFER, K_CLEAR_MARGIN)."""
    last_k = prev["smoother"].get("last_k")
    count = prev["smoother"].get("last_k_count", 0)
    count = count + 1 if last_k == best_k else 1
    kept = prev["k"]
    if (
        kept is None
        or kept not in silhouettes
        or count >= K_BUFFER
        or silhouettes[best_k] - silhouettes[kept] >= K_CLEAR_MARGIN
    ):
        k = best_k
    else:
        k = kept
    return k, {"last_k": int(best_k), "last_k_count": int(count)}


def _steady_labels(labels, inertia, centres, weights, base_of, rows_in, votes, prev, k):
    """Seed k-means with the previous groups recentred on the new map; keep that split when
    it fits nearly as well as a fresh one (STEADY_TOLERANCE)."""
    seeds = []
    member_sums: dict[int, list] = {}
    for index, row in enumerate(rows_in):
        gid = prev["groups"].get(votes.participants[row])
        if gid is not None:
            member_sums.setdefault(gid, []).append(base_of[index])
    for gid in sorted(member_sums):
        bases = np.asarray(member_sums[gid])
        seeds.append(centres[bases].mean(axis=0))
    if len(seeds) != k:
        return labels
    seeds = np.asarray(seeds)
    if len(np.unique(np.round(seeds, 9), axis=0)) != k:
        return labels
    seeded, seeded_inertia = _weighted_kmeans(centres, weights, k, 0, init=seeds)
    if len(set(seeded.tolist())) == k and seeded_inertia <= inertia * (1 + STEADY_TOLERANCE):
        return seeded
    return labels


def _group_ids(member_labels, rows_in, participants, prev) -> dict[int, int]:
    """Label → group id: matched to the previous groups by shared members (Hungarian), else
    new ids; without a previous result, ids by decreasing size."""
    labels = sorted(set(member_labels.tolist()))
    sizes = {label: int((member_labels == label).sum()) for label in labels}
    if not prev["groups"]:
        ordered = sorted(labels, key=lambda label: (-sizes[label], label))
        return {label: gid for gid, label in enumerate(ordered)}
    old_ids = sorted(set(prev["groups"].values()))
    overlap = np.zeros((len(labels), len(old_ids)))
    label_pos = {label: i for i, label in enumerate(labels)}
    old_pos = {gid: j for j, gid in enumerate(old_ids)}
    for label, row in zip(member_labels.tolist(), rows_in.tolist(), strict=True):
        gid = prev["groups"].get(participants[row])
        if gid is not None:
            overlap[label_pos[label], old_pos[gid]] += 1
    chosen_rows, chosen_cols = linear_sum_assignment(-overlap)
    mapping: dict[int, int] = {}
    for i, j in zip(chosen_rows, chosen_cols, strict=True):
        if overlap[i, j] > 0:
            mapping[labels[i]] = old_ids[j]
    next_id = 0
    taken = set(mapping.values())
    for label in sorted(labels, key=lambda label: (-sizes[label], label)):
        if label not in mapping:
            while next_id in taken:
                next_id += 1
            mapping[label] = next_id
            taken.add(next_id)
    return mapping


# -- numbers per statement ---------------------------------------------------------------
def _group_counts(codes, visible, group_of_row, gids) -> dict[str, np.ndarray]:
    """Agree / disagree / seen counts, shape (groups, visible statements)."""
    sub = codes[:, visible]
    rows = np.flatnonzero(group_of_row >= 0)
    position = {gid: i for i, gid in enumerate(gids)}
    indicator = sparse.csr_matrix(
        (
            np.ones(len(rows)),
            (np.array([position[g] for g in group_of_row[rows]], dtype=np.int64), rows),
        ),
        shape=(len(gids), codes.shape[0]),
    )
    agree = (sub == 3).astype(np.float64)
    disagree = (sub == 1).astype(np.float64)
    seen = (sub > 0).astype(np.float64)
    return {
        "A": np.asarray((indicator @ agree).todense()),
        "D": np.asarray((indicator @ disagree).todense()),
        "S": np.asarray((indicator @ seen).todense()),
    }


def _repness(counts, statement_ids, gids) -> dict[int, list[dict]]:
    """Polis's representative statements per group (repness.clj ``conv-repness`` and
    ``select-rep-comments``): ratio of the group's smoothed agree (or disagree) probability
    to the others', the one-proportion test of the group's probability and the
    two-proportion test against the others, significant at 90 %."""
    na, nd, ns = counts["A"], counts["D"], counts["S"]
    rest_a, rest_d, rest_s = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    pat, pdt = zstats.prop_test(na, ns), zstats.prop_test(nd, ns)
    ra = pa / ((rest_a + 1) / (rest_s + 2))
    rd = pd / ((rest_d + 1) / (rest_s + 2))
    rat = zstats.two_prop_test(na, rest_a, ns, rest_s)
    rdt = zstats.two_prop_test(nd, rest_d, ns, rest_s)
    z = zstats.Z_90
    result: dict[int, list[dict]] = {}
    for g, gid in enumerate(gids):

        def entry(j, g=g):
            agree_side = rat[g, j] > rdt[g, j]
            return {
                "statement": statement_ids[j],
                "repful": "agree" if agree_side else "disagree",
                "repness": round(float(ra[g, j] if agree_side else rd[g, j]), 6),
                "repness_test": round(float(rat[g, j] if agree_side else rdt[g, j]), 6),
                "p_success": round(float(pa[g, j] if agree_side else pd[g, j]), 6),
                "p_test": round(float(pat[g, j] if agree_side else pdt[g, j]), 6),
                "agree": int(na[g, j]),
                "disagree": int(nd[g, j]),
                "pass": int(ns[g, j] - na[g, j] - nd[g, j]),
                "seen": int(ns[g, j]),
                "p_agree": round(float(pa[g, j]), 6),
                "p_disagree": round(float(pd[g, j]), 6),
            }

        def metric(item):
            return item["repness"] * item["repness_test"] * item["p_success"] * item["p_test"]

        sufficient: list[int] = []
        best = None  # statement index with the highest test (kept while nothing passes)
        best_agree = None
        for j in range(len(statement_ids)):
            passes = (rat[g, j] > z and pat[g, j] > z) or (rdt[g, j] > z and pdt[g, j] > z)
            if passes:
                sufficient.append(j)
            if not sufficient and (
                best is None or max(rat[g, j], rdt[g, j]) > max(rat[g, best], rdt[g, best])
            ):
                best = j
            if _beats_best_agree(g, j, best_agree, na, nd, ra, rat, pa, pat):
                best_agree = j
        head: list[dict] = []
        if best_agree is not None:
            head = [{**entry(best_agree), "best_agree": True}]
        if sufficient:
            rest = [entry(j) for j in sufficient if j != best_agree]
            rest.sort(key=lambda item: (-metric(item), item["statement"]))
            chosen = (head + rest)[:MAX_REPRESENTATIVE]
        elif head:
            chosen = head
        elif best is not None and ns[g, best] > 0:
            chosen = [entry(best)]
        else:
            chosen = []
        agrees = [item for item in chosen if item["repful"] == "agree"]
        result[gid] = agrees + [item for item in chosen if item["repful"] != "agree"]
    return result


def _beats_best_agree(g, j, current, na, nd, ra, rat, pa, pat) -> bool:
    """polismath ``beats-best-agr?``."""
    if na[g, j] == 0 and nd[g, j] == 0:
        return False
    if current is not None and ra[g, current] > 1.0:
        return (ra[g, j] * rat[g, j] * pa[g, j] * pat[g, j]) > (
            ra[g, current] * rat[g, current] * pa[g, current] * pat[g, current]
        )
    if current is not None:
        return pa[g, j] * pat[g, j] > pa[g, current] * pat[g, current]
    return bool(pat[g, j] > zstats.Z_90 or (ra[g, j] > 1.0 and pa[g, j] > 0.5))


def _consensus_and_divisive(counts, statement_ids, gids):
    na, nd, ns = counts["A"], counts["D"], counts["S"]
    pa = (na + 1) / (ns + 2)  # each group's smoothed agree probability (Polis's +1/+2 prior)
    pat = zstats.prop_test(na, ns)
    product = pa.prod(axis=0)  # Polis's group-aware consensus
    consensus = []
    divisive = []
    totals = {"agree": na.sum(0), "disagree": nd.sum(0), "seen": ns.sum(0)}
    for j, statement in enumerate(statement_ids):
        per_group = {str(gid): round(float(pa[g, j]), 6) for g, gid in enumerate(gids)}
        numbers = {
            "agree": int(totals["agree"][j]),
            "disagree": int(totals["disagree"][j]),
            "pass": int(totals["seen"][j] - totals["agree"][j] - totals["disagree"][j]),
            "seen": int(totals["seen"][j]),
        }
        # Consensus: every group agrees more often than not, significantly (Polis's 90 %
        # one-proportion test, applied in each group instead of overall).
        if (pa[:, j] > 0.5).all() and (pat[:, j] > zstats.Z_90).all():
            consensus.append(
                {
                    "statement": statement,
                    "group_consensus": round(float(product[j]), 6),
                    "p_agree_min": round(float(pa[:, j].min()), 6),
                    "per_group": per_group,
                    **numbers,
                }
            )
        if len(gids) >= 2:
            high, low = int(np.argmax(pa[:, j])), int(np.argmin(pa[:, j]))
            z = float(zstats.two_prop_test(na[high, j], na[low, j], ns[high, j], ns[low, j]))
            # Divisive: the groups are on opposite sides (one agrees more often than not, one
            # less) and the difference between those two is significant at 95 %.
            if pa[high, j] > 0.5 > pa[low, j] and z > zstats.Z_95:
                divisive.append(
                    {
                        "statement": statement,
                        "variance": round(float(pa[:, j].var()), 6),
                        "range": round(float(pa[high, j] - pa[low, j]), 6),
                        "z": round(z, 6),
                        "most_agree_group": gids[high],
                        "least_agree_group": gids[low],
                        "per_group": per_group,
                        **numbers,
                    }
                )
    consensus.sort(key=lambda item: (-item["group_consensus"], item["statement"]))
    divisive.sort(key=lambda item: (-item["variance"], item["statement"]))
    return consensus, divisive
