"""A large import does not lock the database for everyone: people answer while it runs.

Run in a subprocess on a real SQLite file in WAL mode (the test database is in memory,
where locking works differently), with the production wait for the write lock (20 s). The
old import held one write transaction for the whole file, so nobody could answer until it
ended (and with a short wait, answers failed with "database is locked"); now the rows are
checked outside any write and written in short chunks, published at the end. What is
checked does not hang on the machine's speed: no answer fails, and answers commit in the
gaps between the import's chunks (a single transaction leaves no gap)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from kyokan.apps.surveys.importing import WRITE_CHUNK

ROOT = Path(__file__).resolve().parents[2]
ROWS = 12 * WRITE_CHUNK


def test_answers_commit_between_the_chunks_of_a_large_import(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kyokan.config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kyokan.sqlite3'}",
        "KYOKAN_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("KYOKAN_TEST_DB_NAME", None)
    run = subprocess.run(
        [sys.executable, "-m", "tests.surveys.concurrent_import", str(ROWS), "20"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["imported"] == ROWS
    assert result["failed"] == 0, result
    assert result["chunks"] == ROWS // WRITE_CHUNK, result
    # People answered while the import wrote: in most gaps between two chunks.
    assert result["answers_between_chunks"] >= result["chunks"], result
    assert result["gaps_with_answers"] >= (result["chunks"] - 1) // 2, result
    assert result["responses"] == ROWS + 6  # the import and one response per person
