"""Divergence, alignment with a reference text, and breakdowns by attribute."""

from __future__ import annotations

from collections import Counter

import numpy as np

CHUNK = 10_000

DIVERGENCE_EXPLANATION = (
    "Divergence (0 to 1) is the average of two parts, each between 0 and 1. "
    "(1) Distance: the average cosine distance (1 − cosine similarity) between the "
    "embeddings of every pair of distinct answers. (2) Spread: how evenly the distinct "
    "answers are spread over the fine clusters (entropy of the cluster shares divided by "
    "its largest possible value). Duplicates count once; answers with no content word are "
    "left out. 0 means everyone says the same thing; values near 1 mean the answers share "
    "neither words nor meaning and fall into many different clusters. Fewer than two "
    "distinct answers give 0."
)
DIVERGENCE_EXPLANATION_JA = (
    "意見のばらつき（0〜1）は次の2つの平均です。(1) 距離：重複を1件として数えた回答どうしの"
    "すべての組について、意味ベクトルのコサイン距離（1 − コサイン類似度）を平均した値。"
    "(2) 散らばり：回答が小分類（細かいクラスター）にどれだけ均等に分かれているか"
    "（エントロピーを最大値で割った値）。0は全員が同じことを言っている状態、1に近いほど"
    "回答どうしに共通する言葉や意味がなく、多くの分類に分かれている状態です。"
    "内容語のない回答は除きます。異なる回答が2件未満のときは0です。"
)
ALIGNMENT_EXPLANATION = (
    "Alignment is the cosine similarity between an answer's embedding and the reference "
    "text's embedding, negative values counted as 0, so it lies in [0, 1]; a cluster's or "
    "a group's alignment is the mean over its distinct answers."
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


def divergence(unit_vectors: np.ndarray, labels: np.ndarray, n_clusters: int) -> dict:
    """``{"divergence", "distance", "spread"}`` for the distinct answers given (rows of
    ``unit_vectors`` with their fine cluster ``labels``); see :data:`DIVERGENCE_EXPLANATION`."""
    content = _content_rows(unit_vectors)
    if int(content.sum()) < 2:
        return {"divergence": 0.0, "distance": 0.0, "spread": 0.0}
    distance = mean_cosine_distance(unit_vectors, content)
    spread = cluster_spread(np.asarray(labels)[content], n_clusters)
    return {"divergence": (distance + spread) / 2, "distance": distance, "spread": spread}


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
