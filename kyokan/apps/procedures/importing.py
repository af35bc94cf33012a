"""Importing procedures: the national survey file and the city's own Excel or CSV file.

1. :func:`read_rows` reads the bytes: gzip is unpacked (the national file is shipped so),
   an Excel workbook (.xlsx) is read with openpyxl, CSV is decoded by core's one decoder
   (UTF-8, UTF-8 with BOM, CP932). More than :data:`MAX_BYTES` is refused before reading.
2. :func:`check_national` / :func:`check_city` find the header (one or two header rows),
   check every row (codes, counts, lengths, duplicate 手続ID) outside any write, and give
   the records or every problem (row, column, message).
3. :func:`plan` compares the records with the inventory: what would be created, updated
   (which fields) and left unchanged — the dry run.
4. :func:`apply` writes the plan in one transaction, in chunks of :data:`CHUNK` rows, and
   records one audit event. Nothing is written when any row has a problem.

A yearly import updates the national columns and the counts (and the year's row of
counts) and never touches the city's own fields, except those the city's file maps.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kyokan.apps.core.csvfiles import decode
from kyokan.textanalysis.normalize import fold

from . import codes
from .models import (
    COUNT_MAX,
    LegalBasisKind,
    LifeEvent,
    Origin,
    Procedure,
    ProcedureYear,
    Seal,
)

MAX_BYTES = 80 * 1024 * 1024  # the national file is 43 MB as CSV
UNPACKED_MAX_BYTES = 4 * MAX_BYTES  # an Excel workbook's parts, unpacked (its XML is wordy)
# A city file has as many rows as the city has procedures (the national file: 75,071) and a
# few dozen columns; the file's size alone does not bound them (80 MB of line breaks are 80
# million rows, a 5 KB workbook can declare a million rows by 16,384 columns).
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_LINE_CHARS = 1_000_000
CHUNK = 500
ERRORS_KEPT = 1000
SAMPLE_CHANGES = 50

NATIONAL_FIELDS = [f for _h, f in codes.COLUMNS if f != "procedure_id"]
MAX_LENGTHS = {
    f.name: f.max_length
    for f in Procedure._meta.concrete_fields
    if getattr(f, "max_length", None) and f.name in codes.FIELD_OF.values()
}
CACHED = frozenset({*codes.SINGLE_CODED, *codes.MULTI_CODED, *codes.COUNT_FIELDS})
_DIGITS = re.compile(r"^[0-9]+$")
_ID = re.compile(r"^[0-9A-Za-z_.\-]+$")
_SPLIT = re.compile(r"[;；、,，\n]")


@dataclass(frozen=True)
class RowError:
    row: int  # as numbered in a spreadsheet: the first row is 1
    column: str
    message: str


class ImportRejected(ValidationError):
    """Some rows cannot be imported; nothing was saved."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = row_errors
        rows = len({e.row for e in row_errors})
        super().__init__(
            ngettext(
                "Nothing was imported: %(n)s row has problems.",
                "Nothing was imported: %(n)s rows have problems.",
                rows,
            )
            % {"n": rows}
        )

    @property
    def rejected_rows(self) -> int:
        return len({e.row for e in self.row_errors})


@dataclass
class Checked:
    records: list[dict]  # field → value, with "_row" (the spreadsheet row)
    fields: tuple[str, ...]  # the fields the file gives
    kind: str
    skipped: int = 0  # rows left out (not the municipality's, with --municipal-only)


@dataclass
class Plan:
    fiscal_year: int
    kind: str
    creates: list[dict] = field(default_factory=list)
    updates: list[tuple[int, dict]] = field(default_factory=list)  # (pk, changed fields)
    year_rows: list[dict] = field(default_factory=list)  # procedure_id → counts of the year
    unchanged: int = 0
    skipped: int = 0
    sample: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "rejected": 0,
            "fiscal_year": self.fiscal_year,
            "sample": self.sample,
        }


# --- reading the file ----------------------------------------------------------------------


def too_large_message() -> str:
    return _("The file is larger than %(limit)s; nothing was read.") % {
        "limit": filesizeformat(MAX_BYTES)
    }


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ValidationError(too_large_message(), code="size")


def _gunzip(data: bytes) -> bytes:
    out = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        result = out.decompress(data, MAX_BYTES + 1)
    except zlib.error as exc:
        raise ValidationError(_("The compressed file is broken."), code="gzip") from exc
    if len(result) > MAX_BYTES:
        raise ValidationError(too_large_message(), code="size")
    if not out.eof:
        # A file cut short (an interrupted download or upload): its first rows would be
        # imported as if they were the whole file.
        raise ValidationError(
            _("The compressed file is incomplete (it ends too early); nothing was read."),
            code="gzip",
        )
    return result


