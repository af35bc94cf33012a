"""The URL walk of tests/core/test_url_access.py restricted to the procedures app's URLs, so
that each role's access to them is checked even while another app's entry there fails (the
same objects, arguments and rule: allowed → 200/302/405, anonymous → the login page,
otherwise 403)."""

import pytest
from django.urls import reverse

from kyokan.apps.core.access import PUBLIC, declared_access
from tests.conftest import ALL_VIEWERS
from tests.core.test_url_access import ALL_PATTERNS, ARGS, objects  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PATTERNS = [(name, p) for name, p in ALL_PATTERNS if name.startswith("procedures:")]


def test_every_procedures_url_is_walked():
    assert len(PATTERNS) >= 14
    assert all(name in ARGS or not p.pattern.converters for name, p in PATTERNS)


@pytest.mark.parametrize("viewer", ALL_VIEWERS)
def test_each_role_gets_exactly_what_it_may(viewer, client_as, people, objects):  # noqa: F811
    client = client_as(viewer)
    user = people.get(viewer)
    login_url = reverse("login")
    wrong = []
    for name, pattern in PATTERNS:
        kwargs = ARGS[name](objects) if pattern.pattern.converters else {}
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
