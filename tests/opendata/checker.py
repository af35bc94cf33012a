"""A checker of the machine-readability rules (デジタル庁「行政データにおける機械可読性に関する
ルール」, 総務省「機械判読可能なデータの表記方法の統一ルール」チェックリスト) for one CSV file.

It returns the list of problems found (empty: the file passes). Rules checked:
- UTF-8 with a BOM, CR LF line ends, parsable as CSV;
- the header on row 1, every header filled and unique, no header that is a number;
- every row as wide as the header (no merged or split cells), no blank row;
- one value per cell: no line break inside a cell;
- numbers (integer/decimal columns) as plain digits: no unit, no thousands separator, no
  full-width digit; booleans 0/1;
- dates (date columns) in ISO 8601 (YYYY-MM-DD), datetimes ISO 8601 with offset;
- codes (code columns) taken from their code table;
- no platform-dependent characters (機種依存文字): every cell equals its NFKC form (no
  half-width kana, ①, ㈱, ㍻, Ⅳ, full-width ASCII…), no control character, no private-use
  character.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

INTEGER_RE = re.compile(r"-?(0|[1-9][0-9]*)")
DECIMAL_RE = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
DATE_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)")


def _platform_dependent(text: str) -> str | None:
    if unicodedata.normalize("NFKC", text) != text:
        return "not in NFKC form (platform-dependent or half-width/full-width character)"
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Co", "Cs"):
            return f"control or private-use character U+{ord(char):04X}"
    return None


def check_csv(data: bytes, *, types: dict[str, str], codes: dict[str, set[str]]) -> list[str]:
    """``types``: header → column type; ``codes``: header → the codes of its code table."""
    problems: list[str] = []
    if not data.startswith(b"\xef\xbb\xbf"):
        problems.append("no UTF-8 BOM")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [*problems, f"not UTF-8: {exc}"]
    if text and not text.endswith("\r\n"):
        problems.append("the last line does not end with CR LF")
    if re.search(r"(?<!\r)\n", text):
        problems.append("a line ends with LF alone (line break inside a cell?)")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return [*problems, "empty file"]
    header = rows[0]
    if any(not h.strip() for h in header):
        problems.append("a header is empty")
    if len(set(header)) != len(header):
        problems.append("headers are not unique")
    if any(INTEGER_RE.fullmatch(h) for h in header):
        problems.append("a header is a number (is row 1 the header?)")
    for h in header:
        if (reason := _platform_dependent(h)) is not None:
            problems.append(f"header {h!r}: {reason}")
    if set(types) != set(header):
        problems.append(f"headers differ from the metadata: {sorted(set(header) ^ set(types))}")
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            problems.append(f"row {n} is blank")
            continue
        if len(row) != len(header):
            problems.append(f"row {n} has {len(row)} cells, the header {len(header)}")
            continue
        for name, cell in zip(header, row, strict=True):
            where = f"row {n}, {name}"
            if "\n" in cell or "\r" in cell:
                problems.append(f"{where}: line break inside the cell")
            if (reason := _platform_dependent(cell)) is not None:
                problems.append(f"{where}: {reason}: {cell!r}")
            if cell == "":
                continue
            kind = types.get(name, "string")
            if kind == "integer" and not INTEGER_RE.fullmatch(cell):
                problems.append(f"{where}: not a plain integer: {cell!r}")
            elif kind == "decimal" and not DECIMAL_RE.fullmatch(cell):
                problems.append(f"{where}: not a plain number: {cell!r}")
            elif kind == "boolean" and cell not in ("0", "1"):
                problems.append(f"{where}: not 0 or 1: {cell!r}")
            elif kind == "date" and not DATE_RE.fullmatch(cell):
                problems.append(f"{where}: not an ISO 8601 date: {cell!r}")
            elif kind == "datetime" and not DATETIME_RE.fullmatch(cell):
                problems.append(f"{where}: not an ISO 8601 date and time: {cell!r}")
            elif kind == "code" and cell not in codes.get(name, set()):
                problems.append(f"{where}: {cell!r} is not in its code table")
    return problems