def _check_unpacked_size(data: bytes) -> None:
    """A workbook is a zip: what its parts unpack to is limited like a CSV file's size (a
    small file can unpack to gigabytes, read into memory row by row). Python's zipfile never
    unpacks more than the sizes declared here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise ValidationError(
            _("The Excel file could not be read. Save it again as .xlsx or as CSV."),
            code="xlsx",
        ) from exc
    if unpacked > UNPACKED_MAX_BYTES:
        raise ValidationError(
            _(
                "The Excel file unpacks to more than %(limit)s; nothing was read. Save it as "
                "CSV (or .csv.gz) instead."
            )
            % {"limit": filesizeformat(UNPACKED_MAX_BYTES)},
            code="size",
        )


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ValidationError(
            _("The Excel file could not be read. Save it again as .xlsx or as CSV."),
            code="xlsx",
        ) from exc
    sheet = workbook.worksheets[0]
    # The size the sheet declares (<dimension ref="A1:XFD1048576"/>) is not taken: openpyxl
    # would give every row that many cells and add every row up to it. Rows are read as the
    # file has them, at most MAX_COLUMNS + 1 cells wide (the one more tells a wider table).
    sheet.reset_dimensions()
    rows = []
    try:
        for values in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            _check_shape(len(rows) + 1, values[MAX_COLUMNS] is not None)
            if values.count(None) == len(values):
                rows.append([])
                continue
            cells = []
            for value in values[:MAX_COLUMNS]:
                if value is None:
                    cells.append("")
                elif isinstance(value, float) and value.is_integer():
                    cells.append(str(int(value)))
                else:
                    cells.append(str(value))
            while cells and not cells[-1]:
                cells.pop()
            rows.append(cells)
    finally:
        workbook.close()
    return rows


def _check_shape(row_number: int, too_wide: bool) -> None:
    if row_number > MAX_ROWS:
        raise ValidationError(
            _(
                "The file has more than %(n)s rows; nothing was read. Delete the rows below "
                "the table (blank rows count too)."
            )
            % {"n": f"{MAX_ROWS:,}"},
            code="size",
        )
    if too_wide:
        raise ValidationError(
            _(
                "Row %(row)s has more than %(n)s columns; nothing was read. Delete the "
                "columns to the right of the table."
            )
            % {"row": f"{row_number:,}", "n": MAX_COLUMNS},
            code="size",
        )


def _csv_lines(text: str):
    """The lines of a CSV text, refusing a line so long that its cells alone would fill the
    memory (80 MB of commas is one row of 80 million cells)."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise ValidationError(
                _("Line %(line)s of the file is longer than %(n)s characters; nothing was read.")
                % {"line": f"{number:,}", "n": f"{MAX_LINE_CHARS:,}"},
                code="size",
            )
        yield line


def read_rows(data: bytes, *, filename: str = "") -> list[list[str]]:
    """Every row of the file as text cells. ValidationError (in the person's language) for
    a file too large, compressed wrongly, in an unknown encoding, or empty."""
    check_size(len(data))
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    if data[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(data)
    else:
        text = decode(data)
        if "\x00" in text:
            raise ValidationError(
                _("The file contains NUL characters; save it again as CSV."), code="nul"
            )
        # Strict: a quote left open would swallow every row after it into one cell.
        reader = csv.reader(_csv_lines(text), strict=True)
        rows = []
        try:
            for row in reader:
                _check_shape(len(rows) + 1, len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]))
                rows.append(row)
        except csv.Error as exc:
            raise ValidationError(
                _(
                    "The file is not a readable CSV file: row %(row)s (%(error)s). A cell that "
                    'starts with a double quote (") must end with one; nothing was read.'
                )
                % {"row": len(rows) + 1, "error": exc},
                code="csv",
            ) from exc
    if not any(any(c.strip() for c in row) for row in rows):
        raise ValidationError(_("The file is empty."), code="empty")
    return rows


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def _blank(row: list[str]) -> bool:
    return not any(c.strip() for c in row)


# --- checking cells --------------------------------------------------------------------------


class CellError(Exception):
    pass


def parse_count(value: str, column: str) -> int | None:
    value = normal(value)
    if not value:
        return None
    if not _DIGITS.match(value):
        raise CellError(
            _(
                "“%(value)s” is not a number. Write the count with digits only, without "
                "units or thousands separators (e.g. 1234, not 1,234件)."
            )
            % {"value": value}
        )
    number = int(value)
    if number > COUNT_MAX:
        raise CellError(_("%(value)s is too large (at most 10,000,000,000).") % {"value": value})
    return number


def _code(value: str, table: dict[str, str]) -> str:
    value = value.strip()
    if not value:
        return ""
    code = codes.parse_code(normal(value), table)
    if code is None:
        raise CellError(
            _("“%(value)s” is not one of the survey's codes (%(codes)s).")
            % {"value": value, "codes": codes.code_list(table)}
        )
    return code


def _codes(value: str, table: dict[str, str]) -> str:
    value = value.strip()
    if not value:
        return ""
    found, unknown = codes.parse_codes(normal(value), table)
    if unknown:
        raise CellError(
            _("“%(value)s” is not one of the survey's codes (%(codes)s).")
            % {"value": unknown[0], "codes": codes.code_list(table)}
        )
    return codes.multi_text(found, table)


def _length(value: str, name: str) -> str:
    value = value.strip()
    limit = MAX_LENGTHS.get(name) or 300
    if len(value) > limit:
        raise CellError(
            _("The text is longer than %(limit)s characters (%(n)s).")
            % {"limit": limit, "n": len(value)}
        )
    return value


