"""Importing responses collected with other form tools (a CSV file, one row per response).

1. :func:`decode` reads the upload with Kyokan's one CSV decoder
   (``kyokan.textanalysis.io.decode_bytes``): UTF-8 with BOM, UTF-16 with BOM, UTF-8, then CP932
   (Shift_JIS as Excel saves it in Japan); anything else is refused.
2. :func:`parse` splits it into a header and rows.
3. The import checks every row with ``services.clean_answers`` against a
   :class:`ColumnMap` (question → column, optional bureau and role columns) and saves all
   rows or — if any row has a problem — none, listing the problems (spreadsheet row number,
   question, message).

In the web app the import runs in the background (:func:`import_start` queues it,
``kyokan db_worker`` runs :func:`import_run`), so that a file of 200,000 rows never outlives
the web server's request timeout; the person watches its progress on the import's page.
:func:`responses_import` does the same at once (the demo, tests).

A large import must not lock the database for everyone (SQLite has one writer at a time):
the file is read and every row checked *outside* any write transaction; the rows are then
written in short transactions of ``WRITE_CHUNK`` responses into an :class:`ImportBatch`
that counts only once it is published, in one last short transaction. Until then results,
exports and analyses leave its rows out; if writing fails, the batch's rows are deleted. So
it stays all or nothing for the person, and others answer meanwhile.

An anonymous survey keeps no bureau or role: those columns are not imported.

Cells are read as follows: choice questions by option text (multiple choice split on ";"
or "、" when the whole cell is not itself an option); Likert as 1–5 (or the level's label,
or text starting with the level, e.g. "4 ややそう思う"); numbers as written (full-width
digits and thousands separators allowed); text as is. The bureau column is matched with
department names; the role column with role names or codes.
"""

import csv
import datetime as dt
import io
import logging
import re
import time
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kyokan.apps.core.audit import audit_record
from kyokan.apps.core.models import AuditEvent, Department
from kyokan.apps.core.roles import Role
from kyokan.textanalysis.io import AnalysisInputError, decode_bytes

from . import services
from .models import (
    LIKERT_LABELS,
    OPTION_MAX,
    Answer,
    ImportBatch,
    ImportUpload,
    Question,
    Response,
    Survey,
    option_key,
)

logger = logging.getLogger(__name__)
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# The file's size bounds neither its rows nor its columns: 5 MB are 2.6 million rows of one
# answer or 5 million blank lines (every one a list in memory: 2-5 s and 270-380 MB before
# anything was counted), or a header of 2.6 million columns, each of which the mapping page
# offers for every question (30,000 columns: 6.7 s and 6.7 MB of HTML). Both are refused
# while reading, before the file is kept or drawn.
# Columns: a survey has at most QUESTIONS_MAX (100) questions, one column each in a form
# tool's export, next to the tool's own few (Google Forms: timestamp, e-mail address, score;
# Microsoft Forms: ID, start and completion time, e-mail, name, last modified; Kyokan's own
# export: response id, submitted at, bureau, role, name): about 110 for the largest survey.
# 250 is more than twice that (room for a tool's extra "other" or note columns); columns
# beyond it are allowed only if they are empty in every row (Excel saves a row as wide as
# the sheet's used range), and are dropped.
MAX_COLUMNS = 250
# Rows: one per response. A survey goes to the city's staff (the largest Japanese city,
# Yokohama, has under 50,000 including its teachers) or through its public link; the
# background import is built for 200,000 rows (the module's docstring), four times the
# largest staff.
# Blank rows count too: they keep their spreadsheet number.
MAX_ROWS = 200_000
WRITE_CHUNK = 500  # responses per write transaction (with their answers): about 0.1 s
WRITE_PAUSE = 0.05  # seconds at least between two chunks (as long as the write, up to 0.1)
UPLOAD_LIFETIME = dt.timedelta(hours=2)
ERRORS_KEPT = 1000  # problems kept with a rejected import (the page lists the first 50)
PROGRESS_EVERY = 500  # rows between two progress reports while checking
MULTIPLE_SEPARATORS = re.compile(r"[;；、]")


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]  # the data rows; row i is spreadsheet row i + 2


