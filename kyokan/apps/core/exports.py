"""The one export helper: every CSV and Excel file a person downloads is written here.

- **CSV**: UTF-8 with a BOM (Excel opens it correctly), streamed row by row.
- **XLSX**: write-only workbooks, bold frozen header, text cells that stay text.
- **Every cell is cleaned** (:func:`clean_cell`): control characters that break Excel, Word
  or a CSV reader are removed (tab and line break are kept inside a cell, CR LF becomes LF),
  and text that a spreadsheet would read as a formula is neutralised the way OWASP
  recommends ("CSV Injection"): a cell whose first non-blank character is ``= + - @``
  (half or full width), a tab or a carriage return is prefixed with an apostrophe in CSV; in
  XLSX the cell is stored as text *and* marked ``quotePrefix`` (Excel's own "this is text"
  flag), so it shows as typed and never becomes a formula, even when edited.
- **Large exports run in the background** (:func:`export_start`): a registered builder
  writes the file in the task worker while the person watches the progress on the job's
  page, then downloads it there. Only the person who asked may download it; files expire.

Numbers (int, float, Decimal) stay numbers, dates and times are written in Asia/Tokyo.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from . import office

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# C0 controls but tab and line feed, DEL, C1 controls, and the two XML non-characters;
# and the invisible characters that disguise a cell: the bidirectional embeddings,
# overrides and isolates (U+202A–U+202E, U+2066–U+2069: 「\u202eXSL.exe」 reads
# "exe.LSX"), the zero-width space, the word joiner and a byte-order mark inside the text
# (a cell 「\u200b=1+1」 looked like ordinary text to the formula check). Japanese
# administrative text never needs them; the zero-width joiner of emoji sequences is kept.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]"
)
# What a spreadsheet reads as the start of a formula (OWASP); full-width forms too, since
# Excel's Japanese input turns ＝ into = when a cell is edited.
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
_BLANKS = " \u3000"


def clean_text(value: str) -> str:
    """``value`` without control and invisible formatting characters (tab and line feed
    kept; CR LF → LF)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def looks_like_formula(text: str) -> bool:
    stripped = text.lstrip(_BLANKS)
    return bool(stripped) and stripped[0] in FORMULA_STARTS


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def clean_cell(value) -> object:
    """One CSV cell: text cleaned and neutralised, numbers as plain digits, times local."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return _local(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean_text(str(value))
    # Tabs are kept inside a cell, but a leading one (or CR) starts a formula: checked on
    # the raw text, before cleaning turned a CR into LF.
    raw_start = str(value).lstrip(_BLANKS)[:1]
    if looks_like_formula(text) or raw_start in ("\t", "\r"):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` returns the line: csv.writer then yields text."""

    def write(self, value):
        return value