def national_value(name: str, cell: str):
    if name in codes.SINGLE_CODED:
        return _code(cell, codes.SINGLE_CODED[name])
    if name in codes.MULTI_CODED:
        return _codes(cell, codes.MULTI_CODED[name])
    if name in codes.COUNT_FIELDS:
        return parse_count(cell, name)
    return _length(cell, name)


# --- the header ----------------------------------------------------------------------------


def _find_header(rows: list[list[str]], wanted: list[str]) -> tuple[int, dict[str, int]]:
    """(index of the header row, heading → column) among the first two rows: the survey's
    own file has a row of groups above the row of column names."""
    best = None
    for index in range(min(2, len(rows))):
        cells = [normal(c) for c in rows[index]]
        found = {c: i for i, c in reversed(list(enumerate(cells))) if c}
        hits = sum(1 for w in wanted if w in found)
        if best is None or hits > best[2]:
            best = (index, found, hits)
    if best is None or best[2] == 0:
        raise ValidationError(
            _(
                "The first row must name the columns (手続ID, 手続名, …): no header row was "
                "found in the first two rows."
            ),
            code="header",
        )
    return best[0], best[1]


def _refuse_repeated(header: list[str], headings: list[str]) -> None:
    """A heading that is read and appears twice in the header row: which of its columns is
    meant cannot be told (the first was taken silently)."""
    counts: dict[str, int] = {}
    for cell in header:
        if normal(cell):
            counts[normal(cell)] = counts.get(normal(cell), 0) + 1
    repeated = sorted({normal(h) for h in headings if counts.get(normal(h), 0) > 1})
    if repeated:
        raise ValidationError(
            _(
                "These headings appear more than once in the header row: %(headings)s. Rename "
                "or remove the extra columns; nothing was read."
            )
            % {"headings": "、".join(repeated)},
            code="header",
        )


def _missing_header_message(missing: list[str], unknown: list[str]) -> str:
    message = _("These columns are missing from the header row: %(missing)s.") % {
        "missing": "、".join(missing)
    }
    if unknown:
        message += " " + _("Columns not in the survey's schema (renamed?): %(unknown)s.") % {
            "unknown": "、".join(unknown)
        }
    return message


def _data_start(rows, header_index, columns) -> int:
    """The first data row: a second header row below the names (its 手続ID cell is no id)
    is skipped too."""
    start = header_index + 1
    id_column = columns.get("手続ID")
    if start < len(rows) and id_column is not None:
        cells = rows[start]
        first = normal(cells[id_column]) if id_column < len(cells) else ""
        if first and not _ID.match(first):
            start += 1
    return start


def _check_duplicates(records: list[dict], errors: list[RowError]) -> None:
    seen: dict[str, int] = {}
    for record in records:
        pid = record["procedure_id"]
        if pid in seen:
            errors.append(
                RowError(
                    record["_row"],
                    "手続ID",
                    _("手続ID %(id)s appears twice (rows %(first)s and %(row)s).")
                    % {"id": pid, "first": seen[pid], "row": record["_row"]},
                )
            )
        else:
            seen[pid] = record["_row"]


def _procedure_id(cell: str) -> str:
    value = normal(cell)
    if not value:
        raise CellError(_("Every row needs its 手続ID."))
    if len(value) > 20 or not _ID.match(value):
        raise CellError(
            _("“%(value)s” is not a 手続ID (letters, digits and - _ . only, at most 20).")
            % {"value": value[:40]}
        )
    return value


def check_national(
    rows: list[list[str]], *, municipal_only: bool = False, progress: Callable | None = None
) -> Checked:
    """Every row of the national survey's file checked (nothing written)."""
    wanted = [normal(h) for h in codes.HEADERS]
    header_index, found = _find_header(rows, wanted)
    missing = [h for h in codes.HEADERS if normal(h) not in found]
    if missing:
        known = set(wanted)
        unknown = [h for h in found if h not in known]
        raise ValidationError(_missing_header_message(missing, unknown), code="header")
    _refuse_repeated(rows[header_index], codes.HEADERS)
    columns = [(name, found[normal(h)]) for h, name in codes.COLUMNS]
    start = _data_start(rows, header_index, {"手続ID": found[normal("手続ID")]})
    records, errors, skipped = [], [], 0
    total = len(rows)
    # Coded and count columns have few distinct values: each is checked once.
    cached = {name: {} for name, _c in columns if name in CACHED}
    texts = [(name, column, MAX_LENGTHS.get(name) or 300) for name, column in columns
             if name not in CACHED and name != "procedure_id"]  # fmt: skip
    coded = [(name, column, cached[name]) for name, column in columns if name in CACHED]
    id_column = dict(columns)["procedure_id"]
    for index in range(start, total):
        cells = rows[index]
        if progress is not None and index % 5000 == 0:
            progress(index, total)
        if _blank(cells):
            continue
        number = index + 1
        record = {"_row": number}
        width = len(cells)
        try:
            record["procedure_id"] = _procedure_id(cells[id_column] if id_column < width else "")
        except CellError as exc:
            errors.append(RowError(number, "手続ID", str(exc)))
        for name, column, limit in texts:
            value = cells[column].strip() if column < width else ""
            if len(value) > limit:
                errors.append(RowError(number, codes.HEADER_OF[name], _(
                    "The text is longer than %(limit)s characters (%(n)s)."
                ) % {"limit": limit, "n": len(value)}))  # fmt: skip
            record[name] = value
        for name, column, cache in coded:
            cell = cells[column] if column < width else ""
            try:
                value = cache[cell]
            except KeyError:
                try:
                    value = cache[cell] = national_value(name, cell)
                except CellError as exc:
                    errors.append(RowError(number, codes.HEADER_OF[name], str(exc)))
                    continue
            record[name] = value
        if not record.get("name") and "name" in record:
            errors.append(RowError(number, "手続名", _("Every row needs its 手続名.")))
        if municipal_only and record.get("affairs_kind") not in codes.MUNICIPAL_AFFAIRS:
            skipped += 1
            continue
        if "procedure_id" in record:
            records.append(record)
    if not records and not errors:
        raise ValidationError(_("The file has no procedures below its header."), code="empty")
    _check_duplicates(records, errors)
    if errors:
        raise ImportRejected(errors)
    return Checked(
        records=records, fields=tuple(f for _h, f in codes.COLUMNS), kind="national",
        skipped=skipped,
    )  # fmt: skip


