"""A page's query count must not grow with the data: measured with little data, then with
much more, and the two counts must be equal."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kyokan.apps.core import services
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from tests.factories import BureauFactory, DivisionFactory, UserFactory

PAGES = [
    ("core:home", {}),
    ("core:people", {}),
    ("core:people", {"q": "試験"}),
    ("core:departments", {}),
    ("core:department_detail", "bureau"),
    ("core:person_detail", "person"),
    ("core:fiscal_years", {}),
    ("core:fiscal_year_detail", "year"),
    ("core:audit", {}),
    ("core:audit", {"action": "create"}),
    ("core:audit_detail", "event"),
    ("core:profile", {}),
    ("core:notifications", {}),
    ("core:my_work", {}),
    ("core:search", {"q": "試験"}),
    ("core:search", {"q": "しけん"}),
    ("core:outbox", {"status": "failed"}),
    ("core:staff_import", {}),
]


def _grow(sysadmin, bureau, n: int, offset: int) -> None:
    """n more of everything: bureaus with divisions, people with roles, years, closed days."""
    for i in range(n):
        b = BureauFactory()
        for _ in range(3):
            d = DivisionFactory(parent=b)
            UserFactory(department=d, roles=[Role.STAFF, Role.PROMOTER])
        UserFactory(department=DivisionFactory(parent=bureau), roles=[Role.HQ_MEMBER])
        services.fiscal_year_create(actor=sysadmin, year=2040 + offset // 4 + i)
        services.closed_day_create(
            actor=sysadmin, date=date(2023, 5, 8) + timedelta(days=offset + i), name="点検"
        )
        services.department_update(actor=sysadmin, department=b, code=f"B{offset + i}")
    from kyokan.apps.core.models import Notification, OutgoingEmail, StaffImport
    from kyokan.apps.core.search import index_rebuild

    Notification.objects.bulk_create(
        Notification(recipient=sysadmin, kind="core.digest", subject=f"通知{offset + i}")
        for i in range(n)
    )
    OutgoingEmail.objects.bulk_create(
        OutgoingEmail(to="x@example.jp", kind="core.digest", subject="件名", body="本文",
                      status="failed")
        for _ in range(n)
    )  # fmt: skip
    StaffImport.objects.bulk_create(
        StaffImport(effective_on=date(2023, 4, 1), filename=f"{offset + i}.csv", content=b"x")
        for i in range(n)
    )
    index_rebuild(kinds=["core.user", "core.department"])


def _count(client, name, arg, objs) -> int:
    if isinstance(arg, str):
        url = reverse(name, args=[objs[arg]])
        params = {}
    else:
        url, params = reverse(name), arg
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, (name, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "arg"), PAGES, ids=[f"{n}{a}" for n, a in PAGES])
def test_query_count_does_not_grow(name, arg, client_as, people, sysadmin):
    bureau = people[Role.STAFF].department.parent
    services.fiscal_year_create(actor=sysadmin, year=2023)
    objs = {
        "bureau": bureau.pk,
        "person": people[Role.PROMOTER].pk,
        "year": 2023,
        "event": AuditEvent.objects.order_by("id").first().pk,
    }
    client = client_as(Role.SYSADMIN)
    _grow(sysadmin, bureau, 3, 0)
    small = _count(client, name, arg, objs)
    _grow(sysadmin, bureau, 30, 100)
    large = _count(client, name, arg, objs)
    assert large == small
