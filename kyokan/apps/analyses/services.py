"""Writes of the analysis layer: start an analysis (run in the background), import a comment
set. The analysis itself is the plain ``kyokan.textanalysis`` library."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyokan import textanalysis
from kyokan.apps.core.audit import audit_record, audited_create
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.documents import selectors as documents
from kyokan.apps.surveys.models import Answer, Question
from kyokan.apps.surveys.selectors import MIN_GROUP

from . import messages
from .models import AnalysisRun, CommentSet

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
    if coarse and fine and coarse > fine:
        raise ValidationError({"fine": _("There must be at least as many fine clusters.")})
    reference = (reference_version or documents.dx_definition()) if with_reference else None
    reference_text = ""
    if reference is not None:
        reference_text = "\n".join(
            f"{n.section.heading}\n{n.section.body}"
            for n in documents.numbered_sections(reference, include_removed=False)
        )
    run = audited_create(
        actor=actor,
        instance=AnalysisRun(
            question=question,
            comment_set=comment_set,
            coarse=coarse,
            fine=fine,
            reference_label=str(reference)[:200] if reference else "",
            reference_text=reference_text,
            created_by=actor,
        ),
    )
    from .tasks import run_analysis

    transaction.on_commit(lambda: run_analysis.enqueue(run.pk))
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


def analysis_execute(*, run_id: int) -> AnalysisRun:
    """The background part: run the library, store the result (or the error), report
    progress on the run as it goes. Progress updates are technical state, not audited;
    the outcome is."""
    run = AnalysisRun.objects.select_related("question", "comment_set").get(pk=run_id)
    AnalysisRun.objects.filter(pk=run.pk).update(status=AnalysisRun.Status.RUNNING)

    def progress(fraction: float, message: str) -> None:
        AnalysisRun.objects.filter(pk=run.pk).update(
            progress=round(fraction, 3), message=message[:200]
        )

    try:
        comments = _comments_of(run)
        result = textanalysis.analyze(
            comments.texts,
            ids=comments.ids,
            attributes=comments.attributes,
            reference=run.reference_text or None,
            coarse=run.coarse,
            fine=run.fine,
            progress=progress,
        )
        payload = textanalysis.result_to_json(result)
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
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=status,
            result=payload,
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
