"""Writes of the surveys app. Every function records an audit event — except that an
anonymous survey's response is recorded without its author, so that the audit trail cannot
undo the anonymity the respondents were promised."""

import hashlib
import hmac
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kyokan.apps.core.audit import audit_record, audited_create, audited_delete, audited_update
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.predicates import roles_of
from kyokan.apps.core.roles import CITY_STAFF_ROLES, HQ_ROLES

from .models import MAX_TEXT_ANSWER, Answer, Question, Response, Survey


def _key(*parts) -> str:
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def respondent_key_for_user(survey: Survey, user) -> str:
    return _key("survey", survey.pk, "user", user.pk)


def respondent_key_for_visitor(survey: Survey, visitor: str) -> str:
    return _key("survey", survey.pk, "visitor", visitor)


def is_in_audience(survey: Survey, user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = roles_of(user)
    if survey.audience == Survey.Audience.PUBLIC:
        return True
    if survey.audience == Survey.Audience.ALL_STAFF:
        return bool(roles & CITY_STAFF_ROLES)
    if survey.audience == Survey.Audience.HQ:
        return bool(roles & HQ_ROLES)
    if survey.audience == Survey.Audience.ROLES:
        return bool(roles & set(survey.roles))
    if survey.audience == Survey.Audience.DEPARTMENTS:
        if user.department_id is None:
            return False
        wanted = {d.pk for d in survey.departments.all()}
        return user.department_id in wanted or user.department.parent_id in wanted
    return False


# --- surveys and questions ------------------------------------------------------------------


@transaction.atomic
def survey_create(*, actor, departments=(), **fields) -> Survey:
    survey = audited_create(actor=actor, instance=Survey(created_by=actor, **fields))
    if departments:
        survey.departments.set(departments)
    if survey.previous_round_id:
        questions_copy(actor=actor, source=survey.previous_round, target=survey)
    return survey


@transaction.atomic
def survey_update(*, actor, survey: Survey, departments=None, **changes) -> bool:
    changed = audited_update(actor=actor, instance=survey, changes=changes)
    if departments is not None and set(departments) != set(survey.departments.all()):
        survey.departments.set(departments)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=survey,
            summary=_("Audience departments changed"),
            after={"departments": [d.name for d in departments]},
        )
        changed = True
    return changed


def _require_draft(survey: Survey) -> None:
    if survey.state != Survey.State.DRAFT:
        raise ValidationError(_("Questions can be changed only before the survey opens."))


@transaction.atomic
def questions_copy(*, actor, source: Survey, target: Survey) -> int:
    """Repeat another round's questions (so the two rounds can be compared)."""
    _require_draft(target)
    n = 0
    for question in source.questions.order_by("order", "id"):
        question_create(
            actor=actor,
            survey=target,
            kind=question.kind,
            text=question.text,
            help_text=question.help_text,
            required=question.required,
            choices=list(question.choices),
        )
        n += 1
    return n


@transaction.atomic
def question_create(*, actor, survey: Survey, **fields) -> Question:
    _require_draft(survey)
    order = (survey.questions.aggregate(n=Max("order"))["n"] or 0) + 1
    return audited_create(actor=actor, instance=Question(survey=survey, order=order, **fields))


@transaction.atomic
def question_update(*, actor, question: Question, **changes) -> bool:
    _require_draft(question.survey)
    return audited_update(actor=actor, instance=question, changes=changes)


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    _require_draft(question.survey)
    audited_delete(actor=actor, instance=question)


@transaction.atomic
def survey_open(*, actor, survey: Survey, record_past: bool = False) -> bool:
    """Open a survey. ``record_past`` records one that already ran (the demo's history)."""
    if survey.state != Survey.State.DRAFT:
        raise ValidationError(_("Only a survey in preparation can be opened."))
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    if survey.closes_on < timezone.localdate() and not record_past:
        raise ValidationError(_("The closing date is in the past."))
    return audited_update(actor=actor, instance=survey, changes={"state": Survey.State.OPEN})


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> bool:
    if survey.state != Survey.State.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    return audited_update(actor=actor, instance=survey, changes={"state": Survey.State.CLOSED})


def accepting_answers(survey: Survey) -> bool:
    today = timezone.localdate()
    return survey.state == Survey.State.OPEN and survey.opens_on <= today <= survey.closes_on


