"""The URL walk of tests/core/test_url_access.py, for the deliberation app's URLs alone
(fast to run while working on the app): every role gets exactly what its permission says."""

from datetime import timedelta

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from kyokan.apps.core.access import PUBLIC, declared_access
from tests.conftest import ALL_VIEWERS
from tests.core.test_url_access import _walk

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
    user = people.get(viewer)
    login_url = reverse("login")
    wrong = []
    for name, pattern in PATTERNS:
        kwargs = urlwalk.ARGS[name](objects) if pattern.pattern.converters else {}
        url = reverse(name, kwargs=kwargs)
        access = declared_access(pattern.callback)
        loader = getattr(pattern.callback, "kyokan_object", None)
        if access == PUBLIC:
            allowed = True
        elif user is None:
            allowed = False
        else:
            allowed = user.has_perm(access, loader(user=user, **kwargs) if loader else None)
        response = client.get(url)
        location = response.get("Location", "")
        if allowed:
            ok = response.status_code in (200, 302, 405) and not location.startswith(login_url)
        elif user is None:
            ok = response.status_code == 302 and location.startswith(login_url)
        else:
            ok = response.status_code == 403
        if not ok:
            wrong.append((name, url, access, allowed, response.status_code, location))
    assert wrong == []


def test_the_public_views_are_the_citizens_ones():
    public = {n for n, p in PATTERNS if declared_access(p.callback) == PUBLIC}
    assert public == urlwalk.PUBLIC
