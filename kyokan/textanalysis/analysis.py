"""The analysis pipeline: normalise → de-duplicate → tokenise → embed → cluster → describe.

See the package docstring (:mod:`kyokan.textanalysis`) for the output format.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import cluster as clustering
from .duplicates import (
    BULK_MIN_LENGTH,
    BULK_MIN_ROWS,
    CAMPAIGN_JACCARD,
    CAMPAIGN_MIN_LENGTH,
    CAMPAIGN_MIN_SIZE,
    JACCARD_THRESHOLD,
    OVERLAP_THRESHOLD,
    find_duplicates,
)
from .embed import Embedder, WordVectorsMissing, word_bag
from .io import AnalysisInputError, read_comments_csv
from .metrics import (
    ALIGNMENT_EXPLANATION,
    DIVERGENCE_EXPLANATION,
    DIVERGENCE_EXPLANATION_JA,
    breakdown,
    divergence,
    divergence_explanation,
    reference_parts,
    soft_f1,
)
from .normalize import MAX_ANALYSIS_CHARS, analysis_text, duplicate_key
from .tokenize import tokenize_texts
from .vectors import load_vectors

Progress = Callable[[float, str], None]
REPRESENTATIVES = 3
KEYWORDS = 5
#: The map's PCA is fitted on at most this many answers (all are then projected): time.
MAP_SAMPLE = 20_000


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
    #: Campaign id ("K1" …) when the answer belongs to a campaign, else None.
    campaign: str | None = None
    #: Index of the reference part the answer is closest to (with a reference).
    alignment_part: int | None = None


@dataclass
class Cluster:
    id: str
    level: int  # 1 coarse, 2 fine
    parent: str | None
    label: str
    keywords: list[str]
    size: int  # distinct answers (duplicates counted once, a campaign once)
    representatives: list[str]  # item ids, closest to the centroid first
    rows: int = 0  # input rows, duplicates and campaign members included
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
        raise AnalysisInputError(
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

    # PCA fitted on at most MAP_SAMPLE answers, then all answers projected (float32).
    fit = matrix
    if n > MAP_SAMPLE:
        rng = np.random.RandomState(random_state)
        fit = matrix[np.sort(rng.choice(n, MAP_SAMPLE, replace=False))]
    if not np.ptp(fit, axis=0).any():  # every answer at one point: no direction to show
        return np.zeros((n, 2))
    solver = "full" if fit.shape[0] <= 5000 else "randomized"
    pca = PCA(n_components=2, svd_solver=solver, random_state=random_state)
    pca.fit(fit.astype(np.float64))
    components = pca.components_.T.astype(np.float32)
    coords = matrix @ components - (pca.mean_.astype(np.float32) @ components)
    scale = float(np.abs(coords).max())
    return coords / scale if scale > 0 else coords


def _id_key(cid: str) -> tuple[int, ...]:
    return tuple(int(part) for part in cid[1:].split("."))


def _cluster_ids(partition, coarse_order, fine_sizes, row_members, previous):
    """Coarse ids ``C1`` … (largest first) and fine ids ``C1.1`` …; with ``previous``, the
    groups that still match an earlier group keep its id and new ones get the next free
    numbers. ``row_members`` pairs every analysed input row's id with the row of the matrix
    it is analysed as (duplicates and campaign members with their representative's), so
    that groups are matched on the same rows as the earlier run's items."""
    n_fine = len(partition.coarse_of_fine)
    coarse_members: dict[int, set[str]] = {c: set() for c in coarse_order}
    fine_members: dict[int, set[str]] = {f: set() for f in range(n_fine)}
    if previous:
        for item_id, row in row_members:
            f = int(partition.fine[row])
            fine_members[f].add(item_id)
            coarse_members[int(partition.coarse_of_fine[f])].add(item_id)
    old_coarse: dict[str, set[str]] = {}
    old_fine: dict[str, set[str]] = {}
    for item in (previous or {}).get("items", []):
        pair = item.get("clusters") or [None, None]
        if pair[0]:
            old_coarse.setdefault(pair[0], set()).add(str(item["id"]))
        if len(pair) > 1 and pair[1]:
            old_fine.setdefault(pair[1], set()).add(str(item["id"]))
    kept = clustering.match_previous(coarse_members, old_coarse)
    coarse_id: dict[int, str] = {}
    # New groups are numbered after every earlier id, so that no id changes its meaning.
    number = max((_id_key(old)[0] for old in old_coarse), default=0)
    for c in coarse_order:
        if c in kept:
            coarse_id[c] = kept[c]
        else:
            number += 1
            coarse_id[c] = f"C{number}"
    fine_kept = clustering.match_previous(fine_members, old_fine)
    fine_id: dict[int, str] = {}
    for c in coarse_order:
        children = [f for f in range(n_fine) if partition.coarse_of_fine[f] == c]
        children.sort(key=lambda f: (-fine_sizes[f], f))
        taken = set()
        for f in children:
            old = fine_kept.get(f)
            if old and old.rsplit(".", 1)[0] == coarse_id[c] and old not in taken:
                fine_id[f] = old
                taken.add(old)
        rank = 0
        for f in children:
            if f in fine_id:
                continue
            rank += 1
            # A new group never takes an id the earlier run used for other answers.
            while f"{coarse_id[c]}.{rank}" in taken or f"{coarse_id[c]}.{rank}" in old_fine:
                rank += 1
            fine_id[f] = f"{coarse_id[c]}.{rank}"
            taken.add(fine_id[f])
    return coarse_id, fine_id


def analyze(
    texts: Sequence[str | None],
    ids: Sequence[str] | None = None,
    attributes: Mapping[str, Sequence[str]] | None = None,
    reference: str | None = None,
    coarse: int | None = None,
    fine: int | None = None,
    progress: Progress | None = None,
    random_state: int = 0,
    previous: Mapping | None = None,
) -> AnalysisResult:
    """Analyse free-text answers. See :mod:`kyokan.textanalysis` for what is computed.

    ``previous`` is the JSON of an earlier run (:func:`result_to_json`): groups that still
    match an earlier group (by the answers they share, see :func:`cluster.match_previous`)
    keep its id."""
    report = _Progress(progress)
    report(0.0, "Preparing")
    texts = ["" if t is None else str(t) for t in texts]
    n = len(texts)
    if n == 0:
        raise AnalysisInputError("There are no comments to analyse.", code="no_comments")
    ids = [str(i + 1) for i in range(n)] if ids is None else [str(i) for i in ids]
    if len(ids) != n:
        raise AnalysisInputError("There must be exactly one id per comment.", code="ids_mismatch")
    if len(set(ids)) != n:
        raise AnalysisInputError("Comment ids must be unique.", code="ids_not_unique")
    attributes = {
        str(name): ["" if v is None else str(v) for v in values]
        for name, values in (attributes or {}).items()
    }
    for name, values in attributes.items():
        if len(values) != n:
            raise AnalysisInputError(
                f"Attribute {name!r} must have one value per comment.",
                code="attribute_length",
                params={"name": name},
            )
    coarse, fine = _check_count("coarse", coarse), _check_count("fine", fine)
    if coarse is not None and fine is not None and coarse > fine:
        raise AnalysisInputError(
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
        raise AnalysisInputError("No comment has any text to analyse.", code="nothing_to_analyse")
    report(0.05, "Finding duplicates")
    groups = find_duplicates(keys)
    rep_of = groups.representative.copy()
    # A campaign is analysed as one opinion: its members follow its first answer.
    campaign_of_rep: dict[int, int] = {}
    for number, members in enumerate(groups.campaigns):
        for member in members:
            campaign_of_rep[member] = number
    duplicate_rep = rep_of.copy()
    for i in range(n):
        number = campaign_of_rep.get(int(rep_of[i])) if rep_of[i] >= 0 else None
        if number is not None:
            rep_of[i] = groups.campaigns[number][0]
    unique = np.nonzero(rep_of == np.arange(n))[0]
    position = {int(i): p for p, i in enumerate(unique)}  # item index -> row of the matrix

    # 2. Tokens and embedding of the distinct answers.
    report(0.1, "Morphological analysis")
    tokens = tokenize_texts(
        [normalised[i] for i in unique], progress=report.stage(0.1, 0.45, "Morphological analysis")
    )
    report(0.46, "Embedding")
    try:
        vectors = load_vectors()
    except (OSError, ValueError) as exc:  # unreadable, or another ja-ginza build
        raise WordVectorsMissing(f"{type(exc).__name__}: {exc}") from exc
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
    row_members = [(ids[i], position[int(rep_of[i])]) for i in range(n) if rep_of[i] >= 0]
    coarse_id, fine_id = _cluster_ids(partition, coarse_order, fine_sizes, row_members, previous)
    coarse_order.sort(key=lambda c: _id_key(coarse_id[c]))

    display = tokens.display
    coarse_words = clustering.ctfidf_keywords(tokens.lemmas, coarse_labels, n_coarse, KEYWORDS)
    fine_words = clustering.ctfidf_keywords(tokens.lemmas, fine_labels, n_fine, KEYWORDS)
    coarse_words = [[display(w) for w in words] for words in coarse_words]
    fine_words = [[display(w) for w in words] for words in fine_words]
    member_texts: tuple[list[list[str]], list[list[str]]] = (
        [[] for _ in range(n_coarse)],
        [[] for _ in range(n_fine)],
    )
    for p_index, u in enumerate(unique):
        member_texts[0][int(coarse_labels[p_index])].append(normalised[int(u)])
        member_texts[1][int(fine_labels[p_index])].append(normalised[int(u)])
    coarse_names = clustering.make_labels(coarse_words, texts=member_texts[0])
    fine_names = clustering.make_labels(fine_words, texts=member_texts[1])

    # 4. Reference alignment (per distinct answer): best part of the reference.
    scores = best_part = None
    parts: list[str] = []
    if reference is not None:
        reference_text = analysis_text(reference)
        parts = reference_parts(reference_text)
        part_tokens = tokenize_texts(parts) if parts else None
        bags = []
        if part_tokens is not None:
            for index, lemmas in enumerate(part_tokens.lemmas):
                vectors_, weights_, kept = word_bag(embedder, lemmas, part_tokens)
                if kept:
                    bags.append((index, np.array(vectors_), weights_, kept))
        if not bags:
            raise AnalysisInputError(
                "The reference text has no content words to compare with.",
                code="reference_empty",
            )
        scores = np.zeros(len(unique))
        best_part = np.zeros(len(unique), dtype=np.int64)
        for p_index in range(len(unique)):
            vectors_, weights_, kept = word_bag(embedder, tokens.lemmas[p_index], tokens)
            if not kept:
                continue
            answer_vectors = np.array(vectors_)
            best, where = 0.0, bags[0][0]
            for index, part_vectors, part_weights, part_lemmas in bags:
                same = np.array([[1.0 if a == b else 0.0 for b in part_lemmas] for a in kept])
                score = soft_f1(answer_vectors, weights_, part_vectors, part_weights, same)
                if score > best + 1e-12:
                    best, where = score, index
            scores[p_index], best_part[p_index] = best, where

    # 5. Items.
    report(0.85, "Map and statistics")
    campaign_names = {
        members[0]: f"K{number + 1}" for number, members in enumerate(groups.campaigns)
    }
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
                duplicate_of=(ids[int(duplicate_rep[i])] if int(duplicate_rep[i]) != i else None),
                alignment=_round(scores[p]) if scores is not None else None,
                campaign=campaign_names.get(rep),
                alignment_part=int(best_part[p]) if best_part is not None else None,
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
    # Respondents per analysed answer: its rows, except bulk submissions and campaigns,
    # which count once (see metrics.DIVERGENCE_EXPLANATION).
    row_position = np.array([position[int(r)] if r >= 0 else -1 for r in rep_of], dtype=np.int64)
    organised = np.zeros(len(unique), dtype=bool)
    for rep in list(groups.bulk) + [members[0] for members in groups.campaigns]:
        if int(rep_of[rep]) in position:
            organised[position[int(rep_of[rep])]] = True

    def _weights(rows_of: np.ndarray) -> np.ndarray:
        """Respondents per analysed answer among the input rows ``rows_of``."""
        found = row_position[rows_of]
        counts = np.bincount(found[found >= 0], minlength=len(unique)).astype(np.float64)
        counts[organised] = np.minimum(counts[organised], 1.0)
        return counts

    weights = _weights(np.arange(n))
    counted_once = int(organised.sum())

    def _divergence(rows_in: np.ndarray | None, raw: bool = False, rows_of=None) -> dict:
        if rows_in is None:
            parts_ = divergence(matrix, fine_labels, n_fine, weights)
        else:
            w = _weights(rows_of)[rows_in]
            parts_ = divergence(matrix[rows_in], fine_labels[rows_in], n_fine, w)
        if raw:
            return parts_
        return {key: _round(parts_[key]) for key in ("divergence", "distance", "spread")}

    group_stats: dict[str, dict[str, dict]] = {}
    for name, values in attributes.items():
        members: dict[str, set[int]] = {}
        rows: dict[str, int] = {}
        rows_of_value: dict[str, list[int]] = {}
        for i, value in enumerate(values):
            rows[value] = rows.get(value, 0) + 1
            rows_of_value.setdefault(value, []).append(i)
            if rep_of[i] >= 0:
                members.setdefault(value, set()).add(position[int(rep_of[i])])
        group_stats[name] = {}
        for value in sorted(rows):
            rows_in = np.array(sorted(members.get(value, ())), dtype=np.int64)
            raw_parts = _divergence(
                rows_in, raw=True, rows_of=np.array(rows_of_value[value], dtype=np.int64)
            )
            entry = {
                "items": rows[value],
                "distinct": len(rows_in),
                **{key: _round(raw_parts[key]) for key in ("divergence", "distance", "spread")},
                "divergence_detail": divergence_explanation(raw_parts),
            }
            if scores is not None:
                entry["alignment"] = _round(scores[rows_in].mean()) if len(rows_in) else None
            group_stats[name][value] = entry

    overall_raw = _divergence(None, raw=True)
    overall = {key: _round(overall_raw[key]) for key in ("divergence", "distance", "spread")}
    bulk_members: dict[int, list[str]] = {rep: [] for rep in groups.bulk}
    for i in range(n):
        members_of = bulk_members.get(int(rep_of[i]))
        if members_of is not None:
            members_of.append(ids[i])
    duplicates = int(sum(1 for item in items if item.duplicate_of is not None))
    rows_by_duplicate_rep: dict[int, list[str]] = {}
    rows_by_rep: dict[int, list[str]] = {}
    for i in range(n):
        if duplicate_rep[i] >= 0:
            rows_by_duplicate_rep.setdefault(int(duplicate_rep[i]), []).append(ids[i])
            rows_by_rep.setdefault(int(rep_of[i]), []).append(ids[i])
    stats = {
        "divergence": overall["divergence"],
        "divergence_parts": {"distance": overall["distance"], "spread": overall["spread"]},
        "divergence_explanation": DIVERGENCE_EXPLANATION,
        "divergence_explanation_ja": DIVERGENCE_EXPLANATION_JA,
        "divergence_detail": divergence_explanation(overall_raw, counted_once),
        "items": n,
        "analysed": int(n - sum(1 for pair in row_cluster if pair is None)),
        "empty": int(sum(1 for pair in row_cluster if pair is None)),
        "distinct": len(unique),
        "duplicates": duplicates,
        "duplicate_groups": len(groups.group_sizes),
        "near_duplicates": [
            {
                "representative": ids[rep],
                "text": texts[rep],
                "count": size,
                "items": rows_by_duplicate_rep[rep],
            }
            for rep, size in sorted(groups.group_sizes.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "campaigns": [
            {
                "id": f"K{number + 1}",
                "representative": ids[members[0]],
                "text": texts[members[0]],
                "distinct": len(members),
                "count": len(rows_by_rep.get(members[0], ())),
                "items": rows_by_rep.get(members[0], []),
            }
            for number, members in enumerate(groups.campaigns)
        ],
        "campaign_rule": (
            f"Families of rewordings of one text: distinct answers of at least "
            f"{CAMPAIGN_MIN_LENGTH} characters linked when their character-bigram Jaccard is "
            f"at least {CAMPAIGN_JACCARD}, {CAMPAIGN_MIN_SIZE} or more answers in a family "
            "(near-duplicates included, so one long text sent that often is a campaign too); "
            "analysed as one opinion."
        ),
        "selection": partition.selection,
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
            f"width/kana folding, or character-bigram Jaccard ≥ {JACCARD_THRESHOLD} and overlap "
            f"≥ {OVERLAP_THRESHOLD}) with at "
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
            "parts": parts,
            "part_counts": [int((best_part == k).sum()) for k in range(len(parts))],
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
        entry["campaign"] = item.campaign
        if result.has_reference:
            entry["alignment"] = item.alignment
            entry["alignment_part"] = item.alignment_part
        items.append(entry)
    clusters = [
        {
            "id": cl.id,
            "level": cl.level,
            "parent": cl.parent,
            "label": cl.label,
            "keywords": list(cl.keywords),
            "size": cl.size,
            "rows": cl.rows,
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

    Raises :class:`AnalysisInputError` for input that cannot be analysed; nothing is
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


def analyze_rounds(
    rounds: Sequence[Sequence[str | None]],
    *,
    reference: str | None = None,
    random_state: int = 0,
) -> dict:
    """Analyse several rounds of the same question **on one scale**: the answers of all
    rounds are embedded and grouped together (one embedding, one set of groups), and each
    round's divergence, alignment and share of every coarse group are computed in it — two
    separate runs would each have their own embedding and groups, and their indices could
    not be compared.

    Returns ``{"rounds": [{"round", "answers", "distinct", "divergence", "explanation",
    "alignment" (with a reference), "coarse_shares": {cluster id: share}}], "change"
    (last − first divergence), "clusters": [{"id", "label", "keywords"}]}``.
    """
    if len(rounds) < 1:
        raise AnalysisInputError("There are no rounds to compare.", code="no_comments")
    texts: list[str | None] = []
    ids: list[str] = []
    labels: list[str] = []
    for number, answers in enumerate(rounds, 1):
        for index, text in enumerate(answers, 1):
            texts.append(text)
            ids.append(f"r{number}-{index}")
            labels.append(str(number))
    result = analyze(
        texts, ids, attributes={"round": labels}, reference=reference, random_state=random_state
    )
    groups = result.stats["groups"]["round"]
    coarse = [cl for cl in result.clusters if cl.level == 1]
    out_rounds = []
    for number in range(1, len(rounds) + 1):
        key = str(number)
        entry = groups.get(key, {"items": 0, "distinct": 0, "divergence": 0.0})
        counts = {cl.id: cl.breakdown.get("round", {}).get(key, 0) for cl in coarse}
        total = sum(counts.values())
        out_rounds.append(
            {
                "round": number,
                "answers": entry["items"],
                "distinct": entry["distinct"],
                "divergence": entry["divergence"],
                "explanation": entry.get("divergence_detail"),
                **({"alignment": entry.get("alignment")} if reference is not None else {}),
                "coarse_shares": {
                    cid: round(count / total, 4) if total else 0.0 for cid, count in counts.items()
                },
            }
        )
    first, last = out_rounds[0]["divergence"], out_rounds[-1]["divergence"]
    return {
        "rounds": out_rounds,
        "change": None if first is None or last is None else round(last - first, 4),
        "clusters": [{"id": cl.id, "label": cl.label, "keywords": cl.keywords} for cl in coarse],
    }
