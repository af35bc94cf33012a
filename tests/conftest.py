import pytest

from kyokan.apps.core.roles import Role
from tests.factories import MunicipalityFactory, UserFactory

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
