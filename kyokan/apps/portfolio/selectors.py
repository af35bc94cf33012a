"""Reads of the portfolio app, including everything that crosses relations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.models import Department, FiscalYear, Municipality

from . import contributions, costvalue, periods
from .models import (
    BudgetLine,
    Estimate,
    Initiative,
    Kpi,
    KpiActual,
    KpiTarget,
    Lever,
    Milestone,
    PriorityGoal,
    ProgressReport,
    RuleKind,
    Scope,
    Status,
    StrategyLink,
    VisionStep,
)
from .predicates import promoted_bureaus

NO_PILLAR = _("(no pillar)")
LIVE_STATUSES = (Status.PLAN, Status.ACTIVE)


def unit_costs() -> costvalue.UnitCosts | None:
    city = Municipality.objects.first()
    if city is None:
        return None
    return costvalue.UnitCosts(
        hourly_labour_cost=int(city.hourly_labour_cost),
        citizen_hour_value=int(city.citizen_hour_value),
        default_useful_life_years=int(city.default_useful_life_years),
    )


def fiscal_years() -> list[int]:
    return list(FiscalYear.objects.order_by("year").values_list("year", flat=True))


def bureaus() -> QuerySet[Department]:
    return Department.objects.filter(kind=Department.Kind.BUREAU).order_by("sort_order", "id")


# --- the strategy ---------------------------------------------------------------------------


def adopted_strategy():
    from kyokan.apps.documents.models import DocumentKind
    from kyokan.apps.documents.selectors import adopted_version

    return adopted_version(DocumentKind.STRATEGY)


def strategy_sections():
    """The pillars and measures of the adopted strategy an initiative can serve."""
    from kyokan.apps.documents.models import Section, SectionKind

    version = adopted_strategy()
    if version is None:
        return Section.objects.none()
    return (
        Section.objects.filter(version=version, kind__in=[SectionKind.PILLAR, SectionKind.MEASURE])
        .exclude(change=Section.Change.REMOVED)
        .order_by("path")
    )


def current_sections(lineages) -> dict:
    """lineage → the section of that lineage in the adopted strategy (removed ones left out)."""
    from kyokan.apps.documents.models import Section

    version = adopted_strategy()
    if version is None:
        return {}
    qs = Section.objects.filter(version=version, lineage__in=list(lineages)).exclude(
        change=Section.Change.REMOVED
    )
    return {s.lineage: s for s in qs}


@dataclass
class LinkStatus:
    link: StrategyLink
    label: str
    state: str  # "ok", "followed" (a new adopted version, unchanged), "revised", "removed"
    section: object = None

    @property
    def needs_review(self) -> bool:
        return self.state in ("revised", "removed")


def strategy_link_statuses(links) -> list[LinkStatus]:
    """Where each link stands against the adopted strategy: the same section, its unchanged
    successor (followed), a revised successor or none (both flagged for review)."""
    links = list(links)
    current = current_sections({link.lineage for link in links})
    statuses = []
    for link in links:
        section = current.get(link.lineage)
        if section is None:
            statuses.append(LinkStatus(link, link.label, "removed"))
        elif section.pk == link.section_id:
            statuses.append(LinkStatus(link, section.heading, "ok", section))
        elif section.change == section.Change.UNCHANGED and section.heading == link.label:
            statuses.append(LinkStatus(link, section.heading, "followed", section))
        else:
            statuses.append(LinkStatus(link, section.heading, "revised", section))
    return statuses


def pillar_labels(initiative_ids=None) -> dict[int, tuple[str, str]]:
    """initiative id → (pillar key, label) of its first strategy link (its main pillar); the
    label is the section's current heading when the strategy still has it."""
    qs = StrategyLink.objects.order_by("initiative_id", "id")
    if initiative_ids is not None:
        qs = qs.filter(initiative_id__in=initiative_ids)
    rows = list(qs.values_list("initiative_id", "lineage", "label"))
    current = {lin: s.heading for lin, s in current_sections({r[1] for r in rows}).items()}
    result: dict[int, tuple[str, str]] = {}
    for initiative_id, lineage, label in rows:
        result.setdefault(initiative_id, (str(lineage), current.get(lineage, label)))
    return result


