import shutil
from pathlib import Path

import pytest

from kyokan.consensus import ConsensusInputError, analyze
from kyokan.consensus.polis import (
    MAX_STATEMENT_CHARS,
    PolisComment,
    PolisExport,
    PolisVote,
    export_files,
    read_export,
    write_export,
)

from .helpers import POLIS

LONDON = Path(POLIS) / "london.youth.policing"

COMMENTS = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
VOTES = "timestamp,datetime,comment-id,voter-id,vote\n"


def _export(tmp_path, comments, votes, participants=None):
    (tmp_path / "comments.csv").write_bytes(
        comments if isinstance(comments, bytes) else comments.encode()
    )
    (tmp_path / "votes.csv").write_bytes(votes if isinstance(votes, bytes) else votes.encode())
    if participants is not None:
        (tmp_path / "participants-votes.csv").write_text(participants)
    return tmp_path


def _comments(*bodies, moderated=1):
    return COMMENTS + "".join(f'1,,{i},0,0,0,{moderated},"{b}"\n' for i, b in enumerate(bodies))


def _refused(tmp_path, code):
    with pytest.raises(ConsensusInputError) as error:
        read_export(tmp_path)
    assert error.value.code == code, str(error.value)
    assert error.value.message_ja
    return error.value


def test_reads_a_real_export():
    export = read_export(LONDON)
    assert len(export.comments) == 39
    assert export.hidden == {c.id for c in export.comments if c.moderated == -1}
    assert len(export.hidden) == 3
    votes = export.to_votes()
    assert len(votes.participants) == 26
    assert export.polis_groups  # kept for the evaluation
    assert export.summary["topic"].startswith("What is the best way")


def test_group_id_is_never_read_by_the_analysis(tmp_path):
    for name in ("comments.csv", "votes.csv"):
        shutil.copy(LONDON / name, tmp_path / name)
    text = (LONDON / "participants-votes.csv").read_text()
    lines = text.splitlines()
    header = lines[0].split(",")
    at = header.index("group-id")
    changed = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[at] = "7" if cells[at] else ""
        changed.append(",".join(cells))
    (tmp_path / "participants-votes.csv").write_text("\n".join(changed) + "\n")
    one = analyze(read_export(LONDON).to_votes()).to_json()
    two = analyze(read_export(tmp_path).to_votes()).to_json()
    assert one == two


def test_missing_files_and_directory(tmp_path):
    _refused(tmp_path / "nowhere", "not_a_directory")
    (tmp_path / "comments.csv").write_text(_comments("a"))
    error = _refused(tmp_path, "missing_file")
    assert error.params == {"file": "votes.csv"}
    assert "votes.csv" in error.message_ja


@pytest.mark.parametrize(
    "comments, votes, code",
    [
        ("comment-id,author-id\n1,2\n", VOTES + "1,,0,5,1\n", "missing_columns"),
        (_comments("a"), "comment-id,vote\n0,1\n", "missing_columns"),
        (_comments("a"), VOTES + "1,,0,5,2\n", "bad_value"),
        (_comments("a"), VOTES + "1,,0,5,agree\n", "bad_value"),
        (_comments("a"), VOTES + "1,,0,,1\n", "bad_value"),
        (_comments("a"), VOTES + "1,,9,5,1\n", "unknown_statement"),
        (_comments("a"), VOTES + "soon,,0,5,1\n", "bad_value"),
        (_comments("a", moderated=3), VOTES, "bad_value"),
        (_comments("a", ""), VOTES, "statement_empty"),
        (_comments("a", "x" * 2000), VOTES, "statement_too_long"),
        (_comments("Same thing", "same  THING"), VOTES, "statement_duplicate"),
        (COMMENTS + '1,,0,0,0,0,1,"a"\n1,,0,0,0,0,1,"b"\n', VOTES, "duplicate_statement_id"),
        (b"\x00\x01\x02binary", VOTES, "binary"),
        ("", VOTES, "empty_file"),
        (COMMENTS + '1,,0,0,0,0,1,"a\n', VOTES, "malformed"),
    ],
)
def test_bad_exports_are_refused(tmp_path, comments, votes, code):
    _export(tmp_path, comments, votes)
    error = _refused(tmp_path, code)
    if "file" in error.params:
        assert error.params["file"] in {"comments.csv", "votes.csv"}
    assert error.params.get("line", 2) >= 2  # lines are the file's, after the header