@dataclass(frozen=True)
class ColumnMap:
    """Which column (index into the header) holds each question's answers and the
    respondents' attributes; None: not imported."""

    questions: dict[int, int | None]  # question id → column
    department: int | None = None
    role: int | None = None


def mapping_to_json(mapping: ColumnMap) -> dict:
    return {
        "questions": {str(qid): column for qid, column in mapping.questions.items()},
        "department": mapping.department,
        "role": mapping.role,
    }


def mapping_from_json(data: dict) -> ColumnMap:
    return ColumnMap(
        questions={int(qid): column for qid, column in (data.get("questions") or {}).items()},
        department=data.get("department"),
        role=data.get("role"),
    )


@dataclass(frozen=True)
class RowError:
    row: int  # as numbered in a spreadsheet: the header is row 1
    question: str  # the question's text, or the attribute's name
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


# --- reading the file ---------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text, read by the one CSV decoder (the analyses and the HR import use it
    too): UTF-8 with or without BOM, UTF-16 with BOM or CP932; anything else (UTF-16
    without BOM, an Excel workbook or any other binary file, broken bytes) is refused."""
    try:
        text, _encoding = decode_bytes(data)
    except AnalysisInputError as exc:
        raise ValidationError(
            _(
                "The file could not be read as text. Save it as CSV in UTF-8 or in Shift_JIS "
                "(CP932, Excel's “CSV (comma delimited)”) and upload it again."
            ),
            code="encoding",
        ) from exc
    return text


def read_upload(upload) -> tuple[str, Table]:
    """An uploaded file's text and table (ValidationError if too large or unreadable)."""
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(MAX_IMPORT_BYTES)},
            code="size",
        )
    text = decode(upload.read())
    return text, parse(text)


def _blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def parse(text: str) -> Table:
    """A header row and the data rows (blank rows keep their number but are skipped on
    import). ValidationError if it is not a CSV with a header and at least one row."""
    records: list[list[str]] = []
    try:
        # Strict: a quote left open would swallow every row after it into one answer.
        for record in csv.reader(io.StringIO(text, newline=""), strict=True):
            if len(records) > MAX_ROWS:  # the header and MAX_ROWS rows are read already
                raise ValidationError(
                    _(
                        "The file has more than %(n)s rows below its header (blank rows "
                        "count too); nothing was read. A survey's file has one row per "
                        "response: import it in parts of at most %(n)s rows."
                    )
                    % {"n": f"{MAX_ROWS:,}"},
                    code="rows",
                )
            if len(record) > MAX_COLUMNS:
                if any(cell.strip() for cell in record[MAX_COLUMNS:]):
                    raise ValidationError(
                        _(
                            "Row %(row)s has more than %(n)s columns; nothing was read. A "
                            "survey's file has one column per question and a few more: "
                            "delete the columns that are not answers."
                        )
                        % {"row": f"{len(records) + 1:,}", "n": MAX_COLUMNS},
                        code="columns",
                    )
                del record[MAX_COLUMNS:]  # empty in this row (Excel's used range)
            records.append(record)
    except csv.Error as exc:
        raise ValidationError(
            _("The file is not a readable CSV file (%(error)s).") % {"error": exc},
            code="csv",
        ) from exc
    if not records or _blank(records[0]):
        raise ValidationError(_("The first row must name the columns."), code="header")
    header = [cell.strip() for cell in records[0]]
    rows = records[1:]
    if all(_blank(row) for row in rows):
        raise ValidationError(_("The file has no rows below its header."), code="empty")
    return Table(header=header, rows=rows)


def column_label(index: int, header: list[str]) -> str:
    """ "C: 所属" (the column's letter as in Excel, and its heading)."""
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    title = header[index] if index < len(header) else ""
    return f"{letters}: {title}" if title else letters


# --- cells to answers ------------------------------------------------------------------------


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


class _CellError(Exception):
    pass


def _option_forms(question: Question) -> list[tuple[str, str, str]]:
    """Each option as written (trimmed), in NFKC and as its ``option_key`` (once per
    question object, which the import reuses for every row)."""
    forms = getattr(question, "_import_option_forms", None)
    if forms is None:
        forms = [
            (str(option).strip(), normalize(str(option)), option_key(option))
            for option in question.choices
        ]
        question._import_option_forms = forms
    return forms