# --- the city's file -------------------------------------------------------------------------


def city_fields() -> list[tuple[str, str]]:
    """(field, label) of what a city file may give, in the order of the mapping form."""
    return [
        ("procedure_id", "手続ID"),
        ("name", "手続名"),
        ("department", str(_("responsible division"))),
        ("legal_basis_kind", str(_("legal basis kind"))),
        ("law_name", "法令名"),
        ("article", "根拠条項号"),
        ("online_status", "オンライン化の実施状況"),
        ("total_count", "総手続件数"),
        ("online_count", "オンライン手続件数"),
        ("counter_count", str(_("cases at the counter"))),
        ("mail_count", str(_("cases by mail"))),
        ("seal", str(_("seal (押印)"))),
        ("signature_required", str(_("signature required"))),
        ("attachments", "申請時に添付させる書類"),
        ("attachment_count", str(_("attachments required"))),
        ("attachments_removed", str(_("attachments removed"))),
        ("fee_yen", str(_("fee (yen)"))),
        ("fee_payment", str(_("how the fee is paid"))),
        ("national_priority", str(_("national priority procedure"))),
        ("priority_group", str(_("priority group"))),
        ("life_events", str(_("life events"))),
        ("planned_online_year", str(_("planned online fiscal year"))),
        ("citizen_minutes", str(_("citizen minutes per case"))),
        ("note", str(_("note"))),
    ]


# Headings a city file commonly uses, besides the labels above (matched after NFKC).
CITY_ALIASES = {
    "procedure_id": ["ID", "手続番号", "番号"],
    "name": ["手続の名称", "名称"],
    "department": ["担当課", "所管課", "課", "担当部署", "所属"],
    "legal_basis_kind": ["根拠の種類", "根拠法令の種類", "根拠種別"],
    "law_name": ["根拠法令", "根拠法令名"],
    "total_count": ["年間件数", "件数", "総件数"],
    "online_count": ["オンライン件数", "電子申請件数"],
    "counter_count": ["窓口件数"],
    "mail_count": ["郵送件数"],
    "seal": ["押印"],
    "signature_required": ["署名"],
    "attachments": ["添付書類"],
    "attachment_count": ["添付書類数"],
    "attachments_removed": ["添付書類の削減数", "削減した添付書類数"],
    "fee_yen": ["手数料", "手数料(円)"],
    "fee_payment": ["納付方法", "手数料の納付方法"],
    "national_priority": ["重点手続", "国の重点手続"],
    "life_events": ["ライフイベント", "イベント"],
    "planned_online_year": ["オンライン化予定年度", "オンライン化予定"],
    "citizen_minutes": ["市民の所要時間(分)", "所要時間(分)", "所要時間"],
    "note": ["備考"],
}


def guess_columns(header: list[str]) -> dict[str, str]:
    """field → heading, for the headings that name a field (the saved mapping wins)."""
    by_normal = {normal(h): h for h in header if normal(h)}
    guessed = {}
    for name, label in city_fields():
        for candidate in [label, codes.HEADER_OF.get(name, ""), *CITY_ALIASES.get(name, [])]:
            if candidate and normal(candidate) in by_normal:
                guessed[name] = by_normal[normal(candidate)]
                break
    return guessed


def file_header(rows: list[list[str]]) -> tuple[int, list[str]]:
    """The header of a city file: its first non-blank row among the first two."""
    for index in range(min(2, len(rows))):
        if not _blank(rows[index]):
            return index, [c.strip() for c in rows[index]]
    raise ValidationError(_("The first row must name the columns."), code="header")


_YES = {"はい", "あり", "有", "有り", "要", "必要", "○", "〇", "◯", "1", "true", "yes", "y"}
_NO = {"いいえ", "なし", "無", "無し", "不要", "×", "✕", "-", "0", "false", "no", "n"}