def pillar_choices() -> list[tuple[str, str]]:
    """(lineage, heading) of every pillar or measure initiatives are linked to."""
    rows = StrategyLink.objects.values_list("lineage", "label").distinct()
    current = {lin: s.heading for lin, s in current_sections({r[0] for r in rows}).items()}
    seen = {}
    for lineage, label in rows:
        seen.setdefault(str(lineage), current.get(lineage, label))
    return sorted(seen.items(), key=lambda item: item[1])


# --- initiatives ----------------------------------------------------------------------------


def visible_bureau_ids(user) -> frozenset[int] | None:
    """A 推進員 without a city-wide reading role sees the whole portfolio too (staff read
    everything); this returns the bureaus the person keeps, for "my bureau" views."""
    return promoted_bureaus(user) or None


def initiatives(
    *,
    q: str = "",
    pillar: str = "",
    bureau: Department | None = None,
    fiscal_year: int | None = None,
    scope: str = "",
    dx: str = "",
    status: str = "",
    no_lever: bool = False,
) -> QuerySet[Initiative]:
    qs = Initiative.objects.select_related("bureau", "division", "owner")
    if q:
        qs = qs.filter(title__icontains=q)
    if pillar:
        qs = qs.filter(strategy_links__lineage=pillar)
    if bureau is not None:
        qs = qs.filter(bureau=bureau)
    if fiscal_year:
        qs = qs.filter(fiscal_year_start__lte=fiscal_year, fiscal_year_end__gte=fiscal_year)
    if scope:
        qs = qs.filter(scope=scope)
    if dx:
        qs = qs.filter(dx=dx)
    if status:
        qs = qs.filter(status=status)
    if no_lever:
        qs = qs.filter(
            rule_kind=RuleKind.NONE, organisation_kind=Lever.NONE, budget_kind=Lever.NONE
        )
    return qs.distinct() if pillar else qs


SEARCH_FIELDS = (
    "summary", "value_who", "value_pain", "value_change", "value_absent", "rule_name",
    "organisation_change", "budget_change",
)  # fmt: skip


def search_entry(initiative: Initiative, *, url: str | None = None) -> tuple:
    """(id, title, body, url) of an initiative in the site search: the one definition, for
    the entry put when it is written and for the rebuild of the index."""
    body = "\n".join(str(v) for v in (getattr(initiative, f) for f in SEARCH_FIELDS) if v)
    return initiative.pk, initiative.title, body, url or initiative.get_absolute_url()


def search_entries():
    """Every initiative's search entry (the rebuild's source)."""
    before, after = reverse("portfolio:detail", args=[0]).rsplit("0", 1)
    fields = ("title", *SEARCH_FIELDS)
    for initiative in Initiative.objects.only(*fields).iterator(chunk_size=1000):
        yield search_entry(initiative, url=f"{before}{initiative.pk}{after}")


def estimates_of(initiative_ids) -> dict[int, dict[str, tuple[int, int]]]:
    result: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for e in Estimate.objects.filter(initiative_id__in=list(initiative_ids)):
        result[e.initiative_id][e.input] = (e.low, e.high)
    return result


def working_of(initiative: Initiative, units=None, estimates=None) -> costvalue.Working | None:
    units = units or unit_costs()
    if units is None:
        return None
    if not hasattr(initiative, "value_contributions"):
        contributions.attach([initiative])
    if estimates is None:
        estimates = {e.input: (e.low, e.high) for e in initiative.estimates.all()}
    return costvalue.working(costvalue.Inputs.of(initiative), units, estimates)


def with_cost_value(rows: list[Initiative], units=None) -> list[Initiative]:
    """Attach ``cv`` (the expected case) to each initiative, for lists and rankings."""
    units = units or unit_costs()
    contributions.attach(rows)
    for initiative in rows:
        initiative.cv = (
            costvalue.evaluate(costvalue.Inputs.of(initiative), units) if units else None
        )
    return rows