def _option_index(question: Question, text: str) -> int | None:
    """The option that a cell's text names: the one written the same way, else the one that
    is the same in NFKC, else the one with the same ``option_key`` (width, case, kana and
    spaces aside: the key by which a question's options must differ), else None. A question
    stored before options had to differ by that key may have two with one form: the cell
    must then name one as it is written, or it names none."""
    text = text.strip()
    forms = _option_forms(question)
    for value, form in ((text, 0), (normalize(text), 1), (option_key(text), 2)):
        found = [i for i, option in enumerate(forms) if option[form] == value]
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


def _choice_indices(question: Question, cell: str) -> list[int]:
    whole = _option_index(question, cell)
    if whole is not None:
        return [whole]
    if question.kind == Question.Kind.SINGLE:
        raise _CellError(_("“%(value)s” is not one of the options.") % {"value": cell.strip()})
    picked = _split_options(question, cell)
    if picked is not None:
        return picked
    for part in MULTIPLE_SEPARATORS.split(cell):
        part = normalize(part)
        if part and _option_index(question, part) is None:
            raise _CellError(_("“%(value)s” is not one of the options.") % {"value": part})
    raise _CellError(_("“%(value)s” is not one of the options.") % {"value": cell.strip()})


def _split_options(question: Question, cell: str) -> list[int] | None:
    """A multiple-choice cell as the options it lists, or None. An option may itself
    contain a separator (「はい、よく使う」; the export joins options with "; "), so the
    cell's pieces are joined again where together they name an option, the longest first."""
    tokens = re.split(f"({MULTIPLE_SEPARATORS.pattern})", cell)
    n = (len(tokens) + 1) // 2  # piece k is tokens[2k], the separator after it tokens[2k+1]
    found: list[list[int] | None] = [None] * n + [[]]
    for i in range(n - 1, -1, -1):
        if not tokens[2 * i].strip():
            found[i] = found[i + 1]
            continue
        for j in range(i + 1, n + 1):  # pieces i … j-1 with the separators between them
            text = "".join(tokens[2 * i : 2 * j - 1])
            if len(text.strip()) > OPTION_MAX:
                break  # no option is longer: a cell of 10,000 separators stays cheap
            if found[j] is not None:
                index = _option_index(question, text)
                if index is not None:
                    found[i] = [index, *found[j]]  # a longer option found later wins
    return found[0]


_LIKERT_BY_LABEL = {normalize(label): i for i, label in enumerate(LIKERT_LABELS, 1)}


def _likert(cell: str) -> object:
    value = normalize(cell)
    if value in _LIKERT_BY_LABEL:
        return _LIKERT_BY_LABEL[value]
    match = re.match(r"^(\d+)(?:\s|[.:：)]|$)", value)
    return match.group(1) if match else value  # clean_answers refuses what is not 1–5


def raw_value(question: Question, cell: str) -> object:
    """A cell as the raw value ``services.clean_answers`` expects (None when empty)."""
    if not cell.strip():
        return None
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return _choice_indices(question, cell)
    if question.kind == Question.Kind.LIKERT:
        return _likert(cell)
    if question.kind == Question.Kind.NUMBER:
        return normalize(cell)
    return cell


def _department_index() -> dict[str, list[Department]]:
    index: dict[str, list[Department]] = {}
    for department in Department.objects.select_related("parent"):
        index.setdefault(normalize(department.name), []).append(department)
    return index


def _role_index() -> dict[str, str]:
    index = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            index.update({normalize(str(role.label)): role.value for role in Role})
    index.update({role.value: role.value for role in Role})
    return index


@dataclass
class _Row:
    number: int
    answers: dict[int, dict]
    department: Department | None = None
    role: str = ""
    attributes: dict = field(default_factory=dict)


