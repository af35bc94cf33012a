"""Quality on the HELD-OUT split of the hand-written labelled set (tests/textanalysis/data): no
constant of the library was chosen on it. Targets of issue 12 that the library does not
reach are marked ``xfail(strict=True)`` with the measured figure in the reason, so that
they are visible and turn into failures the day they pass."""

import codecs
import re

import pytest

from kyokan.textanalysis.evaluation import alignment_auc, evaluate, stability
from kyokan.textanalysis.vectors import load_vectors

from .helpers import LABELLED, labelled_rows


@pytest.fixture(scope="module")
def quality():
    return evaluate("heldout", with_stability=False)


def test_labelled_set_is_as_specified():
    assert LABELLED.read_bytes().startswith(codecs.BOM_UTF8)
    rows = labelled_rows()
    assert list(rows[0]) == [
        "comment-id", "comment-body", "theme", "duplicate_of", "campaign", "negative_of",
        "multi", "split",
    ]  # fmt: skip
    assert len(rows) >= 600
    assert len({r["theme"] for r in rows} - {"off_topic"}) >= 12
    assert all(5 <= len(r["comment-body"]) <= 300 for r in rows)
    ids = {r["comment-id"] for r in rows}
    assert len(ids) == len(rows)
    by_id = {r["comment-id"]: r for r in rows}
    for row in rows:
        for column in ("duplicate_of", "negative_of"):
            if row[column]:
                assert by_id[row[column]]["split"] == row["split"]  # pairs stay in a split
    campaigns = {}
    for row in rows:
        if row["campaign"]:
            campaigns.setdefault(row["campaign"], []).append(row)
    assert len(campaigns) >= 6 and all(len(members) == 10 for members in campaigns.values())
    held = labelled_rows("heldout")
    assert len({r["comment-body"] for r in held}) >= 200
    bodies = " ".join(r["comment-body"] for r in rows)
    for variant in ("ＤＸ", "ﾈｯﾄ", "ぺーぱーれす", "ええやん", "どげん", "けん"):
        assert variant in bodies
    # No shared frame: no 12-character run appears in more than 3 independent answers.
    independent = [r["comment-body"] for r in rows if not r["duplicate_of"] and not r["campaign"]]
    runs: dict[str, int] = {}
    for body in independent:
        for run in {body[i : i + 12] for i in range(len(body) - 11)}:
            if not re.fullmatch(r"[\W\d]+", run):
                runs[run] = runs.get(run, 0) + 1
    assert max(runs.values()) <= 3


def test_word_vectors_are_installed():
    vectors = load_vectors()
    assert vectors is not None, "ja-ginza 5.3.0 is not installed (pip install --no-deps)"
    assert vectors.table.shape == (20000, 300)
    assert vectors.row("電子申請") is not None


def test_groups_beat_the_baseline_at_both_levels(quality):
    for level in ("coarse", "fine"):
        q = quality[level]
        assert q["ari"] > q["baseline_ari"] + 0.05, quality
        assert q["nmi"] > q["baseline_nmi"], quality
    assert quality["coarse"]["k"] < quality["fine"]["k"]


def test_best_level_ari_is_near_the_target(quality):
    # Measured on held-out: coarse 0.247 (k=9), fine 0.335 (k=28); the target is the xfail.
    assert max(quality["coarse"]["ari"], quality["fine"]["ari"]) >= 0.33, quality


@pytest.mark.xfail(
    strict=True,
    reason="issue 12 target best-level ARI >= 0.35: held-out fine 0.335 (k=28), coarse 0.247 "
    "with the subsampled 150-run ensemble; the 0.353 of the earlier 45-run ensemble was a "
    "lucky draw of its 3 seeds (dev: 0.336 with seeds 0-2, 0.307 and 0.299 with 3-5, 6-8)",
)
def test_best_level_ari_reaches_the_target(quality):
    assert max(quality["coarse"]["ari"], quality["fine"]["ari"]) >= 0.35, quality


def test_the_coarse_level_does_not_collapse(quality):
    selection = quality["selection"]
    assert selection["rule"] == "modularity" and not selection["given"]
    assert selection["chosen"] >= 5  # 15 labelled themes; the old rule chose 2
    scores = [s["modularity"] for s in selection["scores"]]
    assert len(scores) >= 10 and max(scores) == next(
        s["modularity"] for s in selection["scores"] if s["k"] == selection["chosen"]
    )


def test_near_duplicates_precision_and_recall(quality):
    duplicates = quality["duplicates"]
    assert duplicates["precision"] >= 0.8 and duplicates["recall"] >= 0.8, duplicates


def test_campaigns_precision_and_recall(quality):
    campaigns = quality["campaigns"]
    assert campaigns["precision"] >= 0.8 and campaigns["recall"] >= 0.8, campaigns


def test_hard_negatives_are_not_duplicates():
    from kyokan.textanalysis import analyze

    rows = labelled_rows("heldout")
    result = analyze([r["comment-body"] for r in rows], [r["comment-id"] for r in rows])
    by_id = {item.id: item for item in result.items}
    negatives = [r for r in rows if r["negative_of"]]
    assert len(negatives) >= 8
    for row in negatives:
        item, other = by_id[row["comment-id"]], by_id[row["negative_of"]]
        assert item.duplicate_of != other.id and other.duplicate_of != item.id
        assert item.campaign is None or item.campaign != other.campaign


def test_alignment_separates_restatements_of_the_definition():
    result = alignment_auc("heldout")
    assert result["positives"] >= 10 and result["pairs"] - result["positives"] >= 10
    assert result["auc"] >= 0.8, result
    assert result["part_accuracy"] >= 0.7, result


@pytest.fixture(scope="module")
def held_out_stability():
    return stability(labelled_rows("heldout"))


def test_removing_one_answer_of_300_keeps_the_fine_groups(held_out_stability):
    result = held_out_stability
    assert all(move < 0.02 for move in result["divergence_moves"]), result
    # Issue 12's target; measured on held-out: 0.869, 0.879, 0.823.
    assert result["min_fine_ari"] >= 0.8, result
