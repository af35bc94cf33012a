"""Writes of the meetings app. Every function records an audit event."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kyokan.apps.core.audit import (
    audit_record,
    audited_create,
    audited_delete,
    audited_update,
    snapshot,
)
from kyokan.apps.core.models import AuditEvent, Department, User
from kyokan.apps.core.notifications import Attachment, Guest, Message, NotifyResult, notify
from kyokan.apps.core.once import creates_once
from kyokan.textanalysis.normalize import fold

from . import ics, search_index
from .dates import day_label, moment_label, slot_label
from .models import (
    AGENDA_ITEMS_MAX,
    MEETING_NUMBER_MAX,
    PAPERS_MAX,
    ActionItem,
    AgendaItem,
    AgendaLink,
    Course,
    DatePoll,
    Decision,
    ExpertInput,
    Invitation,
    Meeting,
    MeetingSeries,
    Paper,
    PollAnswer,
    PollCandidate,
    SkillAssessment,
    validate_candidate_count,
)

CARRY_OVER_TITLE = "前回までのアクションアイテムの確認"

# --- series and meetings ----------------------------------------------------------------


@transaction.atomic
@creates_once
def series_create(
    *, actor, name: str, kind: str, description: str = "", decides: bool = False
) -> MeetingSeries:
    return audited_create(
        actor=actor,
        instance=MeetingSeries(name=name, kind=kind, description=description, decides=decides),
    )


@transaction.atomic
@creates_once
def course_create(*, actor, title: str, description: str = "") -> Course:
    return audited_create(actor=actor, instance=Course(title=title, description=description))


def next_number(series: MeetingSeries) -> int:
    return (series.meetings.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
@creates_once
def meeting_create(*, actor, series: MeetingSeries, number: int | None = None, **fields) -> Meeting:
    """Create a meeting (numbered next in its series unless given) and carry the series'
    open action items onto its agenda."""
    meeting = Meeting(series=series, number=number or next_number(series), **fields)
    if meeting.number > MEETING_NUMBER_MAX:
        # After a meeting numbered 32,767 (typed), the next number would not fit the column:
        # SQLite stored it and PostgreSQL failed with a server error.
        raise ValidationError(
            {
                "number": _(
                    "Meeting numbers go up to %(max)s; give this meeting a number that is not "
                    "used yet."
                )
                % {"max": f"{MEETING_NUMBER_MAX:,}"}
            }
        )
    if meeting.starts_at:
        meeting.status = Meeting.Status.SCHEDULED
    if meeting.series.meetings.filter(number=meeting.number).exists():
        raise ValidationError({"number": _("This series already has a meeting with that number.")})
    audited_create(actor=actor, instance=meeting)
    search_index.meeting_put(meeting)
    carry_over_refresh(actor=actor, meeting=meeting)
    return meeting


def _adoptions_recorded(meeting: Meeting) -> bool:
    """Whether the meeting recorded what another module adopted (meetings.decisions): that
    record stays true only while the meeting stays held on its day."""
    return Decision.objects.filter(meeting=meeting).exclude(target_type="").exists()


def _adoption_error() -> ValidationError:
    return ValidationError(
        _(
            "This meeting decided the adoption of a document: it stays held on its day "
            "(its date and its status cannot change)."
        )
    )


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **changes) -> bool:
    """Edit a meeting. Giving a date to a meeting still being planned schedules it, unless
    its date poll is open (then the date is fixed from the poll). A meeting that decided an
    adoption keeps its day."""
    if changes.get("starts_at") and meeting.starts_at and _adoptions_recorded(meeting):
        old = timezone.localtime(meeting.starts_at).date()
        if timezone.localtime(changes["starts_at"]).date() != old:
            raise _adoption_error()
    if changes.get("starts_at") and meeting.status == Meeting.Status.PLANNING:
        if DatePoll.objects.filter(meeting=meeting, is_open=True).exists():
            raise ValidationError(
                {"starts_at": _("A date poll is open: fix the date from the poll.")}
            )
        changes["status"] = Meeting.Status.SCHEDULED
    changed = audited_update(actor=actor, instance=meeting, changes=changes)
    if changed:
        search_index.meeting_put(meeting)
        for item in meeting.agenda_items.all():
            search_index.item_put(item)
    return changed


@transaction.atomic
def meeting_set_status(*, actor, meeting: Meeting, status: str) -> bool:
    if status == Meeting.Status.HELD and not meeting.starts_at:
        raise ValidationError(_("A meeting without a date cannot have been held."))
    unheld = meeting.status == Meeting.Status.HELD and status != Meeting.Status.HELD
    if unheld and _adoptions_recorded(meeting):
        raise _adoption_error()
    return audited_update(actor=actor, instance=meeting, changes={"status": status})


def _open_actions_before(meeting: Meeting):
    return ActionItem.objects.filter(
        status=ActionItem.Status.OPEN,
        meeting__series=meeting.series,
        meeting__number__lt=meeting.number,
    )


@transaction.atomic
def carry_over_refresh(*, actor, meeting: Meeting) -> int:
    """Put every open action item of the series' earlier meetings on this meeting's agenda
    (one agenda item, created once). Returns how many items are newly carried."""
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        return 0
    pending = list(_open_actions_before(meeting).exclude(carried_to=meeting))
    if not pending:
        return 0
    item = meeting.agenda_items.filter(carried_over=True).first()
    if item is None:
        item = AgendaItem(
            meeting=meeting,
            order=0,
            title=CARRY_OVER_TITLE,
            presenter_text="事務局",
            carried_over=True,
        )
        audited_create(actor=actor, instance=item, summary=_("Carried over automatically"))
        search_index.item_put(item)
    for action in pending:
        action.carried_to.add(meeting)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=meeting,
        summary=_("Action items carried over"),
        after={"carried": [str(a.pk) for a in pending]},
    )
    return len(pending)


def _next_open_meeting(meeting: Meeting) -> Meeting | None:
    return (
        meeting.series.meetings.filter(
            number__gt=meeting.number,
            status__in=[Meeting.Status.PLANNING, Meeting.Status.SCHEDULED],
        )
        .order_by("number")
        .first()
    )


# --- invitations ------------------------------------------------------------------------


# The personal link's token is a credential: the audit trail (and its CSV) records that an
# invitation has one, never the token itself.
TOKEN_IN_AUDIT = "[personal link issued; not recorded]"


def _invitation_snapshot(invitation: Invitation) -> dict:
    data = snapshot(invitation)
    if data.get("token"):
        data["token"] = TOKEN_IN_AUDIT
    return data


def _invitation_create(*, actor, invitation: Invitation) -> Invitation:
    """``audited_create`` for an invitation, with the token left out of the record."""
    invitation.full_clean()
    invitation.save(force_insert=True)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=invitation,
        after=_invitation_snapshot(invitation),
    )
    return invitation


def _invitation_delete(*, actor, invitation: Invitation) -> None:
    before = _invitation_snapshot(invitation)
    pk, label = str(invitation.pk), str(invitation)
    invitation.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        target_type=Invitation._meta.label_lower,
        target_id=pk,
        target_repr=label,
        before=before,
    )


@dataclass
class InviteResult:
    added: list[Invitation]
    already: int
    without_email: list[str]


@transaction.atomic
def invitations_add(
    *, actor, meeting: Meeting, people: Iterable[User], required: bool = False
) -> InviteResult:
    """Invite people with accounts (chosen one by one, by role or by department)."""
    existing = set(meeting.invitations.values_list("person_id", flat=True))
    added, already, without_email = [], 0, []
    for person in people:
        if person.pk in existing:
            already += 1
            continue
        invitation = _invitation_create(
            actor=actor,
            invitation=Invitation(meeting=meeting, person=person, required=required),
        )
        existing.add(person.pk)
        added.append(invitation)
        if not person.email:
            without_email.append(person.full_name)
    invitations_notify(actor=actor, meeting=meeting, invitations=added)
    return InviteResult(added, already, without_email)


@transaction.atomic
@creates_once
def invitation_add_guest(
    *, actor, meeting: Meeting, name: str, email: str, affiliation: str = "", required=False
) -> Invitation:
    """An external guest without an account: reached by e-mail with a personal link."""
    if meeting.invitations.filter(person__isnull=True, email__iexact=email).exists():
        raise ValidationError({"email": _("A guest with this e-mail is already invited.")})
    invitation = _invitation_create(
        actor=actor,
        invitation=Invitation(
            meeting=meeting, name=name, email=email, affiliation=affiliation, required=required
        ),
    )
    invitations_notify(actor=actor, meeting=meeting, invitations=[invitation])
    return invitation


def meeting_is_ahead(meeting: Meeting) -> bool:
    """Whether the meeting is still to come (being polled, or scheduled in the future):
    only then is an invitation news worth telling."""
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
        return False
    return meeting.starts_at is None or meeting.starts_at >= timezone.now()


def _invited_message(meeting: Meeting, poll: DatePoll | None):
    """The invitation, in each reader's language: the date (和暦) and place when fixed, the
    date poll to answer when one is open."""
    title = ics.one_line(str(meeting))

    def message() -> Message:
        lines = [_("You are invited to %(meeting)s.") % {"meeting": title}, ""]
        if meeting.starts_at:
            lines.append(_("Date: %(date)s") % {"date": _when_in_full(meeting)})
            lines.append(_("Place: %(place)s") % {"place": ics.one_line(meeting.place) or "—"})
            if meeting.online_url:
                lines.append(_("Online: %(url)s") % {"url": meeting.online_url})
        elif poll is not None:
            lines.append(_("Its date is being fixed with a date poll: please answer it."))
            if poll.deadline:
                lines.append(_("Answer by %(date)s.") % {"date": day_label(poll.deadline)})
        else:
            lines.append(_("Its date is not fixed yet; you will be told when it is."))
        return Message(
            subject=_("Invitation: %(meeting)s") % {"meeting": title}, text="\n".join(lines)
        )

    return message


def invitations_notify(*, actor, meeting: Meeting, invitations: Iterable[Invitation]) -> int:
    """Tell each new invitee of a meeting still to come that they are invited — people in
    Kyokan and by e-mail, guests by e-mail with their personal link — once per invitation
    (the dedupe key is the invitation's). Returns how many were told."""
    invitations = list(invitations)
    if not invitations or not meeting_is_ahead(meeting):
        return 0
    poll = DatePoll.objects.filter(meeting=meeting, is_open=True).first()
    message = _invited_message(meeting, poll)
    link = reverse("meetings:poll_answer" if poll else "meetings:detail", args=[meeting.pk])
    told = 0
    for invitation in invitations:
        result = notify(
            actor=actor,
            recipients=invitation_recipients([invitation]),
            kind=INVITED,
            message=message,
            link=link,
            target=meeting,
            dedupe_key=f"meeting-invited:{invitation.pk}",
        )
        told += result.notified + result.guests_emailed
    return told


@transaction.atomic
def invitation_update(*, actor, invitation: Invitation, **changes) -> bool:
    if "token" in changes:  # it would be recorded in the audit trail
        raise ValueError("An invitation's token is never changed through invitation_update.")
    return audited_update(actor=actor, instance=invitation, changes=changes)


@transaction.atomic
def invitation_remove(*, actor, invitation: Invitation) -> None:
    if invitation.expert_inputs.exists():
        raise ValidationError(_("This invitee's inputs are recorded; they cannot be removed."))
    _invitation_delete(actor=actor, invitation=invitation)


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, attendance: dict[int, str]) -> int:
    """attendance: invitation id → Invitation.Attendance value. Returns how many changed."""
    changed = 0
    for invitation in meeting.invitations.filter(pk__in=attendance):
        if audited_update(
            actor=actor, instance=invitation, changes={"attendance": attendance[invitation.pk]}
        ):
            changed += 1
    return changed


