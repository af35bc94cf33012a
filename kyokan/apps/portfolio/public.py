"""What the public may see of the portfolio: the ONE place that decides it.

The portal, the open data and the public API read the portfolio only through this module.
An initiative is public when the secretariat marked it so (``Initiative.is_public``). Of a
public initiative the public sees: its title, summaries, owner bureau and division (never
the person in charge), fiscal years, status, 改善/変革 and D/X, its rule, organisation and
budget levers, the citizen value hypothesis, cost against value with its working, its KPIs
with targets and actuals, its budget lines, its strategy pillars, its milestones and, of its
progress reports, only the accepted ones' quarter, percent done and health — never the
report's text, the secretariat's comments or who wrote or reviewed it, nor the sources
of the estimates.

Each ``*_dict`` function lists the public fields of a row explicitly: a consumer that
serialises a row uses it rather than the model's fields.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from . import costvalue, periods, selectors
from .models import (
    BudgetLine,
    Initiative,
    Kpi,
    KpiActual,
    KpiTarget,
    Milestone,
    ProgressReport,
    StrategyLink,
)

INITIATIVE_FIELDS = (
    "id", "title", "summary", "easy_japanese_summary", "bureau_id", "division_id",
    "fiscal_year_start", "fiscal_year_end", "status", "stop_reason", "scope", "dx",
    "rule_kind", "rule_name", "organisation_kind", "organisation_change", "budget_kind",
    "budget_change", "value_who", "value_pain", "value_change", "value_absent",
    *costvalue.INPUTS, "useful_life_years", "qualitative_score", "qualitative_reason",
    "updated_at",
)  # fmt: skip
_DEPARTMENT_FIELDS = ("bureau__id", "bureau__name", "division__id", "division__name")


def _public_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.filter(is_public=True)


def initiatives(
    *,
    q: str = "",
    bureau_id: int | None = None,
    fiscal_year: int | None = None,
    status: str = "",
    scope: str = "",
    dx: str = "",
) -> QuerySet[Initiative]:
    """The public initiatives (public fields only, with bureau and division), filtered."""
    qs = (
        _public_initiatives()
        .select_related("bureau", "division")
        .only(*INITIATIVE_FIELDS, *_DEPARTMENT_FIELDS)
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if bureau_id:
        qs = qs.filter(bureau_id=bureau_id)
    if fiscal_year:
        qs = qs.filter(fiscal_year_start__lte=fiscal_year, fiscal_year_end__gte=fiscal_year)
    if status:
        qs = qs.filter(status=status)
    if scope:
        qs = qs.filter(scope=scope)
    if dx:
        qs = qs.filter(dx=dx)
    return qs.order_by("bureau__sort_order", "fiscal_year_start", "id")


def initiative(pk: int) -> Initiative | None:
    return initiatives().filter(pk=pk).first()


def bureaus_with_initiatives() -> list[tuple[int, str]]:
    """(id, name) of the bureaus owning a public initiative, for a filter."""
    rows = (
        _public_initiatives()
        .order_by("bureau__sort_order", "bureau_id")
        .values_list("bureau_id", "bureau__name")
        .distinct()
    )
    return list(rows)


def with_cost_value(rows: list[Initiative]) -> list[Initiative]:
    """Attach ``cv`` (the expected case of cost against value) to each initiative, and its
    rounded figures: ``annual_cost_yen``, ``annual_value_yen`` (whole yen), ``value_ratio``
    (two decimals) and ``payback_years`` (one decimal), None where they do not exist."""
    selectors.with_cost_value(rows)
    for row in rows:
        cv = row.cv
        row.annual_cost_yen = costvalue.yen(cv.annual_cost) if cv else None
        row.annual_value_yen = costvalue.yen(cv.annual_value) if cv else None
        row.value_ratio = costvalue.ratio(cv.ratio) if cv else None
        row.payback_years = costvalue.payback(cv.payback) if cv else None
    return rows


def kpis(*, initiative_ids=None) -> QuerySet[Kpi]:
    """KPIs of public initiatives, with their targets and actuals prefetched."""
    qs = Kpi.objects.filter(initiative__is_public=True)
    if initiative_ids is not None:
        qs = qs.filter(initiative_id__in=list(initiative_ids))
    return qs.prefetch_related(
        Prefetch("targets", queryset=KpiTarget.objects.order_by("fiscal_year")),
        Prefetch("actuals", queryset=KpiActual.objects.order_by("fiscal_year", "quarter")),
    ).order_by("initiative_id", "id")


def kpi_targets() -> QuerySet[KpiTarget]:
    return KpiTarget.objects.filter(kpi__initiative__is_public=True).order_by(
        "kpi_id", "fiscal_year"
    )


def kpi_actuals() -> QuerySet[KpiActual]:
    """Actual values of the public initiatives' KPIs (without their internal source)."""
    return (
        KpiActual.objects.filter(kpi__initiative__is_public=True)
        .only("id", "kpi_id", "fiscal_year", "quarter", "value")
        .order_by("kpi_id", "fiscal_year", "quarter")
    )


