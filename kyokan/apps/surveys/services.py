"""Writes of the surveys app. Every function records an audit event.

Anonymous surveys are anonymous against everyone, whoever holds the database and the keys
included. For an anonymous survey:

- that a person took part is a :class:`~.models.Participation` (survey and person, random
  id, no time), written with a named audit entry "took part" that names no response;
- the response itself has a random id, no respondent, no key derived from the person, no
  bureau or role and no time; its answers have random ids; it can be changed only with the
  edit code shown once to the respondent (the response keeps only its SHA-256);
- changing or voiding it is audited without naming the respondent.
"""

import hashlib
import hmac
import secrets
import unicodedata
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kyokan.apps.core.audit import (
    audit_record,
    audited_create,
    audited_delete,
    audited_update,
    snapshot,
)
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.once import creates_once
from kyokan.apps.core.predicates import roles_of
from kyokan.apps.core.roles import CITY_STAFF_ROLES, HQ_ROLES

from . import search_index
from .models import (
    MAX_TEXT_ANSWER,
    QUESTIONS_MAX,
    Answer,
    Participation,
    Question,
    Response,
    Survey,
)

# --- edit codes (anonymous surveys) ----------------------------------------------------

# No 0/O, 1/I/L: the code is read from the screen and typed again.
EDIT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
EDIT_CODE_LENGTH = 16  # 16 × log2(31) ≈ 79 bits


def new_edit_code() -> str:
    code = "".join(secrets.choice(EDIT_CODE_ALPHABET) for _ in range(EDIT_CODE_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, EDIT_CODE_LENGTH, 4))


def normalize_edit_code(code: str) -> str:
    """As typed (full width, lower case, spaces or hyphens) → the canonical letters."""
    text = unicodedata.normalize("NFKC", code or "").upper()
    return "".join(c for c in text if c in EDIT_CODE_ALPHABET)


def edit_code_hash(code: str) -> str:
    """SHA-256 of the code (no key: the code itself is a 79-bit random secret, so
    nothing the server or the database holds can lead from a person to the hash)."""
    return hashlib.sha256(normalize_edit_code(code).encode()).hexdigest()


def visitor_key(survey: Survey, visitor: str) -> str:
    """A public-link visitor (their browser session) as a keyed hash: one response per
    session. There is no person behind a visitor."""
    message = f"survey:{survey.pk}:visitor:{visitor}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def is_in_audience(survey: Survey, user) -> bool:
    """Whether the survey is addressed to this signed-in person. A public-link survey is
    addressed to nobody by name: it is for the public, answered through its link (where a
    signed-in member of staff is one more visitor, without bureau or role)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if survey.audience == Survey.Audience.PUBLIC:
        return False
    roles = roles_of(user)
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


def has_answers(survey: Survey) -> bool:
    """Whether anyone has answered (or responses were imported): the anonymous/named
    choice is then fixed."""
    if survey.pk is None:
        return False
    return (
        Response.objects.filter(survey=survey).exists()
        or Participation.objects.filter(survey=survey).exists()
    )


# --- surveys and questions ------------------------------------------------------------------


def _survey_snapshot(survey: Survey) -> dict:
    """The audit snapshot of a survey: that a public link exists, never the link's token."""
    data = snapshot(survey)
    data["public_token"] = "(set)" if survey.public_token else ""
    return data


@creates_once
@transaction.atomic
def survey_create(*, actor, departments=(), **fields) -> Survey:
    """Create a survey. ``once`` (core's one-time form key, see ``core.once``): a repeated
    submission raises ``AlreadySubmitted`` with the first survey."""
    if fields.get("audience") == Survey.Audience.PUBLIC:
        fields["anonymous"] = True  # public answers are never named
    survey = Survey(created_by=actor, **fields)
    survey.full_clean()
    survey.save(force_insert=True)
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=survey, after=_survey_snapshot(survey)
    )
    if departments:
        survey.departments.set(departments)
    if survey.previous_round_id:
        questions_copy(actor=actor, source=survey.previous_round, target=survey)
    search_index.survey_put(survey)
    return survey


@transaction.atomic
def survey_update(*, actor, survey: Survey, departments=None, **changes) -> bool:
    stored = Survey.objects.select_for_update().get(pk=survey.pk)
    if changes.get("audience", stored.audience) == Survey.Audience.PUBLIC:
        changes["anonymous"] = True
    switching = "anonymous" in changes and bool(changes["anonymous"]) != stored.anonymous
    if switching and has_answers(stored):
        raise ValidationError(
            {
                "anonymous": _(
                    "Whether the survey is anonymous cannot be changed once it has answers."
                )
            }
        )
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
    if changed:
        search_index.survey_put(survey)
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


@creates_once
@transaction.atomic
def question_create(*, actor, survey: Survey, **fields) -> Question:
    _require_draft(survey)
    if survey.questions.count() >= QUESTIONS_MAX:
        raise ValidationError(
            _("A survey can have at most %(max)s questions.") % {"max": QUESTIONS_MAX}
        )
    order = (survey.questions.aggregate(n=Max("order"))["n"] or 0) + 1
    question = audited_create(actor=actor, instance=Question(survey=survey, order=order, **fields))
    search_index.survey_put(survey)
    return question


