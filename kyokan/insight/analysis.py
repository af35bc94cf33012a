"""The analysis pipeline: normalise → de-duplicate → tokenise → embed → cluster → describe.

See the package docstring (:mod:`kyokan.insight`) for the output format.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import cluster as clustering
from .duplicates import BULK_MIN_LENGTH, BULK_MIN_ROWS, JACCARD_THRESHOLD, find_duplicates
from .embed import Embedder
from .io import InsightInputError, read_comments_csv
from .metrics import (
    ALIGNMENT_EXPLANATION,
    DIVERGENCE_EXPLANATION,
    DIVERGENCE_EXPLANATION_JA,
    alignment_scores,
    breakdown,
    divergence,
)
from .normalize import MAX_ANALYSIS_CHARS, analysis_text, duplicate_key
from .tokenize import tokenize_texts
from .vectors import load_vectors

Progress = Callable[[float, str], None]
REPRESENTATIVES = 3
KEYWORDS = 5


@dataclass
class Item:
    id: str
    #: [coarse cluster id, fine cluster id]; [None, None] for an answer with nothing to
    #: analyse (empty, or only punctuation/emoji).
    clusters: list[str | None]
    x: float | None
    y: float | None
    duplicate_of: str | None
    alignment: float | None = None


@dataclass
class Cluster:
    id: str
    level: int  # 1 coarse, 2 fine
    parent: str | None
    label: str
    keywords: list[str]
    size: int  # distinct answers (duplicates counted once)
    representatives: list[str]  # item ids, closest to the centroid first
    rows: int = 0  # input rows, duplicates included
    alignment: float | None = None
    breakdown: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class AnalysisResult:
    items: list[Item]
    clusters: list[Cluster]
    stats: dict
    has_reference: bool = False


class _Progress:
    """Forwards strictly increasing fractions in [0, 1] to the caller's callback."""

    def __init__(self, callback: Progress | None):
        self.callback = callback
        self.last = -1.0

    def __call__(self, fraction: float, message: str) -> None:
        if self.callback is None:
            return
        fraction = min(1.0, max(0.0, float(fraction)))
        if fraction > self.last + 1e-6:
            self.last = fraction
            self.callback(fraction, message)

    def stage(self, start: float, end: float, message: str) -> Callable[[float], None]:
        return lambda done: self(start + (end - start) * done, message)


