"""Scheduled reminders of the meetings app, run by ``kyokan send-reminders`` (core):

- an action item due in three days: its owner is told once;
- overdue action items: each owner gets one digest a day listing all of theirs (not one
  message per item);
- an open date poll whose answer deadline is within two days: the invitees who have not
  answered are told once per deadline (the secretariat can also send it from the poll page).

Every reminder carries a dedupe key, so running the command twice tells nobody twice.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.notifications import (
    Message,
    notify,
    register_kind,
    register_reminder,
)

from .models import ActionItem, DatePoll, Invitation, PollAnswer

ACTION_DUE = "meetings.action_due"
ACTIONS_OVERDUE = "meetings.actions_overdue"
POLL_REMINDER = "meetings.poll_reminder"
DUE_AHEAD_DAYS = 3
POLL_AHEAD_DAYS = 2


def _day(d) -> str:
    """A date in 和暦 (or English), in the language the message is being written in."""
    lang = "en" if (translation.get_language() or "ja").startswith("en") else "ja"
    return japanese_dates.wareki_date(d, lang=lang)


def action_due_remind(*, now=None) -> int:
    """Owners of open action items due in DUE_AHEAD_DAYS days (or fewer, not yet told)."""
    today = timezone.localdate(now)
    soon = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN,
        due_date__gte=today,
        due_date__lte=today + timedelta(days=DUE_AHEAD_DAYS),
        owner__isnull=False,
    ).select_related("owner", "meeting__series")
    told = 0
    for item in soon:

        def message(item=item):
            return Message(
                subject=_("Action item due on %(date)s: %(title)s")
                % {"date": _day(item.due_date), "title": item.title},
                text=_("From %(meeting)s. Mark it done on the action items page when finished.")
                % {"meeting": item.meeting},
            )

        told += notify(
            actor=None,
            recipients=[item.owner],
            kind=ACTION_DUE,
            message=message,
            link=reverse("meetings:actions"),
            target=item,
            dedupe_key=f"action-due:{item.pk}:{item.due_date.isoformat()}",
        ).notified
    return told


def actions_overdue_remind(*, now=None) -> int:
    """One digest a day per owner of every overdue open action item."""
    today = timezone.localdate(now)
    by_owner = defaultdict(list)
    overdue = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, due_date__lt=today, owner__isnull=False
    ).select_related("owner")
    for item in overdue.order_by("due_date", "id"):
        by_owner[item.owner].append(item)
    told = 0
    for owner, items in by_owner.items():

        def message(items=items):
            lines = [
                _("%(title)s (due %(date)s, %(days)s days ago)")
                % {"title": i.title, "date": _day(i.due_date), "days": (today - i.due_date).days}
                for i in items
            ]
            return Message(
                subject=_("%(n)s action items are overdue") % {"n": len(items)},
                text="\n".join(lines),
            )

        told += notify(
            actor=None,
            recipients=[owner],
            kind=ACTIONS_OVERDUE,
            message=message,
            link=reverse("meetings:actions"),
            dedupe_key=f"actions-overdue:{owner.pk}:{today.isoformat()}",
        ).notified
    return told


def poll_unanswered(poll: DatePoll):
    """The invitations of a poll's meeting without any answer."""
    answered = PollAnswer.objects.filter(invitation=OuterRef("pk"), candidate__poll=poll)
    return (
        Invitation.objects.filter(meeting_id=poll.meeting_id)
        .annotate(answered=Exists(answered))
        .filter(answered=False)
        .select_related("person", "meeting")
    )


def poll_remind(*, actor, poll: DatePoll, dedupe_key: str) -> int:
    """Tell the invitees who have not answered ``poll`` (people in Kyokan and by e-mail,
    guests by e-mail with their personal link). Returns how many were told."""
    from .services import invitation_recipients

    meeting = poll.meeting
    recipients = invitation_recipients(poll_unanswered(poll))

    def message():
        text = _("Please answer the date poll of %(meeting)s.") % {"meeting": meeting}
        if poll.deadline:
            text += " " + _("Answer by %(date)s.") % {"date": _day(poll.deadline)}
        return Message(subject=_("Reminder: date poll of %(meeting)s") % {"meeting": meeting},
                       text=text)  # fmt: skip

    result = notify(
        actor=actor,
        recipients=recipients,
        kind=POLL_REMINDER,
        message=message,
        link=reverse("meetings:poll_answer", args=[meeting.pk]),
        target=meeting,
        dedupe_key=dedupe_key,
    )
    return result.notified + result.guests_emailed


def polls_remind(*, now=None) -> int:
    """Open polls whose deadline is within POLL_AHEAD_DAYS days: once per deadline."""
    today = timezone.localdate(now)
    polls = DatePoll.objects.filter(
        is_open=True,
        deadline__isnull=False,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=POLL_AHEAD_DAYS),
    ).select_related("meeting__series")
    return sum(
        poll_remind(actor=None, poll=p, dedupe_key=f"poll-reminder:{p.pk}:{p.deadline}")
        for p in polls
    )


def register() -> None:
    register_kind(ACTION_DUE, gettext_lazy("An action item of yours is due soon"))
    register_kind(ACTIONS_OVERDUE, gettext_lazy("Your overdue action items (daily)"))
    register_kind(POLL_REMINDER, gettext_lazy("Reminder to answer a date poll"))
    register_reminder("meetings.action_due", action_due_remind)
    register_reminder("meetings.actions_overdue", actions_overdue_remind)
    register_reminder("meetings.polls", polls_remind)
