"""Notifications: the one way every module tells a person that something waits for them.

``notify(...)`` stores an in-app notification for each recipient with an account (the bell
in the header, /notifications/) and, as each person chose per kind, an e-mail at once, a
line in the daily digest e-mail, or nothing more. Guests without an account (external
experts invited by e-mail) get the e-mail only. E-mails are written in the person's
language, with a plain-text body and the link, and are sent by the task worker — never in
the request; a failed send is retried with a growing pause and, when it keeps failing,
stays in the outbox for the secretariat (/notifications/outbox/) instead of being lost.

Modules register their kinds (``register_kind``) with a label and the default channel, and
pass the message as a callable of the language, so that each person reads it in theirs::

    notify(
        actor=request.user,
        recipients=[person, Guest(email="expert@example.jp", name="有識者 様", link=url)],
        kind="meetings.invited",
        message=lambda: Message(subject=_("…"), text=_("…") % {...}),
        link=meeting.get_absolute_url(),
        target=meeting,
    )

``dedupe_key`` makes reminders idempotent: a person already told under the same key is
not told again (a reminder command run twice sends nothing twice).

``with dated(moment):`` is for loading past events (the demo city, built on its timeline):
the in-app notifications ``notify`` stores inside it are stamped ``moment`` instead of now,
so that a meeting held last year is not announced as today's news. The e-mails stay on the
real clock (they are queued now).
"""

from __future__ import annotations

import base64
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import japanese_dates
from .exports import clean_text

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SUBJECT_MAX = 200
BODY_MAX = 5000


_DATED: ContextVar[datetime | None] = ContextVar("kyokan_notifications_dated", default=None)


@contextmanager
def dated(moment: datetime) -> Iterator[datetime]:
    """Stamp the notifications stored inside the block with ``moment`` instead of now: for
    loading past events (the demo city: its meetings, consultations and ideas happened on
    its timeline, not at the moment it is loaded). E-mails and everything else keep the real
    clock. Blocks nest; leaving one restores the stamp of the block around it."""
    if timezone.is_naive(moment):
        raise ValueError("dated() takes an aware moment")
    token = _DATED.set(moment)
    try:
        yield moment
    finally:
        _DATED.reset(token)


@dataclass(frozen=True)
class Kind:
    key: str  # "app.what", e.g. "meetings.invited"
    label: object  # shown on the settings page (lazy translation)
    default: str = "email"  # NotificationSetting.Channel value


_KINDS: dict[str, Kind] = {}


def register_kind(key: str, label, *, default: str = "email") -> Kind:
    kind = Kind(key=key, label=label, default=default)
    _KINDS[key] = kind
    return kind


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.key)


def kind_label(key: str) -> str:
    kind = _KINDS.get(key)
    return str(kind.label) if kind else key


@dataclass
class Message:
    subject: str
    text: str


@dataclass
class Attachment:
    name: str
    content: bytes
    mimetype: str


@dataclass
class Guest:
    """A recipient without an account: e-mail only, with their personal link."""

    email: str
    name: str = ""
    link: str = ""  # their personal link, written into the e-mail instead of the page link
    language: str = "ja"


@dataclass
class NotifyResult:
    notified: int = 0  # in-app notifications created
    emailed: int = 0  # e-mails queued
    without_email: list[str] = field(default_factory=list)  # told in the app only
    skipped: int = 0  # already told under the same dedupe_key
    guests_emailed: int = 0


