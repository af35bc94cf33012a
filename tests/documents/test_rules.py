"""Every permission of the documents app against every role (explicit table)."""

import pytest
import rules

from kyokan.apps.core.roles import Role
from tests.conftest import ROLE_NAMES

R = Role
CITY_STAFF = {R.SECRETARIAT, R.HQ_CHIEF, R.HQ_DEPUTY, R.HQ_MEMBER, R.PROMOTER, R.STAFF, R.SYSADMIN}

EXPECTED = {
    "documents.view_documents": CITY_STAFF,
    "documents.edit_documents": {R.SECRETARIAT},
    "documents.comment": CITY_STAFF,
    "documents.endorse": CITY_STAFF,
    "documents.answer_comments": {R.SECRETARIAT},
}


def test_the_table_lists_every_documents_permission():
    assert {n for n in rules.permissions.permissions if n.startswith("documents.")} == set(EXPECTED)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_permission_for_role(perm, role, people):
    assert people[role].has_perm(perm) is (role in EXPECTED[perm])