# --- date poll ----------------------------------------------------------------------------


@transaction.atomic
@creates_once
def poll_open(
    *,
    actor,
    meeting: Meeting,
    candidates: list[tuple[datetime, datetime]],
    deadline=None,
    message: str = "",
    record_past: bool = False,
) -> DatePoll:
    """Open a date poll. ``record_past`` records a poll that already took place (the demo's
    history, an import of earlier meetings); users always poll future dates."""
    if meeting.status != Meeting.Status.PLANNING:
        raise ValidationError(_("The date of this meeting is already fixed."))
    if hasattr(meeting, "poll"):
        raise ValidationError(_("This meeting already has a date poll."))
    if not candidates:
        raise ValidationError(_("Give at least one candidate date."))
    try:
        validate_candidate_count(len(candidates))
    except ValidationError as exc:
        raise ValidationError({"candidates": exc.messages}) from None
    now = timezone.now()
    past = [start for start, _end in candidates if start <= now]
    if past and not record_past:
        raise ValidationError(
            _("Candidate dates must be in the future: %(dates)s")
            % {"dates": "、".join(moment_label(p) for p in past)}
        )
    starts = [start for start, _end in candidates]
    if len(set(starts)) != len(starts):
        raise ValidationError(_("The same candidate date is given twice."))
    for start, end in candidates:
        if end <= start:
            raise ValidationError(_("Each candidate must end after it starts."))
    if deadline and deadline < timezone.localdate() and not record_past:
        raise ValidationError({"deadline": _("The answer deadline is in the past.")})
    poll = audited_create(
        actor=actor, instance=DatePoll(meeting=meeting, deadline=deadline, message=message)
    )
    for start, end in sorted(candidates):
        audited_create(actor=actor, instance=PollCandidate(poll=poll, starts_at=start, ends_at=end))
    if not record_past:
        invitations = meeting.invitations.select_related("person")
        notify(
            actor=actor,
            recipients=invitation_recipients(invitations),
            kind=POLL_OPENED,
            message=_poll_opened_message(meeting, poll),
            link=reverse("meetings:poll_answer", args=[meeting.pk]),
            target=meeting,
        )
    return poll