def absolute_url(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.KYOKAN_BASE_URL.rstrip("/") + "/" + link.lstrip("/")


def _render(message: Callable[[], Message], language: str) -> Message:
    with translation.override(language):
        rendered = message()
        return Message(
            subject=" ".join(clean_text(str(rendered.subject)).split())[:SUBJECT_MAX],
            text=clean_text(str(rendered.text))[:BODY_MAX],
        )


def _email_body(text: str, link: str, *, settings_link: bool) -> str:
    parts = [text.rstrip()]
    if link:
        parts += ["", absolute_url(link)]
    parts += ["", "--", _("This message was sent by Kyokan.")]
    if settings_link:
        from django.urls import reverse

        parts.append(
            _("Change which e-mails you receive: %(url)s")
            % {"url": absolute_url(reverse("core:notification_settings"))}
        )
    return "\n".join(parts)


def channels_for(users, kind: str) -> dict[int, str]:
    from .models import NotificationSetting

    default = _KINDS[kind].default if kind in _KINDS else NotificationSetting.Channel.EMAIL
    chosen = dict(
        NotificationSetting.objects.filter(user__in=users, kind=kind).values_list(
            "user_id", "channel"
        )
    )
    return {u.pk: chosen.get(u.pk, default) for u in users}


@transaction.atomic
def notify(
    *,
    actor,
    recipients: Iterable,
    kind: str,
    message: Callable[[], Message],
    link: str = "",
    target=None,
    attachments: Iterable[Attachment] = (),
    dedupe_key: str = "",
) -> NotifyResult:
    """Tell ``recipients`` (people and :class:`Guest`\\ s) about something (see the module's
    docstring). The e-mails leave after the transaction commits."""
    from .audit import audit_record
    from .models import AuditEvent, Notification, NotificationSetting, OutgoingEmail

    if kind not in _KINDS:
        raise KeyError(f"unregistered notification kind {kind!r}")
    people, guests, seen = [], [], set()
    for r in recipients:
        if isinstance(r, Guest):
            if r.email and r.email.lower() not in seen:
                seen.add(r.email.lower())
                guests.append(r)
        elif r is not None and r.is_active and r.pk not in seen:
            seen.add(r.pk)
            people.append(r)
    result = NotifyResult()
    if dedupe_key and people:
        told = set(
            Notification.objects.filter(recipient__in=people, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        result.skipped = len(told)
        people = [p for p in people if p.pk not in told]
    target_type = target._meta.label_lower if target is not None else ""
    target_id = str(target.pk) if target is not None else ""
    stored = [
        {"name": a.name, "mimetype": a.mimetype, "content": base64.b64encode(a.content).decode()}
        for a in attachments
    ]
    channels = channels_for(people, kind)
    by_language: dict[str, Message] = {}

    def rendered(language: str) -> Message:
        if language not in by_language:
            by_language[language] = _render(message, language)
        return by_language[language]

    now = timezone.now()
    stamped = _DATED.get() or now  # a past event being loaded (see dated())
    notes, mails = [], []
    for person in people:
        text = rendered(person.language or "ja")
        channel = channels[person.pk]
        notes.append(
            Notification(
                recipient=person,
                kind=kind,
                subject=text.subject,
                body=text.text,
                link=link[:500],
                target_type=target_type,
                target_id=target_id,
                dedupe_key=dedupe_key[:200],
                created_at=stamped,
                digest_pending=channel == NotificationSetting.Channel.DIGEST and bool(person.email),
            )
        )
        if channel == NotificationSetting.Channel.EMAIL:
            if person.email:
                with translation.override(person.language or "ja"):
                    body = _email_body(text.text, link, settings_link=True)
                mails.append(
                    OutgoingEmail(
                        recipient=person,
                        to=person.email,
                        kind=kind,
                        subject=text.subject,
                        body=body,
                        attachments=stored,
                    )
                )
            else:
                result.without_email.append(str(person))
    if dedupe_key and guests:
        told_guests = set(
            OutgoingEmail.objects.filter(
                dedupe_key=dedupe_key[:200], to__in=[g.email for g in guests]
            ).values_list("to", flat=True)
        )
        result.skipped += sum(1 for g in guests if g.email in told_guests)
        guests = [g for g in guests if g.email not in told_guests]
    for guest in guests:
        text = rendered(guest.language)
        with translation.override(guest.language):
            body = _email_body(text.text, guest.link or link, settings_link=False)
        mails.append(
            OutgoingEmail(
                to=guest.email,
                kind=kind,
                subject=text.subject,
                body=body,
                attachments=stored,
                dedupe_key=dedupe_key[:200],
            )
        )
        result.guests_emailed += 1
    Notification.objects.bulk_create(notes, batch_size=1000)
    created = OutgoingEmail.objects.bulk_create(mails, batch_size=1000)
    result.notified, result.emailed = len(notes), len(mails)
    if notes or mails:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=target,
            target_type="core.notification" if target is None else "",
            summary=f"notified ({kind}): {len(notes)} in Kyokan, {len(mails)} by e-mail"[:300],
            after={"kind": kind, "people": len(notes), "emails": len(mails)},
        )
    ids = [m.pk for m in created if m.pk is not None]
    if mails and not ids:  # backends that return no ids from bulk_create
        ids = list(
            OutgoingEmail.objects.filter(created_at__gte=now, status="queued").values_list(
                "pk", flat=True
            )
        )
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return result


def _enqueue(ids: list[int]) -> None:
    from .tasks import send_emails

    send_emails.enqueue(ids)


# --- sending (the worker) -----------------------------------------------------------------


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2**attempts)  # 2, 4, 8, 16 minutes


def email_send(*, email_id: int) -> bool:
    """Send one queued e-mail; on failure count the attempt and schedule the next, or mark it
    failed after MAX_ATTEMPTS. Returns whether it was sent.

    The e-mail is claimed with one conditional UPDATE (no lock is held while the SMTP
    server answers, so a slow server never blocks the database)."""
    from .models import OutgoingEmail

    email = OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.QUEUED).first()
    if email is None:
        return False
    claimed = OutgoingEmail.objects.filter(
        pk=email.pk, status=OutgoingEmail.Status.QUEUED, attempts=email.attempts
    ).update(attempts=email.attempts + 1, next_attempt_at=timezone.now() + _backoff(8))
    if not claimed:
        return False  # another worker has it
    email.attempts += 1
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    for a in email.attachments:
        message.attach(a["name"], base64.b64decode(a["content"]), a["mimetype"])
    try:
        message.send()
    except Exception as exc:  # SMTP refusals, time-outs, DNS: all retried
        logger.warning("E-mail %s to %s failed: %s", email.pk, email.to, exc)
        email.last_error = f"{type(exc).__name__}: {exc}"[:500]
        if email.attempts >= MAX_ATTEMPTS:
            email.status = OutgoingEmail.Status.FAILED
        email.next_attempt_at = timezone.now() + _backoff(email.attempts)
        email.save(update_fields=["last_error", "status", "next_attempt_at"])
        if email.status == OutgoingEmail.Status.QUEUED:
            _schedule_retry(email)
        return False
    email.status = OutgoingEmail.Status.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "last_error"])
    return True


