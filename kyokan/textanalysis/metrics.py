"""Divergence, alignment with a reference text, and breakdowns by attribute."""

from __future__ import annotations

from collections import Counter

import numpy as np

CHUNK = 10_000

#: The divergence index (see :func:`divergence`), in words; the numbers of a run are in its
#: ``divergence_explanation`` (a ``code`` and ``params`` that a caller can translate).
DIVERGENCE_EXPLANATION = (
    "Divergence (0 to 1) is 1 minus the average cosine similarity of the embeddings of every "
    "pair of respondents: 0 when everyone says the same thing, close to 1 when no two answers "
    "share words or meaning. Every answer counts as one respondent (people who wrote the same "
    "text agree, and their pair counts as fully similar), except bulk submissions and "
    "campaigns, which count once each. Answers with no content word are left out. Rounds are "
    "compared in one shared embedding (analyze_rounds)."
)
DIVERGENCE_EXPLANATION_JA = (
    "意見のばらつき（0〜1）は、回答者どうしのすべての組について意味ベクトルのコサイン類似度を"
    "平均し、1から引いた値です。全員が同じことを言っていれば0、どの2つの回答にも共通する言葉や"
    "意味がなければ1に近くなります。同じ文面を書いた人どうしは同じ意見として数えます（一括提出"
    "と組織的な同一・類似意見はそれぞれ1件として数えます）。内容語のない回答は除きます。"
    "回を比べるときは、すべての回の回答を一つの意味空間に置いて計算します。"
)
ALIGNMENT_EXPLANATION = (
    "Alignment (0 to 1) says how closely an answer restates a part of the reference text. The "
    "reference is cut into parts (sentences, and clauses at 、). For each part, every content "
    "word of the part is matched with the most similar word of the answer (cosine of the "
    "word vectors; the same word scores 1) and the other way round; the IDF-weighted means "
    "give recall and precision, and their harmonic mean (F1) is the answer's score for that "
    "part. The answer's alignment is its best part's score, and that part is reported."
)


def _content_rows(unit_vectors: np.ndarray) -> np.ndarray:
    """Mask of the rows that are unit vectors (answers with content words)."""
    mask = np.zeros(unit_vectors.shape[0], dtype=bool)
    for start in range(0, unit_vectors.shape[0], CHUNK):
        block = unit_vectors[start : start + CHUNK]
        mask[start : start + CHUNK] = np.einsum("ij,ij->i", block, block) > 0.25
    return mask


