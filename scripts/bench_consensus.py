"""Benchmark of ``kyokan.consensus``: agreement with Polis, then speed.

Quality: each of the six shared Polis conversations (``/work/shared/data/polis``) is read
with ``read_export`` and analysed once (no previous result); the groups are compared with
Polis's own ``group-id`` by ``kyokan.consensus.evaluation.compare_with_polis`` (adjusted Rand
index over the participants Polis grouped — one of them that we leave ungrouped counts as a
group of its own — the same over the participants both grouped, and the share placed alike
after the best matching of ids). The conversations are split into the three on which the
method's free choices were compared (``TUNING``) and three kept out of that (``HELD_OUT``);
the means are printed for each.

Speed: a synthetic conversation of 10,000 participants × 2,000 statements at 5 % density
(three latent opinion groups, fixed seed), built with ``Votes.from_triples`` and analysed
with ``analyze`` — both timed (target: the analysis under 10 s on 2 cores); then the largest
shared conversation (vtaiwan.uberx) read and analysed, its figures printed. The load average
is printed beside the figures (other work shares the CPU).

Usage: ``python scripts/bench_consensus.py [--data DIR] [--json FILE] [--no-synthetic]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kyokan.consensus import Votes, analyze  # noqa: E402
from kyokan.consensus.evaluation import compare_with_polis  # noqa: E402
from kyokan.consensus.polis import read_export  # noqa: E402

DATA = Path("/work/shared/data/polis")
TUNING = ["15-per-hour-seattle", "canadian-electoral-reform", "vtaiwan.uberx"]
HELD_OUT = ["brexit-consensus", "scoop-hivemind.affordable-housing", "london.youth.policing"]
LARGEST = "vtaiwan.uberx"
TARGET_SECONDS = 10.0


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def quality(data: Path) -> dict:
    rows = {}
    print("Agreement with Polis's own groups (group-id), one analysis per conversation")
    print(
        f"{'conversation':36} {'set':8} {'parts':>5} {'Polis':>5} {'both':>5} {'k':>3} "
        f"{'Polis k':>7} {'ARI':>6} {'ARI both':>8} {'alike':>6} {'s':>5}"
    )
    for name in TUNING + HELD_OUT:
        started = time.perf_counter()
        export = read_export(data / name)
        result = analyze(export.to_votes())
        seconds = time.perf_counter() - started
        figures = compare_with_polis(result, export.polis_groups)
        figures["seconds"] = round(seconds, 2)
        figures["participants"] = result.stats["participants"]
        figures["consensus"] = len(result.consensus)
        figures["divisive"] = len(result.divisive)
        figures["set"] = "tuning" if name in TUNING else "held-out"
        rows[name] = figures
        print(
            f"{name:36} {figures['set']:8} {figures['participants']:5} "
            f"{figures['polis_grouped']:5} {figures['both_grouped']:5} {figures['k']:3} "
            f"{figures['polis_k']:7} {figures['ari']:6.3f} {figures['ari_both']:8.3f} "
            f"{figures['placed_alike']:6.1%} {seconds:5.1f}"
        )
    summary = {}
    for label, names in (
        ("tuning", TUNING),
        ("held-out", HELD_OUT),
        ("all six", TUNING + HELD_OUT),
    ):
        summary[label] = {
            key: round(float(np.mean([rows[n][key] for n in names])), 3)
            for key in ("ari", "ari_both", "placed_alike")
        }
        s = summary[label]
        print(
            f"  mean {label:9}: ARI {s['ari']:.3f}, ARI over both grouped {s['ari_both']:.3f}, "
            f"placed alike {s['placed_alike']:.1%}"
        )
    return {"conversations": rows, "means": summary}


def synthetic_triples(n_participants=10_000, n_statements=2_000, density=0.05, seed=0):
    """Three latent groups with their own agree probability per statement; each participant
    votes on a random 5 % of statements (agree / disagree / pass)."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 3, n_participants)
    agree_p = rng.uniform(0.1, 0.9, (3, n_statements))
    n_votes = rng.binomial(n_statements, density, n_participants)
    triples = []
    for p in range(n_participants):
        statements = rng.choice(n_statements, size=n_votes[p], replace=False)
        draws = rng.random(len(statements))
        passes = rng.random(len(statements)) < 0.15
        votes = np.where(draws < agree_p[group[p], statements], 1, -1)
        votes[passes] = 0
        pid = f"p{p}"
        triples.extend(
            (pid, f"s{s}", int(v)) for s, v in zip(statements.tolist(), votes.tolist(), strict=True)
        )
    return triples, group


def speed(data: Path, synthetic: bool) -> dict:
    figures = {}
    if synthetic:
        print(f"\nSynthetic: 10,000 participants × 2,000 statements, 5 % density ({load()})")
        triples, _group = synthetic_triples()
        started = time.perf_counter()
        votes = Votes.from_triples(triples)
        built = time.perf_counter() - started
        started = time.perf_counter()
        result = analyze(votes)
        analysed = time.perf_counter() - started
        verdict = "met" if analysed < TARGET_SECONDS else "NOT met"
        print(
            f"  {votes.n_votes} votes: Votes.from_triples {built:.2f} s, analyze {analysed:.2f} s "
            f"(target < {TARGET_SECONDS:.0f} s: {verdict}); k = {result.stats['k']}, "
            f"{result.stats['participants_in']} grouped, {len(result.consensus)} consensus, "
            f"{len(result.divisive)} divisive ({load()})"
        )
        figures["synthetic"] = {
            "votes": votes.n_votes,
            "build_seconds": round(built, 2),
            "analyze_seconds": round(analysed, 2),
            "target_seconds": TARGET_SECONDS,
            "k": result.stats["k"],
        }
    print(f"\nLargest shared conversation: {LARGEST} ({load()})")
    started = time.perf_counter()
    export = read_export(data / LARGEST)
    read = time.perf_counter() - started
    started = time.perf_counter()
    result = analyze(export.to_votes())
    analysed = time.perf_counter() - started
    stats = result.stats
    compared = compare_with_polis(result, export.polis_groups)
    print(
        f"  read {read:.2f} s, analysed {analysed:.2f} s: {stats['participants']} participants "
        f"({stats['participants_in']} grouped), {stats['statements']} statements "
        f"({stats['statements_hidden']} hidden), {stats['votes']} votes; k = {stats['k']} "
        f"(silhouettes {stats['candidates']}), groups of "
        f"{', '.join(str(g['size']) for g in result.groups)}; "
        f"{len(result.consensus)} consensus, {len(result.divisive)} divisive; "
        f"ARI {compared['ari']:.3f}, placed alike {compared['placed_alike']:.1%}"
    )
    figures["largest"] = {
        "name": LARGEST,
        "read_seconds": round(read, 2),
        "analyze_seconds": round(analysed, 2),
        "k": stats["k"],
        "groups": [g["size"] for g in result.groups],
        "consensus": len(result.consensus),
        "divisive": len(result.divisive),
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--no-synthetic", action="store_true")
    args = parser.parse_args()
    data = Path(args.data)
    figures = {"quality": quality(data), "speed": speed(data, not args.no_synthetic)}
    figures["load"] = load()
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
