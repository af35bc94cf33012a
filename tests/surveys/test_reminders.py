"""A survey's audience is told when it opens, and reminded if they have not answered
(issue 10, item 2): staff audiences only, once per reminder."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from kyokan.apps.core.models import Notification
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import reminders, services

from .conftest import make_survey

pytestmark = pytest.mark.django_db


def _told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_opening_tells_the_audience_and_a_public_survey_tells_nobody(people):
    secretary = people[Role.SECRETARIAT]
    survey, _q = make_survey(secretary, audience="hq")
    services.survey_open(actor=secretary, survey=survey)
    assert _told(reminders.OPENED) == {"as-hq_chief", "as-hq_deputy", "as-hq_member"}
    public, _ = make_survey(secretary, audience="public", anonymous=True, title="市民の声")
    before = Notification.objects.count()
    services.survey_open(actor=secretary, survey=public)
    assert Notification.objects.count() == before


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_reminder_reaches_only_those_who_have_not_answered(people, client_as, anonymous):
    secretary = people[Role.SECRETARIAT]
    survey, q = make_survey(secretary, audience="hq", anonymous=anonymous)
    services.survey_open(actor=secretary, survey=survey)
    chief = client_as(Role.HQ_CHIEF)
    response = chief.post(
        reverse("surveys:answer", args=[survey.pk]), {f"q{q['text'].pk}": "市民起点のDX"}
    )
    assert response.status_code == 302
    client = client_as(Role.SECRETARIAT)
    assert client.get(reverse("surveys:remind", args=[survey.pk])).status_code == 200
    assert client.post(reverse("surveys:remind", args=[survey.pk])).status_code == 302
    assert _told(reminders.REMINDER) == {"as-hq_deputy", "as-hq_member"}
    client.post(reverse("surveys:remind", args=[survey.pk]))  # the same day: nobody twice
    assert Notification.objects.filter(kind=reminders.REMINDER).count() == 2


def test_two_days_before_closing_the_reminder_is_scheduled_once(people):
    from datetime import timedelta

    from django.utils import timezone

    secretary = people[Role.SECRETARIAT]
    survey, _q = make_survey(secretary, audience="hq")
    survey.closes_on = timezone.localdate() + timedelta(days=1)
    survey.save()
    services.survey_open(actor=secretary, survey=survey)
    call_command("send_reminders")
    call_command("send_reminders")
    assert Notification.objects.filter(kind=reminders.REMINDER).count() == 3


def test_only_the_secretariat_sends_reminders(people, client_as):
    survey, _q = make_survey(people[Role.SECRETARIAT], audience="hq")
    services.survey_open(actor=people[Role.SECRETARIAT], survey=survey)
    for role in (Role.HQ_CHIEF, Role.STAFF, Role.PROMOTER):
        assert client_as(role).post(reverse("surveys:remind", args=[survey.pk])).status_code == 403
