"""Meetings in the site search (issue 10, item 4): meetings, agenda items with their
minutes, expert inputs — city staff find all, an expert only what belongs to meetings they
are invited to, a citizen nothing."""

import pytest

from kyokan.apps.core.roles import Role
from kyokan.apps.core.search import index_rebuild, site_search
from kyokan.apps.meetings import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _found(user, query):
    return {g.key: [h.title for h in g.hits] for g in site_search(user, query)}


@pytest.fixture
def exchanges(sysadmin, people):
    series = services.series_create(actor=sysadmin, name="有識者との意見交換会", kind="exchange")
    mine = services.meeting_create(actor=sysadmin, series=series, theme="データ利活用")
    other = services.meeting_create(actor=sysadmin, series=series, theme="デジタルデバイド対策")
    services.invitations_add(actor=sysadmin, meeting=mine, people=[people[Role.EXPERT]])
    guest = services.invitation_add_guest(
        actor=sysadmin, meeting=other, name="外部 委員", email="ext@example.jp"
    )
    me = mine.invitations.get()
    for meeting, expert, word in ((mine, me, "オープンデータ"), (other, guest, "スマホ教室")):
        item = services.agenda_item_create(actor=sysadmin, meeting=meeting, title="意見交換")
        services.minutes_save(actor=sysadmin, item=item, text=f"{word}について議論した。")
        services.expert_input_create(
            actor=sysadmin, meeting=meeting, expert=expert, title=f"{word}の知見",
            body=f"{word}を進めるべきである。",
        )  # fmt: skip
    return mine, other


def test_an_expert_finds_only_what_they_are_invited_to(people, exchanges):
    mine, _other = exchanges
    expert = people[Role.EXPERT]
    found = _found(expert, "おーぷんでーた")
    assert found["meetings.agenda_item"] == [f"{mine} 意見交換"]
    assert found["meetings.expert_input"] == ["オープンデータの知見"]
    assert _found(expert, "すまほ") == {}  # the other exchange: not invited
    assert _found(expert, "デジタルデバイド") == {}
    assert _found(expert, "意見交換会") == {
        "meetings.meeting": [str(mine)],
        "meetings.agenda_item": [f"{mine} 意見交換"],
    }


def test_city_staff_find_every_meeting_and_citizens_none(people, exchanges):
    mine, other = exchanges
    staff = _found(people[Role.STAFF], "意見交換会")
    assert sorted(staff["meetings.meeting"]) == sorted([str(mine), str(other)])
    assert _found(people[Role.STAFF], "スマホ")["meetings.expert_input"] == ["スマホ教室の知見"]
    assert _found(people[Role.CITIZEN], "意見交換") == {}
    assert _found(people[Role.CITIZEN], "スマホ") == {}


def test_changes_and_reindex(people, sysadmin, exchanges):
    mine, _other = exchanges
    services.meeting_update(actor=sysadmin, meeting=mine, theme="生成AIの活用")
    assert _found(people[Role.STAFF], "生成ai")["meetings.meeting"] == [str(mine)]
    expert_input = mine.expert_inputs.get()
    services.expert_input_delete(actor=sysadmin, expert_input=expert_input)
    assert "meetings.expert_input" not in _found(people[Role.STAFF], "オープンデータ")
    counts = index_rebuild(
        kinds=["meetings.meeting", "meetings.agenda_item", "meetings.expert_input"]
    )
    assert counts == {"meetings.meeting": 2, "meetings.agenda_item": 2, "meetings.expert_input": 1}
    assert _found(people[Role.EXPERT], "生成AI") == {"meetings.meeting": [str(mine)]}


def test_an_expert_invited_later_finds_the_meeting(people, sysadmin, exchanges):
    _mine, other = exchanges
    newcomer = UserFactory(roles=[Role.EXPERT])
    assert _found(newcomer, "スマホ") == {}
    services.invitations_add(actor=sysadmin, meeting=other, people=[newcomer])
    assert _found(newcomer, "スマホ")["meetings.expert_input"] == ["スマホ教室の知見"]
