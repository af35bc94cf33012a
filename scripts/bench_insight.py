"""Benchmark of ``kyokan.insight``: end-to-end time and peak memory, and quality.

For each size (default 1,000, 10,000 and 100,000 rows) a synthetic comment CSV is made
from the labelled set's template machinery (``tests/insight/data/generate_labelled.py``)
and analysed by the command line (``python -m kyokan.insight``) in its own subprocess, so
that wall time includes start-up and peak memory (``ru_maxrss`` from ``os.wait4`` for
that child alone) is the run's own. Then ARI/NMI of both levels against the labelled set,
the char-n-gram baseline and near-duplicate precision/recall are printed.

Usage: ``python scripts/bench_insight.py [--sizes 1000,10000,100000] [--json FILE]``.
Targets (2 cores): 10,000 rows ≤ 15 s; 100,000 rows ≤ 120 s with peak memory < 2 GB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "insight" / "data"
TARGETS = {10_000: (15.0, None), 100_000: (120.0, 2048.0)}  # rows -> (seconds, MiB)


def _generator():
    path = DATA / "generate_labelled.py"
    spec = importlib.util.spec_from_file_location("generate_labelled", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_size(rows: int, folder: Path) -> dict:
    generator = _generator()
    source = folder / f"comments-{rows}.csv"
    generator.write_csv(generator.synthetic_rows(rows, seed=rows), source)
    target = folder / f"result-{rows}.json"
    command = [sys.executable, "-m", "kyokan.insight", str(source), "-o", str(target), "-q"]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"analysis of {rows} rows failed with status {child.returncode}")
    result = json.loads(target.read_text(encoding="utf-8"))
    peak_mib = usage.ru_maxrss / 1024  # Linux reports KiB
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "peak_mib": round(peak_mib, 1),
        "coarse": result["stats"]["clusters"]["coarse"],
        "fine": result["stats"]["clusters"]["fine"],
        "duplicates": result["stats"]["duplicates"],
        "divergence": result["stats"]["divergence"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from kyokan.insight.evaluation import evaluate

    figures: dict = {"runs": []}
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-insight-") as tmp:
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            run = run_size(size, Path(tmp))
            seconds, mib = TARGETS.get(size, (None, None))
            ok = (seconds is None or run["seconds"] <= seconds) and (
                mib is None or run["peak_mib"] < mib
            )
            failed |= not ok
            figures["runs"].append(run)
            print(
                f"{size:>7} rows: {run['seconds']:7.2f} s, peak {run['peak_mib']:7.1f} MiB, "
                f"{run['coarse']} coarse / {run['fine']} fine clusters, "
                f"{run['duplicates']} duplicates" + ("" if ok else "  ** over target **"),
                flush=True,
            )
    quality = evaluate(DATA / "labelled_answers.csv")
    figures["quality"] = quality
    print(f"labelled set: {quality['answers']} answers, {quality['themes']} themes")
    for level in ("coarse", "fine"):
        q = quality[level]
        print(
            f"  {level:6} k={q['k']:>2}: ARI {q['ari']:.3f}  NMI {q['nmi']:.3f}   "
            f"(char n-gram baseline: ARI {q['baseline_ari']:.3f}  NMI {q['baseline_nmi']:.3f})"
        )
    d = quality["duplicates"]
    print(f"  near-duplicates: precision {d['precision']:.3f}  recall {d['recall']:.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