def initiative_detail(initiative: Initiative) -> dict:
    today = timezone.localdate()
    fy, _q = periods.quarter_of(today)
    kpis = list(
        with_kpi_status(initiative.kpis.all(), fy).prefetch_related(
            Prefetch("targets", queryset=KpiTarget.objects.order_by("fiscal_year")),
            Prefetch("actuals", queryset=KpiActual.objects.order_by("fiscal_year", "quarter")),
        )
    )
    for kpi in kpis:
        kpi.status_now = kpi_status(kpi, fy)
    return {
        "working": working_of(initiative),
        "links_status": strategy_link_statuses(initiative.strategy_links.all()),
        "links": list(initiative.links.all()),
        "kpis": kpis,
        "reports": list(
            initiative.reports.select_related("submitted_by", "reviewed_by").order_by(
                "-fiscal_year", "-quarter"
            )
        ),
        "budgets": list(initiative.budgets.order_by("fiscal_year")),
        "milestones": list(initiative.milestones.all()),
        "current_fy": fy,
    }


# --- KPIs and goals ---------------------------------------------------------------------------

KPI_RULE = _(
    "Achieved: the latest actual of the fiscal year meets its target. On track: the way "
    "from the baseline to the target covered so far is at least the share of the year gone "
    "by at that actual (a quarter's actual: ¼ per quarter; a year's actual: all of it). "
    "Behind: less than that. A priority goal is achieved when all its KPIs are, behind when "
    "any is behind, otherwise on track."
)


@dataclass(frozen=True)
class KpiStatus:
    state: str  # achieved, on_track, behind, no_target, no_data
    target: Decimal | None = None
    actual: Decimal | None = None
    quarter: int | None = None
    progress: float | None = None

    @property
    def label(self) -> str:
        return str(KPI_STATE_LABELS[self.state])


KPI_STATE_LABELS = {
    "achieved": _("achieved"),
    "on_track": _("on track"),
    "behind": _("behind"),
    "no_target": _("no target"),
    "no_data": _("no actual yet"),
}


# The year's own actual (quarter 0) comes before the latest quarter's.
QUARTERS_LATEST_FIRST = (0, 4, 3, 2, 1)


def _cents(expression):
    """A KPI value (two decimal places) as whole hundredths, so that the rule compares
    exact integers on every database (SQLite keeps decimals as floating point)."""
    return Cast(
        Round(ExpressionWrapper(expression * Value(100), output_field=DecimalField())),
        BigIntegerField(),
    )


def with_kpi_status(qs: QuerySet[Kpi], fiscal_year: int) -> QuerySet[Kpi]:
    """Annotate each KPI with its standing in ``fiscal_year`` (KPI_RULE), computed by the
    database in the same query: ``fy_target``, the latest actual of the year
    (``fy_actual``, ``fy_quarter``: the year's own actual, quarter 0, before the latest
    quarter's) and ``fy_state``. Read them with :func:`kpi_status`."""
    # One pass: the year's target and actuals joined by their unique (kpi, year, quarter)
    # index, no correlated subquery per row.
    joins = {
        "fy_t": FilteredRelation("targets", condition=Q(targets__fiscal_year=fiscal_year)),
        **{
            f"fy_a{q}": FilteredRelation(
                "actuals", condition=Q(actuals__fiscal_year=fiscal_year, actuals__quarter=q)
            )
            for q in QUARTERS_LATEST_FIRST
        },
    }
    qs = qs.annotate(**joins).annotate(
        fy_year=Value(fiscal_year, output_field=IntegerField()),
        fy_target=F("fy_t__value"),
        fy_actual=Coalesce(*(F(f"fy_a{q}__value") for q in QUARTERS_LATEST_FIRST)),
        fy_quarter=Case(
            *(When(**{f"fy_a{q}__isnull": False}, then=Value(q)) for q in QUARTERS_LATEST_FIRST),
            default=None,
            output_field=IntegerField(),
        ),
    )
    actual, goal, base = _cents(F("fy_actual")), _cents(F("fy_target")), _cents(F("baseline"))
    # Quarters gone by at the actual (a year's actual: all four).
    gone = Case(
        When(fy_quarter=0, then=Value(4)), default=F("fy_quarter"), output_field=IntegerField()
    )
    # covered ÷ span ≥ gone ÷ 4, multiplied out as 4 × covered against gone × span (a
    # falling target has a negative span, which turns the comparison).
    covered = ExpressionWrapper(Value(4) * (actual - base), output_field=BigIntegerField())
    expected = ExpressionWrapper(gone * (goal - base), output_field=BigIntegerField())
    up, down = Q(direction=Kpi.Direction.UP), Q(direction=Kpi.Direction.DOWN)
    return qs.annotate(
        fy_state=Case(
            When(fy_target__isnull=True, then=Value("no_target")),
            When(fy_actual__isnull=True, then=Value("no_data")),
            When(up & GreaterThanOrEqual(actual, goal), then=Value("achieved")),
            When(down & LessThanOrEqual(actual, goal), then=Value("achieved")),
            When(GreaterThan(goal, base) & GreaterThanOrEqual(covered, expected),
                 then=Value("on_track")),
            When(LessThan(goal, base) & LessThanOrEqual(covered, expected),
                 then=Value("on_track")),
            default=Value("behind"),
            output_field=CharField(),
        )
    )  # fmt: skip


