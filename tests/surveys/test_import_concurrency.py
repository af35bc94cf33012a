"""A large import does not lock the database for everyone: people answer while it runs.

Run in a subprocess on a real SQLite file in WAL mode (the test database is in memory,
where locking works differently), with a 6-second wait for the write lock: the old import
held one write transaction for the whole file (20,000 rows: about 10 s on a quiet machine,
longer under load), so answers failed with "database is locked"; now the rows are checked
outside any write and written in short chunks (about 0.1 s each), published at the end.
(The wait was 3 s: in one CI run, with the other test process busy beside it, answers
failed waiting for it; the same run passes here in 17 s under a similar load.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_answers_during_a_20000_row_import_all_succeed(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kyokan.config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kyokan.sqlite3'}",
        "KYOKAN_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("KYOKAN_TEST_DB_NAME", None)
    run = subprocess.run(
        [sys.executable, "-m", "tests.surveys.concurrent_import", "20000", "6"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["imported"] == 20000
    assert result["answers_during_import"] >= 20, result  # they really ran meanwhile
    assert result["failed"] == 0, result
    assert result["responses"] == 20000 + 6  # the import and one response per person
