"""Output shape, determinism, progress, divergence, alignment, breakdowns and the tree."""

import itertools
import json

import numpy as np
import pytest

from kyokan.textanalysis import analyze, analyze_csv, compare_alignment, result_to_json
from kyokan.textanalysis.metrics import cluster_spread, divergence, mean_cosine_distance

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
    rows = labelled_rows("heldout")
    departments = ["市民課", "情報政策課", "福祉課"]
    out = []
    for i, row in enumerate(rows):
        out.append(
            {
                "comment-id": row["comment-id"],
                "comment-body": row["comment-body"],
                "department": departments[i % 3],
            }
        )
    return analyze_csv(csv_bytes(out), reference=REFERENCE)


def test_json_shape(labelled_json):
    result = labelled_json
    assert set(result) == {"items", "clusters", "stats"}
    json.dumps(result, ensure_ascii=False, allow_nan=False)  # plain JSON types only
    assert len(result["items"]) == len(labelled_rows("heldout"))
    for item in result["items"]:
        assert list(item) == [
            "id", "clusters", "x", "y", "duplicate_of", "campaign", "alignment", "alignment_part"
        ]  # fmt: skip
        assert len(item["clusters"]) == 2
        assert -1.0 <= item["x"] <= 1.0 and -1.0 <= item["y"] <= 1.0
        assert 0.0 <= item["alignment"] <= 1.0
    for cluster in result["clusters"]:
        assert list(cluster) == [
            "id", "level", "parent", "label", "keywords", "size", "rows", "representatives"
        ]  # fmt: skip
        assert cluster["rows"] >= cluster["size"]
        assert cluster["label"] and cluster["keywords"]
        assert 1 <= len(cluster["representatives"]) <= 3
    stats = result["stats"]
    for key in (
        "divergence", "items", "duplicates", "clusters", "divergence_explanation",
        "divergence_detail", "selection", "campaigns", "near_duplicates",
    ):  # fmt: skip
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


def test_labels_are_phrases_or_keywords(labelled_json):
    """A label is a short phrase of the answers joining two of the group's first keywords
    (「オンライン会議」, 「紙の台帳」), or its first keywords joined with 「・」."""
    from kyokan.textanalysis.normalize import analysis_text

    rows = {r["comment-id"]: analysis_text(r["comment-body"]) for r in labelled_rows("heldout")}
    phrases = 0
    for cluster in labelled_json["clusters"]:
        label, words = cluster["label"], cluster["keywords"]
        if "・" in label:
            parts = label.split("・")
            assert parts == words[: len(parts)]
            continue
        phrases += 1
        assert sum(1 for w in words[:3] if w in label) >= 2, cluster
        assert len(label) <= len(words[0]) + len(words[1]) + len(words[2]) + 3
        members = [i["id"] for i in labelled_json["items"] if cluster["id"] in i["clusters"]]
        assert sum(1 for m in members if label in rows[m]) >= 2
    assert phrases >= 1


FILLER = {"こと", "事", "もの", "物", "人", "多い", "する", "為る", "ある", "有る", "思う", "市"}


def test_labels_and_keywords_have_no_filler(labelled_json):
    for cluster in labelled_json["clusters"]:
        assert not FILLER & set(cluster["keywords"]), cluster


def test_compounds_stay_whole_in_keywords():
    texts = [
        "マイナンバーカードで電子申請できるようにしてほしい",
        "電子申請の画面をマイナンバーカード対応にする",
        "マイナンバーカードを使った電子申請を増やす",
        "紙の書類を減らしてペーパーレス会議にする",
        "ペーパーレス会議で印刷をやめる",
        "会議資料はペーパーレスでタブレットで見る",
    ] * 2
    texts = [f"{t}（{i}）" if i >= 6 else t for i, t in enumerate(texts)]
    keywords = {w for c in analyze(texts).clusters for w in c.keywords}
    assert "マイナンバーカード" in keywords and "電子申請" in keywords
    assert not {"マイナンバー", "電子"} & keywords


def test_the_number_of_groups_is_chosen_by_a_criterion_that_is_returned(labelled_json):
    selection = labelled_json["stats"]["selection"]
    assert selection["rule"] == "modularity"
    assert selection["chosen"] == labelled_json["stats"]["clusters"]["coarse"]
    assert [s["k"] for s in selection["scores"]] == list(range(2, len(selection["scores"]) + 2))


