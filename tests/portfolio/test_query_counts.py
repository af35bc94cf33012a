"""The portfolio pages' query counts do not grow with the data."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.portfolio import periods, services

from .conftest import FY

pytestmark = pytest.mark.django_db


def _grow(sysadmin, make_initiative, bureau, n: int, offset: int):
    fy, q = periods.quarter_of(timezone.localdate())
    start, _ = periods.quarter_range(fy, q)
    for k in range(n):
        i = make_initiative(
            bureau, title=f"取組{offset + k}", initial_cost_yen=1_000_000 + k,
            running_cost_yen=100_000, cases_per_year=1_000, citizen_minutes_saved_per_case=20,
            rule_kind="regulation" if k % 2 else "none", rule_name="規則" if k % 2 else "",
        )  # fmt: skip
        for m in range(3):
            kpi = services.kpi_create(
                actor=sysadmin, initiative=i, name=f"KPI{m}", unit="件", direction="up",
                baseline=Decimal(0), baseline_year=FY - 1, targets={FY: Decimal(100)},
            )  # fmt: skip
            services.kpi_actual_record(actor=sysadmin, kpi=kpi, fiscal_year=FY, quarter=1,
                                       value=Decimal(10))  # fmt: skip
        services.report_submit(
            actor=sysadmin, initiative=i, fiscal_year=fy, quarter=q, percent_done=10,
            health="good", happened="実施", today=start,
        )  # fmt: skip
        services.budget_set(actor=sysadmin, initiative=i, fiscal_year=FY, requested_yen=1000)
        services.budget_set(actor=sysadmin, initiative=i, fiscal_year=FY - 1, requested_yen=900)
        services.milestone_create(actor=sysadmin, initiative=i, title="稼働",
                                  due_on=timezone.localdate())  # fmt: skip
    return i


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page",
    ["list", "list_filtered", "detail", "roadmap", "analytics", "budget", "goals", "missing",
     "reports", "home", "export_csv"],
)  # fmt: skip
def test_portfolio_pages_do_not_grow(page, client_as, sysadmin, make_initiative, bureau,
                                     other_bureau):  # fmt: skip
    first = _grow(sysadmin, make_initiative, bureau, 2, 0)
    services.goal_create(actor=sysadmin, fiscal_year=FY, title="重点目標",
                         kpis=list(first.kpis.all()))  # fmt: skip
    url = {
        "list": reverse("portfolio:list"),
        "list_filtered": reverse("portfolio:list") + f"?scope=kaizen&fiscal_year={FY}&q=取組",
        "detail": reverse("portfolio:detail", args=[first.pk]),
        "roadmap": reverse("portfolio:roadmap"),
        "analytics": reverse("portfolio:analytics"),
        "budget": reverse("portfolio:budget"),
        "goals": reverse("portfolio:goals"),
        "missing": reverse("portfolio:missing"),
        "reports": reverse("portfolio:reports") + "?state=all",
        "home": "/",
        "export_csv": reverse("portfolio:export_csv"),
    }[page]
    client = client_as("secretariat")
    if page == "export_csv":

        def count(url):
            with CaptureQueriesContext(connection) as ctx:
                b"".join(client.get(url).streaming_content)
            return len(ctx.captured_queries)
    else:

        def count(url):
            return _count(client, url)

    small = count(url)
    _grow(sysadmin, make_initiative, other_bureau, 6, 10)
    more = first.kpis.first()
    services.kpi_actual_record(actor=sysadmin, kpi=more, fiscal_year=FY, quarter=2,
                               value=Decimal(20))  # fmt: skip
    large = count(url)
    assert large == small
