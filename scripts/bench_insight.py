"""Benchmark of ``kyokan.textanalysis``: quality on the held-out split, then time and memory.

Quality (``tests/textanalysis/data``, split ``heldout`` — no constant was chosen on it): ARI and
NMI of both levels against the labelled themes, next to a character 2–3-gram TF-IDF +
k-means baseline with the same number of groups; near-duplicate and campaign precision and
recall (pairwise); alignment ROC AUC on the labelled restatements of the definition;
stability (fine ARI and divergence change when one answer of 300 is removed).

Speed: for each size (default 10,000 and 100,000 rows) a comment CSV of realistic length
(mean about 100 characters, at most 1,000) is put together from the clauses of the
hand-written answers (nearly every comment a distinct text), 3 % near-duplicate copies,
with a fixed seed — and analysed by the command line
(``python -m kyokan.textanalysis``) in its own subprocess, so that wall time includes start-up
and peak memory is the run's own: the sum of the proportional set sizes of that child and
its worker processes (:mod:`kyokan.textanalysis.parallel`), sampled every 0.2 s, and at
least the largest single process (``ru_maxrss`` from ``os.wait4``). CPU time includes the
workers' (they are waited for).
The machine's load average is printed beside the figures (other work shares the CPU).

Usage: ``python scripts/bench_insight.py [--sizes 10000,100000] [--json FILE] [--no-quality]``.
Targets (2 cores): 10,000 rows ≤ 15 s; 100,000 rows ≤ 120 s with peak memory < 2 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {10_000: (15.0, None), 100_000: (120.0, 2048.0)}  # rows -> (seconds, MiB)
#: Realistic comment lengths: clauses are joined until the comment reaches a length drawn
#: from a log-normal distribution (mean about 100 characters), cut at 1,000.
MEAN_CHARS = 100
MAX_CHARS = 1_000


def synthetic_rows(count: int, seed: int) -> list[dict[str, str]]:
    """``count`` comments put together from the clauses of the hand-written answers (so
    that nearly every comment is a distinct text, as in a real consultation), 3 % of them
    near-duplicates of an earlier comment, with a department attribute."""
    import re

    sys.path.insert(0, str(ROOT))
    from kyokan.textanalysis.evaluation import load_labelled

    clauses = sorted(
        {
            part
            for row in load_labelled()
            for part in re.findall(r"[^、。！？]+[、。！？]?", row["comment-body"])
            if len(part) >= 4
        }
    )
    rng = random.Random(seed)
    departments = ["市民課", "情報政策課", "福祉課", "税務課", "子育て支援課", "総務課"]
    rows: list[dict[str, str]] = []
    while len(rows) < count:
        if rows and rng.random() < 0.03:  # a near-duplicate of an earlier comment
            text = rng.choice(rows)["comment-body"]
            text = (
                text.replace("。", "！", 1)
                if rng.random() < 0.5
                else text + "よろしくお願いします。"
            )[:MAX_CHARS]
        else:
            target = min(MAX_CHARS, max(5, int(rng.lognormvariate(4.25, 0.75))))
            text = ""
            while len(text) < target:
                text += rng.choice(clauses)
            text = text[:MAX_CHARS]
        rows.append({"comment-body": text, "department": rng.choice(departments)})
    return [
        {"comment-id": f"b{i}", "comment-body": r["comment-body"], "department": r["department"]}
        for i, r in enumerate(rows, 1)
    ]


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def tree_pss_mib(root: int) -> float:
    """Sum of the proportional set size (``Pss`` of ``/proc/PID/smaps_rollup``) of ``root``
    and its descendants, in MiB; 0 where ``/proc`` cannot tell (another platform)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total_kib, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kib += int(line.split()[1])
                    break
        except OSError:
            continue
    return total_kib / 1024


def run_size(rows: int, folder: Path) -> dict:
    source = folder / f"comments-{rows}.csv"
    data = synthetic_rows(rows, seed=rows)
    write_csv(data, source)
    lengths = [len(r["comment-body"]) for r in data]
    target = folder / f"result-{rows}.json"
    command = [sys.executable, "-m", "kyokan.textanalysis", str(source), "-o", str(target), "-q"]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT)
    tree_peak = 0.0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        tree_peak = max(tree_peak, tree_pss_mib(child.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"analysis of {rows} rows failed with status {status}")
    result = json.loads(target.read_text(encoding="utf-8"))
    stats = result["stats"]
    return {
        "rows": rows,
        "mean_chars": round(sum(lengths) / len(lengths), 1),
        "max_chars": max(lengths),
        "seconds": round(seconds, 2),
        # CPU time of the run (user + system): what the run itself cost, whatever else the
        # machine was doing; wall time can only be compared at a similar load.
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        # The largest single process (ru_maxrss; Linux reports KiB) and the whole process
        # tree — the analysis and its worker processes — sampled every 0.2 s as the sum of
        # their proportional set sizes (shared pages counted once): the memory the run took.
        "largest_process_mib": round(usage.ru_maxrss / 1024, 1),
        "peak_mib": round(max(tree_peak, usage.ru_maxrss / 1024), 1),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "coarse": stats["clusters"]["coarse"],
        "fine": stats["clusters"]["fine"],
        "duplicates": stats["duplicates"],
        "campaigns": len(stats["campaigns"]),
        "divergence": stats["divergence"],
    }


def print_quality(quality: dict) -> None:
    print(
        f"held-out split: {quality['answers']} answers, {quality['scored']} scored, "
        f"{quality['themes']} themes; coarse groups chosen by {quality['selection']['rule']}: "
        f"{quality['selection']['chosen']}"
    )
    for level in ("coarse", "fine"):
        q = quality[level]
        print(
            f"  {level:6} k={q['k']:>2}: ARI {q['ari']:.3f}  NMI {q['nmi']:.3f}   "
            f"(char n-gram TF-IDF + k-means: ARI {q['baseline_ari']:.3f}  "
            f"NMI {q['baseline_nmi']:.3f})"
        )
    for name in ("duplicates", "campaigns"):
        d = quality[name]
        print(f"  {name:10}: precision {d['precision']:.3f}  recall {d['recall']:.3f}")
    a = quality["alignment"]
    print(
        f"  alignment: ROC AUC {a['auc']:.3f} on {a['pairs']} pairs, part {a['part_accuracy']:.2f}"
    )
    s = quality.get("stability")
    if s:
        print(
            "  stability (one answer of 300 removed): fine ARI "
            + ", ".join(f"{x:.3f}" for x in s["fine_ari"])
            + "; divergence moves "
            + ", ".join(f"{x:.4f}" for x in s["divergence_moves"])
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--no-quality", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    figures: dict = {"runs": []}
    if not args.no_quality:
        from kyokan.textanalysis.evaluation import evaluate

        figures["quality"] = evaluate("heldout")
        print_quality(figures["quality"])
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
                f"{size:>7} rows (mean {run['mean_chars']} chars, max {run['max_chars']}): "
                f"{run['seconds']:7.2f} s (CPU {run['cpu_seconds']:.1f} s), "
                f"peak {run['peak_mib']:7.1f} MiB (largest process "
                f"{run['largest_process_mib']:.1f}), load "
                f"{run['load_average'][0]}→{run['load_average'][1]}, {run['coarse']} coarse / "
                f"{run['fine']} fine groups, {run['duplicates']} duplicates, "
                f"{run['campaigns']} campaigns" + ("" if ok else "  ** over target **"),
                flush=True,
            )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=float), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