def kpi_status(kpi: Kpi, fiscal_year: int) -> KpiStatus:
    """The KPI against its target of ``fiscal_year`` (see KPI_RULE), from the annotations
    of :func:`with_kpi_status` (one query when the KPI was read without them)."""
    if getattr(kpi, "fy_year", None) != fiscal_year:
        kpi = with_kpi_status(Kpi.objects.filter(pk=kpi.pk), fiscal_year).get()
    state, target, actual = kpi.fy_state, kpi.fy_target, kpi.fy_actual
    if state in ("no_target", "no_data"):
        return KpiStatus(state, target=target)
    span = target - kpi.baseline
    progress = (
        float((actual - kpi.baseline) / span) if span else (1.0 if state == "achieved" else 0.0)
    )
    return KpiStatus(state, target, actual, kpi.fy_quarter, progress)


def kpis_with_status(fiscal_year: int, *, initiative_ids=None) -> QuerySet[Kpi]:
    """The KPIs with a target in ``fiscal_year``, annotated with their standing."""
    qs = Kpi.objects.select_related("initiative__bureau")
    if initiative_ids is not None:
        qs = qs.filter(initiative_id__in=initiative_ids)
    return (
        with_kpi_status(qs, fiscal_year)
        .filter(fy_target__isnull=False)
        .order_by("initiative_id", "id")
    )


def kpis_off_target(fiscal_year: int, *, initiative_ids=None) -> QuerySet[Kpi]:
    """The KPIs behind in ``fiscal_year``, filtered, counted and paged by the database."""
    return kpis_with_status(fiscal_year, initiative_ids=initiative_ids).filter(fy_state="behind")


def goal_state(states: list[str]) -> str:
    known = [s for s in states if s in ("achieved", "on_track", "behind")]
    if not known:
        return "no_data"
    if all(s == "achieved" for s in states):
        return "achieved"
    if "behind" in known:
        return "behind"
    return "on_track"


def goals(fiscal_year: int) -> list[PriorityGoal]:
    rows = list(
        PriorityGoal.objects.filter(fiscal_year=fiscal_year).prefetch_related(
            Prefetch(
                "kpis",
                queryset=with_kpi_status(Kpi.objects.select_related("initiative"), fiscal_year),
            )
        )
    )
    for goal in rows:
        goal.kpi_rows = list(goal.kpis.all())
        for kpi in goal.kpi_rows:
            kpi.status_now = kpi_status(kpi, fiscal_year)
        goal.state = goal_state([k.status_now.state for k in goal.kpi_rows])
        goal.state_label = KPI_STATE_LABELS.get(goal.state, goal.state)
    return rows


# --- progress ---------------------------------------------------------------------------------


def last_report(initiative: Initiative) -> ProgressReport | None:
    return initiative.reports.order_by("-fiscal_year", "-quarter").first()


def reports(*, state: str = "", bureau: Department | None = None) -> QuerySet[ProgressReport]:
    qs = ProgressReport.objects.select_related(
        "initiative__bureau", "initiative__division", "submitted_by"
    ).order_by("-submitted_at", "-id")
    if state:
        qs = qs.filter(state=state)
    if bureau is not None:
        qs = qs.filter(initiative__bureau=bureau)
    return qs


