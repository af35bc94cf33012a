"""Benchmark of the portfolio: 1,000 initiatives with 8 progress reports and 3 KPIs each;
the list (filtered and not), detail, roadmap, analytics and budget pages, and
``kyokan portfolio-import`` of 1,000 initiatives (rolled back after timing)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kyokan.apps.core.bench import BenchPage, _first, _timed_and_undone
from kyokan.apps.core.models import Department, FiscalYear

from . import periods
from .models import Initiative, Kpi, KpiActual, KpiTarget, ProgressReport

INITIATIVES, REPORTS, KPIS, MILESTONES = 1000, 8, 3, 2


def _fy() -> int:
    return periods.quarter_of(timezone.localdate())[0]


PAGES: list[BenchPage] = [
    BenchPage("portfolio.list", lambda: "/portfolio/"),
    BenchPage("portfolio.list.filtered", lambda: f"/portfolio/?scope=henkaku&fiscal_year={_fy()}"),
    BenchPage("portfolio.detail", lambda: f"/portfolio/{_first(Initiative)}/"),
    BenchPage("portfolio.roadmap", lambda: "/portfolio/roadmap/"),
    BenchPage("portfolio.analytics", lambda: "/portfolio/analytics/"),
    BenchPage("portfolio.budget", lambda: "/portfolio/budget/"),
    BenchPage("portfolio.goals", lambda: "/portfolio/goals/"),
    BenchPage("portfolio.missing", lambda: "/portfolio/missing/"),
]


def fill(admin, log) -> None:
    """Bulk rows (the bench measures reading, not writing): 1,000 initiatives over the
    bench city's bureaus, each with 3 KPIs (targets, quarterly actuals), 8 reports, budget
    lines for two years and 2 milestones (one reached)."""
    from kyokan.apps.core.audit import audit_record_many
    from kyokan.apps.core.models import AuditEvent

    from .models import BudgetLine

    fy = _fy()
    for year in range(fy - 3, fy + 6):
        FiscalYear.objects.get_or_create(year=year)
    bureaus = list(Department.objects.filter(kind=Department.Kind.BUREAU).order_by("id"))
    log(f"portfolio: {INITIATIVES} initiatives, {REPORTS} reports and {KPIS} KPIs each")
    rows = []
    for n in range(INITIATIVES):
        reform = n % 4 == 0
        rows.append(
            Initiative(
                title=f"性能試験の取組{n:04d}", bureau=bureaus[n % len(bureaus)],
                fiscal_year_start=fy - 2 + n % 2, fiscal_year_end=fy + 1 + n % 3,
                status="active", scope="henkaku" if reform else "kaizen",
                dx="X" if reform else "D", rule_kind="regulation" if reform else "none",
                rule_name="規則" if reform else "",
                organisation_kind="change" if n % 8 == 0 else "none",
                organisation_change="課の新設" if n % 8 == 0 else "", budget_kind="none",
                value_who="市民", value_change="来庁不要",
                initial_cost_yen=1_000_000 + n * 1000, running_cost_yen=200_000 + n * 100,
                staff_hours_run=50, cases_per_year=1000 + n, citizen_minutes_saved_per_case=20,
                staff_hours_saved=100 + n % 50, other_benefit_yen=10_000,
            )
        )  # fmt: skip
    Initiative.objects.bulk_create(rows, batch_size=500)
    initiatives = list(Initiative.objects.filter(title__startswith="性能試験の取組").order_by("id"))
    kpis = [
        Kpi(initiative=i, name=f"KPI{k}", unit="件", direction="up", baseline=Decimal(0),
            baseline_year=fy - 2)
        for i in initiatives for k in range(KPIS)
    ]  # fmt: skip
    Kpi.objects.bulk_create(kpis, batch_size=1000)
    kpis = list(Kpi.objects.filter(initiative__in=initiatives))
    KpiTarget.objects.bulk_create(
        [KpiTarget(kpi=k, fiscal_year=fy, value=Decimal(100)) for k in kpis], batch_size=1000
    )
    quarters, cursor = [], periods.quarter_of(timezone.localdate())
    for _ in range(REPORTS):
        quarters.append(cursor)
        cursor = periods.previous_quarter(*cursor)
    KpiActual.objects.bulk_create(
        [KpiActual(kpi=k, fiscal_year=year, quarter=q, value=Decimal(5 * (j + 1)))
         for k in kpis for j, (year, q) in enumerate(quarters[:4])],
        batch_size=2000,
    )  # fmt: skip
    now = timezone.now()
    ProgressReport.objects.bulk_create(
        [ProgressReport(initiative=i, fiscal_year=year, quarter=q, percent_done=10 * j,
                        health="good", happened="実施", submitted_by=admin,
                        submitted_at=now - timedelta(days=90 * j),
                        state="accepted" if j else "submitted")
         for n, i in enumerate(initiatives) for j, (year, q) in enumerate(quarters)
         if not (j == 0 and n % 5 == 0)],
        batch_size=2000,
    )  # fmt: skip
    BudgetLine.objects.bulk_create(
        [BudgetLine(initiative=i, fiscal_year=year, requested_yen=1_000_000 + n,
                    approved_yen=900_000, executed_yen=100_000)
         for n, i in enumerate(initiatives) for year in (fy - 1, fy)],
        batch_size=2000,
    )  # fmt: skip
    fill_milestones(initiatives)
    audit_record_many(
        actor=admin, action=AuditEvent.Action.LOAD, targets=initiatives, summary="bench portfolio"
    )


def fill_milestones(initiatives) -> None:
    from .models import Milestone

    today = timezone.localdate()
    Milestone.objects.bulk_create(
        [Milestone(initiative=i, title=f"マイルストーン{k + 1}", done=k == 0,
                   due_on=today + timedelta(days=(n % 200) - 100 + 300 * k))
         for n, i in enumerate(initiatives) for k in range(MILESTONES)],
        batch_size=2000,
    )  # fmt: skip


def import_csv(n: int = INITIATIVES) -> bytes:
    """A table of ``n`` new initiatives, as a bureau's spreadsheet would give them."""
    from kyokan.apps.core.exports import csv_bytes

    from . import table

    bureau = Department.objects.filter(kind=Department.Kind.BUREAU).order_by("id").first()
    fy = _fy()
    header = [c.key for c in table.INPUT_COLUMNS]
    rows = [
        ["", f"取込試験{k:04d}", bureau.name, "", fy, fy + 1, "計画", "変革", "X",
         "規則:押印規則", "なし", "なし", 1_000_000 + k, 100_000, 5, 10, 1000, 10, 100, 0]
        for k in range(n)
    ]  # fmt: skip
    return csv_bytes(header, rows)


def extra(log) -> list[dict]:
    import tempfile
    from pathlib import Path

    from django.core.management import call_command

    data = import_csv()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "portfolio.csv"
        path.write_bytes(data)
        log("portfolio: kyokan portfolio-import of 1,000 initiatives (rolled back)")
        result = _timed_and_undone(
            "portfolio.import_1000", lambda: call_command("portfolio_import", str(path))
        )
    return [result]