def _check_row(survey, questions, mapping, number, cells, departments, roles):
    """(the row ready to save, or None) and its problems."""
    errors: list[RowError] = []

    def cell(column: int | None) -> str:
        return cells[column] if column is not None and column < len(cells) else ""

    raw, failed = {}, set()
    for question in questions:
        try:
            raw[question.pk] = raw_value(question, cell(mapping.questions.get(question.pk)))
        except _CellError as exc:
            errors.append(RowError(number, question.text, str(exc)))
            failed.add(question.pk)
    try:
        cleaned = services.clean_answers(survey, raw)
    except ValidationError as exc:
        cleaned = {}
        texts = {f"q{q.pk}": q for q in questions}
        for key, messages in exc.message_dict.items():
            question = texts.get(key)
            if question is not None and question.pk in failed:
                continue  # already reported (e.g. an unknown option)
            for message in messages:
                errors.append(RowError(number, question.text if question else "", message))
    row = _Row(number=number, answers=cleaned)
    if survey.anonymous:
        return (None if errors else row), errors  # no bureau or role is kept
    department_text = cell(mapping.department).strip()
    if department_text:
        found = departments.get(normalize(department_text), [])
        if len(found) == 1:
            row.department = found[0]
            row.attributes["bureau"] = department_text
        else:
            message = (
                _("“%(value)s” is not a department name.")
                if not found
                else _("“%(value)s” names more than one department; use the bureau's name.")
            )
            errors.append(RowError(number, _("bureau"), message % {"value": department_text}))
    role_text = cell(mapping.role).strip()
    if role_text:
        role = roles.get(normalize(role_text))
        if role is None:
            errors.append(
                RowError(number, _("role"), _("“%(value)s” is not a role.") % {"value": role_text})
            )
        else:
            row.role = role
            row.attributes["role"] = role_text
    return (None if errors else row), errors


def _loaded(survey: Survey) -> Survey:
    """A copy with its questions loaded once (clean_answers reads them for every row),
    refused unless answers can be imported into it."""
    survey = Survey.objects.prefetch_related("questions").get(pk=survey.pk)
    if survey.state not in (Survey.State.OPEN, Survey.State.CLOSED):
        raise ValidationError(_("Responses can be imported only into an open or closed survey."))
    return survey


def _check_all(survey: Survey, table: Table, mapping: ColumnMap, progress=None) -> list[_Row]:
    """Every non-blank row checked (outside any write): the rows ready to write, or
    :class:`ImportRejected` with all the problems. ``progress(done, total)`` now and then."""
    questions = sorted(survey.questions.all(), key=lambda q: (q.order, q.pk))
    if not any(mapping.questions.get(q.pk) is not None for q in questions):
        raise ValidationError(_("Choose the column of at least one question."))
    departments = (
        _department_index() if mapping.department is not None and not survey.anonymous else {}
    )
    roles = _role_index()
    ready: list[_Row] = []
    errors: list[RowError] = []
    total = len(table.rows)
    for index, cells in enumerate(table.rows):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, total)
        if _blank(cells):
            continue
        row, problems = _check_row(survey, questions, mapping, index + 2, cells, departments, roles)
        errors += problems
        if row is not None:
            ready.append(row)
    if errors:
        raise ImportRejected(errors)
    return ready


def _write_all(*, actor, survey: Survey, batch: ImportBatch, rows: list[_Row], progress=None):
    """Write the checked rows in short chunks, then publish them; on any failure the
    batch's rows are removed (and the error raised)."""
    try:
        for start in range(0, len(rows), WRITE_CHUNK):
            began = time.monotonic()
            _batch_write(survey=survey, batch=batch, rows=rows[start : start + WRITE_CHUNK])
            if progress is not None:
                progress(start + WRITE_CHUNK, len(rows))
            # Let the writers waiting for the lock in: SQLite's busy handler polls every
            # 100 ms at most, so a writer that takes the lock again at once starves them.
            time.sleep(min(max(time.monotonic() - began, WRITE_PAUSE), 0.1))
        _batch_publish(actor=actor, survey=survey, batch=batch, count=len(rows))
    except Exception:
        logger.exception("Import into survey %s failed; its rows are removed", survey.pk)
        _batch_discard(batch=batch)
        raise
    return len(rows)