def _bool(value: str) -> bool | None:
    value = normal(value).casefold()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise CellError(
        _("“%(value)s” is neither yes (はい・あり・○) nor no (いいえ・なし・×).") % {"value": value}
    )


def _choice(value: str, choices, aliases: dict[str, str] | None = None) -> str:
    value = normal(value)
    if not value:
        return ""
    table = {normal(str(label)): key for key, label in choices}
    table.update({key: key for key, _label in choices})
    table.update({normal(k): v for k, v in (aliases or {}).items()})
    if value in table:
        return table[value]
    raise CellError(
        _("“%(value)s” is not one of: %(choices)s.")
        % {"value": value, "choices": "、".join(str(label) for _k, label in choices)}
    )


LEGAL_ALIASES = {"法律": "law", "政令": "law", "省令": "law", "府令": "law", "法令": "law"}
SEAL_ALIASES = {
    "あり": "required", "要": "required", "必要": "required", "○": "required",
    "廃止": "abolished", "廃止済": "abolished", "廃止済み": "abolished",
    "なし": "none", "不要": "none", "×": "none",
}  # fmt: skip


def _small_number(value: str, limit: int) -> int | None:
    value = normal(value)
    if not value:
        return None
    if not _DIGITS.match(value):
        raise CellError(
            _("“%(value)s” is not a number: write digits only, without units or commas.")
            % {"value": value}
        )
    number = int(value)
    if number > limit:
        raise CellError(
            _("%(value)s is too large (at most %(limit)s).") % {"value": value, "limit": limit}
        )
    return number


_REIWA = re.compile(r"^令和(\d{1,2}|元)年度?$")
_WESTERN = re.compile(r"^(\d{4})(年度)?$")


def _year(value: str) -> int | None:
    value = normal(value)
    if not value:
        return None
    match = _WESTERN.match(value)
    if match:
        year = int(match.group(1))
    else:
        match = _REIWA.match(value)
        if not match:
            raise CellError(
                _("“%(value)s” is not a fiscal year (e.g. 2026 or 令和8年度).") % {"value": value}
            )
        year = 2018 + (1 if match.group(1) == "元" else int(match.group(1)))
    if not 1900 <= year <= 2100:
        raise CellError(_("Enter a year between 1900 and 2100."))
    return year


def _departments() -> dict[str, list]:
    from kyokan.apps.core.models import Department

    index: dict[str, list] = {}
    for d in Department.objects.filter(kind=Department.Kind.DIVISION).select_related("parent"):
        index.setdefault(normal(d.name), []).append(d.pk)
        if d.parent_id:
            index.setdefault(normal(d.parent.name + d.name), []).append(d.pk)
            index.setdefault(normal(f"{d.parent.name} {d.name}"), []).append(d.pk)
    return index


def _city_value(name: str, cell: str, departments):
    from .models import FeePayment

    if name == "procedure_id":
        return _procedure_id(cell)
    if name in ("total_count", "online_count", "counter_count", "mail_count"):
        return parse_count(cell, name)
    if name == "online_status":
        return _code(cell, codes.ONLINE_STATUS)
    if name == "department":
        text = normal(cell)
        if not text:
            return None
        found = departments.get(text, [])
        if len(found) != 1:
            raise CellError(
                (_("“%(value)s” is not a division's name.") if not found
                 else _("“%(value)s” names more than one division; add the bureau's name."))
                % {"value": text}
            )  # fmt: skip
        return found[0]
    if name == "legal_basis_kind":
        return _choice(cell, LegalBasisKind.choices, LEGAL_ALIASES)
    if name == "seal":
        return _choice(cell, Seal.choices, SEAL_ALIASES)
    if name == "fee_payment":
        return _choice(cell, FeePayment.choices)
    if name in ("signature_required", "national_priority"):
        return _bool(cell)
    if name in ("attachment_count", "attachments_removed"):
        return _small_number(cell, 1000)
    if name == "fee_yen":
        return _small_number(cell, 10**9)
    if name == "citizen_minutes":
        return _small_number(cell, 10**5)
    if name == "planned_online_year":
        return _year(cell)
    if name == "life_events":
        names = [normal(p) for p in _SPLIT.split(cell) if normal(p)]
        if any(len(n) > 100 for n in names):
            raise CellError(_("A life event's name is at most 100 characters."))
        return names
    limit = {"name": 300, "law_name": 300, "article": 200, "attachments": 500,
             "priority_group": 100, "note": 4000}.get(name, 300)  # fmt: skip
    value = cell.strip()
    if len(value) > limit:
        raise CellError(
            _("The text is longer than %(limit)s characters (%(n)s).")
            % {"limit": limit, "n": len(value)}
        )
    return value


