"""Every id or text parameter of the meetings views, however malformed, gets a page, a
form error or a 404 — never a 500."""

from datetime import timedelta

import pytest
from django.urls import reverse

from kyokan.apps.core.roles import Role
from kyokan.apps.documents import services as document_services
from kyokan.apps.meetings import services
from kyokan.apps.meetings.models import Meeting

BAD_IDS = ["abc", "-1", "1.5", "9" * 30, "１", "", "%00"]


@pytest.fixture
def polled(sysadmin, hq_series, soon):
    meeting = services.meeting_create(actor=sysadmin, series=hq_series)
    services.poll_open(
        actor=sysadmin, meeting=meeting, candidates=[(soon, soon + timedelta(hours=1))]
    )
    return meeting


@pytest.mark.parametrize("bad", BAD_IDS)
def test_fixing_a_poll_with_a_malformed_candidate_is_not_found(bad, client_as, polled):
    response = client_as(Role.SECRETARIAT).post(
        reverse("meetings:poll_fix", args=[polled.pk]), {"candidate": bad}
    )
    assert response.status_code == 404
    polled.refresh_from_db()
    assert polled.status == Meeting.Status.PLANNING


@pytest.mark.parametrize("bad", BAD_IDS)
def test_query_string_ids_never_fail(bad, client_as, sysadmin, dated_meeting):
    item = services.agenda_item_create(actor=sysadmin, meeting=dated_meeting, title="議題")
    client = client_as(Role.SECRETARIAT)
    for url in (
        reverse("meetings:create") + f"?series={bad}",
        reverse("meetings:decision_add", args=[dated_meeting.pk]) + f"?item={bad}",
        reverse("meetings:action_create", args=[dated_meeting.pk]) + f"?item={bad}",
        reverse("meetings:list") + f"?kind={bad}&status={bad}&q={bad}&page={bad}",
        reverse("meetings:actions") + f"?status={bad}&mine={bad}&page={bad}",
        reverse("meetings:knowledge") + f"?q={bad}&page={bad}",
        reverse("meetings:training") + f"?page={bad}",
        reverse("meetings:item_links", args=[item.pk]) + f"?type={bad}&q={bad}",
    ):
        assert client.get(url).status_code == 200, url


def test_the_link_search_ignores_control_characters(client_as, sysadmin, dated_meeting, city):
    document = document_services.document_create(
        actor=sysadmin, kind="strategy", title="強靱化戦略"
    )
    document_services.version_create(actor=sysadmin, document=document, label="令和3年度版")
    item = services.agenda_item_create(actor=sysadmin, meeting=dated_meeting, title="議題")
    url = reverse("meetings:item_links", args=[item.pk])
    page = client_as(Role.SECRETARIAT).get(url + "?type=documents.version&q=%00強靱化")
    assert page.status_code == 200
    assert "強靱化戦略 令和3年度版" in page.content.decode()  # a NUL breaks PostgreSQL
