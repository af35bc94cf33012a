"""Ids beyond any database integer in a multiple choice (a goal's KPIs, an initiative's
strategy sections): 99999999999999999999 reached the database and was a server error
(SQLite cannot bind it); it is now a form error like any id that is not offered."""

import pytest
from django.urls import reverse

from kyokan.apps.core.roles import Role
from kyokan.apps.portfolio.models import Initiative, PriorityGoal
from tests.portfolio.conftest import FY

HUGE_IDS = ["99999999999999999999", "-99999999999999999999", "1e20", "１"]


@pytest.mark.parametrize("bad", HUGE_IDS)
def test_a_goal_with_a_kpi_id_beyond_any_integer_is_a_form_error(client_as, years, bad):
    client = client_as(Role.SECRETARIAT)
    data = {"fiscal_year": FY, "title": "重点目標その一", "kpis": [bad]}
    response = client.post(reverse("portfolio:goal_create"), data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert "重点目標その一" in response.content.decode()
    assert not PriorityGoal.objects.exists()


@pytest.mark.parametrize("bad", HUGE_IDS)
def test_an_initiative_with_a_section_id_beyond_any_integer_is_a_form_error(
    client_as, years, bureau, bad
):
    client = client_as(Role.SECRETARIAT)
    data = {
        "title": "電子申請の拡充", "bureau": bureau.pk, "fiscal_year_start": FY,
        "fiscal_year_end": FY, "status": "active", "scope": "kaizen", "dx": "D",
        "rule_kind": "none", "organisation_kind": "none", "budget_kind": "none",
        "value_who": "転入者", "sections": [bad],
    }  # fmt: skip
    response = client.post(reverse("portfolio:create"), data)
    assert response.status_code == 200
    assert not Initiative.objects.exists()


def test_a_goal_with_real_kpis_is_still_saved(client_as, sysadmin, make_initiative, bureau):
    from decimal import Decimal

    from kyokan.apps.portfolio import services

    kpi = services.kpi_create(
        actor=sysadmin, initiative=make_initiative(bureau), name="電子申請率", unit="%",
        direction="up", baseline=Decimal(10), baseline_year=FY - 1, targets={FY: Decimal(50)},
    )  # fmt: skip
    data = {"fiscal_year": FY, "title": "重点目標その二", "kpis": [kpi.pk]}
    response = client_as(Role.SECRETARIAT).post(reverse("portfolio:goal_create"), data)
    assert response.status_code == 302
    assert list(PriorityGoal.objects.get().kpis.all()) == [kpi]