def check_city(rows: list[list[str]], *, columns: dict[str, str]) -> Checked:
    """Every row of the city's file checked with its column mapping (field → heading)."""
    header_index, header = file_header(rows)
    where = {normal(h): i for i, h in reversed(list(enumerate(header))) if normal(h)}
    if not columns.get("procedure_id"):
        raise ValidationError(_("Choose the column that holds the 手続ID."), code="mapping")
    missing = [h for h in columns.values() if h and normal(h) not in where]
    if missing:
        raise ValidationError(_missing_header_message(missing, []), code="header")
    _refuse_repeated(header, [h for h in columns.values() if h])
    mapped = [(name, where[normal(h)]) for name, h in columns.items() if h]
    labels = dict(city_fields())
    departments = _departments() if "department" in columns else {}
    existing = set(Procedure.objects.values_list("procedure_id", flat=True))
    records, errors = [], []
    for index in range(header_index + 1, len(rows)):
        cells = rows[index]
        if _blank(cells):
            continue
        number = index + 1
        record = {"_row": number}
        for name, column in mapped:
            cell = cells[column] if column < len(cells) else ""
            try:
                value = _city_value(name, cell, departments)
            except CellError as exc:
                errors.append(RowError(number, labels.get(name, name), str(exc)))
                continue
            if value not in (None, "", []) or name == "procedure_id":
                record[name] = value
        _complete_counts(record, number, errors)
        pid = record.get("procedure_id")
        if pid and pid not in existing and not record.get("name"):
            errors.append(
                RowError(
                    number,
                    "手続名",
                    _("A new procedure (its 手続ID is not in the inventory) needs its 手続名."),
                )
            )
        if pid:
            records.append(record)
    if not records and not errors:
        raise ValidationError(_("The file has no procedures below its header."), code="empty")
    _check_duplicates(records, errors)
    if errors:
        raise ImportRejected(errors)
    return Checked(records=records, fields=tuple(columns), kind="city")


def _complete_counts(record: dict, number: int, errors: list[RowError]) -> None:
    """Counts by channel add up to the total (given or computed)."""
    channels = [record.get(k) for k in ("counter_count", "mail_count", "online_count")]
    if record.get("total_count") is None and any(c is not None for c in channels):
        record["total_count"] = sum(c or 0 for c in channels)
    total, online = record.get("total_count"), record.get("online_count")
    if total is not None and online is not None:
        if online > total:
            errors.append(
                RowError(number, "オンライン手続件数", _(
                    "The online cases (%(online)s) exceed the total (%(total)s)."
                ) % {"online": online, "total": total})
            )  # fmt: skip
        else:
            record["offline_count"] = total - online


# --- the plan (dry run) --------------------------------------------------------------------

NATIONAL_DERIVED = ("is_municipal", "search_text")
COMPARED_CITY = (
    "name", "department_id", "legal_basis_kind", "law_name", "article", "online_status",
    "total_count", "online_count", "offline_count", "counter_count", "mail_count", "seal",
    "signature_required", "attachments", "attachment_count", "attachments_removed", "fee_yen",
    "fee_payment", "national_priority", "priority_group", "planned_online_year",
    "citizen_minutes", "note",
)  # fmt: skip


def search_text_of(values: dict) -> str:
    parts = [
        values.get(k) or "" for k in ("name", "law_name", "article", "attachments", "ministry")
    ]
    return fold("\n".join(p for p in parts if p))


def _derived_national(record: dict) -> dict:
    values = {k: record[k] for k in NATIONAL_FIELDS}
    values["is_municipal"] = record.get("affairs_kind") in codes.MUNICIPAL_AFFAIRS
    values["search_text"] = search_text_of(values)
    return values


def _initial_city_fields(record: dict) -> dict:
    """The city's fields of a procedure new from the national file, read from its columns."""
    identity = set(codes.parse_codes(record.get("identity_methods", ""), codes.IDENTITY)[0])
    values = {
        "origin": Origin.NATIONAL,
        "legal_basis_kind": LegalBasisKind.LAW,
        "seal": (Seal.REQUIRED if identity & set(codes.SEAL_CODES)
                 else Seal.NONE if identity else ""),
        "signature_required": (bool(identity & set(codes.SIGNATURE_CODES)) if identity else None),
        "planned_online_year": codes.TIMING_YEAR.get(record.get("online_timing", "")),
        "attachment_count": 0 if record.get("attachments") == codes.NO_ATTACHMENTS else None,
    }  # fmt: skip
    return values


def _events(record: dict) -> list[str]:
    text = record.get("events_personal") or ""
    return [e.strip() for e in text.split(";") if e.strip() and e.strip() != codes.NOT_AN_EVENT]