def test_too_long_statement_reports_its_line(tmp_path):
    _export(tmp_path, _comments("a", "b", "x" * (MAX_STATEMENT_CHARS + 1)), VOTES)
    error = _refused(tmp_path, "statement_too_long")
    assert error.params["line"] == 4  # the file's line (after the header)
    assert error.params["limit"] == MAX_STATEMENT_CHARS


def test_non_utf8_files_are_read_or_refused_clearly(tmp_path):
    shift_jis = (
        "comment-id,comment-body\n0,行政のデジタル化を進めるべきだ\n1,紙の手続きを残すべきだ\n"
    ).encode("cp932")
    _export(tmp_path, shift_jis, VOTES + "1,,0,5,1\n")
    export = read_export(tmp_path)
    assert export.comments[0].body == "行政のデジタル化を進めるべきだ"
    broken = (
        "comment-id,comment-body\n" + "".join(f"{i},意見{i}です\n" for i in range(30))
    ).encode()
    broken = broken[:60] + b"\xff\xfe" + broken[60:]
    _export(tmp_path, broken, VOTES)
    error = _refused(tmp_path, "utf8_broken")
    assert error.params["file"] == "comments.csv"


def test_participants_file_with_missing_columns_is_refused(tmp_path):
    _export(
        tmp_path, _comments("a"), VOTES + "1,,0,5,1\n", participants="participant,n-votes\n5,1\n"
    )
    error = _refused(tmp_path, "missing_columns")
    assert error.params["file"] == "participants-votes.csv"


def test_latest_vote_by_timestamp_counts(tmp_path):
    _export(tmp_path, _comments("a", "b"), VOTES + "20,,0,5,-1\n10,,0,5,1\n15,,1,5,0\n")
    votes = read_export(tmp_path).to_votes()
    assert votes.vote_of("5", "0") == -1
    assert votes.vote_of("5", "1") == 0


def test_write_then_read_gives_the_same_votes(tmp_path):
    export = PolisExport(
        comments=[
            PolisComment(id="1", body="駅前に図書館を", moderated=1, timestamp=1000),
            PolisComment(id="2", body='Quotes "and", commas', moderated=-1, timestamp=2000),
            PolisComment(id="3", body="改行\nを含む", moderated=0),
        ],
        votes=[
            PolisVote("a", "1", 1, 3000),
            PolisVote("a", "1", -1, 4000),
            PolisVote("b", "2", 0, 5000),
            PolisVote("b", "3", 1, 6000),
        ],
    )
    written = write_export(export, tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "comments.csv",
        "participants-votes.csv",
        "votes.csv",
    ]
    again = read_export(tmp_path / "out")
    assert [(c.id, c.body, c.moderated) for c in again.comments] == [
        (c.id, c.body, c.moderated) for c in export.comments
    ]
    assert sorted(again.to_votes().triples()) == sorted(export.to_votes().triples())
    assert again.polis_groups == {"a": None, "b": None}
    participants = (tmp_path / "out" / "participants-votes.csv").read_text().splitlines()
    assert participants[0].startswith("participant,group-id,n-comments,n-votes")
    assert participants[1].split(",")[:6] == ["a", "", "0", "1", "0", "1"]


def test_export_takes_group_ids_from_a_result():
    export = read_export(LONDON)
    result = analyze(export.to_votes())
    files = export_files(export, result)
    lines = files["participants-votes.csv"].decode().splitlines()
    groups = {p["id"]: p["group"] for p in result.participants}
    for line in lines[1:]:
        pid, gid = line.split(",")[:2]
        assert gid == ("" if groups[pid] is None else str(groups[pid]))


def test_export_refuses_bad_statements_before_writing(tmp_path):
    export = PolisExport(
        comments=[PolisComment(id="1", body="x"), PolisComment(id="2", body="X")], votes=[]
    )
    with pytest.raises(ConsensusInputError) as error:
        write_export(export, tmp_path / "out")
    assert error.value.code == "statement_duplicate"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "texts, code, line",
    [
        (["ok", "   "], "statement_empty", 2),
        (["ok", "あ" * 2000], "statement_too_long", 2),
        (["ＡＢＣ は大切", "abc  は大切 "], "statement_duplicate", 2),  # NFKC, spaces, case
        (["駅前に図書館を", "駅前に 図書館を", "x"], None, None),  # distinct: accepted
    ],
)
def test_check_statements(texts, code, line):
    from kyokan.consensus.polis import check_statements

    if code is None:
        check_statements(texts)
        return
    with pytest.raises(ConsensusInputError) as error:
        check_statements(texts)
    assert error.value.code == code
    assert error.value.params["line"] == line
