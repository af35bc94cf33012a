"""A survey's responses as a table: one row per response, one column per question.

:func:`response_table` gives the header and the rows with typed values (datetime,
int, Decimal, str, None); :func:`csv_cells` formats a row for CSV and :func:`xlsx_bytes` writes
an Excel workbook. Answers are prefetched per chunk of responses, so the number of
queries does not grow with the number of responses.

Columns: response id, submitted at, bureau, role (label), the respondent's name (only
when ``with_names``, which :func:`names_allowed` decides), then the questions in order:
choices as their option texts joined with "; ", Likert as the level (1–5), numbers as
numbers, text as written.
"""

import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from kyokan.apps.core import office
from kyokan.apps.core.roles import Role

from .models import Question, Response, Survey

CHOICE_SEPARATOR = "; "
CHUNK = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def names_allowed(survey: Survey, user) -> bool:
    """Names are exported for named surveys, and only to those who run surveys."""
    return not survey.anonymous and user.has_perm("surveys.manage_surveys")


def filename(survey: Survey, ext: str) -> str:
    return office.safe_filename(str(survey), ext, default="survey")


def _number(value: Decimal | None) -> int | Decimal | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def _answer_value(question: Question, answer) -> object:
    if answer is None:
        return None
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        options = question.choices
        return CHOICE_SEPARATOR.join(
            options[i] if 0 <= i < len(options) else str(i) for i in answer.choices
        )
    if question.kind in (Question.Kind.LIKERT, Question.Kind.NUMBER):
        return _number(answer.number)
    return answer.text


@dataclass
class ResponseTable:
    header: list[str]
    rows: Iterator[list]  # a generator: the responses are queried while it is consumed
    kinds: list[str | None]  # per column: the question's kind (None for the fixed columns)


def response_table(survey: Survey, *, with_names: bool) -> ResponseTable:
    """The header and the kinds now, the rows as they are consumed.

    Everything translated is computed here, before the rows stream, so that the labels
    are in the language of the request."""
    questions = list(survey.questions.order_by("order", "id"))
    with_names = with_names and not survey.anonymous
    header = [_("response id"), _("submitted at"), _("bureau"), _("role")]
    if with_names:
        header.append(_("name"))
    header += [q.text for q in questions]
    roles = {r.value: str(r.label) for r in Role}

    def rows() -> Iterator[list]:
        responses = (
            Response.objects.filter(survey=survey)
            .select_related("department__parent", *(["respondent"] if with_names else []))
            .prefetch_related("answers")
            .order_by("id")
        )
        for response in responses.iterator(chunk_size=CHUNK):
            department = response.department
            bureau = (department.parent or department).name if department else ""
            row = [
                response.pk,
                timezone.localtime(response.submitted_at),
                bureau,
                roles.get(response.role, response.role),
            ]
            if with_names:
                row.append(response.respondent.full_name if response.respondent else "")
            answers = {a.question_id: a for a in response.answers.all()}
            row += [_answer_value(q, answers.get(q.pk)) for q in questions]
            yield row

    kinds = [None] * (len(header) - len(questions)) + [q.kind for q in questions]
    return ResponseTable(header=header, rows=rows(), kinds=kinds)


def _csv_cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def csv_cells(row: list) -> list:
    """A row of :func:`response_table` as CSV cells (ISO dates, plain numbers)."""
    return [_csv_cell(v) for v in row]


# --- Excel ----------------------------------------------------------------------------


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _column_widths(table: ResponseTable) -> list[int]:
    widths = []
    for i, (title, kind) in enumerate(zip(table.header, table.kinds, strict=True)):
        width = min(max(_display_width(title) + 2, 10), 40)
        if i == 1:
            width = 20  # a date and time
        elif kind == Question.Kind.TEXT:
            width = 50
        widths.append(width)
    return widths


def xlsx_bytes(survey: Survey, *, with_names: bool) -> bytes:
    """The responses as an Excel workbook: bold header, first row frozen, set widths."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    table = response_table(survey, with_names=with_names)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Responses")[:31])
    sheet.freeze_panes = "A2"
    for i, width in enumerate(_column_widths(table), 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cell(value, *, font=None):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # "=…" typed by a respondent stays text, never a formula
        if isinstance(value, datetime):
            c.number_format = "yyyy-mm-dd hh:mm:ss"
        if font is not None:
            c.font, c.alignment = font, wrap
        return c

    sheet.append([cell(title, font=bold) for title in table.header])
    for row in table.rows:
        sheet.append([cell(v.replace(tzinfo=None) if isinstance(v, datetime) else v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
