"""Quality measurement against a labelled CSV (``comment-id``, ``comment-body``, ``theme``,
``duplicate_of``), as used by the tests and ``scripts/bench_insight.py``.

* Clustering: ARI and NMI (scikit-learn) of the coarse and fine clusters against the gold
  themes, over the answers that are not marked as near-duplicates, next to a baseline of
  character 2–3-gram TF-IDF + k-means with the same numbers of clusters.
* Near-duplicates, per item: *precision* is the share of items reported as a duplicate
  whose representative is in the same gold duplicate group; *recall* the share of gold
  duplicates that end up in the same predicted group as the answer they copy.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .analysis import analyze


def load_labelled(path: str | Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def char_ngram_baseline(texts: list[str], k: int, random_state: int = 0) -> np.ndarray:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
    features = matrix.fit_transform(texts)
    return KMeans(n_clusters=k, n_init=10, random_state=random_state).fit_predict(features)


def duplicate_scores(rows: list[dict[str, str]], duplicate_of: list[str | None]) -> dict:
    index = {row["comment-id"]: i for i, row in enumerate(rows)}
    gold = [index[r["duplicate_of"]] if r["duplicate_of"] else i for i, r in enumerate(rows)]
    predicted = [index[d] if d else i for i, d in enumerate(duplicate_of)]
    reported = [i for i in range(len(rows)) if predicted[i] != i]
    correct = sum(1 for i in reported if gold[i] == gold[predicted[i]])
    marked = [i for i in range(len(rows)) if gold[i] != i]
    found = sum(1 for i in marked if predicted[i] == predicted[gold[i]])
    return {
        "precision": correct / len(reported) if reported else 1.0,
        "recall": found / len(marked) if marked else 1.0,
        "reported": len(reported),
        "marked": len(marked),
    }


def evaluate(path: str | Path, coarse: int | None = None, fine: int | None = None) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    rows = load_labelled(path)
    result = analyze(
        [r["comment-body"] for r in rows], [r["comment-id"] for r in rows], coarse=coarse, fine=fine
    )
    keep = [i for i, r in enumerate(rows) if not r["duplicate_of"]]
    gold = [rows[i]["theme"] for i in keep]
    texts = [rows[i]["comment-body"] for i in keep]
    out: dict = {"answers": len(rows), "themes": len(set(gold)), "scored": len(keep)}
    for level, name in ((0, "coarse"), (1, "fine")):
        labels = [result.items[i].clusters[level] for i in keep]
        k = len(set(labels))
        baseline = char_ngram_baseline(texts, k)
        out[name] = {
            "k": k,
            "ari": adjusted_rand_score(gold, labels),
            "nmi": normalized_mutual_info_score(gold, labels),
            "baseline_ari": adjusted_rand_score(gold, baseline),
            "baseline_nmi": normalized_mutual_info_score(gold, baseline),
        }
    out["duplicates"] = duplicate_scores(rows, [item.duplicate_of for item in result.items])
    return out