def plan(checked: Checked, *, fiscal_year: int) -> Plan:
    """What the import would change (nothing is written)."""
    result = Plan(fiscal_year=fiscal_year, kind=checked.kind, skipped=checked.skipped)
    ids = [r["procedure_id"] for r in checked.records]
    national = checked.kind == "national"
    compared = (*NATIONAL_FIELDS, *NATIONAL_DERIVED) if national else COMPARED_CITY
    existing: dict[str, dict] = {}
    wanted = ("id", "procedure_id", "counts_year", "planned_online_year", *compared)
    if len(ids) > 5000:  # one scan of the inventory rather than many IN lists
        known = set(ids)
        rows = (r for r in Procedure.objects.values_list(*wanted).iterator(5000) if r[1] in known)
    else:
        rows = Procedure.objects.filter(procedure_id__in=ids).values_list(*wanted) if ids else []
    for row in rows:
        existing[row[1]] = dict(zip(wanted, row, strict=True))
    for record in checked.records:
        if national:
            values = _derived_national(record)
        else:
            values = {k: v for k, v in record.items() if not k.startswith("_")}
            values.pop("procedure_id", None)
            if "department" in values:
                values["department_id"] = values.pop("department")
        old = existing.get(record["procedure_id"])
        has_counts = any(values.get(k) is not None for k in codes.COUNT_FIELDS)
        if has_counts and values.get("online_status") is None and old is not None:
            values_status = old.get("online_status") or ""
        else:
            values_status = values.get("online_status")
        if has_counts:
            result.year_rows.append(
                {"procedure_id": record["procedure_id"], "online_status": values_status,
                 **{k: values.get(k) for k in
                    ("total_count", "online_count", "counter_count", "mail_count")}}
            )  # fmt: skip
        if old is None:
            if national:
                values.update(_initial_city_fields(record))
                values["events"] = _events(record)
            else:
                values["origin"] = Origin.CITY
                values["search_text"] = search_text_of(values)
                values["events"] = values.pop("life_events", [])
            values["procedure_id"] = record["procedure_id"]
            values["counts_year"] = fiscal_year if has_counts else None
            result.creates.append(values)
            if len(result.sample) < SAMPLE_CHANGES:
                result.sample.append({"id": record["procedure_id"], "name": values.get("name", ""),
                                      "action": "create", "changes": []})  # fmt: skip
            continue
        events = values.pop("life_events", None)
        changes = {k: v for k, v in values.items() if k in old and old[k] != v}
        if not national and any(
            k in changes for k in ("name", "law_name", "article", "attachments")
        ):
            merged = {**old, **values}
            merged["ministry"] = ""
            changes["search_text"] = search_text_of(merged)
        if national and old.get("planned_online_year") is None:
            year = codes.TIMING_YEAR.get(record.get("online_timing", ""))
            if year:
                changes["planned_online_year"] = year
        if (
            has_counts
            and old.get("counts_year") != fiscal_year
            and (old.get("counts_year") is None or fiscal_year > old["counts_year"])
        ):
            changes["counts_year"] = fiscal_year
        if has_counts and old.get("counts_year") is not None and fiscal_year < old["counts_year"]:
            # An earlier year's counts fill that year's row, not the procedure's latest.
            for k in (*codes.COUNT_FIELDS, "counter_count", "mail_count", "online_status"):
                changes.pop(k, None)
        if events:
            changes["events"] = events
        if changes:
            result.updates.append((old["id"], changes))
            if len(result.sample) < SAMPLE_CHANGES:
                result.sample.append({
                    "id": record["procedure_id"], "name": old.get("name") or values.get("name", ""),
                    "action": "update",
                    "changes": [[k, _show(old.get(k)), _show(v)] for k, v in changes.items()
                                if k not in ("search_text", "events", "is_municipal")][:8],
                })  # fmt: skip
        else:
            result.unchanged += 1
    return result


def _show(value) -> str:
    if value is None:
        return "—"
    return str(value)[:60]


# --- writing -----------------------------------------------------------------------------------


def _event_ids(names: set[str]) -> dict[str, int]:
    known = dict(LifeEvent.objects.filter(name__in=names).values_list("name", "id"))
    new = [LifeEvent(name=n) for n in sorted(names - set(known))]
    if new:
        LifeEvent.objects.bulk_create(new, batch_size=CHUNK)
        known = dict(LifeEvent.objects.filter(name__in=names).values_list("name", "id"))
    return known


def _update_many(pk_changes: list[tuple[int, dict]]) -> None:
    """UPDATE … WHERE id = %s for rows changing the same fields, with executemany."""
    groups: dict[tuple[str, ...], list] = {}
    for pk, changes in pk_changes:
        keys = tuple(sorted(changes))
        groups.setdefault(keys, []).append([*(changes[k] for k in keys), pk])
    table = connection.ops.quote_name(Procedure._meta.db_table)
    columns = {f.name: f.column for f in Procedure._meta.concrete_fields}
    columns["department_id"] = Procedure._meta.get_field("department").column
    from django.utils import timezone

    now = timezone.now()
    with connection.cursor() as cursor:
        for keys, params in groups.items():
            sets = ", ".join(f"{connection.ops.quote_name(columns[k])} = %s" for k in keys)
            sql = f"UPDATE {table} SET {sets}, updated_at = %s WHERE id = %s"
            for start in range(0, len(params), CHUNK):
                cursor.executemany(
                    sql, [[*p[:-1], now, p[-1]] for p in params[start : start + CHUNK]]
                )


