"""Reading Kouchou-AI / 広聴AI style CSV files (``comment-id``, ``comment-body``, attributes).

The encoding is detected: UTF-8 (with or without BOM), UTF-16 with BOM, then CP932
(Shift_JIS as written by Japanese Excel). A file that is mostly valid UTF-8 but has broken
bytes is rejected rather than decoded as CP932 mojibake. Every problem with the input
raises :class:`InsightInputError` with a message meant for the person who supplied the file.

Text is never interpreted: HTML or script in an answer stays a string.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

ID_COLUMN = "comment-id"
BODY_COLUMN = "comment-body"
#: Largest accepted CSV field (characters); longer answers are cut for the analysis only.
MAX_FIELD_CHARS = 16 * 1024 * 1024


class InsightInputError(ValueError):
    """The input cannot be analysed; the message says why, in plain words."""


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
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise InsightInputError(
                f"The file starts as UTF-8 but has broken bytes at position {error.start}."
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InsightInputError("The file is UTF-16 but has broken bytes.") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        first_error = error.start
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    multibyte = sum(1 for ch in lenient if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte >= 20 and broken * 20 < multibyte:
        raise InsightInputError(
            f"The file is UTF-8 but has {broken} broken byte sequence(s) (first at byte "
            f"{first_error}). Save it again as UTF-8 or Shift_JIS (CP932)."
        )
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        raise InsightInputError(
            "The file's encoding could not be recognised (tried UTF-8 and Shift_JIS/CP932). "
            "Save it as UTF-8 CSV."
        ) from None


def _read_source(source) -> tuple[str, str]:
    if isinstance(source, str | os.PathLike):
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise InsightInputError(f"The file cannot be read: {error.strerror}.") from None
        return decode_bytes(data)
    if isinstance(source, bytes | bytearray | memoryview):
        return decode_bytes(bytes(source))
    content = source.read()
    if isinstance(content, bytes):
        return decode_bytes(content)
    if isinstance(content, str):
        return content.removeprefix("\ufeff"), "text"
    raise InsightInputError("The input is neither a path, bytes nor a file object.")


def read_comments_csv(source: str | os.PathLike | bytes | BinaryIO | TextIO) -> Comments:
    """Read comments from a path, bytes or a (binary or text) file object."""
    text, encoding = _read_source(source)
    if not text.strip():
        raise InsightInputError("The file is empty.")
    if "\x00" in text:
        raise InsightInputError("The file contains NUL bytes; it is not a text CSV file.")
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InsightInputError("The file is empty.") from None
    except csv.Error as error:
        raise InsightInputError(f"The CSV header cannot be read: {error}.") from None
    header = [name.strip() for name in header]
    missing = [c for c in (ID_COLUMN, BODY_COLUMN) if c not in header]
    if missing:
        raise InsightInputError(
            "Missing column(s): "
            + ", ".join(missing)
            + f". The first line must name the columns {ID_COLUMN} and {BODY_COLUMN} "
            "(any other columns are attributes); found: "
            + (", ".join(repr(h) for h in header[:10]) or "nothing")
            + "."
        )
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise InsightInputError("Column(s) named twice: " + ", ".join(duplicated) + ".")
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
                raise InsightInputError(f"Line {line}: the {ID_COLUMN} is empty.")
            if comment_id in seen:
                raise InsightInputError(
                    f"Line {line}: {ID_COLUMN} {comment_id!r} was already used on line "
                    f"{seen[comment_id]}; ids must be unique."
                )
            seen[comment_id] = line
            comments.ids.append(comment_id)
            comments.texts.append(cells[body_at])
            for i, name in attribute_columns:
                comments.attributes[name].append(cells[i].strip())
    except csv.Error as error:
        raise InsightInputError(f"Line {reader.line_num}: the CSV is malformed: {error}.") from None
    if not comments.ids:
        raise InsightInputError("The file has a header but no comments.")
    return comments
