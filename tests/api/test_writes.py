"""Writes of the integrations: through the portfolio's services (audited under the system
account), only for the token's bureau and permissions."""

import pytest

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.portfolio.models import Initiative, KpiActual, ProgressReport

from .conftest import FY

pytestmark = pytest.mark.django_db


def _new(**overrides):
    data = {
        "title": "窓口のオンライン化", "fiscal_year_start": FY, "fiscal_year_end": FY + 1,
        "scope": "henkaku", "dx": "X", "rule_kind": "guideline", "rule_name": "窓口要綱",
        "organisation_kind": "none", "budget_kind": "none", "initial_cost_yen": 1000000,
    }  # fmt: skip
    data.update(overrides)
    return data


def test_create_an_initiative_of_the_tokens_bureau(api_client, account, bureau, years):
    acct, token = account
    response = api_client.call("POST", "/api/v1/initiatives", json=_new(), token=token)
    assert response.status_code == 201, response.content
    made = Initiative.objects.get(pk=response.json()["id"])
    assert made.bureau == bureau and not made.is_public and made.rule_name == "窓口要綱"
    event = AuditEvent.objects.filter(target_type="portfolio.initiative").latest("id")
    assert event.actor == acct.user and event.action == "create"
    # Not public until the secretariat says so.
    assert api_client.call("GET", f"/api/v1/initiatives/{made.pk}").status_code == 404


def test_a_service_refusal_is_422_and_changes_nothing(api_client, account, years):
    _acct, token = account
    bad = _new(fiscal_year_start=FY + 3, fiscal_year_end=FY + 1)  # end before start
    response = api_client.call("POST", "/api/v1/initiatives", json=bad, token=token)
    assert response.status_code == 422 and response.json()["error"]["code"] == "refused"
    assert any(d["field"] == "body.fiscal_year_end" for d in response.json()["error"]["details"])
    unknown_year = _new(fiscal_year_start=1950, fiscal_year_end=1950)
    response = api_client.call("POST", "/api/v1/initiatives", json=unknown_year, token=token)
    assert response.status_code == 422
    assert Initiative.objects.count() == 0


def test_update_only_what_is_sent(api_client, account, public_initiative):
    _acct, token = account
    path = f"/api/v1/initiatives/{public_initiative.pk}"
    response = api_client.call("PATCH", path, json={"status": "done"}, token=token)
    assert response.status_code == 200, response.content
    public_initiative.refresh_from_db()
    assert public_initiative.status == "done" and public_initiative.title == "公開の取組"
    response = api_client.call("PATCH", path, json={"title": None}, token=token)
    assert response.status_code == 422
    response = api_client.call("PATCH", path, json={"is_public": False}, token=token)
    assert response.status_code == 422  # the secretariat alone decides what is public
    public_initiative.refresh_from_db()
    assert public_initiative.is_public


def test_another_departments_token_is_refused(api_client, other_account, public_initiative):
    _acct, token = other_account
    before = AuditEvent.objects.count()
    path = f"/api/v1/initiatives/{public_initiative.pk}"
    response = api_client.call("PATCH", path, json={"title": "乗っ取り"}, token=token)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert "他の部局" in response.json()["error"]["message"]
    kpi = public_initiative.kpis.get()
    response = api_client.call("PUT", f"/api/v1/kpis/{kpi.pk}/actuals", token=token,
                               json={"fiscal_year": FY, "value": "1"})  # fmt: skip
    assert response.status_code == 403
    response = api_client.call(
        "POST",
        f"{path}/reports",
        token=token,
        json={
            "fiscal_year": FY,
            "quarter": 1,
            "percent_done": 1,
            "health": "good",
            "happened": "x",
        },
    )
    assert response.status_code == 403
    public_initiative.refresh_from_db()
    assert public_initiative.title == "公開の取組" and AuditEvent.objects.count() == before


