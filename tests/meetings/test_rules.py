"""Every permission of the meetings app against every role (explicit table)."""

from datetime import timedelta

import pytest
import rules

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services
from tests.conftest import ROLE_NAMES

R = Role
CITY_STAFF = {R.SECRETARIAT, R.HQ_CHIEF, R.HQ_DEPUTY, R.HQ_MEMBER, R.PROMOTER, R.STAFF, R.SYSADMIN}

EXPECTED = {
    "meetings.view_meetings": CITY_STAFF | {R.EXPERT},
    "meetings.view_all_meetings": CITY_STAFF,
    "meetings.manage_meetings": {R.SECRETARIAT},
    "meetings.view_knowledge": CITY_STAFF,
    "meetings.view_training": CITY_STAFF,
}
OBJECT_RULES = {
    "meetings.view_meeting",
    "meetings.answer_poll",
    "meetings.complete_action",
    "meetings.assess_skills",
}


def test_the_table_lists_every_meetings_permission():
    declared = {n for n in rules.permissions.permissions if n.startswith("meetings.")}
    assert declared == set(EXPECTED) | OBJECT_RULES


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_permission_for_role(perm, role, people):
    assert people[role].has_perm(perm) is (role in EXPECTED[perm])


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_view_meeting_experts_only_when_invited(role, people, sysadmin, dated_meeting):
    user = people[role]
    expected_uninvited = role in CITY_STAFF
    assert user.has_perm("meetings.view_meeting", dated_meeting) is expected_uninvited
    services.invitations_add(actor=sysadmin, meeting=dated_meeting, people=[user])
    user.__dict__.pop("_kyokan_invited", None)
    expected_invited = role in CITY_STAFF or role == R.EXPERT
    assert user.has_perm("meetings.view_meeting", dated_meeting) is expected_invited


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_answer_poll_only_own_invitation(role, people, sysadmin, dated_meeting):
    mine = services.invitations_add(
        actor=sysadmin, meeting=dated_meeting, people=[people[role]]
    ).added[0]
    other_person = people[R.STAFF if role != R.STAFF else R.PROMOTER]
    other = services.invitations_add(
        actor=sysadmin, meeting=dated_meeting, people=[other_person]
    ).added[0]
    assert people[role].has_perm("meetings.answer_poll", mine)
    assert not people[role].has_perm("meetings.answer_poll", other)
    assert not people[role].has_perm("meetings.answer_poll", None)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_complete_action_owner_or_secretariat(role, people, sysadmin, dated_meeting, soon):
    owner = people[R.STAFF]
    action = services.action_item_create(
        actor=sysadmin,
        meeting=dated_meeting,
        title="宿題",
        owner=owner,
        due_date=soon.date() + timedelta(days=1),
    )
    expected = role in (R.SECRETARIAT, R.STAFF)
    assert people[role].has_perm("meetings.complete_action", action) is expected
