"""Bad and unusual input: every case raises AnalysisInputError or gives a sensible result."""

import codecs
import io
import json

import pytest

from kyokan.textanalysis import AnalysisInputError, analyze, analyze_csv, read_comments_csv
from kyokan.textanalysis.__main__ import main as cli_main
from kyokan.textanalysis.normalize import MAX_ANALYSIS_CHARS

from .helpers import comment_rows, csv_bytes

TEXTS = [
    "オンライン申請で窓口に行かずに済むようにしてほしい",
    "紙の書類をなくしてペーパーレス化を進める",
    "高齢者にも分かりやすいデジタル化",
    "個人情報をしっかり守るセキュリティ対策",
]


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(AnalysisInputError, match="empty"):
        analyze_csv(path)
    with pytest.raises(AnalysisInputError, match="empty"):
        read_comments_csv(b"  \r\n ")


def test_header_without_comments_is_rejected():
    with pytest.raises(AnalysisInputError, match="no comments"):
        read_comments_csv(b"comment-id,comment-body\r\n")


def test_missing_columns_are_named():
    with pytest.raises(AnalysisInputError, match="comment-body") as error:
        read_comments_csv("comment-id,text\n1,こんにちは\n".encode())
    assert "text" in str(error.value)
    with pytest.raises(AnalysisInputError, match="comment-id, comment-body"):
        read_comments_csv(b"id,body\n1,x\n")


def test_undecodable_bytes_are_rejected():
    with pytest.raises(AnalysisInputError, match="encoding"):
        read_comments_csv(b"comment-id,comment-body\n1,\x81\x00\xff\xfe\xfd\x80\x80\n")


def test_broken_utf8_is_rejected_not_read_as_mojibake():
    good = csv_bytes(comment_rows(TEXTS * 3))
    broken = good[:60] + good[61:]  # cut one byte out of a multi-byte character
    with pytest.raises(AnalysisInputError, match="UTF-8"):
        read_comments_csv(broken)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "utf-16"])
def test_encodings_are_detected(encoding):
    rows = comment_rows([*TEXTS, "ﾃﾞｼﾞﾀﾙ化で㈱や①も原文のまま"], department=list("ABCDE"))
    comments = read_comments_csv(csv_bytes(rows, encoding))
    assert comments.ids == ["c1", "c2", "c3", "c4", "c5"]
    assert comments.texts[-1] == "ﾃﾞｼﾞﾀﾙ化で㈱や①も原文のまま"  # the original is kept
    assert comments.attributes == {"department": list("ABCDE")}


def test_paths_and_file_objects_are_accepted(tmp_path):
    data = csv_bytes(comment_rows(TEXTS), "utf-8-sig")
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    for source in (path, str(path), io.BytesIO(data), io.StringIO(data.decode("utf-8-sig"))):
        assert read_comments_csv(source).texts == TEXTS


def test_ids_must_be_present_and_unique():
    with pytest.raises(AnalysisInputError, match="empty"):
        read_comments_csv("comment-id,comment-body\n,テキスト\n".encode())
    with pytest.raises(AnalysisInputError, match="already used"):
        read_comments_csv("comment-id,comment-body\n1,あ\n1,い\n".encode())


def test_nul_bytes_are_rejected():
    with pytest.raises(AnalysisInputError, match="NUL"):
        read_comments_csv(b"comment-id,comment-body\n1,a\x00b\n")


def test_single_comment_gives_a_trivial_result():
    result = analyze_csv(csv_bytes(comment_rows(["オンライン申請を増やしてほしい"])))
    assert [c["level"] for c in result["clusters"]] == [1, 2]
    item = result["items"][0]
    assert item["clusters"] == ["C1", "C1.1"]
    assert (item["x"], item["y"]) == (0.0, 0.0)
    assert result["stats"]["divergence"] == 0.0


