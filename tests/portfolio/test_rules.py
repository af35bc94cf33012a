"""Every permission of the portfolio app against every role (explicit table), and the
bureau rule: a 推進員 edits and reports only on their bureau's initiatives."""

import pytest
import rules

from kyokan.apps.core.roles import Role
from tests.conftest import ROLE_NAMES

R = Role
CITY_STAFF = {R.SECRETARIAT, R.HQ_CHIEF, R.HQ_DEPUTY, R.HQ_MEMBER, R.PROMOTER, R.STAFF, R.SYSADMIN}
HQ = {R.HQ_CHIEF, R.HQ_DEPUTY, R.HQ_MEMBER}

EXPECTED = {
    "portfolio.view_portfolio": CITY_STAFF,
    "portfolio.manage_portfolio": {R.SECRETARIAT},
    "portfolio.create_initiative": {R.SECRETARIAT, R.PROMOTER},
    "portfolio.review_reports": {R.SECRETARIAT},
    "portfolio.comment_reports": {R.SECRETARIAT} | HQ,
    "portfolio.import_portfolio": {R.SECRETARIAT, R.PROMOTER},
}
# Object rules: who may act on an initiative of the promoter's bureau / of another bureau.
OBJECT_RULES = {
    "portfolio.edit_initiative": ({R.SECRETARIAT, R.PROMOTER}, {R.SECRETARIAT}),
    "portfolio.report_progress": ({R.SECRETARIAT, R.PROMOTER}, {R.SECRETARIAT}),
}


def test_the_table_lists_every_portfolio_permission():
    declared = {n for n in rules.permissions.permissions if n.startswith("portfolio.")}
    assert declared == set(EXPECTED) | set(OBJECT_RULES) | {"portfolio.use_import"}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_permission_for_role(perm, role, people):
    assert people[role].has_perm(perm) is (role in EXPECTED[perm])


@pytest.mark.django_db
@pytest.mark.parametrize("perm", sorted(OBJECT_RULES))
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_a_promoter_acts_only_for_their_bureau(perm, role, people, make_initiative, bureau,
                                               other_bureau):  # fmt: skip
    own, other = make_initiative(bureau), make_initiative(other_bureau, title="他部局の取組")
    own_roles, other_roles = OBJECT_RULES[perm]
    assert people[role].has_perm(perm, own) is (role in own_roles)
    assert people[role].has_perm(perm, other) is (role in other_roles)
    assert not people[role].has_perm(perm, None) or role == R.SECRETARIAT


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_the_uploader_uses_an_import(role, people):
    from kyokan.apps.portfolio import services

    mine = services.import_upload(actor=people[role], filename="a.csv", data=b"a")
    theirs = services.import_upload(
        actor=people[R.SECRETARIAT if role != R.SECRETARIAT else R.PROMOTER],
        filename="b.csv",
        data=b"b",
    )
    may_import = role in EXPECTED["portfolio.import_portfolio"]
    assert people[role].has_perm("portfolio.use_import", mine) is may_import
    assert not people[role].has_perm("portfolio.use_import", theirs)


@pytest.mark.django_db
def test_a_promoter_cannot_edit_another_bureaus_initiative_through_the_page(
    client_as, make_initiative, bureau, other_bureau
):
    from django.urls import reverse

    own, other = make_initiative(bureau), make_initiative(other_bureau, title="他部局の取組")
    client = client_as("promoter")
    assert client.get(reverse("portfolio:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("portfolio:edit", args=[other.pk])).status_code == 403
    response = client.post(reverse("portfolio:status", args=[other.pk]), {"status": "done"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == "active"