# --- answers ---------------------------------------------------------------------------------


def clean_answers(survey: Survey, raw: dict[int, object]) -> dict[int, dict]:
    """Check raw answers (question id → value) against the questions; return the values to
    store, or raise ValidationError with one message per question (question id → errors)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, dict] = {}
    for question in survey.questions.all():
        value = raw.get(question.pk)
        empty = value in (None, "", [], ())
        if empty:
            if question.required:
                errors[f"q{question.pk}"] = [_("This question must be answered.")]
            continue
        try:
            cleaned[question.pk] = _clean_one(question, value)
        except ValidationError as exc:
            errors[f"q{question.pk}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_one(question: Question, value) -> dict:
    kind = Question.Kind
    if question.kind == kind.TEXT:
        text = str(value).strip()
        if len(text) > MAX_TEXT_ANSWER:
            raise ValidationError(
                _("Write at most %(n)s characters.") % {"n": f"{MAX_TEXT_ANSWER:,}"}
            )
        return {"text": text}
    if question.kind == kind.NUMBER:
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            raise ValidationError(_("Enter a number.")) from None
        if not number.is_finite() or abs(number) >= Decimal("1e10"):
            raise ValidationError(_("Enter a number."))
        return {"number": number}
    if question.kind == kind.LIKERT:
        try:
            level = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Choose a level from 1 to 5.")) from None
        if not 1 <= level <= 5:
            raise ValidationError(_("Choose a level from 1 to 5."))
        return {"number": Decimal(level)}
    indices = value if isinstance(value, list | tuple) else [value]
    try:
        picked = sorted({int(i) for i in indices})
    except (TypeError, ValueError):
        raise ValidationError(_("Choose from the options.")) from None
    if any(not 0 <= i < len(question.choices) for i in picked):
        raise ValidationError(_("Choose from the options."))
    if question.kind == kind.SINGLE and len(picked) != 1:
        raise ValidationError(_("Choose one option."))
    return {"choices": picked}


@transaction.atomic
def response_save(
    *,
    survey: Survey,
    answers: dict[int, object],
    user=None,
    visitor: str | None = None,
    attributes: dict | None = None,
    _record_past: bool = False,
) -> Response:
    """Save (or replace) one respondent's answers while the survey is open.
    (``_record_past`` lets the demo record answers of a survey that ran in the past.)"""
    if not accepting_answers(survey) and not (_record_past and survey.state == Survey.State.OPEN):
        raise ValidationError(_("This survey is not accepting answers."))
    cleaned = clean_answers(survey, answers)
    if user is not None and getattr(user, "is_authenticated", False):
        if not is_in_audience(survey, user):
            raise ValidationError(_("This survey is not addressed to you."))
        key = respondent_key_for_user(survey, user)
        source = Response.Source.WEB
        department = user.department
        role = next(iter(sorted(roles_of(user))), "")
    elif survey.audience == Survey.Audience.PUBLIC and visitor:
        key, source, department, role = (
            respondent_key_for_visitor(survey, visitor), Response.Source.PUBLIC, None, ""
        )  # fmt: skip
    else:
        raise ValidationError(_("Log in to answer this survey."))
    if survey.anonymous and department is not None and department.parent_id:
        department = department.parent  # anonymous: only the bureau is kept
    response = (
        Response.objects.select_for_update().filter(survey=survey, respondent_key=key).first()
    )
    created = response is None
    if created:
        response = Response.objects.create(
            survey=survey,
            respondent=None if survey.anonymous or source == Response.Source.PUBLIC else user,
            respondent_key=key,
            department=department,
            role=role,
            source=source,
            attributes=attributes or {},
        )
    else:
        response.answers.all().delete()
        response.save(update_fields=["updated_at"])
    Answer.objects.bulk_create(
        Answer(response=response, question_id=qid, **values) for qid, values in cleaned.items()
    )
    named = not survey.anonymous and source == Response.Source.WEB
    audit_record(
        actor=user if named else None,
        actor_name="" if named else _("(anonymous respondent)"),
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=survey,
        target_type="surveys.response",
        target_id=str(response.pk),
        target_repr=str(survey)[:200],
        summary=_("Survey answered") if created else _("Survey answers changed"),
    )
    return response
