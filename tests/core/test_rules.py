"""Every permission of the core app against every role, written out explicitly.

The table is the specification: a change to kyokan/apps/core/rules.py that lets a role do
more (or less) than this fails here.
"""

import pytest
import rules

from kyokan.apps.core.roles import Role
from tests.conftest import ROLE_NAMES

R = Role
CITY_STAFF = {R.SECRETARIAT, R.HQ_CHIEF, R.HQ_DEPUTY, R.HQ_MEMBER, R.PROMOTER, R.STAFF, R.SYSADMIN}
EVERYONE = set(Role)

EXPECTED: dict[str, set[str]] = {
    "core.use_app": EVERYONE,
    "core.view_people": CITY_STAFF,
    "core.manage_people": {R.SYSADMIN},
    "core.view_departments": CITY_STAFF,
    "core.manage_departments": {R.SYSADMIN},
    "core.view_municipality": {R.SECRETARIAT, R.SYSADMIN},
    "core.change_municipality": {R.SYSADMIN},
    "core.view_calendar": CITY_STAFF,
    "core.manage_calendar": {R.SECRETARIAT, R.SYSADMIN},
    "core.view_audit": {R.SECRETARIAT, R.SYSADMIN},
    "core.view_notifications": EVERYONE,
    "core.view_outbox": {R.SECRETARIAT, R.SYSADMIN},
    "core.import_staff": {R.SYSADMIN},
}


def test_the_table_lists_every_core_permission():
    declared = {name for name in rules.permissions.permissions if name.startswith("core.")}
    assert declared == {*EXPECTED, "core.view_person", "core.view_export"}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_permission_for_role(perm, role, people):
    assert people[role].has_perm(perm) is (role in EXPECTED[perm])


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_anonymous_has_no_permission(perm):
    from django.contrib.auth.models import AnonymousUser

    assert AnonymousUser().has_perm(perm) is False


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_view_person_is_city_staff_or_oneself(role, people):
    me, other = people[role], people[R.CITIZEN if role != R.CITIZEN else R.EXPERT]
    assert me.has_perm("core.view_person", me) is True
    assert me.has_perm("core.view_person", other) is (role in CITY_STAFF)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_an_export_is_seen_only_by_whoever_asked_for_it(role, people):
    from django.utils import timezone

    from kyokan.apps.core.models import ExportJob

    owner = people[role]
    job = ExportJob.objects.create(
        owner=owner, builder="x", title="t", expires_at=timezone.now() + timezone.timedelta(1)
    )
    assert owner.has_perm("core.view_export", job) is True
    for other in ROLE_NAMES:
        if other != role:
            assert people[other].has_perm("core.view_export", job) is False


def test_an_inactive_person_has_no_permission(people):
    admin = people[R.SYSADMIN]
    admin.is_active = False
    admin.__dict__.pop("_kyokan_roles", None)
    assert not admin.has_perm("core.use_app")
    assert not admin.has_perm("core.manage_people")


def test_a_promoter_is_scoped_to_a_bureau(people):
    assignment = people[R.PROMOTER].role_assignments.get()
    assert assignment.department is not None
    assert assignment.department.kind == "bureau"
