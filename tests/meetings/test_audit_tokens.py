"""A guest's personal link (/p/<token>/) is a credential: the audit trail and its CSV
record that an invitation has one, never the token."""

import json

import pytest
from django.urls import reverse

from kyokan.apps.core.audit import audit_verify
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services


def _trail_text() -> str:
    return json.dumps(
        list(AuditEvent.objects.values("summary", "target_repr", "before", "after")),
        ensure_ascii=False,
    )


@pytest.fixture
def invitations(sysadmin, people, dated_meeting):
    guest = services.invitation_add_guest(
        actor=sysadmin, meeting=dated_meeting, name="山田 花子", email="yamada@example.jp"
    )
    staff = services.invitations_add(
        actor=sysadmin, meeting=dated_meeting, people=[people[Role.HQ_MEMBER]]
    ).added[0]
    return guest, staff


def test_creating_invitations_records_that_a_token_exists_not_the_token(invitations):
    trail = _trail_text()
    for invitation in invitations:
        assert invitation.token and invitation.token not in trail
        event = AuditEvent.objects.get(
            action=AuditEvent.Action.CREATE,
            target_type="meetings.invitation",
            target_id=str(invitation.pk),
        )
        assert event.after["token"] == services.TOKEN_IN_AUDIT
        assert event.after["meeting"] == invitation.meeting_id  # the rest is recorded
    assert audit_verify().ok


def test_removing_an_invitation_records_no_token(sysadmin, invitations):
    guest, _staff = invitations
    token = guest.token
    services.invitation_remove(actor=sysadmin, invitation=guest)
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.DELETE, target_type="meetings.invitation"
    )
    assert event.before["token"] == services.TOKEN_IN_AUDIT
    assert event.before["name"] == "山田 花子"
    assert token not in _trail_text()


def test_updates_and_answers_through_the_link_record_no_token(sysadmin, invitations, client):
    guest, _staff = invitations
    services.invitation_update(actor=sysadmin, invitation=guest, required=True)
    services.attendance_record(
        actor=sysadmin, meeting=guest.meeting, attendance={guest.pk: "present"}
    )
    client.get(reverse("meetings:poll_link", args=[guest.token]))
    assert guest.token not in _trail_text()
    with pytest.raises(ValueError):
        services.invitation_update(actor=sysadmin, invitation=guest, token="chosen")


def test_the_audit_csv_holds_no_token(client_as, invitations):
    guest, staff = invitations
    response = client_as(Role.SYSADMIN).get(reverse("core:audit_export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8-sig")
    assert services.TOKEN_IN_AUDIT in text
    assert guest.token not in text and staff.token not in text
