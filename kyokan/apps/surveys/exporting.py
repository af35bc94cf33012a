"""A survey's responses as a table: one row per response, one column per question.

:func:`response_table` gives the header and the rows with typed values (datetime,
int, Decimal, str, None), written by core's one export helper (``core.exports``: CSV with
BOM, XLSX with text cells, formula-looking text neutralised, control characters removed).
Answers are prefetched per chunk of responses, so the number of queries does not grow with
the number of responses. Large Excel files are built in the background
(:func:`xlsx_build`, registered with ``core.exports``).

Columns of a named survey: response id, submitted at, bureau, role (label), the
respondent's name (only when ``with_names``, which :func:`names_allowed` decides), then the
questions in order: choices as their option texts joined with "; ", Likert as the level
(1–5), numbers as numbers, text as written. An anonymous survey's export has only the
response's random id and the answers (nothing else is stored), a question answered by
fewer than 5 respondents is left empty, and nothing is exported below 5 responses.
Voided responses and imports still running are left out.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from kyokan.apps.core import exports, office
from kyokan.apps.core.roles import Role

from .models import Answer, Question, Response, Survey
from .selectors import MIN_GROUP, suppressed

CHOICE_SEPARATOR = "; "
CHUNK = 500
XLSX_CONTENT_TYPE = exports.XLSX_CONTENT_TYPE
BACKGROUND_XLSX_ROWS = 2_000  # above this many responses the Excel file is built in the background


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
    count: int = 0  # the number of rows


def check_exportable(survey: Survey) -> int:
    """The number of responses to export; an anonymous survey with fewer than MIN_GROUP
    is refused (ValidationError)."""
    count = Response.objects.filter(survey=survey).counted().count()
    if suppressed(survey, count):
        raise ValidationError(
            _(
                "Hidden: fewer than %(n)s respondents. An anonymous survey is exported once "
                "it has at least %(n)s responses."
            )
            % {"n": MIN_GROUP}
        )
    return count


def response_table(survey: Survey, *, with_names: bool) -> ResponseTable:
    """The header and the kinds now, the rows as they are consumed.

    Everything translated is computed here, before the rows stream, so that the labels
    are in the language of the request."""
    count = check_exportable(survey)
    questions = list(survey.questions.order_by("order", "id"))
    anonymous = survey.anonymous
    with_names = with_names and not anonymous
    hidden: set[int] = set()
    if anonymous:
        answered = dict(
            Answer.objects.counted()
            .filter(question__survey=survey)
            .values_list("question")
            .annotate(n=Count("id"))
            .values_list("question", "n")
        )
        hidden = {q.pk for q in questions if suppressed(survey, answered.get(q.pk, 0))}
        header = [_("response id")]
    else:
        header = [_("response id"), _("submitted at"), _("bureau"), _("role")]
    if with_names:
        header.append(_("name"))
    note = _("Hidden: fewer than %(n)s respondents") % {"n": MIN_GROUP}
    header += [f"{q.text}（{note}）" if q.pk in hidden else q.text for q in questions]
    roles = {r.value: str(r.label) for r in Role}

    def rows() -> Iterator[list]:
        responses = (
            Response.objects.filter(survey=survey)
            .counted()
            .select_related(
                *([] if anonymous else ["department__parent"]),
                *(["respondent"] if with_names else []),
            )
            .prefetch_related("answers")
            .order_by("submitted_at", "id")
        )
        for response in responses.iterator(chunk_size=CHUNK):
            # The id as text: a random 62-bit number is beyond a spreadsheet's precision.
            row = [str(response.pk)]
            if not anonymous:
                department = response.department
                row += [
                    response.submitted_at,
                    (department.parent or department).name if department else "",
                    roles.get(response.role, response.role),
                ]
            if with_names:
                row.append(response.respondent.full_name if response.respondent else "")
            answers = {a.question_id: a for a in response.answers.all()}
            row += [
                None if q.pk in hidden else _answer_value(q, answers.get(q.pk)) for q in questions
            ]
            yield row

    kinds = [None] * (len(header) - len(questions)) + [q.kind for q in questions]
    return ResponseTable(header=header, rows=rows(), kinds=kinds, count=count)


def csv_response(survey: Survey, *, with_names: bool):
    table = response_table(survey, with_names=with_names)
    return exports.csv_response(filename(survey, "csv"), table.header, table.rows)


# --- Excel ----------------------------------------------------------------------------


def _column_widths(table: ResponseTable, *, anonymous: bool) -> list[int]:
    widths = []
    for i, (title, kind) in enumerate(zip(table.header, table.kinds, strict=True)):
        width = min(max(exports.display_width(title) + 2, 10), 40)
        if i == 0:
            width = 22  # a 19-digit id
        elif i == 1 and not anonymous:
            width = 20  # a date and time
        elif kind == Question.Kind.TEXT:
            width = 50
        widths.append(width)
    return widths


def _sheet(survey: Survey, table: ResponseTable, rows=None) -> exports.Sheet:
    return exports.Sheet(
        title=_("Responses"),
        header=table.header,
        rows=table.rows if rows is None else rows,
        widths=_column_widths(table, anonymous=survey.anonymous),
        wrap=True,
    )


def xlsx_bytes(survey: Survey, *, with_names: bool, progress=None) -> bytes:
    """The responses as an Excel workbook: bold header, first row frozen, set widths."""
    table = response_table(survey, with_names=with_names)
    if progress is None:
        return exports.xlsx_bytes([_sheet(survey, table)])
    return exports.xlsx_bytes(
        [_sheet(survey, table)], progress=lambda done: progress(done, table.count)
    )


@exports.builder("surveys.responses_xlsx")
def xlsx_build(*, params: dict, actor, progress) -> exports.Built:
    """The background Excel export (core.exports): checks again that the person may read
    the results, then writes the workbook with progress."""
    survey = Survey.objects.get(pk=params["survey"])
    if actor is None or not actor.has_perm("surveys.view_results", survey):
        raise PermissionDenied
    content = xlsx_bytes(survey, with_names=names_allowed(survey, actor), progress=progress)
    return exports.Built(filename=filename(survey, "xlsx"), content=content)