def _schedule_retry(email) -> None:
    """Ask the worker to try again at ``next_attempt_at`` where the backend can defer;
    otherwise ``kyokan send-reminders`` (cron) picks the e-mail up when it is due."""
    from django_tasks import default_task_backend

    from .tasks import send_emails

    if getattr(default_task_backend, "supports_defer", False):
        send_emails.using(run_after=email.next_attempt_at).enqueue([email.pk])


def outbox_flush(*, now=None) -> int:
    """Send every queued e-mail that is due (the retries); returns how many were sent."""
    from .models import OutgoingEmail

    now = now or timezone.now()
    due = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    return sum(email_send(email_id=pk) for pk in list(due))


@transaction.atomic
def email_retry(*, actor, email) -> None:
    """The secretariat sends a failed e-mail again (after fixing an address, say)."""
    from .audit import audited_update

    audited_update(
        actor=actor,
        instance=email,
        changes={"status": "queued", "attempts": 0, "next_attempt_at": timezone.now()},
        summary="e-mail queued again",
    )
    pk = email.pk
    transaction.on_commit(lambda: _enqueue([pk]))


# --- the daily digest -----------------------------------------------------------------------


def digest_send(*, now=None) -> int:
    """One e-mail per person with every notification waiting for the digest; returns how
    many e-mails were queued. Idempotent: what went into a digest is not sent again."""
    from .models import Notification, OutgoingEmail, User

    now = now or timezone.now()
    waiting = defaultdict(list)
    rows = Notification.objects.filter(digest_pending=True, created_at__lte=now).order_by(
        "recipient_id", "created_at"
    )
    for note in rows.iterator(chunk_size=2000):
        waiting[note.recipient_id].append(note)
    if not waiting:
        return 0
    people = User.objects.in_bulk(list(waiting))
    mails, done = [], []
    for pk, notes in waiting.items():
        person = people.get(pk)
        done += [n.pk for n in notes]
        if person is None or not person.email or not person.is_active:
            continue
        with translation.override(person.language or "ja"):
            lines = [
                _("Kyokan: %(n)d things wait for you (%(date)s)")
                % {
                    "n": len(notes),
                    "date": japanese_dates.wareki_date(
                        timezone.localtime(now).date(), lang=person.language or "ja"
                    ),
                },
                "",
            ]
            for n in notes:
                lines.append(f"■ {n.subject}")
                if n.link:
                    lines.append(f"  {absolute_url(n.link)}")
            subject = _("Kyokan digest: %(n)d notifications") % {"n": len(notes)}
            body = _email_body("\n".join(lines), "", settings_link=True)
        mails.append(
            OutgoingEmail(
                recipient=person, to=person.email, kind="core.digest", subject=subject, body=body
            )
        )
    with transaction.atomic():
        Notification.objects.filter(pk__in=done).update(digest_pending=False)
        OutgoingEmail.objects.bulk_create(mails, batch_size=1000)
    return len(mails)


