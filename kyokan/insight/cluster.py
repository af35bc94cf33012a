"""Two-level clustering of the unique answers, keywords, labels and representatives.

* **Fine level** — k-means on the embedding (fitted on at most :data:`FIT_SAMPLE` answers,
  the rest assigned to the nearest centre, so 100,000 answers cost little more than 20,000).
  Number of clusters by rule of thumb: ``round(1.7 * sqrt(n))`` clipped to [2, 50].
* **Coarse level** — Ward agglomeration of the fine centroids: each coarse cluster is a
  union of fine clusters, so the tree (coarse → fine) is exact. The number of coarse
  clusters is chosen by the silhouette (cosine) of the answers on a fixed sample of at most
  :data:`SILHOUETTE_SAMPLE` answers, over 2 … min(20, fine − 1); every candidate is a cut
  of the same Ward tree, so the search costs one distance matrix.

Both numbers can be given by the caller (``coarse ≤ fine``).

Keywords are c-TF-IDF over lemmas: for lemma *t* and cluster *c*,
``tf(t, c) · log(1 + A / f(t))`` where ``tf`` is the lemma's share of the cluster's words,
``A`` the average number of words per cluster and ``f(t)`` the lemma's frequency in all
clusters. A label joins the top keywords with 「・」 (two, or three when two would repeat
another cluster's label). Representatives are the answers closest (cosine) to the centroid.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances, silhouette_score

FIT_SAMPLE = 20_000
SILHOUETTE_SAMPLE = 2_000
MAX_FINE = 50
MAX_COARSE = 15


def default_fine_k(n: int) -> int:
    return int(min(MAX_FINE, max(2, round(1.7 * math.sqrt(n)))))


@dataclass
class Partition:
    fine: np.ndarray  # fine cluster (0..F-1) per unique answer
    coarse_of_fine: np.ndarray  # coarse cluster (0..C-1) per fine cluster
    fine_centers: np.ndarray

    @property
    def coarse(self) -> np.ndarray:
        return self.coarse_of_fine[self.fine]


def _nearest(matrix: np.ndarray, centers: np.ndarray, chunk: int = 20_000) -> np.ndarray:
    out = np.empty(matrix.shape[0], dtype=np.int64)
    center_sq = (centers**2).sum(axis=1)
    for start in range(0, matrix.shape[0], chunk):
        block = matrix[start : start + chunk]
        distances = center_sq[np.newaxis, :] - 2.0 * (block @ centers.T)
        out[start : start + chunk] = distances.argmin(axis=1)
    return out


def fine_kmeans(matrix: np.ndarray, k: int, random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
    n = matrix.shape[0]
    rng = np.random.RandomState(random_state)
    fit = matrix if n <= FIT_SAMPLE else matrix[np.sort(rng.choice(n, FIT_SAMPLE, replace=False))]
    distinct = len(np.unique(fit, axis=0)) if fit.shape[0] <= 5000 else fit.shape[0]
    k = max(1, min(k, distinct))
    model = KMeans(n_clusters=k, n_init=3, random_state=random_state, max_iter=200)
    # float64: scikit-learn's k-means++ upcasts float32 distances chunk by chunk (slow).
    model.fit(fit.astype(np.float64))
    centers = model.cluster_centers_.astype(np.float32)
    labels = model.labels_ if fit is matrix else _nearest(matrix, centers)
    # Drop centres that received nothing (possible after assigning the whole set).
    used = np.unique(labels)
    remap = -np.ones(k, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return remap[labels], centers[used]


def _ward(centers: np.ndarray):
    unit = centers / np.maximum(np.linalg.norm(centers, axis=1, keepdims=True), 1e-12)
    return linkage(unit.astype(np.float64), method="ward")


def _cut(tree, n_fine: int, k: int) -> np.ndarray:
    if k >= n_fine:
        return np.arange(n_fine)
    if k <= 1:
        return np.zeros(n_fine, dtype=np.int64)
    return fcluster(tree, t=k, criterion="maxclust").astype(np.int64) - 1


def choose_coarse_k(matrix, fine, tree, n_fine: int, random_state: int = 0) -> int:
    upper = min(MAX_COARSE, max(2, n_fine // 3))
    if upper < 2:
        return max(1, min(n_fine, 1))
    n = matrix.shape[0]
    rng = np.random.RandomState(random_state)
    sample = np.arange(n) if n <= SILHOUETTE_SAMPLE else rng.choice(n, SILHOUETTE_SAMPLE, False)
    sample = np.sort(sample)
    distances = pairwise_distances(matrix[sample], metric="cosine")
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    best_k, best_score = 2, -2.0
    for k in range(2, upper + 1):
        labels = _cut(tree, n_fine, k)[fine[sample]]
        if len(np.unique(labels)) < 2 or len(np.unique(labels)) >= len(sample):
            continue
        score = silhouette_score(distances, labels, metric="precomputed")
        if score > best_score + 1e-9:
            best_k, best_score = k, score
    return best_k


def two_level(
    matrix: np.ndarray,
    coarse: int | None = None,
    fine: int | None = None,
    random_state: int = 0,
) -> Partition:
    n = matrix.shape[0]
    if n == 1:
        return Partition(np.zeros(1, np.int64), np.zeros(1, np.int64), matrix[:1].copy())
    if fine is None:
        fine = max(default_fine_k(n), coarse or 0)
    k_fine = min(fine, n)
    labels, centers = fine_kmeans(matrix, k_fine, random_state)
    n_fine = centers.shape[0]
    if n_fine == 1:
        return Partition(labels, np.zeros(1, np.int64), centers)
    tree = _ward(centers)
    if coarse is None:
        k_coarse = choose_coarse_k(matrix, labels, tree, n_fine, random_state)
    else:
        k_coarse = min(coarse, n_fine)
    return Partition(labels, _cut(tree, n_fine, k_coarse), centers)


def ctfidf_keywords(
    lemma_lists: list[list[str]], labels: np.ndarray, n_clusters: int, top: int = 5
) -> list[list[str]]:
    """Top ``top`` lemmas per cluster by class-based TF-IDF (see module docstring)."""
    per_cluster = [Counter() for _ in range(n_clusters)]
    for lemmas, label in zip(lemma_lists, labels, strict=True):
        per_cluster[label].update(lemmas)
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


def make_labels(keywords: list[list[str]], empty_label: str = "（内容語なし）") -> list[str]:
    labels = []
    for words in keywords:
        labels.append("・".join(words[:2]) if words else empty_label)
    counts = Counter(labels)
    for i, words in enumerate(keywords):
        if counts[labels[i]] > 1 and len(words) > 2:
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
