"""The meetings pages' query counts do not grow with the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core.roles import Role
from kyokan.apps.meetings import services
from kyokan.apps.meetings.models import PollAnswer
from tests.factories import UserFactory


def _grow(sysadmin, series, meeting, n: int) -> None:
    """n more of everything the pages list."""
    day = timezone.localtime(meeting.starts_at).date()
    people = [UserFactory(roles=[Role.STAFF]) for _ in range(n)]
    services.invitations_add(actor=sysadmin, meeting=meeting, people=people)
    for i, person in enumerate(people):
        item = services.agenda_item_create(
            actor=sysadmin, meeting=meeting, title=f"議題{i}", presenter=person
        )
        services.decision_add(actor=sysadmin, meeting=meeting, text=f"決定{i}", agenda_item=item)
        services.action_item_create(
            actor=sysadmin, meeting=meeting, title=f"宿題{i}", owner=person, due_date=day,
            agenda_item=item,
        )  # fmt: skip
        services.paper_add_generated(
            actor=sysadmin, meeting=meeting, generator="attendance", agenda_item=item
        )
        services.meeting_create(actor=sysadmin, series=series, starts_at=meeting.starts_at)
    poll = meeting.series.meetings.get(number=1).poll
    for invitation in meeting.series.meetings.get(number=1).invitations.all():
        for candidate in poll.candidates.all():
            PollAnswer.objects.get_or_create(
                candidate=candidate, invitation=invitation, defaults={"choice": "yes"}
            )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["list", "detail", "poll", "actions", "home"])
def test_meeting_pages_do_not_grow(page, client_as, sysadmin, hq_series, people, soon):
    polled = services.meeting_create(actor=sysadmin, series=hq_series)
    services.invitations_add(actor=sysadmin, meeting=polled, people=[people[Role.STAFF]])
    services.poll_open(
        actor=sysadmin,
        meeting=polled,
        candidates=[(soon + timedelta(days=d), soon + timedelta(days=d, hours=1)) for d in (1, 2)],
    )
    meeting = services.meeting_create(
        actor=sysadmin, series=hq_series, starts_at=soon, ends_at=soon + timedelta(hours=1)
    )
    url = {
        "list": reverse("meetings:list"),
        "detail": reverse("meetings:detail", args=[meeting.pk]),
        "poll": reverse("meetings:poll", args=[polled.pk]),
        "actions": reverse("meetings:actions") + "?status=all",
        "home": "/",
    }[page]
    client = client_as(Role.SECRETARIAT)
    _grow(sysadmin, hq_series, meeting, 2)
    small = _count(client, url)
    services.invitations_add(
        actor=sysadmin, meeting=polled, people=[UserFactory() for _ in range(5)]
    )
    _grow(sysadmin, hq_series, meeting, 12)
    large = _count(client, url)
    assert large == small