def responses_import(
    *, actor, survey: Survey, table: Table, mapping: ColumnMap, filename: str = ""
) -> int:
    """Import every non-blank row of ``table`` as a response, or none, at once (the web app
    runs the same steps in the background: :func:`import_start`). If any row has a
    problem, raise :class:`ImportRejected` listing all problems. Returns the number of
    responses created; records one audit event for the whole import.

    Deliberately not one transaction (see the module's docstring): checked outside any
    write, written in short chunks, published at the end."""
    survey = _loaded(survey)
    ready = _check_all(survey, table, mapping)
    batch = _batch_start(actor=actor, survey=survey, filename=filename)
    return _write_all(actor=actor, survey=survey, batch=batch, rows=ready)


# --- the import in the background ------------------------------------------------------------


@transaction.atomic
def import_start(*, actor, survey: Survey, upload: ImportUpload, mapping: ColumnMap) -> ImportBatch:
    """Queue the import of a kept upload with the chosen columns; the task worker runs it
    (:func:`import_run`). Starting the same upload again while its import runs (a double
    click, a resent form) or after it was imported gives that import, not a second one.
    (Queuing is technical state, like the kept file: the import itself is audited.)"""
    upload = ImportUpload.objects.select_for_update().get(pk=upload.pk)
    existing = (
        ImportBatch.objects.filter(upload=upload)
        .exclude(status__in=[ImportBatch.Status.REJECTED, ImportBatch.Status.FAILED])
        .first()
    )
    if existing is not None:
        return existing
    _loaded(survey)
    if not any(column is not None for column in mapping.questions.values()):
        raise ValidationError(_("Choose the column of at least one question."))
    batch = ImportBatch.objects.create(
        survey=survey,
        filename=upload.name[:255],
        created_by=actor,
        published=False,
        status=ImportBatch.Status.QUEUED,
        upload=upload,
        mapping=mapping_to_json(mapping),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    # The file must outlive the queue.
    ImportUpload.objects.filter(pk=upload.pk).update(
        expires_at=max(upload.expires_at, timezone.now() + UPLOAD_LIFETIME)
    )
    from .tasks import run_import

    batch_id = batch.pk
    transaction.on_commit(lambda: run_import.enqueue(batch_id))
    return batch


def _mark(batch: ImportBatch, **fields) -> None:
    """Record the import's state (one short write, outside the rows' transactions)."""
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    for name, value in fields.items():
        setattr(batch, name, value)


def import_run(*, batch_id: int) -> ImportBatch:
    """The background part of an import: check every row, then write them in chunks and
    publish, reporting progress on the batch; or record why nothing was imported. Runs once
    per batch (a task run again finds it no longer queued)."""
    batch = ImportBatch.objects.select_related("survey", "upload", "created_by").get(pk=batch_id)
    # Checking writes nothing: a task retried after a transient error checks again.
    if batch.status not in (ImportBatch.Status.QUEUED, ImportBatch.Status.CHECKING):
        return batch
    with translation.override(batch.language or settings.LANGUAGE_CODE):
        _mark(batch, status=ImportBatch.Status.CHECKING, progress=0.0)
        try:
            if batch.upload is None:
                raise ValidationError(_("The uploaded file was not kept; upload it again."))
            table = parse(batch.upload.text)
            survey = _loaded(batch.survey)
            ready = _check_all(
                survey,
                table,
                mapping_from_json(batch.mapping),
                progress=lambda done, total: _mark(batch, progress=0.5 * done / max(total, 1)),
            )
        except ImportRejected as exc:
            _mark(
                batch,
                status=ImportBatch.Status.REJECTED,
                errors=[[e.row, e.question, e.message] for e in exc.row_errors[:ERRORS_KEPT]],
                error_count=len(exc.row_errors),
                message=exc.messages[0][:500],
                finished_at=timezone.now(),
            )
            return batch
        except ValidationError as exc:
            _mark(
                batch,
                status=ImportBatch.Status.REJECTED,
                message=" ".join(exc.messages)[:500],
                finished_at=timezone.now(),
            )
            return batch
        _mark(batch, status=ImportBatch.Status.WRITING, total=len(ready), progress=0.5)
        try:
            _write_all(
                actor=batch.created_by,
                survey=survey,
                batch=batch,
                rows=ready,
                progress=lambda done, total: _mark(
                    batch, progress=0.5 + 0.5 * min(done, total) / max(total, 1)
                ),
            )
        except Exception:
            _mark(
                batch,
                status=ImportBatch.Status.FAILED,
                message=_(
                    "The import stopped because of an error; nothing was imported. Try again, "
                    "or tell the system administrator."
                ),
                finished_at=timezone.now(),
            )
            return batch
    # Imported: the file is no longer needed (the batch keeps its name).
    ImportUpload.objects.filter(pk=batch.upload_id).delete()
    batch.refresh_from_db()
    return batch


@transaction.atomic
def _batch_start(*, actor, survey: Survey, filename: str) -> ImportBatch:
    return ImportBatch.objects.create(
        survey=survey,
        filename=filename[:255],
        created_by=actor,
        published=False,
        status=ImportBatch.Status.WRITING,
    )


@transaction.atomic
def _batch_write(*, survey: Survey, batch: ImportBatch, rows: list[_Row]) -> None:
    """One short write: a chunk of responses and their answers (not counted yet)."""
    anonymous = survey.anonymous
    responses = Response.objects.bulk_create(
        Response(
            survey=survey,
            respondent=None,
            department=None if anonymous else row.department,
            role="" if anonymous else row.role,
            source=Response.Source.IMPORT,
            attributes={} if anonymous else {"import_row": row.number, **row.attributes},
            import_batch=batch,
        )
        for row in rows
    )
    Answer.objects.bulk_create(
        (
            Answer(response=response, question_id=qid, **values)
            for response, row in zip(responses, rows, strict=True)
            for qid, values in row.answers.items()
        ),
        batch_size=2000,
    )


@transaction.atomic
def _batch_publish(*, actor, survey: Survey, batch: ImportBatch, count: int) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        published=True,
        rows=count,
        status=ImportBatch.Status.DONE,
        progress=1.0,
        finished_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.LOAD,
        target=survey,
        summary=ngettext(
            "%(n)s response imported from %(file)s",
            "%(n)s responses imported from %(file)s",
            count,
        )
        % {"n": count, "file": batch.filename or "CSV"},
        after={"batch": batch.pk, "responses": count, "file": batch.filename},
    )


