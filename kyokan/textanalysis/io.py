"""Reading Kouchou-AI / 広聴AI style CSV files (``comment-id``, ``comment-body``, attributes).

:func:`decode_bytes` is Kyokan's one CSV decoder (the survey import, the HR import and the
analysis all read files with it): UTF-8 with BOM, UTF-16 with BOM (unambiguous, so accepted
too), UTF-8, then CP932 (Shift_JIS as written by Japanese Excel). A file that is mostly
valid UTF-8 but has broken bytes is rejected rather than decoded as CP932 mojibake; so is a
"CP932" file with bytes CP932 has no character for, and anything with NUL characters (UTF-16
without BOM, an Excel workbook, any other binary file).

Every problem with the input raises :class:`AnalysisInputError` with an English message
meant for the person who supplied the file (the CLI prints it) and a ``code`` with
``params`` from which a caller (the web app) writes its own, translated message.

Text is never interpreted: HTML or script in an answer stays a string.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

ID_COLUMN = "comment-id"
BODY_COLUMN = "comment-body"
#: Largest accepted CSV field (characters); longer answers are cut for the analysis only.
MAX_FIELD_CHARS = 16 * 1024 * 1024
#: Most columns in a file (the id, the body and the attributes): each attribute is a list as
#: long as the file, so a header of a million names was a million lists filled row by row.
MAX_COLUMNS = 50
#: Most comments in a file (a file of 20 MB holds some 50,000 answers of a few lines; two
#: million one-letter rows of it took 17 s and 2 GB to read).
MAX_COMMENTS = 200_000


class AnalysisInputError(ValueError):
    """The input cannot be analysed; the message says why, in plain words (English).

    ``code`` names the problem (e.g. ``"missing_columns"``) and ``params`` holds its values
    (e.g. ``{"missing": "comment-body", "found": "'id', 'text'"}``), so that a caller can
    show its own message in the user's language. The codes are listed in ``CODES``."""

    code = "invalid_input"

    def __init__(self, message: str = "", *, code: str | None = None, params=None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params: dict[str, object] = dict(params or {})


#: Every code an AnalysisInputError of this library carries, and its parameters.
CODES: dict[str, tuple[str, ...]] = {
    "invalid_input": (),
    # decoding
    "utf8_broken_after_bom": ("position",),
    "utf16_broken": (),
    "utf8_broken": ("broken", "position"),
    "encoding_unknown": (),
    "binary": (),
    # reading the CSV
    "unreadable": ("reason",),
    "bad_source": (),
    "empty": (),
    "header_unreadable": ("error",),
    "missing_columns": ("missing", "found"),
    "duplicate_columns": ("columns",),
    "too_many_columns": ("count", "limit"),
    "too_many_comments": ("limit",),
    "empty_id": ("line",),
    "duplicate_id": ("line", "id", "first_line"),
    "malformed": ("line", "error"),
    "no_rows": (),
    # the analysis
    "bad_cluster_count": ("level",),
    "no_comments": (),
    "ids_mismatch": (),
    "ids_not_unique": (),
    "attribute_length": ("name",),
    "coarse_above_fine": (),
    "nothing_to_analyse": (),
    "reference_empty": (),
    "vectors_missing": ("package", "detail"),
}

# Bytes that CP932 has no character for, which Python's codec maps to U+0080 and the
# private-use U+F8F0–U+F8F3: their presence means the file is not CP932 text.
_CP932_STRAY = re.compile("[\x80\uf8f0-\uf8f3]")


def _refuse_binary(text: str, encoding: str) -> tuple[str, str]:
    if "\x00" in text:
        raise AnalysisInputError(
            "The file contains NUL bytes; it is not a text CSV file (an Excel workbook, or "
            "UTF-16 without its byte order mark?). Save it as CSV in UTF-8 or Shift_JIS.",
            code="binary",
        )
    return text, encoding


@dataclass
class Comments:
    ids: list[str]
    texts: list[str]
    #: attribute column -> one value per comment ("" when the cell is empty)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    encoding: str = "utf-8"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of CSV bytes; see module docstring."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _refuse_binary(data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError as error:
            raise AnalysisInputError(
                f"The file starts as UTF-8 but has broken bytes at position {error.start}.",
                code="utf8_broken_after_bom",
                params={"position": error.start},
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _refuse_binary(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            raise AnalysisInputError(
                "The file is UTF-16 but has broken bytes.", code="utf16_broken"
            ) from None
    try:
        return _refuse_binary(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        first_error = error.start
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    multibyte = sum(1 for ch in lenient if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte >= 20 and broken * 20 < multibyte:
        raise AnalysisInputError(
            f"The file is UTF-8 but has {broken} broken byte sequence(s) (first at byte "
            f"{first_error}). Save it again as UTF-8 or Shift_JIS (CP932).",
            code="utf8_broken",
            params={"broken": broken, "position": first_error},
        )
    unknown = AnalysisInputError(
        "The file's encoding could not be recognised (tried UTF-8 and Shift_JIS/CP932). "
        "Save it as UTF-8 CSV.",
        code="encoding_unknown",
    )
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        raise unknown from None
    if _CP932_STRAY.search(text):
        raise unknown
    return _refuse_binary(text, "cp932")


def _read_source(source) -> tuple[str, str]:
    if isinstance(source, str | os.PathLike):
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise AnalysisInputError(
                f"The file cannot be read: {error.strerror}.",
                code="unreadable",
                params={"reason": error.strerror or ""},
            ) from None
        return decode_bytes(data)
    if isinstance(source, bytes | bytearray | memoryview):
        return decode_bytes(bytes(source))
    content = source.read()
    if isinstance(content, bytes):
        return decode_bytes(content)
    if isinstance(content, str):
        return content.removeprefix("\ufeff"), "text"
    raise AnalysisInputError(
        "The input is neither a path, bytes nor a file object.", code="bad_source"
    )


def read_comments_csv(source: str | os.PathLike | bytes | BinaryIO | TextIO) -> Comments:
    """Read comments from a path, bytes or a (binary or text) file object."""
    text, encoding = _read_source(source)
    if not text.strip():
        raise AnalysisInputError("The file is empty.", code="empty")
    if "\x00" in text:
        raise AnalysisInputError(
            "The file contains NUL bytes; it is not a text CSV file.", code="binary"
        )
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise AnalysisInputError("The file is empty.", code="empty") from None
    except csv.Error as error:
        raise AnalysisInputError(
            f"The CSV header cannot be read: {error}.",
            code="header_unreadable",
            params={"error": str(error)},
        ) from None
    header = [name.strip() for name in header]
    missing = [c for c in (ID_COLUMN, BODY_COLUMN) if c not in header]
    if missing:
        found = ", ".join(repr(h) for h in header[:10])
        raise AnalysisInputError(
            "Missing column(s): "
            + ", ".join(missing)
            + f". The first line must name the columns {ID_COLUMN} and {BODY_COLUMN} "
            "(any other columns are attributes); found: " + (found or "nothing") + ".",
            code="missing_columns",
            params={"missing": ", ".join(missing), "found": found},
        )
    if len(header) > MAX_COLUMNS:
        raise AnalysisInputError(
            f"The file has {len(header)} columns; at most {MAX_COLUMNS} can be read.",
            code="too_many_columns",
            params={"count": len(header), "limit": MAX_COLUMNS},
        )
    # Counted once (header.count(h) for every h took 14 s for 40,000 names, hours for more).
    duplicated = sorted(h for h, n in Counter(header).items() if h and n > 1)
    if duplicated:
        raise AnalysisInputError(
            "Column(s) named twice: " + ", ".join(duplicated) + ".",
            code="duplicate_columns",
            params={"columns": ", ".join(duplicated)},
        )
    id_at, body_at = header.index(ID_COLUMN), header.index(BODY_COLUMN)
    attribute_columns = [
        (i, name) for i, name in enumerate(header) if name and i not in (id_at, body_at)
    ]
    comments = Comments([], [], {name: [] for _, name in attribute_columns}, encoding)
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank line
            cells = row + [""] * (len(header) - len(row))
            comment_id = cells[id_at].strip()
            if not comment_id:
                raise AnalysisInputError(
                    f"Line {line}: the {ID_COLUMN} is empty.",
                    code="empty_id",
                    params={"line": line},
                )
            if comment_id in seen:
                raise AnalysisInputError(
                    f"Line {line}: {ID_COLUMN} {comment_id!r} was already used on line "
                    f"{seen[comment_id]}; ids must be unique.",
                    code="duplicate_id",
                    params={"line": line, "id": comment_id, "first_line": seen[comment_id]},
                )
            if len(comments.ids) >= MAX_COMMENTS:
                raise AnalysisInputError(
                    f"The file has more than {MAX_COMMENTS:,} comments.",
                    code="too_many_comments",
                    params={"limit": MAX_COMMENTS},
                )
            seen[comment_id] = line
            comments.ids.append(comment_id)
            comments.texts.append(cells[body_at])
            for i, name in attribute_columns:
                comments.attributes[name].append(cells[i].strip())
    except csv.Error as error:
        raise AnalysisInputError(
            f"Line {reader.line_num}: the CSV is malformed: {error}.",
            code="malformed",
            params={"line": reader.line_num, "error": str(error)},
        ) from None
    if not comments.ids:
        raise AnalysisInputError("The file has a header but no comments.", code="no_rows")
    return comments