def test_all_identical_comments_make_one_cluster_and_no_divergence():
    rows = comment_rows(["ペーパーレスを進める"] * 4 + ["ペーパーレスを進める！"] * 2)
    result = analyze_csv(csv_bytes(rows))
    assert result["stats"]["clusters"] == {"coarse": 1, "fine": 1, "total": 2}
    assert result["stats"]["divergence"] == 0.0
    assert result["stats"]["duplicates"] == 5
    assert {tuple(i["clusters"]) for i in result["items"]} == {("C1", "C1.1")}
    assert [i["duplicate_of"] for i in result["items"]] == [None] + ["c1"] * 5


def test_a_one_megabyte_comment_is_truncated_for_analysis_only():
    huge = "オンライン申請の拡充を望みます。" * (1_000_000 // 16)
    texts = [*TEXTS, huge]
    comments = read_comments_csv(csv_bytes(comment_rows(texts)))
    assert comments.texts[-1] == huge
    result = analyze(comments.texts, comments.ids)
    assert result.items[-1].id == "c5"
    assert result.items[-1].clusters[0] is not None
    assert result.stats["truncated"] == ["c5"]
    assert result.stats["max_analysis_chars"] == MAX_ANALYSIS_CHARS


def test_html_and_script_are_only_text():
    texts = [
        "<script>alert('DX')</script>オンライン申請を増やす",
        "<b>ペーパーレス</b>を進める &amp; 紙を減らす",
        '"><img src=x onerror=alert(1)>セキュリティ対策',
        *TEXTS,
    ]
    rows = comment_rows(texts)
    comments = read_comments_csv(csv_bytes(rows))
    assert comments.texts == texts  # stored verbatim, never interpreted
    result = analyze_csv(csv_bytes(rows))
    assert len(result["items"]) == len(texts)
    words = {w for c in result["clusters"] for w in c["keywords"]}
    assert not words & {"script", "img", "onerror", "alert", "b"}


def test_emoji_half_width_kana_and_symbol_only_answers():
    texts = [
        "ﾃﾞｼﾞﾀﾙ化で窓口の待ち時間を減らしてほしい😊",
        "デジタル化で窓口の待ち時間を減らしてほしい",
        "👍👍👍",
        "。。。",
        "",
        *TEXTS,
    ]
    result = analyze(texts, [f"c{i}" for i in range(len(texts))])
    items = result.items
    assert items[1].duplicate_of == "c0"  # width and emoji do not make answers different
    for empty in items[2:5]:
        assert empty.clusters == [None, None] and empty.x is None
    assert result.stats["empty"] == 3


def test_nothing_to_analyse_is_an_error():
    with pytest.raises(AnalysisInputError, match="No comment"):
        analyze(["", "😊", "。"], ["a", "b", "c"])


def test_cluster_numbers_are_checked():
    with pytest.raises(AnalysisInputError, match="more coarse"):
        analyze(TEXTS, coarse=3, fine=2)
    with pytest.raises(AnalysisInputError, match="positive"):
        analyze(TEXTS, fine=0)


def test_reference_without_content_words_is_rejected():
    with pytest.raises(AnalysisInputError, match="reference"):
        analyze(TEXTS, reference="。。。")


def test_cli_writes_json_only_on_success(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(codecs.BOM_UTF8 + b"id,body\n1,x\n")
    out = tmp_path / "out.json"
    assert cli_main([str(bad), "-o", str(out), "-q"]) == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]
    assert "Missing column" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(comment_rows(TEXTS)))
    reference = tmp_path / "definition.txt"
    reference.write_text("オンライン申請", encoding="utf-8")
    assert cli_main([str(good), "--out", str(out), "-q", "--reference", str(reference)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert len(result["items"]) == 4 and "alignment" in result["items"][0]
    # --reference is a file, as in `kyokan analyze`: a missing or empty one is refused.
    assert cli_main([str(good), "--out", str(out), "-q", "--reference", "オンライン申請"]) == 2
    reference.write_text("", encoding="utf-8")
    assert cli_main([str(good), "--out", str(out), "-q", "--reference", str(reference)]) == 2
    assert "is empty" in capsys.readouterr().err


# --- codes and parameters: what a caller translates ---------------------------------------------


@pytest.mark.parametrize(
    ("source", "code", "params"),
    [
        (b"", "empty", {}),
        (b"comment-id,comment-body\r\n", "no_rows", {}),
        (b"id,text\n1,x\n", "missing_columns", {"missing": "comment-id, comment-body"}),
        (b"comment-id,comment-body,a,a\n1,x,y,z\n", "duplicate_columns", {"columns": "a"}),
        (
            ("comment-id,comment-body," + ",".join(map(str, range(49))) + "\n1,x\n").encode(),
            "too_many_columns",
            {"count": 51, "limit": 50},
        ),
        (b"comment-id,comment-body\n,x\n", "empty_id", {"line": 2}),
        (
            b"comment-id,comment-body\n1,x\n1,y\n",
            "duplicate_id",
            {"line": 3, "id": "1", "first_line": 2},
        ),
        (b"comment-id,comment-body\n1,\x81\x00\xff\xfe\xfd\x80\x80\n", "encoding_unknown", {}),
        (b"comment-id,comment-body\n1,\x81\x20\n", "encoding_unknown", {}),
        (b"\xef\xbb\xbfcomment-id,comment-body\n1,\xff\n", "utf8_broken_after_bom", {}),
        ("comment-id,comment-body\n1,x\n".encode("utf-16-le"), "binary", {}),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary", {}),
    ],
)
def test_every_input_error_has_a_code_and_its_parameters(source, code, params):
    from kyokan.textanalysis.io import CODES

    with pytest.raises(AnalysisInputError) as error:
        read_comments_csv(source)
    assert error.value.code == code
    assert set(error.value.params) == set(CODES[code])
    assert params.items() <= error.value.params.items()
    assert str(error.value)  # the English message stays, for the command line


def test_broken_utf8_has_its_code_and_counts():
    good = csv_bytes(comment_rows(TEXTS * 3))
    with pytest.raises(AnalysisInputError) as error:
        read_comments_csv(good[:60] + good[61:])
    assert error.value.code == "utf8_broken"
    assert error.value.params["broken"] >= 1 and 57 <= error.value.params["position"] <= 60


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"texts": []}, "no_comments"),
        ({"texts": ["a", "b"], "ids": ["1"]}, "ids_mismatch"),
        ({"texts": ["a", "b"], "ids": ["1", "1"]}, "ids_not_unique"),
        ({"texts": ["a", "b"], "attributes": {"部局": ["x"]}}, "attribute_length"),
        ({"texts": ["a", "b"], "coarse": 0}, "bad_cluster_count"),
        ({"texts": ["a", "b"], "coarse": 3, "fine": 2}, "coarse_above_fine"),
        ({"texts": ["。", "！？"]}, "nothing_to_analyse"),
    ],
)
def test_analysis_input_errors_have_codes(kwargs, code):
    from kyokan.textanalysis.io import CODES

    with pytest.raises(AnalysisInputError) as error:
        analyze(**kwargs)
    assert error.value.code == code
    assert set(error.value.params) == set(CODES[code])


def test_a_header_of_many_names_and_a_file_of_many_rows_are_refused_while_reading(monkeypatch):
    # A header of 40,000 names took 14 s (every name counted against every other: hours
    # for the million names a 20 MB file holds); it is refused at once, before any row.
    names = ",".join(f"属性{n}" for n in range(40_000))
    with pytest.raises(AnalysisInputError) as error:
        read_comments_csv(f"comment-id,comment-body,{names}\n1,x\n".encode())
    assert error.value.params == {"count": 40_002, "limit": 50}
    # Rows: at most MAX_COMMENTS (two million one-letter rows took 17 s and 2 GB).
    from kyokan.textanalysis import io as text_io

    monkeypatch.setattr(text_io, "MAX_COMMENTS", 3)
    rows = "".join(f"{n},x\n" for n in range(4))
    with pytest.raises(AnalysisInputError) as error:
        read_comments_csv(f"comment-id,comment-body\n{rows}".encode())
    assert (error.value.code, error.value.params) == ("too_many_comments", {"limit": 3})
    assert len(read_comments_csv(f"comment-id,comment-body\n{rows[:-4]}".encode()).ids) == 3
