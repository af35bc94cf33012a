"""Writes of the meetings app. Every function records an audit event."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max, Q
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
from kyokan.apps.documents.once import creates_once

from . import ics
from .models import (
    ActionItem,
    AgendaItem,
    AgendaLink,
    Course,
    DatePoll,
    Decision,
    Insight,
    Invitation,
    Meeting,
    MeetingSeries,
    Paper,
    PollAnswer,
    PollCandidate,
    SkillAssessment,
)
from .search import normalise_for_search

CARRY_OVER_TITLE = "前回までのアクションアイテムの確認"

# --- series and meetings ----------------------------------------------------------------


@transaction.atomic
@creates_once
def series_create(*, actor, name: str, kind: str, description: str = "") -> MeetingSeries:
    return audited_create(
        actor=actor, instance=MeetingSeries(name=name, kind=kind, description=description)
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
    if meeting.starts_at:
        meeting.status = Meeting.Status.SCHEDULED
    if meeting.series.meetings.filter(number=meeting.number).exists():
        raise ValidationError({"number": _("This series already has a meeting with that number.")})
    audited_create(actor=actor, instance=meeting)
    carry_over_refresh(actor=actor, meeting=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **changes) -> bool:
    """Edit a meeting. Giving a date to a meeting still being planned schedules it, unless
    its date poll is open (then the date is fixed from the poll)."""
    if changes.get("starts_at") and meeting.status == Meeting.Status.PLANNING:
        if DatePoll.objects.filter(meeting=meeting, is_open=True).exists():
            raise ValidationError(
                {"starts_at": _("A date poll is open: fix the date from the poll.")}
            )
        changes["status"] = Meeting.Status.SCHEDULED
    return audited_update(actor=actor, instance=meeting, changes=changes)


@transaction.atomic
def meeting_set_status(*, actor, meeting: Meeting, status: str) -> bool:
    if status == Meeting.Status.HELD and not meeting.starts_at:
        raise ValidationError(_("A meeting without a date cannot have been held."))
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
    return InviteResult(added, already, without_email)


@transaction.atomic
@creates_once
def invitation_add_guest(
    *, actor, meeting: Meeting, name: str, email: str, affiliation: str = "", required=False
) -> Invitation:
    """An external guest without an account: reached by e-mail with a personal link."""
    if meeting.invitations.filter(person__isnull=True, email__iexact=email).exists():
        raise ValidationError({"email": _("A guest with this e-mail is already invited.")})
    return _invitation_create(
        actor=actor,
        invitation=Invitation(
            meeting=meeting, name=name, email=email, affiliation=affiliation, required=required
        ),
    )


@transaction.atomic
def invitation_update(*, actor, invitation: Invitation, **changes) -> bool:
    if "token" in changes:  # it would be recorded in the audit trail
        raise ValueError("An invitation's token is never changed through invitation_update.")
    return audited_update(actor=actor, instance=invitation, changes=changes)


@transaction.atomic
def invitation_remove(*, actor, invitation: Invitation) -> None:
    if invitation.insights.exists():
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
    now = timezone.now()
    past = [start for start, _end in candidates if start <= now]
    if past and not record_past:
        raise ValidationError(
            _("Candidate dates must be in the future: %(dates)s")
            % {"dates": "、".join(f"{timezone.localtime(p):%Y-%m-%d %H:%M}" for p in past)}
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


def meeting_notify(*, actor, meeting: Meeting) -> list[str]:
    """E-mail every invitee the fixed date with an .ics attached (after the transaction
    commits). Returns the names of invitees without an e-mail address."""
    invitations = list(meeting.invitations.select_related("person"))
    without = [i.display_name for i in invitations if not i.contact_email]
    recipients = [i.contact_email for i in invitations if i.contact_email]
    if recipients:
        calendar = ics.meetings_calendar([meeting])
        when = timezone.localtime(meeting.starts_at)
        # A line break in a header would make the mail fail (and so the whole request).
        subject = f"【開催決定】{ics.one_line(str(meeting))}（{when:%Y-%m-%d %H:%M}）"
        body = (
            f"{meeting} の日程が決まりました。\n\n"
            f"日時: {when:%Y-%m-%d %H:%M}\n"
            f"場所: {meeting.place or '—'}\n"
            f"{meeting.online_url}\n\n"
            "予定表に取り込めるファイル（.ics）を添付します。"
        )

        def send():
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, bcc=recipients)
            message.attach("meeting.ics", calendar, "text/calendar")
            message.send()

        transaction.on_commit(send)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=meeting,
        summary=_("Invitees informed of the date"),
        after={"emailed": len(recipients), "without_email": without},
    )
    return without


# --- agenda ---------------------------------------------------------------------------------


@transaction.atomic
@creates_once
def agenda_item_create(*, actor, meeting: Meeting, title: str, **fields) -> AgendaItem:
    order = (meeting.agenda_items.aggregate(n=Max("order"))["n"] or 0) + 1
    return audited_create(
        actor=actor, instance=AgendaItem(meeting=meeting, title=title, order=order, **fields)
    )


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, **changes) -> bool:
    return audited_update(actor=actor, instance=item, changes=changes)


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
    audited_delete(actor=actor, instance=item)


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
    return audited_update(actor=actor, instance=item, changes={"minutes_text": text})


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


# --- decisions and action items -----------------------------------------------------------


@transaction.atomic
@creates_once
def decision_add(*, actor, meeting: Meeting, text: str, agenda_item=None) -> Decision:
    return audited_create(
        actor=actor, instance=Decision(meeting=meeting, text=text, agenda_item=agenda_item)
    )


@transaction.atomic
def decision_delete(*, actor, decision: Decision) -> None:
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
            {"due_date": _("The due date is before the meeting (%(date)s).") % {"date": held_on}}
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
    return action


@transaction.atomic
def action_item_complete(*, actor, action: ActionItem, result: str = "") -> bool:
    return audited_update(
        actor=actor,
        instance=action,
        changes={"status": ActionItem.Status.DONE, "done_at": timezone.now(), "result": result},
    )


@transaction.atomic
def action_item_reopen(*, actor, action: ActionItem) -> bool:
    return audited_update(
        actor=actor, instance=action, changes={"status": ActionItem.Status.OPEN, "done_at": None}
    )


# --- expert inputs (knowledge) --------------------------------------------------------------


@transaction.atomic
@creates_once
def insight_create(
    *, actor, meeting: Meeting, expert: Invitation, title: str, body: str, tags: str = ""
) -> Insight:
    if expert.meeting_id != meeting.pk:
        raise ValidationError({"expert": _("The expert must be an invitee of this meeting.")})
    insight = Insight(meeting=meeting, expert=expert, title=title, body=body, tags=tags)
    insight.search_text = normalise_for_search(f"{title}\n{body}\n{tags}")
    return audited_create(actor=actor, instance=insight)


@transaction.atomic
def insight_update(*, actor, insight: Insight, **changes) -> bool:
    merged = {**snapshot(insight), **changes}
    changes["search_text"] = normalise_for_search(
        f"{merged['title']}\n{merged['body']}\n{merged['tags']}"
    )
    return audited_update(actor=actor, instance=insight, changes=changes)


@transaction.atomic
def insight_delete(*, actor, insight: Insight) -> None:
    audited_delete(actor=actor, instance=insight)


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


def people_for_roles(roles: Iterable[str]) -> Q:
    return Q(role_assignments__role__in=list(roles), is_active=True)