# --- scheduled reminders --------------------------------------------------------------------

_REMINDERS: dict[str, Callable] = {}


def register_reminder(key: str, producer: Callable) -> None:
    """``producer(now=...) -> int`` notifies what is due (with dedupe keys, so that a second
    run the same day tells nobody twice) and returns how many people it told."""
    _REMINDERS[key] = producer


def reminders_run(*, now=None) -> dict[str, int]:
    """Every registered reminder, then the daily digest, then the e-mails that are due
    (``kyokan send-reminders``, from cron or a systemd timer, and from the worker)."""
    now = now or timezone.now()
    counts = {key: producer(now=now) for key, producer in sorted(_REMINDERS.items())}
    counts["core.digest"] = digest_send(now=now)
    counts["core.outbox"] = outbox_flush(now=now)
    return counts


# --- reading -------------------------------------------------------------------------------


def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read (all of them when ``ids`` is None). Reading is
    not audited: it changes nothing anyone else sees."""
    from .models import Notification

    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    from .models import Notification

    if not getattr(user, "is_authenticated", False):
        return 0
    cached = getattr(user, "_kyokan_unread", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user._kyokan_unread = cached
    return cached


@transaction.atomic
def notification_settings_save(*, actor, user, channels: dict[str, str]) -> int:
    """Store the person's choice per kind; returns how many changed."""
    from .audit import audit_record
    from .models import AuditEvent, NotificationSetting

    current = dict(NotificationSetting.objects.filter(user=user).values_list("kind", "channel"))
    changed = {}
    for key, channel in channels.items():
        if key not in _KINDS or channel not in NotificationSetting.Channel.values:
            continue
        if current.get(key, _KINDS[key].default) != channel:
            NotificationSetting.objects.update_or_create(
                user=user, kind=key, defaults={"channel": channel}
            )
            changed[key] = channel
    if changed:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=user,
            summary="notification settings",
            after=changed,
        )
    return len(changed)


CORE_DIGEST = register_kind("core.digest", gettext_lazy("Daily digest"), default="email")
