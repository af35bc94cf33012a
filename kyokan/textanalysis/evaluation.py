"""Quality measurement on the labelled set (``tests/textanalysis/data``), as used by the tests and
``scripts/bench_insight.py``. Every figure is computed on one **split** (``dev`` for
development, ``heldout`` for what is reported: no constant was chosen on it).

* Groups: ARI and NMI (scikit-learn) of the coarse and fine groups against the gold
  themes, over the independent answers (not near-duplicate copies, not campaign members),
  next to a baseline of character 2–3-gram TF-IDF + k-means with the same numbers of groups.
* Near-duplicates and campaigns, **pairwise**: precision is the share of pairs the analysis
  puts together that the labels put together, recall the share of labelled pairs found.
  A near-duplicate pair is two rows with the same ``duplicate_of`` group; a pair of
  rewordings inside one labelled campaign that the analysis calls near-duplicates is not
  counted wrong (near-identical versions of a form letter are near-duplicates of each
  other). A campaign pair is two rows of one labelled campaign; the analysis puts two rows
  together when they are in the same campaign (with their near-duplicates).
* Alignment: ROC AUC of the alignment score on ``alignment_pairs.csv`` (answers restating a
  part of ``definition.txt`` in other words vs answers that do not), and the share of
  restatements whose closest part is the labelled one.
* Stability: ARI of the fine groups of the first 300 answers with one answer removed
  against the full run (on the answers both runs share), and the change of divergence.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import numpy as np

from .analysis import analyze

DATA = Path(__file__).resolve().parents[2] / "tests" / "textanalysis" / "data"
LABELLED = DATA / "labelled_answers.csv"
PAIRS = DATA / "alignment_pairs.csv"
DEFINITION = DATA / "definition.txt"


def load_labelled(path: str | Path = LABELLED, split: str | None = None) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if split is None or r.get("split") == split]


def char_ngram_baseline(texts: list[str], k: int, random_state: int = 0) -> np.ndarray:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
    features = matrix.fit_transform(texts)
    return KMeans(n_clusters=k, n_init=10, random_state=random_state).fit_predict(features)


def _pairs(groups: dict[int, list[int]]) -> set[tuple[int, int]]:
    out = set()
    for members in groups.values():
        out.update(itertools.combinations(sorted(members), 2))
    return out


def _pr(predicted: set, gold: set, tolerated: set = frozenset()) -> dict:
    wrong = predicted - gold - tolerated
    counted = len(predicted - (tolerated - gold))
    return {
        "precision": (counted - len(wrong)) / counted if counted else 1.0,
        "recall": len(predicted & gold) / len(gold) if gold else 1.0,
        "predicted_pairs": len(predicted),
        "gold_pairs": len(gold),
    }


def duplicate_and_campaign_scores(rows: list[dict[str, str]], result_json: dict) -> dict:
    index = {row["comment-id"]: i for i, row in enumerate(rows)}
    gold_dup: dict[int, list[int]] = {}
    gold_campaign: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        root = index[row["duplicate_of"]] if row["duplicate_of"] else i
        gold_dup.setdefault(root, []).append(i)
        if row.get("campaign"):
            gold_campaign.setdefault(row["campaign"], []).append(i)
    predicted_dup: dict[int, list[int]] = {}
    for i, item in enumerate(result_json["items"]):
        root = index[item["duplicate_of"]] if item["duplicate_of"] else i
        predicted_dup.setdefault(root, []).append(i)
    predicted_campaign: dict[str, list[int]] = {}
    for i, item in enumerate(result_json["items"]):
        if item.get("campaign"):
            predicted_campaign.setdefault(item["campaign"], []).append(i)
    campaign_pairs = _pairs(dict(enumerate(gold_campaign.values())))
    return {
        "duplicates": _pr(_pairs(predicted_dup), _pairs(gold_dup), campaign_pairs),
        "campaigns": _pr(_pairs(dict(enumerate(predicted_campaign.values()))), campaign_pairs),
        "campaigns_found": len(predicted_campaign),
        "campaigns_labelled": len(gold_campaign),
    }


def cluster_scores(rows: list[dict[str, str]], result) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    keep = [i for i, r in enumerate(rows) if not r["duplicate_of"] and not r.get("campaign")]
    gold = [rows[i]["theme"] for i in keep]
    texts = [rows[i]["comment-body"] for i in keep]
    out: dict = {"scored": len(keep), "themes": len(set(gold))}
    for level, name in ((0, "coarse"), (1, "fine")):
        labels = [str(result.items[i].clusters[level]) for i in keep]
        k = len(set(labels))
        baseline = char_ngram_baseline(texts, k)
        out[name] = {
            "k": k,
            "ari": adjusted_rand_score(gold, labels),
            "nmi": normalized_mutual_info_score(gold, labels),
            "baseline_ari": adjusted_rand_score(gold, baseline),
            "baseline_nmi": normalized_mutual_info_score(gold, baseline),
        }
    return out


def alignment_auc(split: str, path: str | Path = PAIRS) -> dict:
    from sklearn.metrics import roc_auc_score

    pairs = load_labelled(path, split)
    reference = DEFINITION.read_text(encoding="utf-8").strip()
    result = analyze([p["text"] for p in pairs], reference=reference)
    labels = [int(p["label"]) for p in pairs]
    scores = [item.alignment or 0.0 for item in result.items]
    parts = result.stats["alignment"]["parts"]
    # The labelled part numbers (1–4) name the definition's clauses in order, after the
    # opening 「本市のDXとは」, which has no content of its own: map by position among the
    # parts that have content words.
    hits = total = 0
    for pair, item in zip(pairs, result.items, strict=True):
        if pair["part"]:
            total += 1
            labelled = int(pair["part"])
            hits += _part_number(parts, item.alignment_part) == labelled
    return {
        "auc": roc_auc_score(labels, scores),
        "pairs": len(pairs),
        "positives": sum(labels),
        "part_accuracy": hits / total if total else None,
    }


#: Which of the definition's four labelled parts each of its clauses belongs to (the
#: clauses as :func:`metrics.reference_parts` cuts ``definition.txt``).
DEFINITION_PART_OF_CLAUSE = [0, 1, 2, 3, 4, 4]


def _part_number(parts: list[str], index: int | None) -> int:
    if index is None or index >= len(DEFINITION_PART_OF_CLAUSE):
        return 0
    return DEFINITION_PART_OF_CLAUSE[index]


def stability(rows: list[dict[str, str]], drops: tuple[int, ...] = (0, 100, 200)) -> dict:
    from sklearn.metrics import adjusted_rand_score

    rows = rows[:300]
    texts = [r["comment-body"] for r in rows]
    ids = [r["comment-id"] for r in rows]
    full = analyze(texts, ids)
    fine = {item.id: item.clusters[1] for item in full.items}
    aris, moves = [], []
    for drop in drops:
        result = analyze(texts[:drop] + texts[drop + 1 :], ids[:drop] + ids[drop + 1 :])
        before = [str(fine[item.id]) for item in result.items]
        after = [str(item.clusters[1]) for item in result.items]
        aris.append(adjusted_rand_score(before, after))
        moves.append(abs(result.stats["divergence"] - full.stats["divergence"]))
    return {"fine_ari": aris, "min_fine_ari": min(aris), "divergence_moves": moves}


def evaluate(split: str = "heldout", *, with_stability: bool = True) -> dict:
    from .analysis import result_to_json

    rows = load_labelled(LABELLED, split)
    result = analyze([r["comment-body"] for r in rows], [r["comment-id"] for r in rows])
    out: dict = {"split": split, "answers": len(rows), **cluster_scores(rows, result)}
    out["selection"] = result.stats["selection"]
    out.update(duplicate_and_campaign_scores(rows, result_to_json(result)))
    out["alignment"] = alignment_auc(split)
    if with_stability:
        out["stability"] = stability(rows)
    return out
