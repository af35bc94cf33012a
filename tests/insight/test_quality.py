"""Clustering and near-duplicate quality on the labelled set (tests/insight/data)."""

import codecs

import pytest

from kyokan.insight.evaluation import evaluate
from kyokan.insight.vectors import load_vectors

from .helpers import LABELLED, labelled_rows


@pytest.fixture(scope="module")
def quality():
    return evaluate(LABELLED)


def test_labelled_set_is_as_specified():
    assert LABELLED.read_bytes().startswith(codecs.BOM_UTF8)
    rows = labelled_rows()
    assert list(rows[0]) == ["comment-id", "comment-body", "theme", "duplicate_of"]
    assert len(rows) >= 500
    assert len({r["theme"] for r in rows}) >= 10
    assert all(5 <= len(r["comment-body"]) <= 150 for r in rows)
    ids = {r["comment-id"] for r in rows}
    assert len(ids) == len(rows)
    marked = [r for r in rows if r["duplicate_of"]]
    assert len(marked) >= 30
    assert all(r["duplicate_of"] in ids for r in marked)
    bodies = " ".join(r["comment-body"] for r in rows)
    for variant in ("ＤＸ", "DX", "ﾃﾞｼﾞﾀﾙ", "ぺーぱーれす"):
        assert variant in bodies


def test_word_vectors_are_installed():
    vectors = load_vectors()
    assert vectors is not None, "ja-ginza 5.3.0 is not installed (pip install --no-deps)"
    assert vectors.table.shape == (20000, 300)
    assert vectors.row("電子申請") is not None


def test_clusters_match_the_themes(quality):
    coarse, fine = quality["coarse"], quality["fine"]
    best = max(coarse["ari"], fine["ari"])
    assert best >= 0.35, quality
    assert coarse["k"] < fine["k"]
    for level in (coarse, fine):
        assert level["ari"] > level["baseline_ari"], quality
        assert level["nmi"] > level["baseline_nmi"], quality


def test_near_duplicates_are_found(quality):
    duplicates = quality["duplicates"]
    assert duplicates["precision"] >= 0.8, duplicates
    assert duplicates["recall"] >= 0.8, duplicates
