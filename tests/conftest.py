import itertools
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from kyokan.apps.core.roles import Role
from tests.factories import MunicipalityFactory, UserFactory

# Fixtures through which a test reaches the database (pytest-django refuses it otherwise).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(config, items):
    """Mark ``no_db`` every test that asks for no database: the text-analysis and consensus
    libraries, parsers, pure functions. CI's PostgreSQL pass leaves them out (they ran on the
    SQLite pass and never open a connection, so PostgreSQL would tell nothing new)."""
    for item in items:
        uses_db = DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if not uses_db and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.no_db)


# One person per role, plus "anonymous". Tests that cover every role iterate over these.
ROLE_NAMES = [r.value for r in Role]
ALL_VIEWERS = ["anonymous", *ROLE_NAMES]


@pytest.fixture
def city(db):
    return MunicipalityFactory()


@pytest.fixture
def people(db, city):
    """A dict role → a person holding only that role."""
    return {role: UserFactory(username=f"as-{role}", roles=[role]) for role in ROLE_NAMES}


@pytest.fixture
def client_as(client, people):
    """client_as("secretariat") → a test client logged in with that role
    (or not logged in for "anonymous")."""

    def make(who: str):
        client.logout()
        if who != "anonymous":
            client.force_login(people[who])
        return client

    return make


@pytest.fixture
def sysadmin(people):
    return people[Role.SYSADMIN]


@pytest.fixture
def clock(monkeypatch):
    """set(day): from now on the clock reads 10:00 in Japan on ``day`` (moving on by a
    microsecond at each reading, so that creation times keep their order) — for the demo
    timeline tests, which load the demo as if on several days."""

    def set_day(day: date):
        start = datetime.combine(day, time(10), tzinfo=timezone.get_fixed_timezone(9 * 60))
        ticks = itertools.count()
        monkeypatch.setattr(timezone, "now", lambda: start + timedelta(microseconds=next(ticks)))

    return set_day


def submit_twice(client, url: str, data: dict):
    """POST a creation form twice with the one-time key of one GET of it (a double click, a
    resent POST): both answers redirect to the same place (the second creates nothing)."""
    import re

    match = re.search(r'name="once" value="([^"]+)"', client.get(url).content.decode())
    assert match, "the form carries a one-time key"
    first, second = (client.post(url, {**data, "once": match.group(1)}) for _ in range(2))
    assert first.status_code == 302, first.content.decode()[:2000]
    assert second.status_code == 302 and second["Location"] == first["Location"]
