"""Result files are written atomically, and a device or pipe named as the target stays one."""

import os
import stat
import threading

import pytest

from kyokan import atomicfile


def test_a_file_is_replaced_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out" / "result.json"
    atomicfile.write_text(target, "一回目")
    atomicfile.write_text(target, "二回目")
    assert target.read_text(encoding="utf-8") == "二回目"
    assert [p.name for p in target.parent.iterdir()] == ["result.json"]


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "result.json"
    target.write_text("old", encoding="utf-8")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        atomicfile.write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_a_named_pipe_is_written_in_place_not_replaced(tmp_path):
    # Renaming over a device or pipe (e.g. --out /dev/null) would put a regular file there.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    atomicfile.write_text(pipe, "結果")
    reader.join(timeout=10)
    assert received == ["結果".encode()]
    assert stat.S_ISFIFO(pipe.stat().st_mode)