def mean_cosine_distance(unit_vectors: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Mean pairwise cosine distance of L2-normalised rows, exactly and in O(n):
    mean similarity = (|Σx|² − n) / (n(n − 1)). Zero rows are skipped."""
    if mask is None:
        mask = _content_rows(unit_vectors)
    n = int(mask.sum())
    if n < 2:
        return 0.0
    total = np.zeros(unit_vectors.shape[1], dtype=np.float64)
    for start in range(0, unit_vectors.shape[0], CHUNK):
        block = unit_vectors[start : start + CHUNK][mask[start : start + CHUNK]]
        total += block.sum(axis=0, dtype=np.float64)
    mean_similarity = (float(total @ total) - n) / (n * (n - 1))
    return float(min(1.0, max(0.0, 1.0 - mean_similarity)))


def cluster_spread(labels: np.ndarray, n_clusters: int) -> float:
    """Entropy of the cluster shares over its maximum, log(min(n_clusters, len(labels)))."""
    m = len(labels)
    possible = min(n_clusters, m)
    if possible < 2:
        return 0.0
    counts = np.bincount(labels)
    shares = counts[counts > 0] / m
    return float(min(1.0, -(shares * np.log(shares)).sum() / np.log(possible)))


def divergence(
    unit_vectors: np.ndarray, labels: np.ndarray, n_clusters: int, weights: np.ndarray | None = None
) -> dict:
    """``{"divergence", "distance", "spread", "mean_similarity", "respondents", "distinct"}``.

    ``unit_vectors`` are the distinct answers, ``weights`` how many respondents hold each
    (1 when not given). With ``W`` respondents and ``S = Σ wᵢ xᵢ``, the mean similarity of
    the ``W(W − 1)`` ordered pairs of different respondents is ``(|S|² − W) / (W(W − 1))``,
    exact in O(n). ``spread`` (entropy of the fine-cluster shares over its maximum) is
    reported beside it; it is not part of the index because it jumps when a group boundary
    moves."""
    content = _content_rows(unit_vectors)
    w = np.ones(unit_vectors.shape[0]) if weights is None else np.asarray(weights, float)
    w = w[content]
    rows = unit_vectors[content].astype(np.float64)
    total = float(w.sum())
    empty = {"divergence": 0.0, "distance": 0.0, "spread": 0.0, "mean_similarity": 1.0}
    if total < 2 or rows.shape[0] == 0:
        return {**empty, "respondents": int(total), "distinct": int(rows.shape[0])}
    summed = (rows * w[:, None]).sum(axis=0)
    mean_similarity = (float(summed @ summed) - total) / (total * (total - 1))
    distance = float(min(1.0, max(0.0, 1.0 - mean_similarity)))
    spread = cluster_spread(np.asarray(labels)[content], n_clusters)
    return {
        "divergence": distance,
        "distance": distance,
        "spread": spread,
        "mean_similarity": float(mean_similarity),
        "respondents": int(total),
        "distinct": int(rows.shape[0]),
    }


def divergence_explanation(parts: dict, counted_once: int = 0) -> dict:
    """The run's explanation as data: ``{"code", "params", "text"}`` (``text`` in English;
    a caller translates ``code`` with ``params``)."""
    params = {
        "divergence": round(parts["divergence"], 4),
        "mean_similarity": round(parts["mean_similarity"], 4),
        "respondents": parts["respondents"],
        "distinct": parts["distinct"],
        "counted_once": counted_once,
    }
    equation = (
        f"= 1 − {params['mean_similarity']:.2f}, the"
        if params["mean_similarity"] >= 0
        else f"(its largest value; 1 − {params['mean_similarity']:.2f} would exceed 1): the"
    )
    text = (
        f"Divergence {params['divergence']:.2f} {equation} average similarity of the pairs "
        f"among {params['respondents']} respondents ({params['distinct']} distinct answers; "
        f"{counted_once} organised submissions counted once)."
    )
    return {"code": "divergence_mean_similarity", "params": params, "text": text}


def reference_parts(text: str) -> list[str]:
    """The reference cut into sentences (。！？ and line breaks) and clauses (、), in order."""
    import re

    parts = []
    for sentence in re.split(r"[。！？!?\n]+", text):
        for clause in re.split(r"[、，,]", sentence):
            if clause.strip():
                parts.append(clause.strip())
    return parts


def soft_f1(
    answer: list[np.ndarray],
    answer_weights: np.ndarray,
    part: list[np.ndarray],
    part_weights: np.ndarray,
    same: np.ndarray,
) -> float:
    """IDF-weighted soft F1 of two bags of unit word vectors (``same[i, j]`` is 1 where
    answer word ``i`` and part word ``j`` are the same word)."""
    if not len(answer) or not len(part):
        return 0.0
    similarity = np.clip(np.asarray(answer) @ np.asarray(part).T, 0.0, 1.0)
    similarity = np.maximum(similarity, same)
    recall = float((similarity.max(axis=0) * part_weights).sum() / part_weights.sum())
    precision = float((similarity.max(axis=1) * answer_weights).sum() / answer_weights.sum())
    if recall + precision == 0:
        return 0.0
    return 2 * recall * precision / (recall + precision)


def alignment_scores(unit_vectors: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Per row: max(0, cosine similarity with ``reference``), in [0, 1]."""
    norm = float(np.linalg.norm(reference))
    if norm == 0:
        return np.zeros(unit_vectors.shape[0], dtype=np.float64)
    scores = unit_vectors.astype(np.float64) @ (reference.astype(np.float64) / norm)
    return np.clip(scores, 0.0, 1.0)


def breakdown(labels: list, values: list[str]) -> dict:
    """``{label: {value: count}}`` for parallel lists of cluster labels and attribute values."""
    out: dict = {}
    for label, value in zip(labels, values, strict=True):
        if label is None:
            continue
        out.setdefault(label, Counter())[value] += 1
    return {label: dict(sorted(counts.items())) for label, counts in out.items()}


def compare_alignment(before: dict, after: dict, attribute: str | None = None) -> dict:
    """Change of alignment between two rounds (JSON results of :func:`analyze_csv`).

    With ``attribute`` the mean alignment per value of that attribute is compared, otherwise
    the overall mean. Returns ``{value: {"before", "after", "change"}}`` (``"change"`` is
    ``after − before``; a value present in one round only has ``None`` for the other and
    for the change). Both results must have been computed with a reference text.
    """

    def means(result: dict) -> dict:
        alignment = result.get("stats", {}).get("alignment")
        if alignment is None:
            raise ValueError("this result was computed without a reference text")
        if attribute is None:
            return {"(all)": alignment["mean"]}
        groups = result["stats"].get("groups", {}).get(attribute)
        if groups is None:
            raise ValueError(f"no attribute {attribute!r} in this result")
        return {value: group.get("alignment") for value, group in groups.items()}

    first, second = means(before), means(after)
    out = {}
    for value in sorted(set(first) | set(second)):
        a, b = first.get(value), second.get(value)
        change = None if a is None or b is None else round(b - a, 4)
        out[value] = {"before": a, "after": b, "change": change}
    return out