def _batch_discard(*, batch: ImportBatch) -> None:
    """Remove an unpublished batch's rows in short transactions; the batch itself stays,
    marked failed (for the person's page)."""
    while True:
        with transaction.atomic():
            ids = list(
                Response.objects.filter(import_batch=batch).values_list("pk", flat=True)[
                    :WRITE_CHUNK
                ]
            )
            if not ids:
                break
            Answer.objects.filter(response__in=ids).delete()
            Response.objects.filter(pk__in=ids).delete()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED, finished_at=timezone.now()
    )


# --- the file kept between the steps of the wizard ---------------------------------------


@transaction.atomic
def import_upload_keep(*, actor, survey: Survey, name: str, text: str) -> ImportUpload:
    """Keep an uploaded file's text until it is imported, discarded or expires (technical
    state of the wizard, like a session: not audited; the import itself is)."""
    import_upload_purge()
    ImportUpload.objects.filter(survey=survey, owner=actor).delete()
    return ImportUpload.objects.create(
        survey=survey,
        owner=actor,
        name=name[:255],
        text=text,
        expires_at=timezone.now() + UPLOAD_LIFETIME,
    )


def import_upload_get(*, actor, survey: Survey, upload_id) -> ImportUpload | None:
    if not upload_id:
        return None
    try:
        return ImportUpload.objects.filter(
            pk=upload_id, survey=survey, owner=actor, expires_at__gt=timezone.now()
        ).first()
    except (ValueError, ValidationError):
        return None


@transaction.atomic
def import_upload_discard(*, actor, survey: Survey) -> None:
    ImportUpload.objects.filter(survey=survey, owner=actor).delete()


def import_upload_purge() -> int:
    """Delete every expired upload."""
    deleted, _by_model = ImportUpload.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
