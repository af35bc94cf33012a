"""Writes of the analysis layer: start an analysis (run in the background), import a comment
set. The analysis itself is the plain ``kyokan.textanalysis`` library."""

import json
import logging
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyokan import textanalysis
from kyokan.apps.core.audit import audit_record, audited_create
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.documents import selectors as documents
from kyokan.apps.surveys.models import Answer, Question
from kyokan.apps.surveys.selectors import MIN_GROUP

from . import messages, summary
from .models import AnalysisItem, AnalysisRun, CommentSet

logger = logging.getLogger(__name__)
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def question_comments(question: Question) -> textanalysis.Comments:
    """A free-text question's answers with their bureau and role as attributes."""
    answers = (
        Answer.objects.counted()
        .filter(question=question)
        .exclude(text="")
        .select_related("response__department__parent")
        .order_by("id")
    )
    ids, texts, bureaus, roles = [], [], [], []
    for answer in answers:
        department = answer.response.department
        ids.append(str(answer.response_id))
        texts.append(answer.text)
        bureaus.append((department.parent or department).name if department else "")
        role = answer.response.role
        roles.append(str(Role(role).label) if role in Role.values else "")
    if question.survey.anonymous:  # nothing of the kind is stored; no empty groups either
        return textanalysis.Comments(ids=ids, texts=texts, attributes={})
    return textanalysis.Comments(
        ids=ids, texts=texts, attributes={"department": bureaus, "role": roles}
    )


@transaction.atomic
def comment_set_import(*, actor, title: str, upload) -> CommentSet:
    """Import a Kouchou-AI style CSV (comment-id, comment-body, attribute columns), read as
    UTF-8, UTF-8 with BOM or CP932. Refused whole with a message if it cannot be read."""
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    data = upload.read()
    try:
        comments = textanalysis.read_comments_csv(data)
        text, _encoding = textanalysis.io.decode_bytes(data)
    except textanalysis.AnalysisInputError as exc:
        reason = messages.input_error(exc)  # the library's message, translated by its code
        raise ValidationError(
            {"file": _("The file cannot be used: %(reason)s") % {"reason": reason}}
        ) from exc
    comment_set = CommentSet(
        title=title,
        content=text,
        rows=len(comments.ids),
        attributes=list(comments.attributes),
        created_by=actor,
    )
    return audited_create(actor=actor, instance=comment_set)


def _reference(with_reference: bool, reference_version) -> tuple[str, str]:
    """(label, text) of the reference: the adopted DX definition, or ``reference_version``
    (a documents Version, e.g. the definition still in consultation: its label says so)."""
    reference = (reference_version or documents.dx_definition()) if with_reference else None
    if reference is None:
        return "", ""
    text = "\n".join(
        f"{n.section.heading}\n{n.section.body}"
        for n in documents.numbered_sections(reference, include_removed=False)
    )
    return str(reference)[:200], text


def _check_answered(question: Question) -> None:
    if question.kind != Question.Kind.TEXT:
        raise ValidationError(_("Only free-text questions can be analysed."))
    answered = Answer.objects.counted().filter(question=question).exclude(text="").count()
    if not answered:
        raise ValidationError(_("This question has no answer to analyse yet."))
    if question.survey.anonymous and answered < MIN_GROUP:
        raise ValidationError(
            _("Hidden: fewer than %(n)s respondents. An anonymous survey's answers are "
              "analysed once at least %(n)s have answered.") % {"n": MIN_GROUP}
        )  # fmt: skip


def _check_counts(coarse: int | None, fine: int | None) -> None:
    if coarse and fine and coarse > fine:
        raise ValidationError({"fine": _("There must be at least as many fine clusters.")})


def _enqueue(run: AnalysisRun) -> None:
    from .tasks import run_analysis

    transaction.on_commit(lambda: run_analysis.enqueue(run.pk))


