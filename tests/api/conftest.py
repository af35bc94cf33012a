"""Fixtures of the API tests: fiscal years around today, a public and an internal
initiative of the promoter's bureau, one of another bureau, and system accounts."""

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
        scopes=["initiatives", "reports", "kpi_actuals"],
    )


@pytest.fixture
def other_account(sysadmin, other_bureau):
    return api_services.account_create(
        actor=sysadmin, name="他部局連携", department=other_bureau,
        scopes=["initiatives", "reports", "kpi_actuals"],
    )  # fmt: skip


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