def due_initiatives(fiscal_year: int, quarter: int) -> QuerySet[Initiative]:
    """Initiatives that owe a report for the quarter: planned or running in that year."""
    return Initiative.objects.filter(
        status__in=LIVE_STATUSES,
        fiscal_year_start__lte=fiscal_year,
        fiscal_year_end__gte=fiscal_year,
    )


def missing_reports(fiscal_year: int, quarter: int, *, bureau_ids=None) -> QuerySet[Initiative]:
    """Initiatives without a report for the quarter, or whose report was returned and not
    sent again."""
    done = ProgressReport.objects.filter(
        fiscal_year=fiscal_year,
        quarter=quarter,
        state__in=[ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED],
    ).values("initiative_id")
    qs = (
        due_initiatives(fiscal_year, quarter)
        .exclude(pk__in=done)
        .select_related("bureau", "division")
        .order_by("bureau__sort_order", "division__sort_order", "id")
    )
    if bureau_ids is not None:
        qs = qs.filter(bureau_id__in=list(bureau_ids))
    return qs


def missing_by_division(fiscal_year: int, quarter: int, *, bureau_ids=None) -> list[dict]:
    """One row per owner division (or bureau when no division): how many reports it owes."""
    rows = (
        missing_reports(fiscal_year, quarter, bureau_ids=bureau_ids)
        .values("bureau_id", "bureau__name", "division_id", "division__name")
        .annotate(n=Count("id"))
        .order_by("bureau__sort_order", "division__sort_order", "division_id")
    )
    return list(rows)


# --- budget -------------------------------------------------------------------------------------


def _change(now: int, before: int | None) -> dict:
    if before is None:
        return {"diff": None, "rate": None}
    diff = now - before
    return {"diff": diff, "rate": (diff / before) if before else None}


BUDGET_FIELDS = ("requested_yen", "approved_yen", "executed_yen")


def _budget_table(lines, key_of, fiscal_year: int) -> dict:
    """key → the year's sums, the previous year's requested sum and the change."""
    now: dict = {}
    before: dict = {}
    for line in lines:
        target = now if line["fiscal_year"] == fiscal_year else before
        bucket = target.setdefault(key_of(line), dict.fromkeys(BUDGET_FIELDS, 0))
        for f in BUDGET_FIELDS:
            bucket[f] += line[f] or 0
    rows = {}
    for key in set(now) | set(before):
        current = now.get(key, dict.fromkeys(BUDGET_FIELDS, 0))
        previous = before.get(key)
        earlier = previous["requested_yen"] if previous else None
        rows[key] = {
            **current,
            "previous_requested": earlier,
            "change": _change(current["requested_yen"], earlier),
        }
    return rows


def budget_view(fiscal_year: int) -> dict:
    """Requested, approved and executed amounts of the fiscal year by bureau and by pillar,
    with totals and the change of the requested amount from the previous year."""
    lines = list(
        BudgetLine.objects.filter(fiscal_year__in=[fiscal_year, fiscal_year - 1]).values(
            "initiative_id", "fiscal_year", *BUDGET_FIELDS, "initiative__bureau_id"
        )
    )
    pillars = pillar_labels({line["initiative_id"] for line in lines})
    no_pillar = str(NO_PILLAR)
    by_bureau = _budget_table(lines, lambda line: line["initiative__bureau_id"], fiscal_year)
    by_pillar = _budget_table(
        lines, lambda line: pillars.get(line["initiative_id"], ("", no_pillar))[1], fiscal_year
    )
    bureau_rows = []
    for bureau in bureaus().filter(pk__in=list(by_bureau)):
        bureau_rows.append({"label": bureau.name, **by_bureau[bureau.pk]})
    pillar_rows = [
        {"label": label, **by_pillar[label]}
        for label in sorted(by_pillar, key=lambda label: (label == no_pillar, label))
    ]
    total = _budget_table(lines, lambda _line: "all", fiscal_year).get("all")
    return {"by_bureau": bureau_rows, "by_pillar": pillar_rows, "totals": total}


# --- analytics ----------------------------------------------------------------------------------