def _insert_many(model, rows: list[dict], *, defaults: dict | None = None) -> None:
    """INSERT the rows with executemany (the ORM's bulk_create builds one statement per few
    rows on SQLite: its parameter limit over 70 columns), in chunks."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    fixed = {}
    for f in fields:
        if f.attname in (defaults or {}):
            fixed[f.attname] = defaults[f.attname]
        elif f.has_default():
            fixed[f.attname] = f.get_default()
        else:
            fixed[f.attname] = None if f.null else ""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK * 4):
            cursor.executemany(
                sql,
                [[row.get(n, fixed[n]) if n in row else fixed[n] for n in names]
                 for row in rows[start : start + CHUNK * 4]],
            )  # fmt: skip


def _pk_map(procedure_ids: list[str]) -> dict[str, int]:
    if len(procedure_ids) > 5000:
        wanted = set(procedure_ids)
        return {
            pid: pk
            for pid, pk in Procedure.objects.values_list("procedure_id", "id").iterator(5000)
            if pid in wanted
        }
    return dict(
        Procedure.objects.filter(procedure_id__in=procedure_ids).values_list("procedure_id", "id")
    )


def apply(plan_: Plan, *, actor, filename: str = "", progress: Callable | None = None) -> dict:
    """Write the plan, all of it or nothing (one transaction), and record the audit event."""
    from django.utils import timezone

    from kyokan.apps.core.audit import audit_record
    from kyokan.apps.core.models import AuditEvent

    now = timezone.now()
    with transaction.atomic():
        event_names = {n for v in plan_.creates for n in v.get("events", [])}
        event_names |= {n for _pk, c in plan_.updates for n in c.get("events", [])}
        event_ids = _event_ids(event_names)
        Through = Procedure.life_events.through
        total = len(plan_.creates) + len(plan_.updates)
        done = 0
        for start in range(0, len(plan_.creates), CHUNK * 10):
            chunk = plan_.creates[start : start + CHUNK * 10]
            _insert_many(Procedure, chunk, defaults={"updated_at": now})
            done += len(chunk)
            if progress:
                progress(done, total)
        if plan_.creates:
            pks = _pk_map([v["procedure_id"] for v in plan_.creates])
            links = [
                {"procedure_id": pks[v["procedure_id"]], "lifeevent_id": event_ids[n]}
                for v in plan_.creates
                for n in v.get("events", [])
            ]
            _insert_many(Through, links)
        plain = [(pk, {k: v for k, v in c.items() if k != "events"}) for pk, c in plan_.updates]
        for start in range(0, len(plain), CHUNK * 10):
            _update_many([p for p in plain[start : start + CHUNK * 10] if p[1]])
            done += len(plain[start : start + CHUNK * 10])
            if progress:
                progress(done, total)
        relinked = [(pk, c["events"]) for pk, c in plan_.updates if "events" in c]
        for start in range(0, len(relinked), CHUNK):
            part = relinked[start : start + CHUNK]
            Through.objects.filter(procedure_id__in=[pk for pk, _e in part]).delete()
            _insert_many(
                Through,
                [{"procedure_id": pk, "lifeevent_id": event_ids[n]} for pk, names in part
                 for n in dict.fromkeys(names)],
            )  # fmt: skip
        _write_years(plan_)
        summary = {k: v for k, v in plan_.summary().items() if k != "sample"}
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LOAD,
            target_type="procedures.procedure",
            target_repr=filename[:200] or "procedures",
            summary=_("Procedures imported from %(file)s: %(created)s created, %(updated)s updated")
            % {
                "file": filename or "CSV",
                "created": summary["created"],
                "updated": summary["updated"],
            },
            after={"file": filename, **summary},
        )
    return plan_.summary()


YEAR_FIELDS = ("online_status", "total_count", "online_count", "counter_count", "mail_count")


def _write_years(plan_: Plan) -> None:
    if not plan_.year_rows:
        return
    ids = _pk_map([r["procedure_id"] for r in plan_.year_rows])
    pks = [ids[r["procedure_id"]] for r in plan_.year_rows]
    for start in range(0, len(pks), 5000):
        ProcedureYear.objects.filter(
            fiscal_year=plan_.fiscal_year, procedure_id__in=pks[start : start + 5000]
        )._raw_delete(connection.alias)
    _insert_many(
        ProcedureYear,
        [
            {
                "procedure_id": ids[r["procedure_id"]],
                "fiscal_year": plan_.fiscal_year,
                **{k: (r[k] or "") if k == "online_status" else r[k] for k in YEAR_FIELDS},
            }
            for r in plan_.year_rows
        ],
    )


# --- the whole import, at once (the CLI, the demo, tests) --------------------------------------


def run(
    data: bytes, *, actor, kind: str = "national", fiscal_year: int, municipal_only: bool = False,
    columns: dict | None = None, dry_run: bool = False, filename: str = "",
    progress: Callable | None = None,
) -> dict:  # fmt: skip
    """Read, check, plan and (unless ``dry_run``) write. ImportRejected / ValidationError
    when anything is wrong, and then nothing is written."""
    rows = read_rows(data, filename=filename)
    if kind == "national":
        checked = check_national(rows, municipal_only=municipal_only)
    else:
        checked = check_city(rows, columns=columns or guess_columns(file_header(rows)[1]))
    del rows
    result = plan(checked, fiscal_year=fiscal_year)
    if dry_run:
        return result.summary()
    return apply(result, actor=actor, filename=filename, progress=progress)
