import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .helpers import POLIS


def test_cli_writes_the_result(tmp_path, capsys):
    out = tmp_path / "sub" / "result.json"
    call_command("consensus", f"{POLIS}/london.youth.policing", "--out", str(out), "--compare")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"participants", "groups", "consensus", "divisive"} <= set(data)
    assert {"id", "group"} <= set(data["participants"][0])
    assert all({"id", "size", "representative"} <= set(g) for g in data["groups"])
    statements = {str(i) for i in range(100)}
    assert all(
        isinstance(s, str) and s in statements for g in data["groups"] for s in g["representative"]
    )
    assert all(isinstance(s, str) for s in data["consensus"] + data["divisive"])
    assert data["details"]["consensus"][0]["statement"] == data["consensus"][0]
    printed = capsys.readouterr().out
    assert "groups" in printed and "adjusted Rand index" in printed


def test_cli_bad_input_exits_with_a_clear_message_and_writes_nothing(tmp_path):
    source = tmp_path / "export"
    source.mkdir()
    shutil.copy(Path(POLIS) / "london.youth.policing" / "votes.csv", source / "votes.csv")
    (source / "comments.csv").write_text("comment-id,text\n1,hello\n")
    out = tmp_path / "result.json"
    with pytest.raises(CommandError) as error:
        call_command("consensus", str(source), "--out", str(out))
    assert "comment-body" in str(error.value)
    assert "列" in str(error.value)  # the Japanese text too
    assert not out.exists()
    with pytest.raises(CommandError, match="not a directory"):
        call_command("consensus", str(tmp_path / "missing"), "--out", str(out))


def test_cli_exits_non_zero_from_the_shell(tmp_path, capsys):
    """As run from the shell (``run_from_argv``, in this process to keep CI time low)."""
    from kyokan.apps.deliberation.management.commands.consensus import Command

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(
            ["kyokan", "consensus", str(tmp_path), "--out", str(tmp_path / "r.json")]
        )
    assert exited.value.code != 0
    assert "comments.csv" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()