@transaction.atomic
def poll_answer(*, invitation: Invitation, answers: dict[int, tuple[str, str]], actor=None) -> None:
    """Save an invitee's answers (candidate id → (choice, comment)); editable while open."""
    poll = DatePoll.objects.select_for_update().get(meeting=invitation.meeting_id)
    if not poll.is_open:
        raise ValidationError(_("This date poll is closed; answers can no longer be changed."))
    candidates = {c.pk: c for c in poll.candidates.all()}
    unknown = set(answers) - set(candidates)
    if unknown:
        raise ValidationError(_("An answer refers to a date that is not in this poll."))
    missing = set(candidates) - set(answers)
    if missing:
        raise ValidationError(_("Answer every candidate date."))
    before = {
        str(a.candidate_id): [a.choice, a.comment]
        for a in invitation.poll_answers.filter(candidate__poll=poll)
    }
    for candidate_id, (choice, comment) in answers.items():
        answer = PollAnswer(
            candidate=candidates[candidate_id],
            invitation=invitation,
            choice=choice,
            comment=comment,
        )
        answer.full_clean(validate_unique=False, validate_constraints=False)
        PollAnswer.objects.update_or_create(
            candidate=candidates[candidate_id],
            invitation=invitation,
            defaults={"choice": choice, "comment": comment},
        )
    audit_record(
        actor=actor,
        actor_name=invitation.display_name,
        action=AuditEvent.Action.UPDATE,
        target=invitation,
        summary=_("Date poll answered"),
        before=before or None,
        after={str(k): list(v) for k, v in answers.items()},
    )