def analytics(qs: QuerySet[Initiative], *, fiscal_year: int) -> dict:
    """The balance of 改善/変革 and D/X, lever coverage, the cost-value ranking and the
    bubble chart's points, and the KPIs off target, of the initiatives in ``qs``."""
    fields = ("title", "scope", "dx", "rule_kind", "organisation_kind", "budget_kind",
              *costvalue.INPUTS, "useful_life_years")  # fmt: skip
    rows = with_cost_value(list(qs.order_by().select_related(None).only(*fields)))
    n = len(rows)
    balance = defaultdict(int)
    for r in rows:
        balance[(r.scope, r.dx)] += 1
    levers = {
        "rule": sum(1 for r in rows if r.rule_kind != RuleKind.NONE),
        "organisation": sum(1 for r in rows if r.organisation_kind != Lever.NONE),
        "budget": sum(1 for r in rows if r.budget_kind != Lever.NONE),
        "none": sum(1 for r in rows if r.changes_no_lever),
    }
    ranked = sorted(
        (r for r in rows if r.cv is not None and r.cv.ratio is not None),
        key=lambda r: (-r.cv.ratio, r.pk),
    )
    ids = qs.order_by().values("pk")
    return {
        "n": n,
        "balance": [
            {"scope": s, "dx": d, "n": balance[(s.value, d)]} for s in Scope for d in ("D", "X")
        ],
        "scope_totals": {s.value: sum(1 for r in rows if r.scope == s) for s in Scope},
        "dx_totals": {d: sum(1 for r in rows if r.dx == d) for d in ("D", "X")},
        "levers": levers,
        "ranking": ranked,
        "unrated": n - len(ranked),
        "off_target": kpis_off_target(fiscal_year, initiative_ids=ids),
    }


# --- roadmap ------------------------------------------------------------------------------------


def roadmap(qs: QuerySet[Initiative]) -> dict:
    """The initiatives by pillar (each with its ``roadmap_milestones``), the fiscal years and
    the vision's steps: three queries whatever the number of initiatives."""
    years = fiscal_years()
    rows = list(
        qs.order_by("fiscal_year_start", "id")
        .select_related(None)
        .only("title", "status", "fiscal_year_start", "fiscal_year_end")
    )
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for m in Milestone.objects.filter(initiative_id__in=qs.order_by().values("pk")).only(
        "initiative_id", "title", "due_on", "done"
    ):
        milestones[m.initiative_id].append(m)
    pillars = pillar_labels([r.pk for r in rows])
    groups: dict[str, list] = defaultdict(list)
    for r in rows:
        r.roadmap_milestones = milestones.get(r.pk, [])
        groups[pillars.get(r.pk, ("", str(NO_PILLAR)))[1]].append(r)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == str(NO_PILLAR), item[0]))
    return {
        "years": years,
        "groups": ordered,
        "steps": list(VisionStep.objects.order_by("fiscal_year", "id")),
        "milestone_count": sum(len(items) for items in milestones.values()),
    }


# --- export -------------------------------------------------------------------------------------


def table_rows(qs: QuerySet[Initiative]):
    """The initiatives with their pillar and cost value, for the portfolio table."""
    units = unit_costs()
    for chunk_start in range(0, qs.count(), 500):
        chunk = list(qs.order_by("id")[chunk_start : chunk_start + 500])
        yield from with_cost_value(chunk, units)


def status_counts(*, bureau_ids=None) -> list[dict]:
    qs = Initiative.objects.all()
    if bureau_ids is not None:
        qs = qs.filter(bureau_id__in=list(bureau_ids))
    counts = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return [{"status": s, "label": s.label, "n": counts.get(s.value, 0)} for s in Status]


def balance_counts(*, bureau_ids=None) -> dict:
    qs = Initiative.objects.exclude(status=Status.STOPPED)
    if bureau_ids is not None:
        qs = qs.filter(bureau_id__in=list(bureau_ids))
    return qs.aggregate(
        n=Count("id"),
        henkaku=Count("id", filter=Q(scope=Scope.HENKAKU)),
        x=Count("id", filter=Q(dx="X")),
        rule=Count("id", filter=~Q(rule_kind=RuleKind.NONE)),
        organisation=Count("id", filter=~Q(organisation_kind=Lever.NONE)),
        budget=Count("id", filter=~Q(budget_kind=Lever.NONE)),
        none=Count(
            "id",
            filter=Q(rule_kind=RuleKind.NONE, organisation_kind=Lever.NONE, budget_kind=Lever.NONE),
        ),
    )
