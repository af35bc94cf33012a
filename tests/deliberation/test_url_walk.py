"""The URL walk of tests/core/test_url_access.py, for the deliberation app's URLs alone
(fast to run while working on the app): every role gets exactly what its permission says."""

from datetime import timedelta

import pytest
from django.urls import get_resolver
from django.utils import timezone

from kyokan.apps.core.access import PUBLIC, declared_access
from tests.conftest import ALL_VIEWERS
from tests.core.test_url_access import _walk, wrong_answers

from . import urlwalk

PATTERNS = [
    (n, p) for n, p in sorted(_walk(get_resolver().url_patterns)) if n.startswith("deliberation:")
]


@pytest.fixture
def objects(people, sysadmin):
    from kyokan.apps.meetings import services as ms

    series = ms.series_create(actor=sysadmin, name="検討部会", kind="study")
    start = timezone.now().replace(microsecond=0) + timedelta(days=5)
    ms.meeting_create(
        actor=sysadmin, series=series, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    return urlwalk.objects(people)


def test_every_deliberation_url_has_arguments_and_a_declaration():
    assert len(PATTERNS) >= 40
    for name, pattern in PATTERNS:
        assert declared_access(pattern.callback), name
        if pattern.pattern.converters:
            assert name in urlwalk.ARGS, name


@pytest.mark.parametrize("viewer", ALL_VIEWERS)
def test_each_role_gets_exactly_what_it_may(viewer, client_as, people, objects):
    client = client_as(viewer)
    wrong = wrong_answers(client, people.get(viewer), PATTERNS, urlwalk.ARGS, objects)
    assert wrong == []


def test_the_public_views_are_the_citizens_ones():
    public = {n for n, p in PATTERNS if declared_access(p.callback) == PUBLIC}
    assert public == urlwalk.PUBLIC