@transaction.atomic
def poll_fix(*, actor, meeting: Meeting, candidate: PollCandidate, place: str = "") -> list[str]:
    """Fix the date: close the poll, schedule the meeting and e-mail every invitee an
    iCalendar file. Returns the names of invitees who could not be e-mailed."""
    poll = DatePoll.objects.select_for_update().get(meeting=meeting)
    if not poll.is_open:
        raise ValidationError(_("The date of this meeting is already fixed."))
    if candidate.poll_id != poll.pk:
        raise ValidationError(_("That date is not a candidate of this poll."))
    audited_update(actor=actor, instance=poll, changes={"is_open": False, "chosen": candidate})
    changes = {
        "starts_at": candidate.starts_at,
        "ends_at": candidate.ends_at,
        "status": Meeting.Status.SCHEDULED,
    }
    if place:
        changes["place"] = place
    audited_update(actor=actor, instance=meeting, changes=changes)
    return meeting_notify(actor=actor, meeting=meeting)


DATE_FIXED = "meetings.date_fixed"
POLL_OPENED = "meetings.poll_opened"
INVITED = "meetings.invited"
PAPERS_PUBLISHED = "meetings.papers_published"
MINUTES_PUBLISHED = "meetings.minutes_published"
ACTION_ASSIGNED = "meetings.action_assigned"


def _when_in_full(meeting: Meeting) -> str:
    """ "令和9年（2027年）1月4日 10:00–11:30" in the reader's language, Japan time."""
    start = timezone.localtime(meeting.starts_at)
    text = f"{day_label(start.date())} {start:%H:%M}"
    if meeting.ends_at:
        end = timezone.localtime(meeting.ends_at)
        text += f"–{end:%H:%M}" if end.date() == start.date() else f"–{moment_label(end)}"
    return text


