"""The public survey's limit per address sees the citizen's address behind the proxy, and
its counter is shared by every worker process (issue 8, item 8)."""

import pytest
from django.urls import reverse

from kyokan.apps.core.models import RateCounter
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import services
from kyokan.apps.surveys.models import Response
from kyokan.apps.surveys.views import surveys as views

from .conftest import make_survey

pytestmark = pytest.mark.django_db


def test_behind_a_trusted_proxy_each_citizen_has_an_own_limit(client, people, settings):
    settings.KYOKAN_TRUSTED_PROXIES = ["10.0.0.5"]
    secretary = people[Role.SECRETARIAT]
    survey, q = make_survey(secretary, audience="public", anonymous=True)
    services.survey_open(actor=secretary, survey=survey)
    url = reverse("surveys:public_answer", args=[survey.public_token])
    data = {f"q{q['text'].pk}": "窓口の待ち時間を減らしてほしい"}
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for _ in range(views.PUBLIC_SUBMISSIONS_PER_HOUR + 2):
        client.cookies.clear()
        client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)
    assert Response.objects.count() == views.PUBLIC_SUBMISSIONS_PER_HOUR
    # Another citizen behind the same proxy is not refused.
    client.cookies.clear()
    client.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert Response.objects.count() == views.PUBLIC_SUBMISSIONS_PER_HOUR + 1
    # The counters are database rows (shared by every process), keyed by a hash.
    assert RateCounter.objects.count() == 2
    assert not RateCounter.objects.filter(key__contains="203.0.113.1").exists()


def test_over_the_limit_the_answers_typed_are_shown_again(client, people):
    """Over the limit nothing is saved and the form comes back with the citizen's text
    (a redirect to the empty form lost it)."""
    secretary = people[Role.SECRETARIAT]
    survey, q = make_survey(secretary, audience="public", anonymous=True)
    services.survey_open(actor=secretary, survey=survey)
    url = reverse("surveys:public_answer", args=[survey.public_token])
    for _ in range(views.PUBLIC_SUBMISSIONS_PER_HOUR):
        client.cookies.clear()
        client.post(url, {f"q{q['text'].pk}": "窓口の待ち時間"})
    client.cookies.clear()
    typed = "夜間や休日にも届出を出せるようにしてほしい"
    response = client.post(url, {f"q{q['text'].pk}": typed})
    assert response.status_code == 429
    page = response.content.decode()
    assert typed in page
    assert "このアドレスからの回答が多すぎます" in page
    assert Response.objects.count() == views.PUBLIC_SUBMISSIONS_PER_HOUR