@transaction.atomic
def question_update(*, actor, question: Question, **changes) -> bool:
    _require_draft(question.survey)
    changed = audited_update(actor=actor, instance=question, changes=changes)
    if changed:
        search_index.survey_put(question.survey)
    return changed


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    _require_draft(question.survey)
    survey = question.survey
    audited_delete(actor=actor, instance=question)
    search_index.survey_put(survey)


@transaction.atomic
def survey_open(*, actor, survey: Survey, record_past: bool = False) -> bool:
    """Open a survey. ``record_past`` records one that already ran (the demo's history)."""
    if survey.state != Survey.State.DRAFT:
        raise ValidationError(_("Only a survey in preparation can be opened."))
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    if survey.closes_on < timezone.localdate() and not record_past:
        raise ValidationError(_("The closing date is in the past."))
    changed = audited_update(actor=actor, instance=survey, changes={"state": Survey.State.OPEN})
    if changed and not record_past:
        from .reminders import survey_opened_notify

        survey_opened_notify(actor=actor, survey=survey)
    return changed


@transaction.atomic
def survey_remind_now(*, actor, survey: Survey) -> int:
    """The secretariat reminds those who have not answered (once a day at most)."""
    from .reminders import survey_remind

    if survey.state != Survey.State.OPEN:
        raise ValidationError(_("Only an open survey's audience is reminded."))
    today = timezone.localdate().isoformat()
    return survey_remind(
        actor=actor, survey=survey, dedupe_key=f"survey-remind:{survey.pk}:{today}"
    )


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> bool:
    if survey.state != Survey.State.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    changed = audited_update(actor=actor, instance=survey, changes={"state": Survey.State.CLOSED})
    if survey.anonymous:
        _rewrite_anonymous_rows(survey)
    return changed


def _rewrite_anonymous_rows(survey: Survey) -> None:
    """Write every anonymous row of the survey again in one transaction, so that the
    database's own bookkeeping (PostgreSQL's per-row transaction ids) no longer tells which
    participation and which response were written together. (The old row versions are
    removed by the next VACUUM.) Harmless on SQLite, where the rows carry no such ids."""
    Participation.objects.filter(survey=survey).update(visitor_key=F("visitor_key"))
    Response.objects.filter(survey=survey).update(edit_code_hash=F("edit_code_hash"))
    Answer.objects.filter(response__survey=survey).update(text=F("text"))


def accepting_answers(survey: Survey) -> bool:
    today = timezone.localdate()
    return survey.state == Survey.State.OPEN and survey.opens_on <= today <= survey.closes_on


# --- answers ---------------------------------------------------------------------------------


def number_limits() -> tuple[int, int]:
    """(digits before the decimal point, digits after it) that the answer's number column
    holds, read from the model field so that the check always matches the column."""
    field = Answer._meta.get_field("number")
    return field.max_digits - field.decimal_places, field.decimal_places


def clean_number(value) -> Decimal:
    """A typed number (half- or full-width digits, thousands separators) as a Decimal that
    the column holds, or ValidationError with a message that says what fits."""
    text = unicodedata.normalize("NFKC", str(value)).replace(",", "").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Enter a number."), code="invalid") from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    whole, decimals = number_limits()
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimals:
        raise ValidationError(
            _("Enter at most %(n)s digits after the decimal point.") % {"n": decimals},
            code="decimal_places",
        )
    if abs(number) >= Decimal(10) ** whole:
        limit = f"{Decimal(10) ** whole - Decimal(1).scaleb(-decimals):,.{decimals}f}"
        raise ValidationError(
            _("Enter a number between -%(limit)s and %(limit)s.") % {"limit": limit},
            code="max_digits",
        )
    return number


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
        return {"number": clean_number(value)}
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


def _primary_role(user) -> str:
    return next(iter(sorted(roles_of(user))), "")


def _identity(survey: Survey, user, visitor: str | None) -> tuple[str, dict]:
    """(source, participation lookup) of whoever answers; refuses those who may not.

    A public-link survey is answered only as a visitor (their browser session), whoever is
    signed in: staff who answer it through the link are counted as public visitors, with
    no name, bureau or role."""
    if survey.audience == Survey.Audience.PUBLIC:
        if visitor:
            return Response.Source.PUBLIC, {"visitor_key": visitor_key(survey, visitor)}
        raise ValidationError(_("This survey is not addressed to you."))
    if user is not None and getattr(user, "is_authenticated", False):
        if not is_in_audience(survey, user):
            raise ValidationError(_("This survey is not addressed to you."))
        return Response.Source.WEB, {"user": user}
    raise ValidationError(_("Log in to answer this survey."))


def _replace_answers(response: Response, cleaned: dict[int, dict]) -> None:
    response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(response=response, question_id=qid, **values) for qid, values in cleaned.items()
    )