def _date_fixed_message(meeting: Meeting):
    """The date-fixed message, written in each reader's language (notify calls it once per
    language): the date in 和暦 with 西暦, in Japan time."""
    title = ics.one_line(str(meeting))

    def message() -> Message:
        lines = [
            _("The date of %(meeting)s is fixed.") % {"meeting": title},
            "",
            _("Date: %(date)s") % {"date": _when_in_full(meeting)},
            _("Place: %(place)s") % {"place": ics.one_line(meeting.place) or "—"},
        ]
        if meeting.online_url:
            lines.append(_("Online: %(url)s") % {"url": meeting.online_url})
        lines += ["", _("The attached file (.ics) adds the meeting to your calendar.")]
        when = slot_label(meeting.starts_at, meeting.ends_at, with_year=True)
        return Message(
            subject=_("Date fixed: %(meeting)s (%(date)s)") % {"meeting": title, "date": when},
            text="\n".join(lines),
        )

    return message


def invitation_recipients(invitations) -> list:
    """Invitees as notify takes them: people with an account, guests by e-mail with their
    personal link."""
    recipients = []
    for invitation in invitations:
        if invitation.person_id:
            recipients.append(invitation.person)
        elif invitation.email:
            recipients.append(
                Guest(
                    email=invitation.email,
                    name=invitation.name,
                    link=reverse("meetings:poll_link", args=[invitation.token]),
                )
            )
    return recipients


def meeting_notify(*, actor, meeting: Meeting) -> list[str]:
    """Tell every invitee the fixed date, with an .ics attached, through core's
    notifications (in Kyokan and by e-mail, sent by the worker and retried). Returns the
    names of invitees without an e-mail address."""
    invitations = list(meeting.invitations.select_related("person"))
    without = [i.display_name for i in invitations if not i.contact_email]
    result = notify(
        actor=actor,
        recipients=invitation_recipients(invitations),
        kind=DATE_FIXED,
        message=_date_fixed_message(meeting),
        link=reverse("meetings:detail", args=[meeting.pk]),
        target=meeting,
        attachments=[Attachment("meeting.ics", ics.meetings_calendar([meeting]), "text/calendar")],
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=meeting,
        summary=_("Invitees informed of the date"),
        after={"emailed": result.emailed, "without_email": without},
    )
    return without


def _poll_opened_message(meeting: Meeting, poll: DatePoll):
    title = ics.one_line(str(meeting))

    def message() -> Message:
        lines = [_("Please answer the date poll of %(meeting)s.") % {"meeting": title}, ""]
        if poll.deadline:
            lines.append(_("Answer by %(date)s.") % {"date": day_label(poll.deadline)})
        if poll.message:
            lines += ["", poll.message]
        return Message(
            subject=_("Date poll: %(meeting)s") % {"meeting": title}, text="\n".join(lines)
        )

    return message


# --- agenda ---------------------------------------------------------------------------------


@transaction.atomic
@creates_once
def agenda_item_create(*, actor, meeting: Meeting, title: str, **fields) -> AgendaItem:
    if meeting.agenda_items.count() >= AGENDA_ITEMS_MAX:
        raise ValidationError(
            _("A meeting can have at most %(max)s agenda items.") % {"max": AGENDA_ITEMS_MAX}
        )
    order = (meeting.agenda_items.aggregate(n=Max("order"))["n"] or 0) + 1
    item = audited_create(
        actor=actor, instance=AgendaItem(meeting=meeting, title=title, order=order, **fields)
    )
    search_index.item_put(item)
    return item


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, **changes) -> bool:
    changed = audited_update(actor=actor, instance=item, changes=changes)
    if changed:
        search_index.item_put(item)
    return changed


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: int) -> bool:
    """Swap with the neighbour above (-1) or below (+1)."""
    items = list(item.meeting.agenda_items.order_by("order", "id"))
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    other = index + direction
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, x in enumerate(items, start=1):
        if x.order != position:
            audited_update(actor=actor, instance=x, changes={"order": position})
    return True


@transaction.atomic
def agenda_item_delete(*, actor, item: AgendaItem) -> None:
    if item.decisions.exists() or item.action_items.exists():
        raise ValidationError(
            _("Decisions or action items are recorded under this item; it cannot be deleted.")
        )
    pk = item.pk
    audited_delete(actor=actor, instance=item)
    search_index.item_remove(pk)


@transaction.atomic
def agenda_link_add(*, actor, item: AgendaItem, target_type: str, target_id: str, label: str):
    if item.links.filter(target_type=target_type, target_id=target_id).exists():
        raise ValidationError(_("That object is already linked."))
    return audited_create(
        actor=actor,
        instance=AgendaLink(item=item, target_type=target_type, target_id=target_id, label=label),
    )


@transaction.atomic
def agenda_link_remove(*, actor, link: AgendaLink) -> None:
    audited_delete(actor=actor, instance=link)


