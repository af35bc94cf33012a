"""Benchmark of the open data and the API: the catalogue, a dataset page and API lists with
the large city (its initiatives published), and the CSV of 100,000 KPI actuals streamed
through its URL: rows per second and the peak memory the response took (it is streamed,
never built whole)."""

from __future__ import annotations

import time
import tracemalloc

from django.db import transaction

from kyokan.apps.core.bench import BenchPage

ROWS = 100_000

PAGES: list[BenchPage] = [
    BenchPage("opendata.catalogue", lambda: "/opendata/"),
    BenchPage("opendata.dataset", lambda: "/opendata/initiatives/"),
    BenchPage("api.initiatives", lambda: "/api/v1/initiatives?limit=100"),
    BenchPage("api.initiatives.filtered", lambda: "/api/v1/initiatives?scope=henkaku&limit=50"),
    BenchPage("api.kpi_actuals", lambda: "/api/v1/kpi-actuals?limit=100&offset=5000"),
]


def fill(admin, log) -> None:
    """Publish every other initiative of the large city (the secretariat's choice)."""
    from django.db.models import F

    from kyokan.apps.portfolio.models import Initiative

    n = Initiative.objects.annotate(half=F("id") % 2).filter(half=0).update(is_public=True)
    log(f"opendata: {n} initiatives published")


class _Rollback(Exception):
    pass


def _actuals_rows(n: int) -> int:
    """At least ``n`` actuals of public KPIs (added in the caller's transaction)."""
    from kyokan.apps.core.models import Department, FiscalYear
    from kyokan.apps.portfolio.models import Initiative, Kpi, KpiActual

    have = KpiActual.objects.filter(kpi__initiative__is_public=True).count()
    if have >= n:
        return have
    if not FiscalYear.objects.exists():  # a bare database (rolled back with the rest)
        FiscalYear.objects.bulk_create(FiscalYear(year=y) for y in range(2021, 2026))
    years = list(FiscalYear.objects.order_by("year").values_list("year", flat=True))
    bureau = Department.objects.filter(parent__isnull=True).order_by("id").first()
    if bureau is None:
        bureau = Department.objects.create(name="性能試験部", kind=Department.Kind.BUREAU)
    missing = n - have
    initiatives = max(missing // (len(years) * 5 * 10) + 1, 1)
    made = Initiative.objects.bulk_create(
        Initiative(
            title=f"性能試験の公開取組{i:05d}", bureau=bureau, fiscal_year_start=years[0],
            fiscal_year_end=years[-1], status="active", scope="kaizen", dx="D",
            rule_kind="none", organisation_kind="none", budget_kind="none", is_public=True,
        )
        for i in range(initiatives)
    )  # fmt: skip
    kpis = Kpi.objects.bulk_create(
        Kpi(initiative=i, name=f"指標{k}", unit="件", direction="up", baseline=0,
            baseline_year=years[0])
        for i in made for k in range(10)
    )  # fmt: skip
    rows = (
        KpiActual(kpi=kpi, fiscal_year=year, quarter=q, value=1000 + q)
        for kpi in kpis
        for year in years
        for q in range(5)
    )
    KpiActual.objects.bulk_create(rows, batch_size=5000)
    return KpiActual.objects.filter(kpi__initiative__is_public=True).count()


def measure_csv(log, rows: int = ROWS) -> dict:
    from django.test import Client
    from django.test.utils import override_settings

    result = {}
    try:
        with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"]):
            total = _actuals_rows(rows)
            client = Client()

            def stream() -> tuple[int, int]:
                response = client.get("/opendata/kpi-actuals.csv")
                size = lines = 0
                for chunk in response.streaming_content:
                    size += len(chunk)
                    lines += chunk.count(b"\r\n")
                return size, lines

            start, cpu_start = time.perf_counter(), time.process_time()
            size, lines = stream()
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu_start  # the machine may be shared
            tracemalloc.start()  # a second pass for the memory (tracing slows it down)
            stream()
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result = {
                "page": "opendata.kpi_actuals_csv",
                "path": "/opendata/kpi-actuals.csv",
                "median_ms": round(elapsed * 1000, 1),
                "queries": 0,
                "rows": lines - 1,
                "rows_per_second": round((lines - 1) / elapsed),
                "cpu_ms": round(cpu * 1000, 1),
                "rows_per_cpu_second": round((lines - 1) / cpu) if cpu else None,
                "bytes": size,
                "peak_python_memory_mb": round(peak / 2**20, 1),
            }
            assert lines - 1 == total, (lines, total)
            raise _Rollback
    except _Rollback:
        pass
    log(
        f"opendata: {result['rows']} rows of CSV streamed in {result['median_ms']} ms = "
        f"{result['rows_per_second']} rows/s; CPU {result['cpu_ms']} ms = "
        f"{result['rows_per_cpu_second']} rows per CPU second ({result['bytes']} bytes, "
        f"peak Python memory {result['peak_python_memory_mb']} MB)"
    )
    return result


def extra(log) -> list[dict]:
    return [measure_csv(log)]