def test_a_rerun_keeps_the_ids_of_groups_that_still_match():
    from kyokan.textanalysis.cluster import MATCH_MIN_JACCARD

    rows = labelled_rows("heldout")
    texts = [r["comment-body"] for r in rows]
    ids = [r["comment-id"] for r in rows]
    first = result_to_json(analyze(texts[:250], ids[:250]))
    second = result_to_json(analyze(texts, ids, previous=first))
    plain = result_to_json(analyze(texts, ids))

    def members(result, level):
        out: dict[str, set[str]] = {}
        for item in result["items"]:
            if item["id"] in ids[:250] and item["clusters"][level]:
                out.setdefault(item["clusters"][level], set()).add(item["id"])
        return out

    def kept(result, level):
        old, new = members(first, level), members(result, level)
        return {
            cid
            for cid in old.keys() & new.keys()
            if len(old[cid] & new[cid]) / len(old[cid] | new[cid]) >= MATCH_MIN_JACCARD
        }

    for level in (0, 1):
        # Every id the re-run shares with the earlier run names (mostly) the same answers,
        # and more ids are kept than by chance (the run without the earlier result).
        shared = members(first, level).keys() & members(second, level).keys()
        assert shared and kept(second, level) == shared
        assert len(kept(second, level)) > len(kept(plain, level))
    old = {c["id"] for c in first["clusters"] if c["level"] == 1}
    new = [c["id"] for c in second["clusters"] if c["level"] == 1]
    assert len(new) == len(set(new))
    newest = max(int(o[1:]) for o in old)
    assert all(cid in old or int(cid[1:]) > newest for cid in new)


def test_duplicates_inherit_clusters_and_position(labelled_json):
    by_id = {i["id"]: i for i in labelled_json["items"]}
    copies = [i for i in labelled_json["items"] if i["duplicate_of"]]
    assert copies
    for item in copies:
        original = by_id[item["duplicate_of"]]
        assert original["duplicate_of"] is None
        for key in ("clusters", "x", "y", "alignment"):
            assert item[key] == original[key]
    near = labelled_json["stats"]["near_duplicates"]
    assert near and all(group["count"] == len(group["items"]) >= 2 for group in near)
    assert all(group["text"] for group in near)


def test_campaigns_are_counted_once_with_their_text_and_size(labelled_json):
    stats = labelled_json["stats"]
    campaigns = stats["campaigns"]
    assert len(campaigns) == 3
    by_id = {i["id"]: i for i in labelled_json["items"]}
    for campaign in campaigns:
        assert campaign["count"] == len(campaign["items"]) == 10 and campaign["text"]
        members = [by_id[i] for i in campaign["items"]]
        assert {m["campaign"] for m in members} == {campaign["id"]}
        assert len({tuple(m["clusters"]) for m in members}) == 1  # one opinion
    # The campaign's members are one distinct answer in the groups' sizes.
    assert stats["distinct"] == sum(c["size"] for c in labelled_json["clusters"] if c["level"] == 1)


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
    rows = labelled_rows("dev")[:300]
    texts = [r["comment-body"] for r in rows]
    ids = [r["comment-id"] for r in rows]
    first = result_to_json(analyze(texts, ids, reference=REFERENCE))
    second = result_to_json(analyze(texts, ids, reference=REFERENCE))
    assert first == second


def test_cluster_numbers_can_be_given():
    rows = labelled_rows("dev")
    result = analyze([r["comment-body"] for r in rows], coarse=5, fine=12)
    assert result.stats["clusters"] == {"coarse": 5, "fine": 12, "total": 17}
    assert result.stats["selection"]["rule"] == "given"


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


def test_divergence_of_unrelated_answers_is_close_to_one():
    result = analyze(UNRELATED)
    assert result.stats["divergence"] >= 0.9
    detail = result.stats["divergence_detail"]
    assert detail["code"] == "divergence_mean_similarity"
    assert detail["params"]["respondents"] == len(UNRELATED)
    assert detail["params"]["divergence"] == pytest.approx(result.stats["divergence"], abs=1e-3)