def _refuse_voided(response: Response) -> None:
    if response.voided_at is not None:
        raise ValidationError(
            _("These answers were voided by the secretariat and can no longer be changed.")
        )


@transaction.atomic
def response_save(
    *,
    survey: Survey,
    answers: dict[int, object],
    user=None,
    visitor: str | None = None,
    edit_code: str | None = None,
    attributes: dict | None = None,
    _record_past: bool = False,
    _answered_at=None,
) -> Response:
    """Save (or replace) one respondent's answers while the survey is open.

    Named survey: the response names the respondent, who may change it until closing.
    Anonymous survey: see the module's docstring. A first answer gets a new edit code,
    returned once as ``response.edit_code`` (never stored); changing the answers needs
    that code (``edit_code``). (``_record_past`` lets the demo record answers of a survey
    that ran in the past, ``_answered_at`` when a named answer was given.)"""
    if not accepting_answers(survey) and not (_record_past and survey.state == Survey.State.OPEN):
        raise ValidationError(_("This survey is not accepting answers."))
    cleaned = clean_answers(survey, answers)
    if not cleaned:
        # Every question optional and none answered: no answer to count (it would be a
        # respondent who said nothing in every rate and chart).
        raise ValidationError(_("Answer at least one question."), code="nothing_answered")
    source, who = _identity(survey, user, visitor)
    if source == Response.Source.PUBLIC:
        user = None  # a visitor of the public link, whoever is signed in
    if survey.anonymous or source == Response.Source.PUBLIC:
        return _anonymous_save(survey, cleaned, source, who, user, edit_code)
    now = _answered_at if (_record_past and _answered_at is not None) else timezone.now()
    response = Response.objects.select_for_update().filter(survey=survey, respondent=user).first()
    created = response is None
    if created:
        response = Response.objects.create(
            survey=survey,
            respondent=user,
            department=user.department,
            role=_primary_role(user),
            source=source,
            attributes=attributes or {},
            submitted_at=now,
            updated_at=now,
        )
    else:
        _refuse_voided(response)
        response.updated_at = now
        response.save(update_fields=["updated_at"])
    _replace_answers(response, cleaned)
    response.edit_code = None
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=survey,
        target_type="surveys.response",
        target_id=str(response.pk),
        target_repr=str(survey)[:200],
        summary=_("Survey answered") if created else _("Survey answers changed"),
    )
    return response


def _anonymous_save(survey, cleaned, source, who, user, edit_code) -> Response:
    named_actor = user if source == Response.Source.WEB else None
    if edit_code:
        response = (
            Response.objects.select_for_update()
            .filter(survey=survey, edit_code_hash=edit_code_hash(edit_code))
            .exclude(edit_code_hash="")
            .first()
        )
        if response is None:
            raise ValidationError(
                {"edit_code": _("This edit code does not match any answers to this survey.")}
            )
        _refuse_voided(response)
        _replace_answers(response, cleaned)
        response.edit_code = None
        # No actor and no response id: the entry cannot be joined to the answers.
        audit_record(
            actor=None,
            actor_name=_("(anonymous respondent)"),
            action=AuditEvent.Action.UPDATE,
            target=survey,
            target_type="surveys.survey",
            summary=_("Anonymous answers changed (with the respondent's edit code)"),
        )
        return response
    if Participation.objects.filter(survey=survey, **who).exists():
        raise ValidationError(
            _(
                "You have already answered this survey. To change your answers, enter the "
                "edit code you were given."
            ),
            code="already_answered",
        )
    try:
        with transaction.atomic():
            Participation.objects.create(survey=survey, **who)
    except IntegrityError:  # a second submission at the same moment
        raise ValidationError(
            _("You have already answered this survey."), code="already_answered"
        ) from None
    code = new_edit_code()
    response = Response.objects.create(
        survey=survey, source=source, edit_code_hash=edit_code_hash(code)
    )
    _replace_answers(response, cleaned)
    response.edit_code = code
    # Who took part, never which response is theirs.
    audit_record(
        actor=named_actor,
        actor_name="" if named_actor else _("(anonymous respondent)"),
        action=AuditEvent.Action.CREATE,
        target=survey,
        target_type="surveys.participation",
        target_id="",
        target_repr=str(survey)[:200],
        summary=_("Took part in an anonymous survey (the answers are kept apart)"),
    )
    return response


@transaction.atomic
def response_void(*, actor, response: Response, reason: str) -> Response:
    """Leave a response out of results, exports and analyses (it is kept, marked voided,
    with the reason): one bad answer never blocks a survey."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for voiding these answers.")})
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.voided_at is not None:
        raise ValidationError(_("These answers are already voided."))
    response.voided_at = timezone.now()
    response.void_reason = reason[:500]
    response.save(update_fields=["voided_at", "void_reason"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=response,
        target_type="surveys.response",
        target_repr=str(response.survey)[:200],
        summary=_("Survey response voided"),
        after={"voided": True, "reason": response.void_reason},
    )
    return response
