"""Fixtures of the API tests: fiscal years around today, a public and an internal
initiative of the promoter's bureau, one of another bureau, procedures of the inventory, and
system accounts."""

import pytest
from django.utils import timezone

from kyokan.apps.api import services as api_services
from kyokan.apps.core import services as core_services
from kyokan.apps.core.japanese_dates import fiscal_year_of
from kyokan.apps.portfolio import services as ps

FY = fiscal_year_of(timezone.localdate())
LEVERS_NONE = {"rule_kind": "none", "organisation_kind": "none", "budget_kind": "none"}


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.KYOKAN_API_RATE_LIMIT = 10_000


@pytest.fixture
def years(sysadmin):
    for year in range(FY - 3, FY + 4):
        core_services.fiscal_year_create(actor=sysadmin, year=year)
    return list(range(FY - 3, FY + 4))


@pytest.fixture
def bureau(people):
    return people["promoter"].role_assignments.get(role="promoter").department


@pytest.fixture
def other_bureau(people, bureau):
    other = people["staff"].department.parent
    assert other != bureau
    return other


def initiative_fields(bureau, **overrides):
    fields = {
        "title": "電子申請の拡充",
        "bureau": bureau,
        "fiscal_year_start": FY - 1,
        "fiscal_year_end": FY + 1,
        "status": "active",
        "scope": "kaizen",
        "dx": "D",
        **LEVERS_NONE,
        "value_who": "転入者",
        "value_change": "来庁せずに手続できる",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_initiative(sysadmin, years):
    def make(bureau, **overrides):
        return ps.initiative_create(actor=sysadmin, **initiative_fields(bureau, **overrides))

    return make


@pytest.fixture
def public_initiative(make_initiative, bureau, sysadmin):
    initiative = make_initiative(bureau, title="公開の取組", is_public=True)
    ps.kpi_create(
        actor=sysadmin, initiative=initiative, name="オンライン申請率", unit="%",
        direction="up", baseline=10, baseline_year=FY - 1, targets={FY: 40},
    )  # fmt: skip
    return initiative


@pytest.fixture
def internal_initiative(make_initiative, bureau, sysadmin):
    initiative = make_initiative(bureau, title="内部検討中の取組", summary="非公開メモ")
    ps.kpi_create(
        actor=sysadmin, initiative=initiative, name="内部KPI", unit="件",
        direction="up", baseline=1, baseline_year=FY - 1,
    )  # fmt: skip
    return initiative


@pytest.fixture
def account(sysadmin, bureau):
    """(account, token) of a system account of the promoter's bureau with every scope."""
    return api_services.account_create(
        actor=sysadmin,
        name="基幹連携",
        department=bureau,
        scopes=["initiatives", "reports", "kpi_actuals", "procedures"],
    )


@pytest.fixture
def other_account(sysadmin, other_bureau):
    return api_services.account_create(
        actor=sysadmin, name="他部局連携", department=other_bureau,
        scopes=["initiatives", "reports", "kpi_actuals", "procedures"],
    )  # fmt: skip


def make_procedure(procedure_id, department, **fields):
    """A procedure of the inventory as an import leaves it (test data, written directly)."""
    from kyokan.apps.procedures.models import Procedure

    values = {
        "name": "転入届", "law_name": "住民基本台帳法", "article": "第22条",
        "is_municipal": True, "online_status": "2", "total_count": 100, "online_count": 0,
        "offline_count": 100, "counts_year": FY - 1, "seal": "required", "attachment_count": 2,
    }  # fmt: skip
    values.update(fields)
    return Procedure.objects.create(procedure_id=procedure_id, department=department, **values)


@pytest.fixture
def inventory(people, bureau, other_bureau, years):
    """name → procedure: the bureau's public one (municipal), its national one that the
    municipality does not carry out (not public), another bureau's, and one no division
    carries out yet."""
    division = people["promoter"].department
    assert division.parent == bureau
    return {
        "public": make_procedure("1001", division, name="転入届", planned_online_year=FY + 1),
        "national": make_procedure("1002", division, name="国の手続", is_municipal=False),
        "other": make_procedure("2001", other_bureau.children.first(), name="他部局の申請",
                                online_status="1", law_name="児童福祉法"),
        "unassigned": make_procedure("3001", None, name="担当未定の手続"),
    }  # fmt: skip


@pytest.fixture
def api_client(client):
    """client.call(method, path, token=None, json=None, **headers) → response."""
    import json as jsonlib

    def call(method, path, *, token=None, json=None, data=None, content_type=None, **headers):
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        kwargs = dict(headers)
        if json is not None:
            data = jsonlib.dumps(json, ensure_ascii=False)
            content_type = content_type or "application/json"
        if data is not None:
            kwargs["data"] = data
            kwargs["content_type"] = content_type or "application/json"
        return getattr(client, method.lower())(path, **kwargs)

    client.call = call
    return client