@transaction.atomic
def analysis_start(
    *,
    actor,
    question: Question | None = None,
    comment_set: CommentSet | None = None,
    coarse: int | None = None,
    fine: int | None = None,
    with_reference: bool = True,
    reference_version=None,
) -> AnalysisRun:
    """Queue an analysis; a background worker runs it and reports its progress. The
    reference text is the adopted DX definition, or ``reference_version`` (a documents
    Version, e.g. the definition still in consultation: its label says so)."""
    if (question is None) == (comment_set is None):
        raise ValidationError(_("Analyse either a question or a comment set."))
    if question is not None:
        _check_answered(question)
    _check_counts(coarse, fine)
    label, text = _reference(with_reference, reference_version)
    run = audited_create(
        actor=actor,
        instance=AnalysisRun(
            question=question,
            comment_set=comment_set,
            coarse=coarse,
            fine=fine,
            reference_label=label,
            reference_text=text,
            created_by=actor,
        ),
    )
    _enqueue(run)
    return run


@transaction.atomic
def analysis_rerun(
    *, actor, run: AnalysisRun, coarse: int | None = None, fine: int | None = None
) -> AnalysisRun:
    """Analyse the same answers again with the numbers of groups chosen by a person (empty:
    chosen by the library's criterion), against the same reference text. The new run is
    given the earlier result (``previous=``), so that the groups that still match keep
    their ids."""
    if run.is_rounds or run.status != AnalysisRun.Status.DONE or not run.result:
        raise ValidationError(_("Only a finished analysis can be run again."))
    _check_counts(coarse, fine)
    new = audited_create(
        actor=actor,
        instance=AnalysisRun(
            question=run.question,
            comment_set=run.comment_set,
            coarse=coarse,
            fine=fine,
            reference_label=run.reference_label,
            reference_text=run.reference_text,
            previous=run,
            created_by=actor,
        ),
    )
    _enqueue(new)
    return new


@transaction.atomic
def rounds_start(
    *,
    actor,
    question: Question,
    earlier: Question,
    with_reference: bool = True,
    reference_version=None,
) -> AnalysisRun:
    """Queue the comparison of two rounds of a question (``earlier`` before ``question``):
    both rounds' answers are analysed together, in one embedding and one set of groups, so
    that their divergence and their shares of each group are on the same scale."""
    if earlier.pk == question.pk:
        raise ValidationError({"earlier": _("Choose another question to compare with.")})
    for q in (earlier, question):
        try:
            _check_answered(q)
        except ValidationError as exc:
            raise ValidationError({"earlier": [f"{q.survey}: {m}" for m in exc.messages]}) from exc
    label, text = _reference(with_reference, reference_version)
    run = audited_create(
        actor=actor,
        instance=AnalysisRun(
            question=question,
            earlier_question=earlier,
            reference_label=label,
            reference_text=text,
            created_by=actor,
        ),
    )
    _enqueue(run)
    return run


def _json_safe(params: dict) -> dict:
    return {
        str(k): v if isinstance(v, str | int | float | bool) or v is None else str(v)
        for k, v in params.items()
    }


def _comments_of(run: AnalysisRun) -> textanalysis.Comments:
    if run.question_id:
        return question_comments(run.question)
    return textanalysis.read_comments_csv(run.comment_set.content.encode("utf-8"))


def _analyse(run: AnalysisRun, progress) -> tuple[dict, textanalysis.Comments | None]:
    """The library's result for the run, and the comments it analysed (None for rounds)."""
    if run.is_rounds:
        progress(0.05, "Preparing")
        rounds = [question_comments(run.earlier_question), question_comments(run.question)]
        payload = textanalysis.analyze_rounds(
            [r.texts for r in rounds], reference=run.reference_text or None
        )
        return payload, None
    comments = _comments_of(run)
    previous = run.previous.result if run.previous_id and run.previous else None
    result = textanalysis.analyze(
        comments.texts,
        ids=comments.ids,
        attributes=comments.attributes,
        reference=run.reference_text or None,
        coarse=run.coarse,
        fine=run.fine,
        progress=progress,
        previous=previous or None,
    )
    return textanalysis.result_to_json(result), comments