def test_divergence_falls_when_a_round_concentrates_on_fewer_positions():
    from kyokan.textanalysis import analyze_rounds

    rows = [r for r in labelled_rows("heldout") if not r["duplicate_of"] and not r["campaign"]]
    rows = [r for r in rows if r["theme"] != "off_topic"]
    first = [r["comment-body"] for r in rows]
    # Second round: fewer positions - the independent answers of three themes only.
    second = [
        r["comment-body"] for r in rows if r["theme"] in {"paperless", "cashless", "leadership"}
    ]
    compared = analyze_rounds([first, second])
    one, two = compared["rounds"]
    # Removing one answer of 300 moves the index by less than 0.001 (test_quality): a fall
    # of 0.02 is twenty times that.
    assert two["divergence"] < one["divergence"] - 0.02, compared["rounds"]
    assert compared["change"] == pytest.approx(two["divergence"] - one["divergence"], abs=1e-3)
    # Every respondent is counted but those the analysis cannot place: a one-word answer
    # whose word has no vector and appears in no other answer (チャットボット alone) has no
    # position to compare (4 of 261 here).
    assert 0.98 * len(first) <= one["explanation"]["params"]["respondents"] <= len(first)

    # The shared groups show the concentration too (probability that two answers of the
    # round fall in the same coarse group).
    def concentration(shares):
        return sum(v * v for v in shares.values())

    assert concentration(two["coarse_shares"]) > concentration(one["coarse_shares"])
    # The same round twice is the same divergence (one scale for both).
    same = analyze_rounds([first, first])["rounds"]
    assert same[0]["divergence"] == same[1]["divergence"]


def test_divergence_focused_group_is_lower_than_mixed_group():
    rows = [r for r in labelled_rows("heldout") if not r["duplicate_of"]]
    groups = ["focused" if r["theme"] == "cashless" else "mixed" for r in rows]
    result = analyze([r["comment-body"] for r in rows], attributes={"group": groups})
    by_group = result.stats["groups"]["group"]
    assert by_group["focused"]["divergence"] < by_group["mixed"]["divergence"] - 0.1


def test_divergence_parts():
    unit = np.eye(4, dtype=np.float32)
    assert mean_cosine_distance(unit) == pytest.approx(1.0)
    assert mean_cosine_distance(np.tile(unit[:1], (5, 1))) == pytest.approx(0.0)
    assert cluster_spread(np.array([0, 0, 0]), 5) == 0.0
    assert cluster_spread(np.array([0, 1, 2, 3]), 4) == pytest.approx(1.0)
    parts = divergence(unit, np.arange(4), 4)
    assert parts["divergence"] == pytest.approx(1.0)
    assert divergence(unit[:1], np.zeros(1, int), 1)["divergence"] == 0.0
    # Weights are respondents: two people holding each of two opposite answers.
    opposite = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    weighted = divergence(opposite, np.arange(2), 2, np.array([2.0, 2.0]))
    # pairs: 2 agreeing pairs (similarity 1) of 6 ordered... mean similarity 1/3
    assert weighted["mean_similarity"] == pytest.approx(1 / 3)
    assert weighted["respondents"] == 4


def test_alignment_copied_answer_scores_higher_than_unrelated():
    texts = [REFERENCE, *UNRELATED, "紙の書類を減らす", "高齢者を取り残さない"]
    result = analyze(texts, reference=REFERENCE)
    scores = [item.alignment for item in result.items]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > max(scores[1:]) + 0.3
    # An answer that copies one part of the reference matches that part fully.
    part = analyze(["行政手続をオンライン化し", *UNRELATED], reference=REFERENCE).items[0]
    assert part.alignment > 0.9
    assert result.stats["alignment"]["mean"] == pytest.approx(np.mean(scores), abs=0.05)


def test_alignment_names_the_part_of_the_definition_an_answer_restates():
    from .helpers import DEFINITION

    texts = [
        "住民の立場に立って、役所の仕事の進め方を考え直すこと",
        "条例や規則、部署の体制、お金の付け方まで変えること",
        "IT化と何が違うのか分からない",
    ]
    result = analyze(texts, reference=DEFINITION)
    parts = result.stats["alignment"]["parts"]
    assert "市民起点で行政サービスと業務のあり方を見直し" in parts
    first, second, unclear = result.items
    assert "見直し" in parts[first.alignment_part]
    assert "予算を変える" in parts[second.alignment_part]
    assert unclear.alignment < min(first.alignment, second.alignment)
    assert sum(result.stats["alignment"]["part_counts"]) == 3


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


def test_two_distinct_answers_are_placed_apart():
    result = analyze(["オンライン申請を増やす", "紙の書類をなくす"])
    assert {(item.x, item.y) for item in result.items} == {(-1.0, 0.0), (1.0, 0.0)}