def budget_lines() -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(initiative__is_public=True).order_by(
        "initiative_id", "fiscal_year"
    )


def progress() -> QuerySet[ProgressReport]:
    """The accepted progress reports of public initiatives: quarter, percent and health only."""
    return (
        ProgressReport.objects.filter(
            initiative__is_public=True, state=ProgressReport.State.ACCEPTED
        )
        .only("id", "initiative_id", "fiscal_year", "quarter", "percent_done", "health")
        .order_by("initiative_id", "-fiscal_year", "-quarter")
    )


def pillars(initiative_ids) -> dict[int, list[str]]:
    """The strategy pillars and measures each initiative serves (labels)."""
    result: dict[int, list[str]] = {}
    for link in StrategyLink.objects.filter(initiative_id__in=list(initiative_ids)).only(
        "initiative_id", "label"
    ):
        result.setdefault(link.initiative_id, []).append(link.label)
    return result


def detail(initiative: Initiative) -> dict:
    """Everything the public sees of one public initiative, read in a fixed number of
    queries: the cost-value working, KPIs with their standing this fiscal year, budgets,
    accepted progress, milestones and pillars."""
    if not initiative.is_public:
        raise ValueError("not a public initiative")
    fy, _q = periods.quarter_of(timezone.localdate())
    kpi_rows = list(selectors.with_kpi_status(kpis(initiative_ids=[initiative.pk]), fy))
    for kpi in kpi_rows:
        kpi.status_now = selectors.kpi_status(kpi, fy)
    return {
        "working": selectors.working_of(initiative),
        "kpis": kpi_rows,
        "budgets": list(BudgetLine.objects.filter(initiative=initiative).order_by("fiscal_year")),
        "progress": list(progress().filter(initiative=initiative)),
        "milestones": list(
            Milestone.objects.filter(initiative=initiative).only(
                "id", "initiative_id", "title", "due_on", "done"
            )
        ),
        "pillars": pillars([initiative.pk]).get(initiative.pk, []),
        "current_fy": fy,
    }


# --- the public fields ------------------------------------------------------------------------


def initiative_dict(initiative: Initiative) -> dict:
    """The public fields of an initiative (and the expected cost against value, when the
    municipality's unit costs are set)."""
    data = {name: getattr(initiative, name) for name in INITIATIVE_FIELDS if name != "updated_at"}
    data["updated_at"] = initiative.updated_at
    data["bureau_name"] = initiative.bureau.name if initiative.bureau_id else ""
    data["division_name"] = initiative.division.name if initiative.division_id else ""
    data["status_label"] = str(initiative.get_status_display())
    data["scope_label"] = str(initiative.get_scope_display())
    data["dx_label"] = str(initiative.get_dx_display())
    cv = getattr(initiative, "cv", None)
    if cv is not None:
        data["annual_cost_yen"] = costvalue.yen(cv.annual_cost)
        data["annual_value_yen"] = costvalue.yen(cv.annual_value)
        data["value_ratio"] = costvalue.ratio(cv.ratio)
        data["payback_years"] = costvalue.payback(cv.payback)
    return data


def kpi_dict(kpi: Kpi) -> dict:
    return {
        "id": kpi.pk,
        "initiative_id": kpi.initiative_id,
        "name": kpi.name,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "baseline": kpi.baseline,
        "baseline_year": kpi.baseline_year,
    }


def kpi_actual_dict(actual: KpiActual) -> dict:
    return {
        "kpi_id": actual.kpi_id,
        "fiscal_year": actual.fiscal_year,
        "quarter": actual.quarter,
        "value": actual.value,
    }


def budget_dict(line: BudgetLine) -> dict:
    return {
        "initiative_id": line.initiative_id,
        "fiscal_year": line.fiscal_year,
        "requested_yen": line.requested_yen,
        "approved_yen": line.approved_yen,
        "executed_yen": line.executed_yen,
    }


def progress_dict(report: ProgressReport) -> dict:
    return {
        "initiative_id": report.initiative_id,
        "fiscal_year": report.fiscal_year,
        "quarter": report.quarter,
        "percent_done": report.percent_done,
        "health": report.health,
        "health_label": str(report.get_health_display()),
    }


def fiscal_years() -> list[int]:
    """The fiscal years that a public initiative runs in (for a filter)."""
    rows = _public_initiatives().values_list("fiscal_year_start", "fiscal_year_end").distinct()
    years: set[int] = set()
    for start, end in rows:
        years.update(range(start, end + 1))
    return sorted(years)