def csv_chunks(header: Sequence, rows: Iterable[Sequence], *, lines: int = 500) -> Iterable[str]:
    """The CSV text (BOM first, every cell through :func:`clean_cell`) in chunks of ``lines``
    lines: a large download streams in few, large writes and is never held whole in memory.
    Short texts repeat from row to row (names, codes, labels): their cleaned form is
    remembered for the file."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    memo: dict[str, object] = {}

    def clean(value):
        kind = type(value)
        if kind is int:
            return value
        if kind is str and len(value) <= 200:
            cleaned = memo.get(value)
            if cleaned is None:
                if len(memo) > 20_000:
                    memo.clear()
                cleaned = memo[value] = clean_cell(value)
            return cleaned
        return clean_cell(value)

    buffer = ["\ufeff" + writer.writerow([clean_cell(v) for v in header])]
    for row in rows:
        buffer.append(writer.writerow([clean(v) for v in row]))
        if len(buffer) >= lines:
            yield "".join(buffer)
            buffer.clear()
    if buffer:
        yield "".join(buffer)


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    return "".join(csv_chunks(header, rows)).encode("utf-8")


def csv_response(
    filename: str, header: Sequence, rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """``header`` and ``rows`` as a streamed CSV download. ``rows`` is consumed while the
    response streams: pass a generator to keep the queries (and the memory) out of the view.
    Everything translated must be computed before (the header is)."""
    response = StreamingHttpResponse(csv_chunks(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = office.content_disposition(filename)
    return response


# --- JSON -------------------------------------------------------------------------------


def _json_value(value) -> str:
    import json

    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else "null"
    if isinstance(value, dt.datetime):
        return json.dumps(_local(value).isoformat(timespec="seconds"))
    if isinstance(value, dt.date):
        return json.dumps(value.isoformat())
    if isinstance(value, str):
        return json.dumps(clean_text(value), ensure_ascii=False)
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(f"{_json_value(str(k))}:{_json_value(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ",".join(_json_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def json_chunks(head: dict, key: str, items: Iterable, *, per_chunk: int = 500) -> Iterable[str]:
    """A JSON object streamed: the entries of ``head``, then ``key`` → an array of ``items``
    written item by item. Decimals are written as exact numbers, dates in ISO 8601 (times
    in Asia/Tokyo), text without control characters."""
    opening = ",".join(f"{_json_value(str(k))}:{_json_value(v)}" for k, v in head.items())
    yield "{" + opening + ("," if opening else "") + _json_value(key) + ":["
    buffer: list[str] = []
    first = True
    for item in items:
        buffer.append(("" if first else ",") + _json_value(item))
        first = False
        if len(buffer) >= per_chunk:
            yield "".join(buffer)
            buffer.clear()
    yield "".join(buffer) + "]}"


def json_stream_response(
    filename: str, head: dict, key: str, items: Iterable
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        json_chunks(head, key, items), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = office.content_disposition(filename)
    return response


# --- Excel ------------------------------------------------------------------------------


@dataclass
class Sheet:
    """One worksheet: ``widths`` in characters per column (computed from the header when
    not given); ``rows`` may be a generator."""

    title: str
    header: Sequence
    rows: Iterable[Sequence]
    widths: Sequence[int] | None = None
    wrap: bool = False  # wrap long text in the data cells


def display_width(text: str) -> int:
    """Width in half-width columns (a kanji counts two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str, used: set[str]) -> str:
    """A valid, unique worksheet title (31 characters, none of []:*?/\\)."""
    base = _SHEET_TITLE_BAD.sub("_", clean_text(title)).strip("'") or "Sheet"
    base = base[:31]
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def _write_sheet(workbook, sheet: Sheet, used: set[str], progress=None) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(sheet_title(sheet.title, used))
    ws.freeze_panes = "A2"
    header = [clean_text(str(h)) for h in sheet.header]
    widths = sheet.widths or [min(max(display_width(h) + 2, 10), 40) for h in header]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    bold = Font(bold=True)
    top = Alignment(wrap_text=True, vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top") if sheet.wrap else None

    def cell(value, *, font=None):
        if isinstance(value, dt.datetime):
            value = _local(value).replace(tzinfo=None)
        elif isinstance(value, Decimal):
            value = float(value) if abs(value) < Decimal("1e15") else format(value, "f")
        elif value is not None and not isinstance(value, int | float | dt.date):
            value = clean_text(str(value))
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # text stays text: never a formula
            if looks_like_formula(value):
                c.quotePrefix = True
            if wrap is not None and font is None:
                c.alignment = wrap
        elif isinstance(value, dt.datetime):
            c.number_format = "yyyy-mm-dd hh:mm:ss"
        elif isinstance(value, dt.date):
            c.number_format = "yyyy-mm-dd"
        if font is not None:
            c.font, c.alignment = font, top
        return c

    ws.append([cell(h, font=bold) for h in header])
    for n, row in enumerate(sheet.rows, 1):
        ws.append([cell(v) for v in row])
        if progress is not None and n % 1000 == 0:
            progress(n)


def xlsx_bytes(sheets: Sequence[Sheet], *, progress: Callable[[int], None] | None = None) -> bytes:
    """The sheets as one workbook (``progress(rows_written)`` every 1,000 rows)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for sheet in sheets:
        _write_sheet(workbook, sheet, used, progress)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = office.content_disposition(filename)
    return response


# --- Background exports -----------------------------------------------------------------


@dataclass
class Built:
    """What a builder made: the file's name, content type and bytes."""

    filename: str
    content: bytes
    content_type: str = XLSX_CONTENT_TYPE


@dataclass
class Progress:
    """Passed to a builder: ``progress(done, total)`` records how far it is (rate-limited)."""

    job_id: str
    _last: float = field(default=-1.0)

    def __call__(self, done: int, total: int) -> None:
        from .models import ExportJob

        fraction = min(max(done / total, 0.0), 1.0) if total else 0.0
        if fraction - self._last < 0.02 and fraction < 1.0:
            return
        self._last = fraction
        ExportJob.objects.filter(pk=self.job_id).update(progress=fraction)


Builder = Callable[..., Built]
_BUILDERS: dict[str, Builder] = {}


def builder(name: str) -> Callable[[Builder], Builder]:
    """Register ``build(*, params: dict, actor, progress: Progress) -> Built`` under ``name``
    (``"app.what"``). ``actor`` is the person who asked: a builder checks again that they
    may still see what they asked for."""

    def decorator(fn: Builder) -> Builder:
        _BUILDERS[name] = fn
        return fn

    return decorator


def registered_builder(name: str) -> Builder:
    return _BUILDERS[name]


EXPORT_LIFETIME = dt.timedelta(days=1)


@transaction.atomic
def export_start(*, actor, builder: str, params: dict, title: str):
    """Queue a background export and return its job; the file is built by the worker."""
    from .audit import audit_record
    from .models import AuditEvent, ExportJob
    from .tasks import build_export

    if builder not in _BUILDERS:
        raise KeyError(builder)
    export_purge_expired()
    job = ExportJob.objects.create(
        owner=actor,
        builder=builder,
        params=params,
        title=clean_text(title)[:200],
        expires_at=timezone.now() + EXPORT_LIFETIME,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=job,
        summary=f"export requested: {builder}",
        after={"builder": builder, "params": params},
    )
    job_id = str(job.pk)
    transaction.on_commit(lambda: build_export.enqueue(job_id))
    return job


def export_build(*, job_id: str) -> None:
    """Run a job's builder (called by the worker). A failure is recorded on the job."""
    from .models import ExportJob

    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=0.0)
    try:
        built = _BUILDERS[job.builder](
            params=job.params, actor=job.owner, progress=Progress(job_id=str(job.pk))
        )
    except Exception as exc:  # recorded on the job for the person and the secretariat
        logger.exception("Export %s (%s) failed", job.pk, job.builder)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:500],
            finished_at=timezone.now(),
        )
        return
    job.file.save(f"{job.pk}.{built.filename.rsplit('.', 1)[-1]}", ContentFile(built.content))
    ExportJob.objects.filter(pk=job.pk).update(
        file=job.file.name,
        filename=built.filename[:200],
        content_type=built.content_type[:100],
        size=len(built.content),
        status=ExportJob.Status.DONE,
        progress=1.0,
        finished_at=timezone.now(),
    )


def export_purge_expired() -> int:
    """Delete expired jobs and their files; returns how many."""
    from .models import ExportJob

    expired = list(ExportJob.objects.filter(expires_at__lt=timezone.now()))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[j.pk for j in expired]).delete()
    return len(expired)
