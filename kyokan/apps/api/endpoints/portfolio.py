"""Public reads of the portfolio: initiatives, KPIs and their actuals, budgets, progress.

Everything comes from :mod:`kyokan.apps.portfolio.public`, the one place that decides what
of the portfolio is public.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router

from kyokan.apps.portfolio import public

from ..pagination import page, reject_unknown
from ..schemas import (
    BudgetFilters,
    BudgetOut,
    InitiativeFilters,
    InitiativeOut,
    KpiActualFilters,
    KpiActualOut,
    KpiFilters,
    KpiOut,
    Page,
    PathId,
    ProgressFilters,
    ProgressOut,
)
from . import READ_ERRORS

router = Router(tags=["portfolio"])


def _initiative_dict(row) -> dict:
    return public.initiative_dict(row)


@router.get(
    "/initiatives", response={200: Page[InitiativeOut], **READ_ERRORS}, url_name="initiatives"
)
def list_initiatives(request, filters: Query[InitiativeFilters]):
    """Public initiatives (取組), with their levers, value hypothesis and cost against value."""
    qs = public.initiatives(
        q=filters.q or "",
        bureau_id=filters.bureau_id,
        fiscal_year=filters.fiscal_year,
        status=filters.status or "",
        scope=filters.scope or "",
        dx=filters.dx or "",
    )
    return page(request, qs, filters, _initiative_dict, prepare=public.with_cost_value)


@router.get(
    "/initiatives/{initiative_id}",
    response={200: InitiativeOut, **READ_ERRORS},
    url_name="initiative",
)
def get_initiative(request, initiative_id: PathId):
    reject_unknown(request)
    found = public.initiative(initiative_id)
    if found is None:
        raise Http404
    return _initiative_dict(public.with_cost_value([found])[0])


def _kpi_dict(kpi) -> dict:
    data = public.kpi_dict(kpi)
    data["targets"] = [{"fiscal_year": t.fiscal_year, "value": t.value} for t in kpi.targets.all()]
    return data


@router.get("/kpis", response={200: Page[KpiOut], **READ_ERRORS}, url_name="kpis")
def list_kpis(request, filters: Query[KpiFilters]):
    """KPIs of public initiatives, with their targets per fiscal year."""
    ids = [filters.initiative_id] if filters.initiative_id else None
    return page(request, public.kpis(initiative_ids=ids), filters, _kpi_dict)


@router.get(
    "/kpi-actuals", response={200: Page[KpiActualOut], **READ_ERRORS}, url_name="kpi_actuals"
)
def list_kpi_actuals(request, filters: Query[KpiActualFilters]):
    """Actual values of the public KPIs, per fiscal year (quarter 0) or quarter."""
    qs = public.kpi_actuals()
    if filters.kpi_id:
        qs = qs.filter(kpi_id=filters.kpi_id)
    if filters.initiative_id:
        qs = qs.filter(kpi__initiative_id=filters.initiative_id)
    if filters.fiscal_year:
        qs = qs.filter(fiscal_year=filters.fiscal_year)
    return page(request, qs, filters, public.kpi_actual_dict)


@router.get("/budgets", response={200: Page[BudgetOut], **READ_ERRORS}, url_name="budgets")
def list_budgets(request, filters: Query[BudgetFilters]):
    """Budget lines (要求・査定・執行, yen) of public initiatives."""
    qs = public.budget_lines()
    if filters.initiative_id:
        qs = qs.filter(initiative_id=filters.initiative_id)
    if filters.fiscal_year:
        qs = qs.filter(fiscal_year=filters.fiscal_year)
    return page(request, qs, filters, public.budget_dict)


@router.get("/progress", response={200: Page[ProgressOut], **READ_ERRORS}, url_name="progress")
def list_progress(request, filters: Query[ProgressFilters]):
    """Accepted quarterly progress of public initiatives (percent done and health only)."""
    qs = public.progress()
    if filters.initiative_id:
        qs = qs.filter(initiative_id=filters.initiative_id)
    if filters.fiscal_year:
        qs = qs.filter(fiscal_year=filters.fiscal_year)
    return page(request, qs, filters, public.progress_dict)
