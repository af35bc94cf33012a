"""What meetings tell whom (issue 10, item 2): the invitation (people and guests with their
personal link, once per invitation), the papers and the minutes published, an action item
assigned to its owner."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.models import Notification, OutgoingEmail
from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services
from kyokan.apps.meetings.models import Meeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _told(kind, person=None):
    qs = Notification.objects.filter(kind=kind)
    return qs.filter(recipient=person) if person is not None else qs


def test_an_invited_person_and_guest_are_told_once_per_invitation(
    sysadmin, dated_meeting, django_capture_on_commit_callbacks
):
    person = UserFactory(email="member@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_add(actor=sysadmin, meeting=dated_meeting, people=[person])
        guest = services.invitation_add_guest(
            actor=sysadmin, meeting=dated_meeting, name="外部 有識者", email="ext@example.jp"
        )
    note = _told("meetings.invited", person).get()
    assert "令和" in note.body  # the date in 和暦 (the person reads Japanese)
    assert note.link == reverse("meetings:detail", args=[dated_meeting.pk])
    to_guest = [m for m in mail.outbox if m.to == ["ext@example.jp"]]
    assert len(to_guest) == 1
    assert reverse("meetings:poll_link", args=[guest.token]) in to_guest[0].body
    assert [m for m in mail.outbox if m.to == ["member@example.jp"]]
    # Inviting the same person again adds no invitation and tells nobody.
    services.invitations_add(actor=sysadmin, meeting=dated_meeting, people=[person])
    assert _told("meetings.invited").count() == 1
    assert OutgoingEmail.objects.filter(kind="meetings.invited").count() == 2


def test_a_reinvited_person_is_told_again_but_a_repeat_send_tells_nobody(sysadmin, dated_meeting):
    person = UserFactory()
    first = services.invitations_add(actor=sysadmin, meeting=dated_meeting, people=[person])
    assert services.invitations_notify(
        actor=sysadmin, meeting=dated_meeting, invitations=first.added
    ) == 0  # fmt: skip
    services.invitation_remove(actor=sysadmin, invitation=first.added[0])
    services.invitations_add(actor=sysadmin, meeting=dated_meeting, people=[person])
    assert _told("meetings.invited", person).count() == 2


def test_an_invitation_in_english_and_to_a_polled_meeting(sysadmin, hq_series, soon):
    english = UserFactory(language="en")
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    services.poll_open(
        actor=sysadmin,
        meeting=meeting,
        candidates=[(soon, soon + timedelta(hours=1))],
        deadline=timezone.localdate() + timedelta(days=5),
    )
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[english])
    note = _told("meetings.invited", english).get()
    assert note.subject.startswith("Invitation:")
    assert "date poll" in note.body and "Reiwa" in note.body
    assert note.link == reverse("meetings:poll_answer", args=[meeting.pk])


def test_nobody_is_told_of_an_invitation_to_a_past_or_held_meeting(sysadmin, hq_series):
    past = timezone.now() - timedelta(days=30)
    meeting = services.meeting_create(
        actor=sysadmin, series=hq_series, starts_at=past, ends_at=past + timedelta(hours=1)
    )
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[UserFactory()])
    services.meeting_set_status(actor=sysadmin, meeting=meeting, status=Meeting.Status.HELD)
    services.invitation_add_guest(actor=sysadmin, meeting=meeting, name="G", email="g@example.jp")
    assert not _told("meetings.invited").exists()
    assert not OutgoingEmail.objects.filter(kind="meetings.invited").exists()


def test_the_guest_link_without_a_poll_shows_the_meeting_and_the_published_packet(
    client, sysadmin, dated_meeting
):
    guest = services.invitation_add_guest(
        actor=sysadmin, meeting=dated_meeting, name="外部 有識者", email="ext@example.jp"
    )
    link = reverse("meetings:poll_link", args=[guest.token])
    download = reverse("meetings:guest_download", args=[guest.token, "packet", "docx"])
    page = client.get(link)
    assert page.status_code == 200 and "令和" in page.content.decode()
    assert download not in page.content.decode()
    assert client.get(download).status_code == 404  # not published yet
    services.agenda_item_create(actor=sysadmin, meeting=dated_meeting, title="DXの定義について")
    services.papers_publish(actor=sysadmin, meeting=dated_meeting)
    assert download in client.get(link).content.decode()
    response = client.get(download)
    assert response.status_code == 200 and response.content.startswith(b"PK")
    minutes = reverse("meetings:guest_download", args=[guest.token, "minutes", "docx"])
    assert client.get(minutes).status_code == 404
    wrong = reverse("meetings:guest_download", args=["wrong", "packet", "docx"])
    assert client.get(wrong).status_code == 404


def test_publishing_the_papers_tells_every_invitee_once_per_set_of_papers(
    sysadmin, dated_meeting, django_capture_on_commit_callbacks
):
    person = UserFactory(email="member@example.jp")
    services.invitations_add(actor=sysadmin, meeting=dated_meeting, people=[person])
    guest = services.invitation_add_guest(
        actor=sysadmin, meeting=dated_meeting, name="外部 有識者", email="ext@example.jp"
    )
    with pytest.raises(ValidationError):
        services.papers_publish(actor=sysadmin, meeting=dated_meeting)  # nothing to publish
    services.agenda_item_create(actor=sysadmin, meeting=dated_meeting, title="議題1")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.papers_publish(actor=sysadmin, meeting=dated_meeting)
    assert (result.notified, result.guests_emailed) == (1, 1)
    note = _told("meetings.papers_published", person).get()
    assert note.link.endswith("#papers")
    guest_mail = next(m for m in mail.outbox if m.to == ["ext@example.jp"])
    assert reverse("meetings:poll_link", args=[guest.token]) in guest_mail.body
    dated_meeting.refresh_from_db()
    assert dated_meeting.papers_published_at is not None
    # The same papers again: nobody is told twice. A new paper: everyone is told again.
    again = services.papers_publish(actor=sysadmin, meeting=dated_meeting)
    assert (again.notified, again.guests_emailed, again.skipped) == (0, 0, 2)
    services.paper_add_generated(actor=sysadmin, meeting=dated_meeting, generator="attendance")
    services.papers_publish(actor=sysadmin, meeting=dated_meeting)
    assert _told("meetings.papers_published", person).count() == 2


def test_the_minutes_are_published_once_written_at_a_held_meeting(sysadmin, hq_series):
    past = timezone.now() - timedelta(days=2)
    meeting = services.meeting_create(
        actor=sysadmin, series=hq_series, starts_at=past, ends_at=past + timedelta(hours=1)
    )
    person = UserFactory()
    services.invitations_add(actor=sysadmin, meeting=meeting, people=[person])
    item = services.agenda_item_create(actor=sysadmin, meeting=meeting, title="議題1")
    with pytest.raises(ValidationError, match="held"):
        services.minutes_publish(actor=sysadmin, meeting=meeting)
    services.meeting_set_status(actor=sysadmin, meeting=meeting, status=Meeting.Status.HELD)
    with pytest.raises(ValidationError, match="minutes"):
        services.minutes_publish(actor=sysadmin, meeting=meeting)
    services.minutes_save(actor=sysadmin, item=item, text="事務局より説明。")
    result = services.minutes_publish(actor=sysadmin, meeting=meeting)
    assert result.notified == 1
    assert _told("meetings.minutes_published", person).get().link.endswith("#agenda")


def test_the_publish_buttons_ask_first_and_are_for_the_secretariat(
    client_as, sysadmin, dated_meeting
):
    person = UserFactory()
    services.invitations_add(actor=sysadmin, meeting=dated_meeting, people=[person])
    services.agenda_item_create(actor=sysadmin, meeting=dated_meeting, title="議題1")
    url = reverse("meetings:papers_publish", args=[dated_meeting.pk])
    client = client_as(Role.SECRETARIAT)
    detail = client.get(reverse("meetings:detail", args=[dated_meeting.pk])).content.decode()
    assert url in detail
    assert client.get(url).status_code == 200  # the confirmation page
    assert not _told("meetings.papers_published").exists()
    response = client.post(url)
    assert response.status_code == 302
    assert _told("meetings.papers_published", person).exists()
    assert client_as(Role.STAFF).post(url).status_code == 403


def test_an_action_item_tells_its_owner_and_a_new_owner(sysadmin, dated_meeting):
    owner, other = UserFactory(), UserFactory()
    day = timezone.localtime(dated_meeting.starts_at).date() + timedelta(days=7)
    action = services.action_item_create(
        actor=sysadmin, meeting=dated_meeting, title="意見を取りまとめる", owner=owner,
        due_date=day,
    )  # fmt: skip
    note = _told("meetings.action_assigned", owner).get()
    assert "意見を取りまとめる" in note.subject and "令和" in note.body
    services.action_item_update(
        actor=sysadmin, action=action, title="意見を取りまとめて報告する", owner=owner,
        due_date=day,
    )  # fmt: skip
    assert _told("meetings.action_assigned").count() == 1  # same owner: not told again
    services.action_item_update(
        actor=sysadmin, action=action, title=action.title, owner=other, due_date=day
    )
    assert _told("meetings.action_assigned", other).count() == 1
    # Assigning oneself tells nobody.
    services.action_item_create(
        actor=owner, meeting=dated_meeting, title="自分の宿題", owner=owner, due_date=day
    )
    assert _told("meetings.action_assigned", owner).count() == 1