def _check_count(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InsightInputError(
            f"The number of {name} clusters must be a positive integer.",
            code="bad_cluster_count",
            params={"level": name},
        )
    return value


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(float(value), digits)


def _map_2d(matrix: np.ndarray, random_state: int) -> np.ndarray:
    n = matrix.shape[0]
    if n < 3:
        coords = np.zeros((n, 2))
        if n == 2:
            coords[:, 0] = [-1.0, 1.0]
        return coords
    from sklearn.decomposition import PCA

    # PCA fitted on at most FIT_SAMPLE answers, then all answers projected (float32).
    fit = matrix
    if n > clustering.FIT_SAMPLE:
        rng = np.random.RandomState(random_state)
        fit = matrix[np.sort(rng.choice(n, clustering.FIT_SAMPLE, replace=False))]
    solver = "full" if fit.shape[0] <= 5000 else "randomized"
    pca = PCA(n_components=2, svd_solver=solver, random_state=random_state)
    pca.fit(fit.astype(np.float64))
    components = pca.components_.T.astype(np.float32)
    coords = matrix @ components - (pca.mean_.astype(np.float32) @ components)
    scale = float(np.abs(coords).max())
    return coords / scale if scale > 0 else coords


def analyze(
    texts: Sequence[str | None],
    ids: Sequence[str] | None = None,
    attributes: Mapping[str, Sequence[str]] | None = None,
    reference: str | None = None,
    coarse: int | None = None,
    fine: int | None = None,
    progress: Progress | None = None,
    random_state: int = 0,
) -> AnalysisResult:
    """Analyse free-text answers. See :mod:`kyokan.insight` for what is computed."""
    report = _Progress(progress)
    report(0.0, "Preparing")
    texts = ["" if t is None else str(t) for t in texts]
    n = len(texts)
    if n == 0:
        raise InsightInputError("There are no comments to analyse.", code="no_comments")
    ids = [str(i + 1) for i in range(n)] if ids is None else [str(i) for i in ids]
    if len(ids) != n:
        raise InsightInputError("There must be exactly one id per comment.", code="ids_mismatch")
    if len(set(ids)) != n:
        raise InsightInputError("Comment ids must be unique.", code="ids_not_unique")
    attributes = {
        str(name): ["" if v is None else str(v) for v in values]
        for name, values in (attributes or {}).items()
    }
    for name, values in attributes.items():
        if len(values) != n:
            raise InsightInputError(
                f"Attribute {name!r} must have one value per comment.",
                code="attribute_length",
                params={"name": name},
            )
    coarse, fine = _check_count("coarse", coarse), _check_count("fine", fine)
    if coarse is not None and fine is not None and coarse > fine:
        raise InsightInputError(
            "There cannot be more coarse clusters than fine clusters.", code="coarse_above_fine"
        )

    # 1. Normalised analysis copies and duplicate groups.
    normalised = [analysis_text(t) for t in texts]
    truncated = [
        ids[i]
        for i in range(n)
        if len(texts[i]) > MAX_ANALYSIS_CHARS and len(normalised[i]) >= MAX_ANALYSIS_CHARS
    ]
    keys = [duplicate_key(s) for s in normalised]
    if not any(keys):
        raise InsightInputError("No comment has any text to analyse.", code="nothing_to_analyse")
    report(0.05, "Finding duplicates")
    groups = find_duplicates(keys)
    rep_of = groups.representative
    unique = np.nonzero(rep_of == np.arange(n))[0]
    position = {int(i): p for p, i in enumerate(unique)}  # item index -> row of the matrix

    # 2. Tokens and embedding of the distinct answers.
    report(0.1, "Morphological analysis")
    tokens = tokenize_texts(
        [normalised[i] for i in unique], progress=report.stage(0.1, 0.45, "Morphological analysis")
    )
    report(0.46, "Embedding")
    vectors = load_vectors()
    embedder = Embedder(vectors=vectors, random_state=random_state)
    matrix = embedder.fit_transform(tokens)

    # 3. Clusters.
    report(0.6, "Clustering")
    partition = clustering.two_level(matrix, coarse=coarse, fine=fine, random_state=random_state)
    fine_labels = partition.fine
    coarse_labels = partition.coarse
    n_fine = int(fine_labels.max()) + 1
    n_coarse = int(partition.coarse_of_fine.max()) + 1
    report(0.75, "Describing clusters")

    # Order: coarse clusters by size, fine clusters by size within their parent.
    coarse_sizes = np.bincount(coarse_labels, minlength=n_coarse)
    fine_sizes = np.bincount(fine_labels, minlength=n_fine)
    coarse_order = sorted(range(n_coarse), key=lambda c: (-coarse_sizes[c], c))
    coarse_id = {c: f"C{rank + 1}" for rank, c in enumerate(coarse_order)}
    fine_id: dict[int, str] = {}
    for c in coarse_order:
        children = [f for f in range(n_fine) if partition.coarse_of_fine[f] == c]
        children.sort(key=lambda f: (-fine_sizes[f], f))
        for rank, f in enumerate(children):
            fine_id[f] = f"{coarse_id[c]}.{rank + 1}"

    display = tokens.display
    coarse_words = clustering.ctfidf_keywords(tokens.lemmas, coarse_labels, n_coarse, KEYWORDS)
    fine_words = clustering.ctfidf_keywords(tokens.lemmas, fine_labels, n_fine, KEYWORDS)
    coarse_words = [[display(w) for w in words] for words in coarse_words]
    fine_words = [[display(w) for w in words] for words in fine_words]
    coarse_names = clustering.make_labels(coarse_words)
    fine_names = clustering.make_labels(fine_words)

    # 4. Reference alignment (per distinct answer).
    scores = None
    if reference is not None:
        reference_text = analysis_text(reference)
        reference_tokens = tokenize_texts([reference_text])
        if not reference_tokens.lemmas[0]:
            raise InsightInputError(
                "The reference text has no content words to compare with.",
                code="reference_empty",
            )
        reference_vector = embedder.transform(reference_tokens)[0]
        scores = alignment_scores(matrix, reference_vector)

    # 5. Items.
    report(0.85, "Map and statistics")
    coords = _map_2d(matrix, random_state)
    items: list[Item] = []
    row_cluster: list[tuple[int, int] | None] = []
    for i in range(n):
        rep = int(rep_of[i])
        if rep < 0:
            items.append(Item(ids[i], [None, None], None, None, None, None))
            row_cluster.append(None)
            continue
        p = position[rep]
        f = int(fine_labels[p])
        c = int(partition.coarse_of_fine[f])
        items.append(
            Item(
                id=ids[i],
                clusters=[coarse_id[c], fine_id[f]],
                x=_round(coords[p, 0]),
                y=_round(coords[p, 1]),
                duplicate_of=ids[rep] if rep != i else None,
                alignment=_round(scores[p]) if scores is not None else None,
            )
        )
        row_cluster.append((c, f))

    # 6. Clusters with representatives, rows, alignment and breakdown.
    clusters: list[Cluster] = []

    def describe(level: int, label: int, members: np.ndarray, parent: str | None) -> Cluster:
        center = matrix[members].mean(axis=0)
        best = clustering.representatives(matrix, members, center, REPRESENTATIVES)
        cid = coarse_id[label] if level == 1 else fine_id[label]
        words = coarse_words[label] if level == 1 else fine_words[label]
        name = coarse_names[label] if level == 1 else fine_names[label]
        return Cluster(
            id=cid,
            level=level,
            parent=parent,
            label=name,
            keywords=words,
            size=len(members),
            representatives=[ids[int(unique[m])] for m in best],
            alignment=_round(scores[members].mean()) if scores is not None else None,
        )

    for c in coarse_order:
        clusters.append(describe(1, c, np.nonzero(coarse_labels == c)[0], None))
        children = sorted(
            (f for f in range(n_fine) if partition.coarse_of_fine[f] == c), key=fine_id.get
        )
        for f in children:
            clusters.append(describe(2, f, np.nonzero(fine_labels == f)[0], coarse_id[c]))
    by_id = {cl.id: cl for cl in clusters}
    for pair in row_cluster:
        if pair is not None:
            by_id[coarse_id[pair[0]]].rows += 1
            by_id[fine_id[pair[1]]].rows += 1
    for name, values in attributes.items():
        for level in (0, 1):
            names = (coarse_id, fine_id)[level]
            labels = [None if pair is None else names[pair[level]] for pair in row_cluster]
            for cid, counts in breakdown(labels, values).items():
                by_id[cid].breakdown[name] = counts

    # 7. Statistics, per question and per group.
    def _divergence(rows_in: np.ndarray | None) -> dict:
        if rows_in is None:
            parts = divergence(matrix, fine_labels, n_fine)
        else:
            parts = divergence(matrix[rows_in], fine_labels[rows_in], n_fine)
        return {key: _round(value) for key, value in parts.items()}

    group_stats: dict[str, dict[str, dict]] = {}
    for name, values in attributes.items():
        members: dict[str, set[int]] = {}
        rows: dict[str, int] = {}
        for i, value in enumerate(values):
            rows[value] = rows.get(value, 0) + 1
            if rep_of[i] >= 0:
                members.setdefault(value, set()).add(position[int(rep_of[i])])
        group_stats[name] = {}
        for value in sorted(rows):
            rows_in = np.array(sorted(members.get(value, ())), dtype=np.int64)
            entry = {
                "items": rows[value],
                "distinct": len(rows_in),
                **_divergence(rows_in),
            }
            if scores is not None:
                entry["alignment"] = _round(scores[rows_in].mean()) if len(rows_in) else None
            group_stats[name][value] = entry

    overall = _divergence(None)
    bulk_members: dict[int, list[str]] = {rep: [] for rep in groups.bulk}
    for i in range(n):
        members_of = bulk_members.get(int(rep_of[i]))
        if members_of is not None:
            members_of.append(ids[i])
    duplicates = int(sum(1 for item in items if item.duplicate_of is not None))
    stats = {
        "divergence": overall["divergence"],
        "divergence_parts": {"distance": overall["distance"], "spread": overall["spread"]},
        "divergence_explanation": DIVERGENCE_EXPLANATION,
        "divergence_explanation_ja": DIVERGENCE_EXPLANATION_JA,
        "items": n,
        "analysed": int(n - sum(1 for pair in row_cluster if pair is None)),
        "empty": int(sum(1 for pair in row_cluster if pair is None)),
        "distinct": len(unique),
        "duplicates": duplicates,
        "duplicate_groups": len(groups.group_sizes),
        "bulk": [
            {
                "representative": ids[rep],
                "count": groups.group_sizes[rep],
                "items": bulk_members[rep],
            }
            for rep in groups.bulk
        ],
        "bulk_rule": (
            f"A group of identical or near-identical answers (same letters and digits after "
            f"width/kana folding, or character-bigram Jaccard ≥ {JACCARD_THRESHOLD}) with at "
            f"least {BULK_MIN_ROWS} rows and at least {BULK_MIN_LENGTH} characters."
        ),
        "clusters": {"coarse": n_coarse, "fine": n_fine, "total": n_coarse + n_fine},
        "truncated": truncated,
        "max_analysis_chars": MAX_ANALYSIS_CHARS,
        "word_vectors": vectors is not None,
        "groups": group_stats,
        "breakdown": {cl.id: cl.breakdown for cl in clusters if cl.breakdown},
        "cluster_rows": {cl.id: cl.rows for cl in clusters},
    }
    if scores is not None:
        stats["alignment"] = {
            "mean": _round(scores.mean()),
            "clusters": {cl.id: cl.alignment for cl in clusters},
            "explanation": ALIGNMENT_EXPLANATION,
        }
    report(1.0, "Done")
    return AnalysisResult(items, clusters, stats, has_reference=scores is not None)


def result_to_json(result: AnalysisResult) -> dict:
    """The JSON-ready dict: ``{"items": [...], "clusters": [...], "stats": {...}}``."""
    items = []
    for item in result.items:
        entry = {
            "id": item.id,
            "clusters": list(item.clusters),
            "x": item.x,
            "y": item.y,
            "duplicate_of": item.duplicate_of,
        }
        if result.has_reference:
            entry["alignment"] = item.alignment
        items.append(entry)
    clusters = [
        {
            "id": cl.id,
            "level": cl.level,
            "parent": cl.parent,
            "label": cl.label,
            "keywords": list(cl.keywords),
            "size": cl.size,
            "representatives": list(cl.representatives),
        }
        for cl in result.clusters
    ]
    return {"items": items, "clusters": clusters, "stats": result.stats}


def analyze_csv(
    path_or_file,
    *,
    reference: str | None = None,
    progress: Progress | None = None,
    coarse: int | None = None,
    fine: int | None = None,
) -> dict:
    """Read a Kouchou-AI style CSV and return :func:`result_to_json` of its analysis.

    Raises :class:`InsightInputError` for input that cannot be analysed; nothing is
    returned (or written) half-done.
    """
    outer = _Progress(progress)
    outer(0.0, "Reading the file")
    comments = read_comments_csv(path_or_file)
    outer(0.02, f"Read {len(comments.ids)} comments")

    def inner(fraction: float, message: str) -> None:
        outer(0.02 + 0.98 * fraction, message)

    result = analyze(
        comments.texts,
        comments.ids,
        attributes=comments.attributes,
        reference=reference,
        coarse=coarse,
        fine=fine,
        progress=inner if progress is not None else None,
    )
    return result_to_json(result)
