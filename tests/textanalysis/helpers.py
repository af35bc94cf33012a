"""Shared helpers for the text-analysis tests (plain Python: no Django needed)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LABELLED = DATA / "labelled_answers.csv"
DEFINITION = (DATA / "definition.txt").read_text(encoding="utf-8").strip()


def csv_bytes(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def labelled_rows(split: str | None = None) -> list[dict[str, str]]:
    """Rows of the labelled set; ``split`` "dev" or "heldout" (the one reported on)."""
    with open(LABELLED, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if split is None or r["split"] == split]


def comment_rows(texts: list[str], **attributes: list[str]) -> list[dict[str, str]]:
    rows = []
    for i, text in enumerate(texts):
        row = {"comment-id": f"c{i + 1}", "comment-body": text}
        for name, values in attributes.items():
            row[name] = values[i]
        rows.append(row)
    return rows