def _items_store(run: AnalysisRun, payload: dict, comments: textanalysis.Comments) -> dict:
    """Write the run's AnalysisItem rows (text, attributes, groups, folds) and return the
    summary the pages read (see :mod:`.summary`)."""
    items = payload.get("items", [])
    position_of = {str(item["id"]): n for n, item in enumerate(items)}
    index_of = {str(i): n for n, i in enumerate(comments.ids)}
    names = list(comments.attributes)
    fold = [
        position_of.get(str(item.get("duplicate_of")), n) if item.get("duplicate_of") else n
        for n, item in enumerate(items)
    ]
    fold_size = Counter(fold)
    texts: list[str] = []
    rows = []
    for n, item in enumerate(items):
        source = index_of.get(str(item["id"]))
        coarse, fine = [*(item.get("clusters") or []), None, None][:2]
        text = comments.texts[source] if source is not None else ""
        texts.append(text)
        attributes = (
            json.dumps(
                {name: comments.attributes[name][source] for name in names}, ensure_ascii=False
            )
            if source is not None and names
            else "{}"
        )
        rows.append(
            (
                run.pk,
                n,
                str(item["id"]),
                text,
                attributes,
                coarse or "",
                fine or "",
                fold[n],
                fold_size[fold[n]],
                fold[n] == n,
                item.get("campaign") or "",
                item.get("alignment"),
                item.get("alignment_part"),
                item.get("x"),
                item.get("y"),
            )
        )
    AnalysisItem.objects.filter(run=run).delete()
    _insert_items(rows)
    return summary.build(payload, position_of, texts)


ITEM_COLUMNS = (
    "run_id", "position", "item_id", "text", "attributes", "coarse", "fine", "fold",
    "fold_size", "is_head", "campaign", "alignment", "alignment_part", "x", "y",
)  # fmt: skip


def _insert_items(rows: list[tuple]) -> None:
    """Insert the items with plain parameterised statements in batches: building 100,000
    model instances for bulk_create took about 40 s, this takes a few."""
    table = connection.ops.quote_name(AnalysisItem._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ITEM_COLUMNS)
    marks = ["%s"] * len(ITEM_COLUMNS)
    if connection.vendor == "postgresql":
        marks[ITEM_COLUMNS.index("attributes")] = "%s::jsonb"
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(marks)})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5_000):
            cursor.executemany(sql, rows[start : start + 5_000])


def analysis_execute(*, run_id: int) -> AnalysisRun:
    """The background part: run the library, store the result (or the error), report
    progress on the run as it goes. Progress updates are technical state, not audited;
    the outcome is."""
    run = AnalysisRun.objects.select_related(
        "question__survey", "earlier_question__survey", "comment_set", "previous"
    ).get(pk=run_id)
    AnalysisRun.objects.filter(pk=run.pk).update(status=AnalysisRun.Status.RUNNING)

    def progress(fraction: float, message: str) -> None:
        AnalysisRun.objects.filter(pk=run.pk).update(
            progress=round(fraction, 3), message=message[:200]
        )

    comments = None
    try:
        payload, comments = _analyse(run, progress)
    except textanalysis.AnalysisInputError as exc:
        # Kept as code and parameters: the page translates them for whoever reads it.
        status, payload, error = AnalysisRun.Status.FAILED, None, str(exc)
        code, params = exc.code, _json_safe(exc.params)
    except Exception as exc:  # the run records any failure instead of vanishing
        logger.exception("analysis %s failed", run.pk)
        status, payload, error = AnalysisRun.Status.FAILED, None, f"{type(exc).__name__}: {exc}"
        code, params = "", {}
    else:
        status, error, code, params = AnalysisRun.Status.DONE, "", "", {}
    with transaction.atomic():
        digest = None
        if payload is not None:
            digest = payload if comments is None else _items_store(run, payload, comments)
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=status,
            result=payload,
            summary=digest,
            error=error,
            error_code=code[:40],
            error_params=params,
            progress=1.0 if status == AnalysisRun.Status.DONE else run.progress,
            finished_at=timezone.now(),
        )
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            target=run,
            summary=_("Analysis finished") if not error else _("Analysis failed"),
            after={"status": status, "error": error[:200], "code": code},
        )
    run.refresh_from_db()
    return run


@transaction.atomic
def analysis_result_store(
    *, run: AnalysisRun, result: dict, comments: textanalysis.Comments
) -> AnalysisRun:
    """Store a result computed elsewhere (the command line's JSON, a benchmark's or a test's
    data) on a run, with its items and summary, as a finished analysis."""
    digest = _items_store(run, result, comments)
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=AnalysisRun.Status.DONE,
        result=result,
        summary=digest,
        progress=1.0,
        finished_at=timezone.now(),
    )
    audit_record(
        actor=None,
        action=AuditEvent.Action.UPDATE,
        target=run,
        summary=_("Analysis finished"),
        after={"status": AnalysisRun.Status.DONE, "stored": True},
    )
    run.refresh_from_db()
    return run
