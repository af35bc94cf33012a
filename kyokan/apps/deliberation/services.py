"""Writes of the deliberation app: keyword-only, atomic, audited.

Ideas: proposal, edits, attachments, the status path (事業化 creates the initiative),
comments, supports, follows, sessions, publication; moderation: reports, the threshold,
the secretariat's decision; conversations: statements, votes, analyses, Polis import.
Everyone concerned is told through core's notifications.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kyokan.apps.core.audit import (
    audit_record,
    audit_record_many,
    audited_create,
    audited_delete,
    audited_update,
)
from kyokan.apps.core.exports import clean_text
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.notifications import Guest, Message, absolute_url, notify
from kyokan.apps.core.once import creates_once
from kyokan.apps.core.search import index_put, index_remove
from kyokan.textanalysis.normalize import fold

from . import similar
from .models import (
    KEY_MAX,
    STATEMENT_MAX,
    STATEMENT_MIN,
    Comment,
    ConsensusRun,
    Conversation,
    Follow,
    Idea,
    IdeaAttachment,
    IdeaSession,
    IdeaStatus,
    Origin,
    Participant,
    Report,
    Statement,
    StatusChange,
    Support,
    Visibility,
    Vote,
)

logger = logging.getLogger(__name__)

SEARCH_KIND = "deliberation.idea"
REPORT_THRESHOLD = 3  # reports (from different reporters) that hide an item until decided

KIND_STATUS = "deliberation.status_changed"
KIND_COMMENT = "deliberation.commented"
KIND_ANSWER = "deliberation.answered"
KIND_REPORTED = "deliberation.reported"
KIND_PROPOSED = "deliberation.proposed"
KIND_SESSION = "deliberation.session_linked"

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
# Extension → the bytes a real file of that type starts with.
ATTACHMENT_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".txt": (),
    ".csv": (),
}

IDEA_FIELDS = ("title", "problem", "who", "citizen_value", "proposal")


def report_threshold() -> int:
    return int(getattr(settings, "KYOKAN_DELIBERATION_REPORT_THRESHOLD", REPORT_THRESHOLD))


def reporter_key(*, person=None, address: str = "") -> str:
    """A keyed hash naming a reporter (a person, or a public visitor's address) without
    storing who or which address."""
    ident = f"u:{person.pk}" if person is not None and person.pk else f"a:{address}"
    return hashlib.sha256(f"{settings.SECRET_KEY}|report|{ident}".encode()).hexdigest()


def _clean(value: str) -> str:
    return clean_text(str(value or "")).strip()


def _secretariat():
    from kyokan.apps.core.models import User
    from kyokan.apps.core.roles import Role

    return list(
        User.objects.filter(is_active=True, role_assignments__role=Role.SECRETARIAT).distinct()
    )


def _index(idea: Idea) -> None:
    from .selectors import search_entry

    _pk, title, body, url = search_entry(idea)
    index_put(kind=SEARCH_KIND, object_id=idea.pk, title=title, body=body, url=url)


def _public_link(idea: Idea) -> str:
    return absolute_url(reverse("deliberation:public_track", args=[idea.token]))


def _followers(idea: Idea, *, besides=None) -> list:
    people = [
        f.person
        for f in Follow.objects.filter(idea=idea).select_related("person")
        if besides is None or f.person_id != getattr(besides, "pk", None)
    ]
    return people


def _guest_author(idea: Idea) -> list:
    if idea.author_id is None and idea.author_email:
        return [Guest(email=idea.author_email, name=idea.author_name, link=_public_link(idea))]
    return []


# --- ideas ----------------------------------------------------------------------------------


def _check_attachment(upload) -> None:
    name = upload.name or ""
    ext = name[name.rfind(".") :].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "attachments": _("Files of this type cannot be attached. Allowed: %(types)s")
                % {"types": " ".join(sorted(ATTACHMENT_TYPES))}
            }
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "attachments": _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "name": name,
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": MAX_ATTACHMENT_BYTES // 1024 // 1024,
                }
            }
        )
    if upload.size == 0:
        raise ValidationError({"attachments": _("%(name)s is empty.") % {"name": name}})
    head = upload.read(16)
    upload.seek(0)
    signatures = ATTACHMENT_TYPES[ext]
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            {"attachments": _("%(name)s is not a real %(ext)s file.") % {"name": name, "ext": ext}}
        )


@transaction.atomic
def attachment_add(*, actor, idea: Idea, upload) -> IdeaAttachment:
    if idea.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("At most %(n)s files per idea.") % {"n": MAX_ATTACHMENTS}}
        )
    _check_attachment(upload)
    attachment = IdeaAttachment(idea=idea, name=(upload.name or "file")[:200], size=upload.size)
    attachment.file.save(upload.name, upload, save=False)
    return audited_create(actor=actor, instance=attachment, summary=f"attachment of idea {idea.pk}")


@transaction.atomic
def attachment_remove(*, actor, attachment: IdeaAttachment) -> None:
    stored = attachment.file.name
    audited_delete(actor=actor, instance=attachment)
    if stored:
        transaction.on_commit(lambda: attachment.file.storage.delete(stored))


def _stamp(instance, at, *fields: str) -> None:
    """Date what was just written at ``at``, a moment in the past: the demo builds the
    ideas' past on its timeline (these columns are set to the real moment on save). A
    person's request never passes ``at``; the audit event keeps the moment it was recorded."""
    if at is None or instance is None:
        return
    type(instance).objects.filter(pk=instance.pk).update(**dict.fromkeys(fields, at))
    for name in fields:
        setattr(instance, name, at)


def _department_of(person):
    division = getattr(person, "department", None) if person is not None else None
    if division is None:
        return None, None
    bureau = division if division.parent_id is None else division.parent
    return division, bureau


@transaction.atomic
@creates_once
def idea_create(
    *,
    actor,
    title: str,
    problem: str,
    proposal: str,
    who: str = "",
    citizen_value: str = "",
    pillar=None,
    attachments=(),
    origin: str = Origin.STAFF,
    author_name: str = "",
    author_email: str = "",
    at=None,
) -> Idea:
    """A new idea. A staff member's idea names them and their department; a citizen's
    (``origin="citizen"``, from the public form) names whom they chose to show. The author
    follows the idea (a citizen with an e-mail address is told by e-mail). ``at``: when it
    was proposed, for the demo's past (see :func:`_stamp`)."""
    person = actor if getattr(actor, "is_authenticated", False) else None
    division, bureau = _department_of(person if origin == Origin.STAFF else None)
    fields = {
        name: _clean(value)
        for name, value in zip(
            IDEA_FIELDS, (title, problem, who, citizen_value, proposal), strict=True
        )
    }
    idea = Idea(
        **fields,
        pillar=pillar,
        pillar_label=str(pillar.heading)[:300] if pillar is not None else "",
        origin=origin,
        author=person,
        author_name=_clean(author_name)[:100],
        author_email=_clean(author_email)[:254],
        department=division,
        bureau=bureau,
        terms=similar.terms_of(fields["title"], fields["problem"], fields["proposal"]),
    )
    idea = audited_create(actor=person, instance=idea)
    _stamp(idea, at, "created_at", "updated_at")
    for upload in attachments:
        attachment_add(actor=person, idea=idea, upload=upload)
    if person is not None:
        _stamp(Follow.objects.create(idea=idea, person=person), at, "created_at")
    _index(idea)
    link = idea.get_absolute_url()
    notify(
        actor=person,
        recipients=[p for p in _secretariat() if person is None or p.pk != person.pk],
        kind=KIND_PROPOSED,
        message=lambda: Message(
            subject=_("New idea: %(title)s") % {"title": idea.title},
            text=_("%(who)s proposed 「%(title)s」.")
            % {"who": idea.shown_author, "title": idea.title},
        ),
        link=link,
        target=idea,
    )
    return idea


@transaction.atomic
def idea_update(*, actor, idea: Idea, pillar=..., **changes) -> bool:
    unknown = set(changes) - set(IDEA_FIELDS)
    if unknown:
        raise TypeError(f"unknown idea fields: {sorted(unknown)}")
    changes = {k: _clean(v) for k, v in changes.items()}
    if pillar is not ...:
        changes["pillar"] = pillar
        changes["pillar_label"] = str(pillar.heading)[:300] if pillar is not None else ""
    texts = {name: changes.get(name, getattr(idea, name)) for name in IDEA_FIELDS}
    changes["terms"] = similar.terms_of(texts["title"], texts["problem"], texts["proposal"])
    changed = audited_update(actor=actor, instance=idea, changes=changes)
    if changed:
        _index(idea)
    return changed


def _status_message(idea: Idea, new: str, reason: str):
    def message() -> Message:
        label = str(IdeaStatus(new).label)
        text = _("「%(title)s」 is now %(status)s.") % {"title": idea.title, "status": label}
        if reason:
            text += "\n" + _("Reason: %(reason)s") % {"reason": reason}
        return Message(
            subject=_("%(status)s: %(title)s") % {"status": label, "title": idea.title}, text=text
        )

    return message


def _move(
    *, actor, idea: Idea, status: str, reason: str, changes: dict | None = None, at=None
) -> None:
    if status not in idea.next_statuses:
        raise ValidationError(
            {
                "status": _("「%(old)s」 cannot become 「%(new)s」.")
                % {"old": idea.get_status_display(), "new": IdeaStatus(status).label}
                if status in IdeaStatus.values
                else _("Unknown status.")
            }
        )
    reason = _clean(reason)
    if status == IdeaStatus.REJECTED and not reason:
        raise ValidationError({"reason": _("Give the reason why the idea is not adopted.")})
    old = idea.status
    audited_update(
        actor=actor,
        instance=idea,
        changes={"status": status, "status_reason": reason, **(changes or {})},
        summary=f"{old} → {status}",
    )
    change = StatusChange.objects.create(idea=idea, old=old, new=status, reason=reason, actor=actor)
    _stamp(change, at, "at")
    _stamp(idea, at, "updated_at")
    _index(idea)
    notify(
        actor=actor,
        recipients=[*_followers(idea, besides=actor), *_guest_author(idea)],
        kind=KIND_STATUS,
        message=_status_message(idea, status, reason),
        link=idea.get_absolute_url(),
        target=idea,
    )


@transaction.atomic
def idea_set_status(*, actor, idea: Idea, status: str, reason: str = "", at=None) -> Idea:
    """One step of the path 提案 → 検討中 → 採用 / 不採用 (reason required). 事業化 goes
    through :func:`idea_launch`, which creates the initiative. ``at``: the demo's past."""
    if status == IdeaStatus.LAUNCHED:
        raise ValidationError({"status": _("事業化 creates an initiative: use 「事業化する」.")})
    _move(actor=actor, idea=idea, status=status, reason=reason, at=at)
    return idea


def initiative_prefill(idea: Idea) -> dict:
    """The fields of the initiative that 事業化 creates, taken from the idea."""
    summary = idea.proposal[:4000]
    return {
        "title": idea.title[:200],
        "summary": summary,
        "value_who": idea.who[:300],
        "value_pain": idea.problem[:2000],
        "value_change": idea.citizen_value[:2000],
    }


@transaction.atomic
def idea_launch(
    *,
    actor,
    idea: Idea,
    bureau,
    fiscal_year_start: int,
    fiscal_year_end: int,
    scope: str,
    dx: str,
    rule_kind: str = "none",
    rule_name: str = "",
    organisation_kind: str = "none",
    organisation_change: str = "",
    budget_kind: str = "none",
    budget_change: str = "",
    reason: str = "",
    at=None,
):
    """事業化: create the initiative in the portfolio, prefilled from the idea (title,
    summary, who benefits, their pain, what changes, the strategy pillar), link the two
    and move the idea to 事業化 (``at``: the demo's past, for the idea's step). Returns the
    initiative."""
    from kyokan.apps.portfolio import services as portfolio

    if IdeaStatus.LAUNCHED not in idea.next_statuses:
        raise ValidationError(
            {"status": _("Only an adopted idea (採用) can become an initiative (事業化).")}
        )
    sections = [idea.pillar] if idea.pillar_id else []
    try:
        initiative = portfolio.initiative_create(
            actor=actor,
            sections=sections,
            bureau=bureau,
            fiscal_year_start=fiscal_year_start,
            fiscal_year_end=fiscal_year_end,
            status="concept",
            scope=scope,
            dx=dx,
            rule_kind=rule_kind,
            rule_name=rule_name,
            organisation_kind=organisation_kind,
            organisation_change=organisation_change,
            budget_kind=budget_kind,
            budget_change=budget_change,
            **initiative_prefill(idea),
        )
    except ValidationError:
        raise
    portfolio.link_add(
        actor=actor,
        initiative=initiative,
        target_type="deliberation.idea",
        target_id=str(idea.pk),
        label=idea.title[:200],
    )
    _move(
        actor=actor,
        idea=idea,
        status=IdeaStatus.LAUNCHED,
        reason=reason or _("Initiative 「%(title)s」 created.") % {"title": initiative.title},
        changes={"initiative": initiative},
        at=at,
    )
    return initiative


@transaction.atomic
def idea_publish(*, actor, idea: Idea, public: bool, at=None) -> bool:
    changed = audited_update(actor=actor, instance=idea, changes={"is_public": bool(public)})
    if changed:
        _stamp(idea, at, "updated_at")
    return changed


@transaction.atomic
def idea_delete(*, actor, idea: Idea) -> None:
    pk = idea.pk
    files = [a.file.name for a in idea.attachments.all() if a.file]
    audited_delete(actor=actor, instance=idea)
    index_remove(kind=SEARCH_KIND, object_id=pk)
    if files:
        from django.core.files.storage import default_storage

        transaction.on_commit(lambda: [default_storage.delete(f) for f in files])


@transaction.atomic
def comment_add(
    *,
    actor,
    idea: Idea,
    body: str,
    parent: Comment | None = None,
    is_answer: bool = False,
    at=None,
) -> Comment:
    """A comment (or a reply to ``parent``); followers are told, the commenter follows.
    ``at``: the demo's past."""
    body = _clean(body)
    if not body:
        raise ValidationError({"body": _("Write the comment.")})
    if parent is not None and parent.idea_id != idea.pk:
        raise ValidationError({"parent": _("The reply must be on the same idea.")})
    if idea.visibility != Visibility.VISIBLE:
        raise ValidationError(_("This idea is hidden until the secretariat decides on it."))
    comment = audited_create(
        actor=actor,
        instance=Comment(idea=idea, parent=parent, author=actor, body=body, is_answer=is_answer),
    )
    _stamp(comment, at, "created_at")
    kind = KIND_ANSWER if is_answer else KIND_COMMENT

    def message() -> Message:
        if is_answer:
            return Message(
                subject=_("An answer to 「%(title)s」") % {"title": idea.title},
                text=_("%(who)s answered:") % {"who": actor} + "\n" + body[:500],
            )
        return Message(
            subject=_("A comment on 「%(title)s」") % {"title": idea.title},
            text=_("%(who)s wrote:") % {"who": actor} + "\n" + body[:500],
        )

    recipients = _followers(idea, besides=actor)
    if parent is not None and parent.author_id and parent.author_id != actor.pk:
        recipients.append(parent.author)
    if is_answer:
        recipients += _guest_author(idea)
    notify(
        actor=actor,
        recipients=recipients,
        kind=kind,
        message=message,
        link=comment.get_absolute_url(),
        target=idea,
    )
    follow, created = Follow.objects.get_or_create(idea=idea, person=actor)
    if created:
        _stamp(follow, at, "created_at")
    return comment


@transaction.atomic
def support_set(*, actor, idea: Idea, support: bool, at=None) -> bool:
    """Support the idea (once per person) or withdraw the support. Returns whether
    anything changed. ``at``: the demo's past."""
    existing = Support.objects.filter(idea=idea, person=actor).first()
    if support and existing is None:
        if idea.visibility != Visibility.VISIBLE:
            raise ValidationError(_("This idea is hidden until the secretariat decides on it."))
        _stamp(
            audited_create(actor=actor, instance=Support(idea=idea, person=actor)), at, "created_at"
        )
        return True
    if not support and existing is not None:
        audited_delete(actor=actor, instance=existing)
        return True
    return False


@transaction.atomic
def follow_set(*, actor, idea: Idea, follow: bool) -> bool:
    existing = Follow.objects.filter(idea=idea, person=actor).first()
    if follow and existing is None:
        audited_create(actor=actor, instance=Follow(idea=idea, person=actor))
        return True
    if not follow and existing is not None:
        audited_delete(actor=actor, instance=existing)
        return True
    return False


def _session_message(idea: Idea, meeting, note: str):
    """「…」 is on the agenda of which meeting, and when (in Japan time, 和暦 with the
    weekday: 「令和9年2月4日(木) 14:00–15:30」), in the reader's language."""

    def message() -> Message:
        from kyokan.apps.meetings.dates import slot_label

        names = {"title": idea.title, "meeting": str(meeting)}
        if meeting.starts_at is None:
            text = _("「%(title)s」 will be discussed at %(meeting)s (its date is being set).")
            text = text % names
        else:
            when = slot_label(meeting.starts_at, meeting.ends_at, with_year=True)
            past = meeting.status == "held" or (meeting.ends_at or meeting.starts_at) < (
                timezone.now()
            )
            text = (
                _("「%(title)s」 was discussed at %(meeting)s on %(when)s.")
                if past
                else _("「%(title)s」 will be discussed at %(meeting)s on %(when)s.")
            ) % {**names, "when": when}
        if meeting.place:
            text += "\n" + _("Place: %(place)s") % {"place": meeting.place}
        if note:
            text += "\n" + _("Note: %(note)s") % {"note": note}
        return Message(
            subject=_("「%(title)s」 is on the agenda of %(meeting)s") % names,
            text=text,
        )

    return message


@transaction.atomic
def session_link(*, actor, idea: Idea, meeting, note: str = "", at=None) -> IdeaSession:
    """Link a meeting (a session of the study group, usually) that discusses the idea. The
    idea's author (a member of staff) and its followers are told which meeting and when —
    not the one who linked it; citizens are not told of internal meetings. ``at``: the
    demo's past (when the one who linked it began to follow the idea)."""
    if IdeaSession.objects.filter(idea=idea, meeting=meeting).exists():
        raise ValidationError(_("This meeting is already linked to the idea."))
    note = _clean(note)[:300]
    session = audited_create(
        actor=actor, instance=IdeaSession(idea=idea, meeting=meeting, note=note)
    )
    recipients = _followers(idea, besides=actor)
    if idea.author_id and idea.author_id != getattr(actor, "pk", None):
        recipients.append(idea.author)
    notify(
        actor=actor,
        recipients=recipients,
        kind=KIND_SESSION,
        message=_session_message(idea, meeting, note),
        link=idea.get_absolute_url(),
        target=idea,
    )
    follow, created = Follow.objects.get_or_create(idea=idea, person=actor)
    if created:
        _stamp(follow, at, "created_at")
    return session


@transaction.atomic
def session_unlink(*, actor, session: IdeaSession) -> None:
    audited_delete(actor=actor, instance=session)


# --- moderation -----------------------------------------------------------------------------


def _target_field(target) -> str:
    if isinstance(target, Idea):
        return "idea"
    if isinstance(target, Comment):
        return "comment"
    if isinstance(target, Statement):
        return "statement"
    raise TypeError(f"cannot report {type(target).__name__}")


@transaction.atomic
def report_file(*, actor, target, reason: str, note: str = "", address: str = "") -> Report | None:
    """Report an idea, a comment or a statement (``actor`` a person, or None and the
    visitor's ``address``). One report per reporter and target: a second one changes
    nothing (returns None). From the threshold on, the target is hidden until the
    secretariat decides, and the secretariat is told."""
    field = _target_field(target)
    person = actor if getattr(actor, "is_authenticated", False) else None
    key = reporter_key(person=person, address=address)
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if Report.objects.filter(**{field: target}, reporter_key=key).exists():
        return None
    report = audited_create(
        actor=person,
        instance=Report(
            **{field: target},
            reporter=person,
            reporter_key=key,
            reason=reason,
            note=_clean(note)[:500],
        ),
    )
    pending = Report.objects.filter(**{field: target}, resolved=False).count()
    if target.visibility == Visibility.VISIBLE and pending >= report_threshold():
        audited_update(
            actor=None,
            instance=target,
            changes={"visibility": Visibility.HIDDEN},
            summary=f"hidden after {pending} reports",
        )
        notify(
            actor=None,
            recipients=_secretariat(),
            kind=KIND_REPORTED,
            message=lambda: Message(
                subject=_("Reported content is hidden until you decide"),
                text=_("%(n)s reports hid: %(text)s") % {"n": pending, "text": str(target)[:200]},
            ),
            link=reverse("deliberation:moderation"),
            target=target,
        )
    return report


@transaction.atomic
def moderation_decide(*, actor, target, keep: bool, note: str = "") -> None:
    """The secretariat's decision on a reported (or pending) item: it stays visible (the
    reports are set aside) or it is removed (hidden for good, kept for the record)."""
    field = _target_field(target)
    new = Visibility.VISIBLE if keep else Visibility.REMOVED
    audited_update(
        actor=actor,
        instance=target,
        changes={"visibility": new},
        summary=(("kept" if keep else "removed") + (f": {_clean(note)}" if note else ""))[:300],
    )
    Report.objects.filter(**{field: target}, resolved=False).update(resolved=True)
    if isinstance(target, Idea):
        _index(target)


# --- conversations --------------------------------------------------------------------------


def statement_key(text: str) -> str:
    """Two statements are the same when their folded text, without punctuation, is."""
    from kyokan.textanalysis.normalize import duplicate_key

    return duplicate_key(fold(text))[:KEY_MAX]


def check_statement(text: str) -> str:
    text = " ".join(_clean(text).split())
    if not text:
        raise ValidationError({"text": _("Write the statement.")})
    if len(text) < STATEMENT_MIN:
        raise ValidationError(
            {"text": _("A statement has at least %(n)s characters.") % {"n": STATEMENT_MIN}}
        )
    if len(text) > STATEMENT_MAX:
        raise ValidationError(
            {
                "text": _(
                    "A statement has at most %(max)s characters (this one has %(n)s): say one "
                    "thing, briefly."
                )
                % {"max": STATEMENT_MAX, "n": len(text)}
            }
        )
    if not statement_key(text):
        raise ValidationError({"text": _("A statement needs words, not only symbols.")})
    return text


@transaction.atomic
@creates_once
def conversation_create(
    *,
    actor,
    title: str,
    question: str,
    description: str = "",
    allow_statements: bool = True,
    premoderate: bool = True,
    is_public: bool = False,
    results_public: bool = False,
    seeds=(),
    idea: Idea | None = None,
) -> Conversation:
    conversation = audited_create(
        actor=actor,
        instance=Conversation(
            title=_clean(title),
            question=_clean(question),
            description=_clean(description),
            allow_statements=allow_statements,
            premoderate=premoderate,
            is_public=bool(is_public),
            results_public=bool(results_public),
            idea=idea,
            owner=actor,
        ),
    )
    for text in seeds:
        if _clean(text):
            statement_add(actor=actor, conversation=conversation, text=text, seed=True)
    return conversation


@transaction.atomic
def conversation_update(*, actor, conversation: Conversation, **changes) -> bool:
    """Edit the conversation; ``is_public`` opens it to citizens on the portal (while it is
    open), ``results_public`` shows them its results. Every change is in the audit trail."""
    unknown = set(changes) - set(Conversation.EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown conversation fields: {sorted(unknown)}")
    changes = {k: _clean(v) if isinstance(v, str) else v for k, v in changes.items()}
    return audited_update(actor=actor, instance=conversation, changes=changes)


@transaction.atomic
def conversation_set_state(*, actor, conversation: Conversation, state: str) -> bool:
    allowed = {
        Conversation.State.DRAFT: {Conversation.State.OPEN},
        Conversation.State.OPEN: {Conversation.State.CLOSED},
        Conversation.State.CLOSED: {Conversation.State.OPEN},
    }
    if state not in allowed.get(conversation.state, set()):
        raise ValidationError(_("This change of state is not possible."))
    if (
        state == Conversation.State.OPEN
        and not conversation.statements.filter(visibility=Visibility.VISIBLE).exists()
    ):
        raise ValidationError(_("Add at least one seed statement before opening."))
    return audited_update(actor=actor, instance=conversation, changes={"state": state})


def _lock(conversation: Conversation) -> None:
    Conversation.objects.select_for_update().filter(pk=conversation.pk).first()


def _check_visitor(conversation: Conversation, visitor: str) -> None:
    if len(visitor) != 64:
        raise ValueError("a visitor is named by the 64-character hash of its token")
    if not conversation.is_public:
        raise ValidationError(_("This conversation is not open to the public."))


def participant_for(*, actor, conversation: Conversation, visitor: str = "") -> Participant:
    """The person's participant record in the conversation — or, with ``visitor`` (the hash
    of a citizen's browser token, see visitors.py), the citizen's — created on first use
    (within the caller's transaction)."""
    if not visitor and not getattr(actor, "is_authenticated", False):
        raise ValueError("a participant is a person with an account or a visitor")
    who = {"visitor": visitor} if visitor else {"person": actor}
    existing = Participant.objects.filter(conversation=conversation, **who).first()
    if existing is not None:
        return existing
    _lock(conversation)
    existing = Participant.objects.filter(conversation=conversation, **who).first()
    if existing is not None:  # created by a concurrent request while we waited
        return existing
    number = (conversation.participants.aggregate(m=Max("number"))["m"] or 0) + 1
    return Participant.objects.create(conversation=conversation, number=number, **who)


@transaction.atomic
def statement_add(
    *, actor, conversation: Conversation, text: str, seed: bool = False, visitor: str = ""
) -> Statement:
    """A statement: a seed of the secretariat, or a participant's (checked first by the
    moderator when the conversation says so; a citizen's on the portal — ``visitor`` — is
    always checked first). Empty, too short or too long statements and duplicates (the
    same text up to width, kana, case and punctuation) are refused."""
    text = check_statement(text)
    if visitor:
        _check_visitor(conversation, visitor)
        actor = None
    managing = (
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.has_perm("deliberation.manage_conversations")
    )
    if seed and not managing:
        raise ValidationError(_("Only the secretariat adds seed statements."))
    if not seed:
        if conversation.state != Conversation.State.OPEN:
            raise ValidationError(_("The conversation is not open."))
        if not conversation.allow_statements:
            raise ValidationError(_("This conversation takes votes only, not new statements."))
    key = statement_key(text)
    _lock(conversation)
    duplicate = conversation.statements.filter(key=key).first()
    if duplicate is not None:
        raise ValidationError(
            {
                "text": _("The same statement is already there (no. %(n)s): vote on it instead.")
                % {"n": duplicate.number}
            }
        )
    author = participant_for(actor=actor, conversation=conversation, visitor=visitor)
    number = (conversation.statements.aggregate(m=Max("number"))["m"] or 0) + 1
    pending = not seed and (bool(visitor) or (conversation.premoderate and not managing))
    return audited_create(
        actor=actor,
        instance=Statement(
            conversation=conversation,
            number=number,
            text=text,
            key=key,
            author=author,
            is_seed=seed,
            visibility=Visibility.PENDING if pending else Visibility.VISIBLE,
        ),
    )


@transaction.atomic
def statement_moderate(*, actor, statement: Statement, approve: bool) -> bool:
    new = Visibility.VISIBLE if approve else Visibility.REMOVED
    changed = audited_update(actor=actor, instance=statement, changes={"visibility": new})
    Report.objects.filter(statement=statement, resolved=False).update(resolved=True)
    return changed


@transaction.atomic
def vote_cast(*, actor, statement: Statement, value: int, visitor: str = "") -> Vote:
    """Agree (1), disagree (-1) or pass (0). A second vote on the same statement replaces
    the first (as in Pol.is); votes on hidden, pending or removed statements are refused.
    ``visitor``: a citizen on the portal (the hash of their browser's token), who votes in
    public conversations only and is counted in the analysis like everyone else."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = None
    if value not in (1, -1, 0):
        raise ValidationError({"value": _("Vote agree, disagree or pass.")})
    conversation = statement.conversation
    if visitor:
        _check_visitor(conversation, visitor)
        actor = None
    if conversation.state != Conversation.State.OPEN:
        raise ValidationError(_("The conversation is not open for votes."))
    if statement.visibility == Visibility.PENDING:
        raise ValidationError(
            _("This statement waits for the moderator's check and takes no votes yet.")
        )
    if statement.visibility != Visibility.VISIBLE:
        raise ValidationError(
            _("This statement was hidden by the moderator and takes no more votes.")
        )
    participant = participant_for(actor=actor, conversation=conversation, visitor=visitor)
    vote = Vote.objects.filter(participant=participant, statement=statement).first()
    if vote is None:
        return audited_create(
            actor=actor, instance=Vote(participant=participant, statement=statement, value=value)
        )
    audited_update(actor=actor, instance=vote, changes={"value": value})
    return vote


@transaction.atomic
def votes_load(
    *, actor, conversation: Conversation, votes: list[tuple[int, int, int]], people=None
) -> int:
    """Many votes at once (the demo, an import): (participant number, statement number,
    value) triples, participants created as needed (``people``: participant number → the
    person, for participants with an account); later triples replace earlier ones. One
    audit entry for the load."""
    statements = {s.number: s for s in conversation.statements.all()}
    participants = {p.number: p for p in conversation.participants.all()}
    latest: dict[tuple[int, int], int] = {}
    for pid, sid, value in votes:
        if value not in (1, -1, 0):
            raise ValidationError(_("A vote is 1, -1 or 0."))
        if sid not in statements:
            raise ValidationError(_("Statement no. %(n)s does not exist.") % {"n": sid})
        latest[(pid, sid)] = value
    people = people or {}
    new_participants = [
        Participant(conversation=conversation, number=pid, person=people.get(pid))
        for pid in sorted({pid for pid, _sid in latest} - set(participants))
    ]
    Participant.objects.bulk_create(new_participants, batch_size=1000)
    participants = {p.number: p for p in conversation.participants.all()}
    rows = [
        Vote(participant=participants[pid], statement=statements[sid], value=value)
        for (pid, sid), value in latest.items()
    ]
    Vote.objects.filter(participant__conversation=conversation).delete()
    Vote.objects.bulk_create(rows, batch_size=2000)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=conversation,
        summary=f"{len(rows)} votes of {len(participants)} participants loaded",
        after={"votes": len(rows), "participants": len(participants)},
    )
    return len(rows)


# --- analysis ---------------------------------------------------------------------------------


@transaction.atomic
def analysis_start(*, actor, conversation: Conversation, background: bool = True) -> ConsensusRun:
    """Queue an analysis of the votes; the task worker runs it (``kyokan db_worker``).
    ``background=False``: the caller runs :func:`analysis_execute` itself (the demo)."""
    votes = Vote.objects.filter(participant__conversation=conversation).count()
    if not votes:
        raise ValidationError(_("There are no votes to analyse yet."))
    run = audited_create(
        actor=actor, instance=ConsensusRun(conversation=conversation, created_by=actor)
    )
    if background:
        from .tasks import run_consensus

        transaction.on_commit(lambda: run_consensus.enqueue(run.pk))
    return run


def analysis_execute(*, run_id: int) -> ConsensusRun:
    """The background part: read the vote matrix, run the library with the previous
    result (groups stay steady as votes arrive), store the result or the error."""
    from . import selectors

    run = ConsensusRun.objects.select_related("conversation").get(pk=run_id)
    ConsensusRun.objects.filter(pk=run.pk).update(status=ConsensusRun.Status.RUNNING)
    previous = selectors.latest_result(run.conversation, before=run)
    triples = selectors.vote_triples(run.conversation)
    hidden = selectors.hidden_statement_numbers(run.conversation)
    shown = [t for t in triples if t[1] not in hidden]
    counts = {
        "participants": len({t[0] for t in shown}),
        "statements": len({t[1] for t in shown}),
        "votes": len(shown),
    }
    try:
        from kyokan.consensus import ConsensusInputError, Votes, analyze

        try:
            result = analyze(
                Votes.from_triples(triples, hidden=hidden), previous=previous
            ).to_json()
        except ConsensusInputError as exc:
            status, payload, error = ConsensusRun.Status.FAILED, None, f"input: {exc}"
            code = exc.code
            params = {
                str(k): v if isinstance(v, str | int | float) else str(v)
                for k, v in exc.params.items()
            }
        else:
            status, payload, error, code, params = ConsensusRun.Status.DONE, result, "", "", {}
    except Exception as exc:  # the run records any failure instead of vanishing
        logger.exception("consensus analysis %s failed", run.pk)
        status, payload, error = ConsensusRun.Status.FAILED, None, f"{type(exc).__name__}: {exc}"
        code, params = "", {}
    with transaction.atomic():
        ConsensusRun.objects.filter(pk=run.pk).update(
            status=status,
            result=payload,
            error=error[:2000],
            finished_at=timezone.now(),
            error_code=code[:40],
            error_params=params,
            **counts,
        )
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            target=run,
            summary="consensus analysis finished" if not error else "consensus analysis failed",
            after={"status": status, **counts, "error": error[:200]},
        )
    run.refresh_from_db()
    return run


@transaction.atomic
def conversation_import(*, actor, title: str, export) -> Conversation:
    """A conversation from a Polis export (read by :func:`kyokan.consensus.polis.read_export`):
    its statements, participants and votes, all or nothing. Statements keep their Polis
    numbers; duplicates and statements that are too long are refused with their number."""
    from .polis import import_rows

    statements, votes = import_rows(export)
    conversation = audited_create(
        actor=actor,
        instance=Conversation(
            title=_clean(title)[:200] or _("Imported conversation"),
            question=_clean(title)[:1000] or _("Imported conversation"),
            owner=actor,
            imported_from="Polis",
            allow_statements=False,
            state=Conversation.State.CLOSED,
        ),
    )
    rows = []
    for number, text, visible in statements:
        rows.append(
            Statement(
                conversation=conversation,
                number=number,
                text=text,
                key=f"{number}:{statement_key(text)}"[:KEY_MAX],
                is_seed=False,
                visibility=Visibility.VISIBLE if visible else Visibility.REMOVED,
            )
        )
    Statement.objects.bulk_create(rows, batch_size=1000)
    audit_record_many(
        actor=actor, action=AuditEvent.Action.CREATE, targets=rows, summary="Polis import"
    )
    votes_load(actor=actor, conversation=conversation, votes=votes)
    return conversation
