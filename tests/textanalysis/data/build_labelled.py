"""Builds ``labelled_answers.csv`` and ``alignment_pairs.csv`` from the hand-written files.

Every answer in ``answers/*.txt`` was written by hand for this set (see README.md): no
template, no frame, no generated text. This script only numbers them, records which answer
a near-duplicate copies, which family a campaign rewording belongs to, and which split
(``dev`` or ``heldout``) a row is in. Line syntax of ``answers/<theme>.txt``:

* ``text`` — an answer of the file's theme;
* ``~ text`` — a near-duplicate (a real edit: typo, punctuation, width, a sentence added or
  dropped) of the last plain answer above it;
* ``! text`` — a hard negative of the last plain answer above it: a different opinion in
  similar words (an answer of its own, never a duplicate);
* ``* text`` — an answer that speaks of several themes (its file's theme is the main one);
* ``# …`` — a comment.

``answers/campaigns.txt`` holds campaign families (組織的な同一・類似意見): a line
``@name theme`` and the family's 10 rewordings of one text.

Splits: a plain answer goes to ``heldout`` when the first byte of the SHA-256 of its text is
odd (so about half, independent of the order in which they were written); its
near-duplicates and hard negatives follow it. Campaign families alternate (the 2nd, 4th …
family are held out). Rows are shuffled with a fixed seed before being numbered, so that
neither ids nor order reveal the theme.

Run ``python tests/textanalysis/data/build_labelled.py``; the tests read the committed CSVs.
"""

from __future__ import annotations

import csv
import hashlib
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANSWERS = HERE / "answers"
CSV_PATH = HERE / "labelled_answers.csv"
PAIRS_SOURCE = HERE / "alignment_pairs.txt"
PAIRS_PATH = HERE / "alignment_pairs.csv"
#: Any fixed number: only makes the shuffle reproducible.
SEED = 12
COLUMNS = [
    "comment-id", "comment-body", "theme", "duplicate_of", "campaign", "negative_of", "multi",
    "split",
]  # fmt: skip


def _split_of(text: str) -> str:
    return "heldout" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 else "dev"


def _read_theme_file(path: Path) -> list[dict]:
    theme = path.stem
    rows: list[dict] = []
    last_plain: dict | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, text = "plain", line
        if line[:2] in ("~ ", "! ", "* "):
            kind, text = {"~": "copy", "!": "negative", "*": "multi"}[line[0]], line[2:].strip()
        row = {
            "comment-body": text,
            "theme": theme,
            "_kind": kind,
            "_where": f"{path.name}:{number}",
        }
        if kind in ("copy", "negative"):
            if last_plain is None:
                raise SystemExit(f"{row['_where']}: {kind} line without an answer above it")
            row["_of"] = last_plain
            row["split"] = last_plain["split"]
        else:
            row["split"] = _split_of(text)
            last_plain = row
        rows.append(row)
    return rows


def _read_campaigns(path: Path) -> list[dict]:
    rows: list[dict] = []
    family = theme = None
    index = -1
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            family, theme = line[1:].split()
            index += 1
            continue
        split = "heldout" if index % 2 else "dev"
        rows.append(
            {"comment-body": line, "theme": theme, "campaign": family, "_kind": "campaign",
             "split": split}
        )  # fmt: skip
    return rows


def build() -> list[dict]:
    rows: list[dict] = []
    for path in sorted(ANSWERS.glob("*.txt")):
        if path.name != "campaigns.txt":
            rows.extend(_read_theme_file(path))
    rows.extend(_read_campaigns(ANSWERS / "campaigns.txt"))
    texts = [r["comment-body"] for r in rows]
    if len(set(texts)) != len(texts):
        seen: set[str] = set()
        dupes = [t for t in texts if t in seen or seen.add(t)]
        raise SystemExit(f"the same text is written twice: {dupes[:3]}")
    random.Random(SEED).shuffle(rows)
    for number, row in enumerate(rows, 1):
        row["comment-id"] = f"A{number:04d}"
    for row in rows:
        of = row.get("_of")
        row["duplicate_of"] = of["comment-id"] if row["_kind"] == "copy" else ""
        row["negative_of"] = of["comment-id"] if row["_kind"] == "negative" else ""
        row["multi"] = "1" if row["_kind"] == "multi" else ""
        row.setdefault("campaign", "")
    return [{column: row.get(column, "") for column in COLUMNS} for row in rows]


def build_pairs() -> list[dict]:
    out = []
    for raw in PAIRS_SOURCE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        mark, text = line.split(" ", 1)
        label = 1 if mark.startswith("+") else 0
        part = mark[1:] if label else ""
        out.append({"text": text, "label": str(label), "part": part, "split": _split_of(text)})
    return out


def write_csv(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    rows = build()
    write_csv(rows, CSV_PATH)
    write_csv(build_pairs(), PAIRS_PATH)
    held = sum(r["split"] == "heldout" for r in rows)
    print(f"{len(rows)} rows ({held} held out) -> {CSV_PATH.name}; pairs -> {PAIRS_PATH.name}")
