"""Walk every URL pattern and check that anonymous users and each role get exactly what the
view's declared permission allows: public views are the only ones anonymous users reach."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kyokan.apps.core import services
from kyokan.apps.core.access import PUBLIC, declared_access
from kyokan.apps.core.models import AuditEvent, ClosedDay, FiscalYear
from tests.conftest import ALL_VIEWERS


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", p


ALL_PATTERNS = sorted(_walk(get_resolver().url_patterns))


@pytest.fixture
def objects(people, sysadmin):
    """One object of each kind that a URL can point at."""
    division = people["staff"].department
    services.closed_day_create(actor=sysadmin, date=date(2023, 8, 14), name="点検")
    services.fiscal_year_create(actor=sysadmin, year=2023)
    return {
        "person": people["staff"],
        "department": division,
        "bureau": division.parent,
        "closed_day": ClosedDay.objects.get(),
        "fiscal_year": FiscalYear.objects.get(),
        "audit_event": AuditEvent.objects.order_by("id").first(),
    }


# URL name → its arguments, built from ``objects``. A new URL with arguments must be
# added here, or the walk fails and says so.
ARGS = {
    "core:person_detail": lambda o: {"pk": o["person"].pk},
    "core:person_edit": lambda o: {"pk": o["person"].pk},
    "core:person_roles": lambda o: {"pk": o["person"].pk},
    "core:person_active": lambda o: {"pk": o["person"].pk},
    "core:person_password": lambda o: {"pk": o["person"].pk},
    "core:department_detail": lambda o: {"pk": o["department"].pk},
    "core:department_edit": lambda o: {"pk": o["department"].pk},
    "core:department_delete": lambda o: {"pk": o["department"].pk},
    "core:fiscal_year_detail": lambda o: {"year": o["fiscal_year"].year},
    "core:closed_day_delete": lambda o: {"pk": o["closed_day"].pk},
    "core:audit_detail": lambda o: {"pk": o["audit_event"].pk},
}


def test_every_view_declares_its_access():
    undeclared = [name for name, p in ALL_PATTERNS if declared_access(p.callback) is None]
    assert undeclared == []


def test_the_walk_covers_a_sensible_number_of_urls():
    assert len(ALL_PATTERNS) >= 25


@pytest.mark.parametrize("viewer", ALL_VIEWERS)
def test_each_role_gets_exactly_what_it_may(viewer, client_as, people, objects):
    client = client_as(viewer)
    user = people.get(viewer)
    login_url = reverse("login")
    wrong = []
    for name, pattern in ALL_PATTERNS:
        kwargs = ARGS[name](objects) if pattern.pattern.converters else {}
        url = reverse(name, kwargs=kwargs)
        access = declared_access(pattern.callback)
        loader = getattr(pattern.callback, "kyokan_object", None)
        if access == PUBLIC:
            allowed = True
        elif user is None:
            allowed = False
        else:
            allowed = user.has_perm(access, loader(**kwargs) if loader else None)
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


def test_anonymous_reaches_only_public_views(client, objects):
    public_names = {n for n, p in ALL_PATTERNS if declared_access(p.callback) == PUBLIC}
    assert public_names == {"login", "logout", "set_language", "healthz"}
    reached = set()
    for name, pattern in ALL_PATTERNS:
        kwargs = ARGS[name](objects) if pattern.pattern.converters else {}
        if client.get(reverse(name, kwargs=kwargs)).status_code in (200, 405):
            reached.add(name)
    assert reached == {"login", "logout", "healthz"}


def test_an_undeclared_view_is_refused(rf, people):
    from kyokan.apps.core.middleware import AccessDeclaredMiddleware

    def bare_view(request):
        raise AssertionError("must not run")

    middleware = AccessDeclaredMiddleware(lambda r: None)
    request = rf.get("/")
    request.user = people["sysadmin"]
    with pytest.raises(PermissionDenied):
        middleware.process_view(request, bare_view, (), {})