def test_a_division_of_another_bureau_is_refused(api_client, account, other_bureau, years):
    _acct, token = account
    division = other_bureau.children.first()
    response = api_client.call("POST", "/api/v1/initiatives", json=_new(division_id=division.pk),
                               token=token)  # fmt: skip
    assert response.status_code == 422 and Initiative.objects.count() == 0


def test_permissions_of_the_token(api_client, sysadmin, bureau, public_initiative):
    from kyokan.apps.api import services

    _acct, token = services.account_create(
        actor=sysadmin, name="実績のみ", department=bureau, scopes=["kpi_actuals"]
    )
    response = api_client.call("POST", "/api/v1/initiatives", json=_new(), token=token)
    assert response.status_code == 403 and "権限" in response.json()["error"]["message"]
    kpi = public_initiative.kpis.get()
    response = api_client.call("PUT", f"/api/v1/kpis/{kpi.pk}/actuals", token=token,
                               json={"fiscal_year": FY, "quarter": 0, "value": "33.5",
                                     "source": "業務統計"})  # fmt: skip
    assert response.status_code == 200, response.content
    actual = KpiActual.objects.get(kpi=kpi, fiscal_year=FY, quarter=0)
    assert str(actual.value) == "33.50"
    response = api_client.call("PUT", f"/api/v1/kpis/{kpi.pk}/actuals", token=token,
                               json={"fiscal_year": FY, "value": "1e400"})  # fmt: skip
    assert response.status_code == 422
    response = api_client.call("PUT", f"/api/v1/kpis/{kpi.pk}/actuals", token=token,
                               json={"fiscal_year": FY, "value": "NaN"})  # fmt: skip
    assert response.status_code == 422


def test_a_report_with_actuals(api_client, account, public_initiative):
    from django.utils import timezone

    from kyokan.apps.portfolio import periods

    _acct, token = account
    fy, quarter = periods.quarter_of(timezone.localdate())
    kpi = public_initiative.kpis.get()
    body = {
        "fiscal_year": fy,
        "quarter": quarter,
        "percent_done": 30,
        "health": "caution",
        "happened": "申請画面を公開",
        "actuals": [{"kpi_id": kpi.pk, "value": "21.5"}],
    }
    path = f"/api/v1/initiatives/{public_initiative.pk}/reports"
    response = api_client.call("POST", path, json=body, token=token)
    assert response.status_code == 201, response.content
    assert ProgressReport.objects.get().percent_done == 30
    assert KpiActual.objects.get(quarter=quarter).value == 21.5
    again = api_client.call("POST", path, json=body, token=token)  # already submitted
    assert again.status_code == 422 and ProgressReport.objects.count() == 1
    future = {**body, "fiscal_year": fy + 2}
    assert api_client.call("POST", path, json=future, token=token).status_code == 422


def test_a_kpi_of_another_initiative_in_a_report(api_client, account, public_initiative,
                                                 internal_initiative):  # fmt: skip
    from django.utils import timezone

    from kyokan.apps.portfolio import periods

    _acct, token = account
    fy, quarter = periods.quarter_of(timezone.localdate())
    foreign = internal_initiative.kpis.get()
    body = {
        "fiscal_year": fy,
        "quarter": quarter,
        "percent_done": 30,
        "health": "good",
        "happened": "x",
        "actuals": [{"kpi_id": foreign.pk, "value": "1"}],
    }
    path = f"/api/v1/initiatives/{public_initiative.pk}/reports"
    response = api_client.call("POST", path, json=body, token=token)
    assert response.status_code == 422 and ProgressReport.objects.count() == 0


def test_a_revoked_token_no_longer_works(api_client, account, sysadmin, years):
    from kyokan.apps.api import services

    acct, token = account
    services.account_revoke(actor=sysadmin, account=acct)
    response = api_client.call("POST", "/api/v1/initiatives", json=_new(), token=token)
    assert response.status_code == 401 and Initiative.objects.count() == 0
