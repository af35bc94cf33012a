"""Scheduled reminders of meetings (issue 10, item 2): action items due and overdue, polls
not answered; idempotent through kyokan send-reminders."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kyokan.apps.core.models import Notification, OutgoingEmail
from kyokan.apps.core.notifications import reminders_run
from kyokan.apps.meetings import reminders, services
from kyokan.apps.meetings.models import ActionItem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _action(actor, meeting, owner, due):
    later = timezone.localtime(meeting.starts_at).date() + timedelta(days=1)
    item = services.action_item_create(
        actor=actor, meeting=meeting, title=f"宿題 {due}", owner=owner, due_date=later
    )
    # The due date may lie before the meeting in these tests: set it as the past would have.
    ActionItem.objects.filter(pk=item.pk).update(due_date=due)
    return item


def test_due_soon_and_overdue_reach_the_owner_once(sysadmin, dated_meeting):
    owner = UserFactory(email="owner@example.jp")
    today = timezone.localdate()
    _action(sysadmin, dated_meeting, owner, today + timedelta(days=2))
    _action(sysadmin, dated_meeting, owner, today + timedelta(days=30))  # not yet
    _action(sysadmin, dated_meeting, owner, today - timedelta(days=1))
    _action(sysadmin, dated_meeting, owner, today - timedelta(days=9))
    Notification.objects.all().delete()  # the "assigned" notifications, if any
    first = reminders_run()
    assert first["meetings.action_due"] == 1
    assert first["meetings.actions_overdue"] == 1  # one digest for both overdue items
    digest = Notification.objects.get(recipient=owner, kind=reminders.ACTIONS_OVERDUE)
    assert "2" in digest.subject and digest.body.count("\n") == 1  # two items, one line each
    second = reminders_run()
    assert second["meetings.action_due"] == 0 and second["meetings.actions_overdue"] == 0
    # The next day the overdue digest comes again (once).
    tomorrow = timezone.now() + timedelta(days=1)
    assert reminders_run(now=tomorrow)["meetings.actions_overdue"] == 1


def test_done_items_are_not_reminded(sysadmin, dated_meeting):
    owner = UserFactory()
    item = _action(sysadmin, dated_meeting, owner, timezone.localdate() - timedelta(days=3))
    ActionItem.objects.filter(pk=item.pk).update(status=ActionItem.Status.DONE)
    assert reminders.actions_overdue_remind() == 0


def test_a_poll_reminder_reaches_only_those_who_have_not_answered(sysadmin, hq_series, soon):
    answered, silent = UserFactory(email="a@example.jp"), UserFactory(email="s@example.jp")
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    added = services.invitations_add(actor=sysadmin, meeting=meeting, people=[answered, silent])
    services.invitation_add_guest(
        actor=sysadmin, meeting=meeting, name="有識者", email="guest@example.jp"
    )
    poll = services.poll_open(
        actor=sysadmin,
        meeting=meeting,
        candidates=[(soon, soon + timedelta(hours=1))],
        deadline=timezone.localdate() + timedelta(days=1),
    )
    candidate = poll.candidates.get()
    services.poll_answer(invitation=added.added[0], answers={candidate.pk: ("yes", "")})
    Notification.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    call_command("send_reminders")
    told = set(
        Notification.objects.filter(kind=reminders.POLL_REMINDER).values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {"s@example.jp"}
    guest_mail = OutgoingEmail.objects.get(kind=reminders.POLL_REMINDER, to="guest@example.jp")
    assert "/p/" in guest_mail.body  # the guest's personal link
    call_command("send_reminders")  # idempotent
    assert Notification.objects.filter(kind=reminders.POLL_REMINDER).count() == 1
    assert OutgoingEmail.objects.filter(kind=reminders.POLL_REMINDER).count() == 2
