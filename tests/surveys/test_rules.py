import pytest
import rules

from kyokan.apps.core.roles import Role
from tests.conftest import ROLE_NAMES

R = Role
CITY_STAFF = {R.SECRETARIAT, R.HQ_CHIEF, R.HQ_DEPUTY, R.HQ_MEMBER, R.PROMOTER, R.STAFF, R.SYSADMIN}
EXPECTED = {
    "surveys.view_surveys": CITY_STAFF,
    "surveys.manage_surveys": {R.SECRETARIAT},
    "surveys.view_results": {R.SECRETARIAT, R.HQ_CHIEF, R.HQ_DEPUTY, R.HQ_MEMBER},
}


def test_the_table_lists_every_surveys_permission():
    assert {n for n in rules.permissions.permissions if n.startswith("surveys.")} == set(EXPECTED)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_permission_for_role(perm, role, people):
    assert people[role].has_perm(perm) is (role in EXPECTED[perm])
