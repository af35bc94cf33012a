"""API lists and open data pages: the number of queries does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import FY

pytestmark = pytest.mark.django_db


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, path
    # The rate limit's counter is one row per window: creating it (a new minute) takes a
    # savepoint more than incrementing it, whatever the data.
    return sum(
        1
        for q in ctx.captured_queries
        if "ratecounter" not in q["sql"].lower()
        and not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO"))
    )


PATHS = ["/api/v1/initiatives", "/api/v1/kpis", "/api/v1/kpi-actuals", "/api/v1/budgets",
         "/api/v1/progress", "/api/v1/procedures", "/api/v1/procedures?q=手続",
         "/opendata/", "/opendata/initiatives/", "/opendata/initiatives.csv",
         "/opendata/kpis.csv", "/opendata/kpi-actuals.csv", "/opendata/budgets.csv",
         "/opendata/progress.csv"]  # fmt: skip


def _grow(make_initiative, bureau, sysadmin, n):
    from kyokan.apps.portfolio import services as ps
    from kyokan.apps.procedures.models import Procedure

    from .conftest import make_procedure

    division = bureau.children.first()
    start = Procedure.objects.count()
    for i in range(start, start + n):
        make_procedure(f"Q{i}", division if i % 2 else None, name=f"手続{i}")
    for i in range(n):
        made = make_initiative(bureau, title=f"公開の取組{i}", is_public=True)
        kpi = ps.kpi_create(actor=sysadmin, initiative=made, name="率", unit="%",
                            direction="up", baseline=1, baseline_year=FY)  # fmt: skip
        ps.kpi_actual_record(actor=sysadmin, kpi=kpi, fiscal_year=FY, quarter=0, value=2)
        ps.budget_set(actor=sysadmin, initiative=made, fiscal_year=FY, requested_yen=10)


def test_counts_do_not_grow(client, settings, make_initiative, bureau, sysadmin):
    settings.KYOKAN_API_RATE_LIMIT = 10**6
    _grow(make_initiative, bureau, sysadmin, 2)
    small = {p: _queries(client, p) for p in PATHS}
    _grow(make_initiative, bureau, sysadmin, 12)
    large = {p: _queries(client, p) for p in PATHS}
    assert large == small