@transaction.atomic
def minutes_save(*, actor, item: AgendaItem, text: str) -> bool:
    changed = audited_update(actor=actor, instance=item, changes={"minutes_text": text})
    if changed:
        search_index.item_put(item)
    return changed


# --- papers ---------------------------------------------------------------------------------

MAX_PAPER_BYTES = 20 * 1024 * 1024
# Extension → the bytes a real file of that type starts with.
PAPER_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".csv": (),
    ".txt": (),
}


def _check_upload(upload: UploadedFile) -> None:
    name = upload.name or ""
    ext = name[name.rfind(".") :].lower() if "." in name else ""
    if ext not in PAPER_TYPES:
        raise ValidationError(
            {
                "file": _("Files of this type cannot be attached. Allowed: %(types)s")
                % {"types": " ".join(sorted(PAPER_TYPES))}
            }
        )
    if upload.size > MAX_PAPER_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": MAX_PAPER_BYTES // 1024 // 1024,
                }
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    head = upload.read(16)
    upload.seek(0)
    signatures = PAPER_TYPES[ext]
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            {"file": _("The file's content does not match its extension %(ext)s.") % {"ext": ext}}
        )
    if not signatures and b"\x00" in upload.read(4096):
        raise ValidationError({"file": _("A text file must not contain binary data.")})
    upload.seek(0)


def _next_paper_number(meeting: Meeting) -> int:
    """The next 資料 number (papers are numbered 1… without gaps); refuses a paper past
    ``PAPERS_MAX``."""
    if meeting.papers.count() >= PAPERS_MAX:
        raise ValidationError(_("A meeting can have at most %(max)s papers.") % {"max": PAPERS_MAX})
    return (meeting.papers.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
@creates_once
def paper_upload(
    *, actor, meeting: Meeting, title: str, file: UploadedFile, agenda_item=None
) -> Paper:
    _check_upload(file)
    paper = Paper(
        meeting=meeting,
        number=_next_paper_number(meeting),
        title=title,
        agenda_item=agenda_item,
        original_name=file.name[:200],
        size=file.size,
    )
    paper.file.save(file.name, file, save=False)
    return audited_create(actor=actor, instance=paper)


@transaction.atomic
@creates_once
def paper_add_generated(
    *, actor, meeting: Meeting, generator: str, title: str = "", agenda_item=None
) -> Paper:
    from .papers import generator_get

    spec = generator_get(generator)
    if spec is None:
        raise ValidationError({"generator": _("Unknown kind of generated paper.")})
    paper = Paper(
        meeting=meeting,
        number=_next_paper_number(meeting),
        title=title or spec.title,
        agenda_item=agenda_item,
        generator=generator,
    )
    return audited_create(actor=actor, instance=paper)


@transaction.atomic
def paper_delete(*, actor, paper: Paper) -> None:
    """Delete a paper and renumber the later ones so that 資料 numbers stay consecutive."""
    meeting, number = paper.meeting, paper.number
    stored = paper.file.name if paper.file else ""
    audited_delete(actor=actor, instance=paper)
    for later in meeting.papers.filter(number__gt=number).order_by("number"):
        audited_update(actor=actor, instance=later, changes={"number": later.number - 1})
    if stored:
        storage = Paper._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(stored))


# --- publishing the papers and the minutes ------------------------------------------------


def _fingerprint(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _published_message(meeting: Meeting, *, minutes: bool, papers: int):
    title = ics.one_line(str(meeting))

    def message() -> Message:
        if minutes:
            subject = _("Minutes published: %(meeting)s") % {"meeting": title}
            lines = [_("The minutes of %(meeting)s are published.") % {"meeting": title}]
        else:
            subject = _("Papers ready: %(meeting)s") % {"meeting": title}
            lines = [
                _("The papers of %(meeting)s are ready (the agenda and %(n)s papers).")
                % {"meeting": title, "n": papers}
            ]
        if meeting.starts_at:
            lines += ["", _("Date: %(date)s") % {"date": _when_in_full(meeting)}]
            lines.append(_("Place: %(place)s") % {"place": ics.one_line(meeting.place) or "—"})
        lines += ["", _("Download them (Word or PDF) from the link below.")]
        return Message(subject=subject, text="\n".join(lines))

    return message


def _tell_invitees(*, actor, meeting: Meeting, kind: str, message, anchor: str, key: str):
    invitations = list(meeting.invitations.select_related("person"))
    return notify(
        actor=actor,
        recipients=invitation_recipients(invitations),
        kind=kind,
        message=message,
        link=reverse("meetings:detail", args=[meeting.pk]) + anchor,
        target=meeting,
        dedupe_key=key,
    )


@transaction.atomic
def papers_publish(*, actor, meeting: Meeting) -> NotifyResult:
    """Publish the meeting's papers (the packet: agenda and 資料) to its invitees: they are
    told, with the link (guests: their personal link, where they download the packet).
    Publishing again after the papers changed tells them again; publishing the same papers
    twice tells nobody twice."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting is cancelled: its papers are not published."))
    papers = list(meeting.papers.values_list("number", "title", "generator", "file", "size"))
    items = list(meeting.agenda_items.values_list("pk", "order", "title"))
    if not papers and not items:
        raise ValidationError(_("Add the agenda or papers before publishing them."))
    audited_update(
        actor=actor,
        instance=meeting,
        changes={"papers_published_at": timezone.now()},
        summary=_("Papers published to the invitees"),
    )
    return _tell_invitees(
        actor=actor,
        meeting=meeting,
        kind=PAPERS_PUBLISHED,
        message=_published_message(meeting, minutes=False, papers=len(papers)),
        anchor="#papers",
        key=f"meeting-papers:{meeting.pk}:{_fingerprint(papers, items)}",
    )


@transaction.atomic
def minutes_publish(*, actor, meeting: Meeting) -> NotifyResult:
    """Publish the minutes (会議録) of a held meeting once they are written: the invitees
    are told, with the link. Publishing changed minutes again tells them again."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Minutes are published once the meeting has been held."))
    minutes = list(meeting.agenda_items.exclude(minutes_text="").values_list("pk", "minutes_text"))
    if not minutes:
        raise ValidationError(_("No minutes are written yet: write them under the agenda items."))
    audited_update(
        actor=actor,
        instance=meeting,
        changes={"minutes_published_at": timezone.now()},
        summary=_("Minutes published to the invitees"),
    )
    return _tell_invitees(
        actor=actor,
        meeting=meeting,
        kind=MINUTES_PUBLISHED,
        message=_published_message(meeting, minutes=True, papers=0),
        anchor="#agenda",
        key=f"meeting-minutes:{meeting.pk}:{_fingerprint(minutes)}",
    )


# --- decisions and action items -----------------------------------------------------------


@transaction.atomic
@creates_once
def decision_add(
    *,
    actor,
    meeting: Meeting,
    text: str,
    agenda_item=None,
    target_type: str = "",
    target_id: str = "",
) -> Decision:
    """A decision of the meeting; ``target_*`` link what it decided when that is an object
    of another module (see meetings.decisions)."""
    return audited_create(
        actor=actor,
        instance=Decision(
            meeting=meeting,
            text=text,
            agenda_item=agenda_item,
            target_type=target_type,
            target_id=target_id,
        ),
    )


@transaction.atomic
def decision_delete(*, actor, decision: Decision) -> None:
    if decision.target_type:
        raise ValidationError(
            _(
                "This decision records the adoption of a document (one act with the "
                "document's version): it cannot be deleted on its own."
            )
        )
    audited_delete(actor=actor, instance=decision)


@transaction.atomic
@creates_once
def action_item_create(
    *,
    actor,
    meeting: Meeting,
    title: str,
    owner: User,
    due_date,
    department: Department | None = None,
    agenda_item=None,
) -> ActionItem:
    if meeting.starts_at is None:
        raise ValidationError(_("Fix the meeting's date before recording action items."))
    held_on = timezone.localtime(meeting.starts_at).date()
    if due_date < held_on:
        raise ValidationError(
            {
                "due_date": _("The due date is before the meeting (%(date)s).")
                % {"date": day_label(held_on)}
            }
        )
    action = audited_create(
        actor=actor,
        instance=ActionItem(
            meeting=meeting,
            title=title,
            owner=owner,
            due_date=due_date,
            department=department or owner.department,
            agenda_item=agenda_item,
        ),
    )
    following = _next_open_meeting(meeting)
    if following is not None:
        carry_over_refresh(actor=actor, meeting=following)
    _tell_assigned(actor=actor, action=action)
    return action


def _tell_assigned(*, actor, action: ActionItem) -> None:
    """Tell the owner of an action item that it is theirs (once per item and owner; not
    when they assigned it to themselves)."""
    if action.owner_id is None or action.owner_id == getattr(actor, "pk", None):
        return
    meeting = action.meeting

    def message() -> Message:
        return Message(
            subject=_("Action item for you: %(title)s") % {"title": action.title},
            text="\n".join(
                [
                    _("From %(meeting)s.") % {"meeting": ics.one_line(str(meeting))},
                    _("Due date: %(date)s") % {"date": day_label(action.due_date)},
                    "",
                    _("Mark it done on the action items page when finished."),
                ]
            ),
        )

    notify(
        actor=actor,
        recipients=[action.owner],
        kind=ACTION_ASSIGNED,
        message=message,
        link=reverse("meetings:actions"),
        target=action,
        dedupe_key=f"action-assigned:{action.pk}:{action.owner_id}",
    )


@transaction.atomic
def action_item_complete(*, actor, action: ActionItem, result: str = "") -> bool:
    return audited_update(
        actor=actor,
        instance=action,
        changes={"status": ActionItem.Status.DONE, "done_at": timezone.now(), "result": result},
    )


@transaction.atomic
def action_item_update(
    *, actor, action: ActionItem, title: str, owner: User, due_date, department=None
) -> bool:
    """Edit an action item: what, who, which department (the owner's by default) and when
    (not before its meeting)."""
    held_on = timezone.localtime(action.meeting.starts_at).date()
    if due_date < held_on:
        raise ValidationError(
            {
                "due_date": _("The due date is before the meeting (%(date)s).")
                % {"date": day_label(held_on)}
            }
        )
    changed = audited_update(
        actor=actor,
        instance=action,
        changes={
            "title": title,
            "owner": owner,
            "due_date": due_date,
            "department": department or owner.department,
        },
    )
    if changed and action.status == ActionItem.Status.OPEN:
        _tell_assigned(actor=actor, action=action)  # a new owner is told; the same one is not
    return changed


@transaction.atomic
def action_items_complete(*, actor, actions: Iterable[ActionItem], result: str = "") -> int:
    """Complete several open action items at once (one transaction: all or none). Returns
    how many were completed."""
    done = 0
    now = timezone.now()
    for action in actions:
        if action.status != ActionItem.Status.OPEN:
            continue
        audited_update(
            actor=actor,
            instance=action,
            changes={"status": ActionItem.Status.DONE, "done_at": now, "result": result},
        )
        done += 1
    return done


@transaction.atomic
def action_item_reopen(*, actor, action: ActionItem) -> bool:
    return audited_update(
        actor=actor, instance=action, changes={"status": ActionItem.Status.OPEN, "done_at": None}
    )


# --- expert inputs (knowledge) --------------------------------------------------------------


@transaction.atomic
@creates_once
def expert_input_create(
    *, actor, meeting: Meeting, expert: Invitation, title: str, body: str, tags: str = ""
) -> ExpertInput:
    if expert.meeting_id != meeting.pk:
        raise ValidationError({"expert": _("The expert must be an invitee of this meeting.")})
    expert_input = ExpertInput(meeting=meeting, expert=expert, title=title, body=body, tags=tags)
    expert_input.search_text = fold(f"{title}\n{body}\n{tags}")
    audited_create(actor=actor, instance=expert_input)
    search_index.expert_input_put(expert_input)
    return expert_input


@transaction.atomic
def expert_input_update(*, actor, expert_input: ExpertInput, **changes) -> bool:
    merged = {**snapshot(expert_input), **changes}
    changes["search_text"] = fold(f"{merged['title']}\n{merged['body']}\n{merged['tags']}")
    changed = audited_update(actor=actor, instance=expert_input, changes=changes)
    if changed:
        search_index.expert_input_put(expert_input)
    return changed


@transaction.atomic
def expert_input_delete(*, actor, expert_input: ExpertInput) -> None:
    pk = expert_input.pk
    audited_delete(actor=actor, instance=expert_input)
    search_index.expert_input_remove(pk)


# --- training -------------------------------------------------------------------------------


@transaction.atomic
def assessment_save(
    *, actor, invitation: Invitation, phase: str, scores: dict[str, int]
) -> SkillAssessment:
    """A participant's own self-assessment before or after a training session."""
    if invitation.meeting.course_id is None:
        raise ValidationError(_("Self-assessments belong to training sessions."))
    existing = invitation.assessments.filter(phase=phase).first()
    if existing is not None:
        audited_update(actor=actor, instance=existing, changes={"scores": scores})
        return existing
    return audited_create(
        actor=actor, instance=SkillAssessment(invitation=invitation, phase=phase, scores=scores)
    )
