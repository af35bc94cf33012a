"""Reads of the procedure inventory: the filtered list, the analysis (online rates, seal and
attachment removal, the BPR priority with its working, progress across fiscal years) and
what the portfolio reads (citizen minutes saved by redesigns, per initiative)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from kyokan.textanalysis.normalize import fold

from . import codes
from .models import LegalBasisKind, LifeEvent, Procedure, ProcedureYear, Redesign, Seal, Step

MAX_QUERY = 100

# The citizen burden of one case when the city has not measured it (minutes): a visit to
# the counter, plus the seal and each attachment to obtain. Shown with every estimate.
BURDEN_BASE = 30
BURDEN_SEAL = 15
BURDEN_PER_ATTACHMENT = 10


def procedures(
    *,
    q: str = "",
    department=None,
    legal_basis_kind: str = "",
    life_event=None,
    online_status: str = "",
    municipal: bool = False,
    priority: bool = False,
    seal: str = "",
) -> QuerySet[Procedure]:
    qs = Procedure.objects.all()
    needle = fold(q[:MAX_QUERY]) if q else ""
    if needle:
        qs = qs.filter(search_text__contains=needle)
    if department is not None:
        qs = qs.filter(Q(department=department) | Q(department__parent=department))
    if legal_basis_kind:
        qs = qs.filter(legal_basis_kind=legal_basis_kind)
    if life_event is not None:
        qs = qs.filter(life_events=life_event)
    if online_status:
        qs = qs.filter(online_status=online_status)
    if municipal:
        qs = qs.filter(is_municipal=True)
    if priority:
        qs = qs.filter(national_priority=True)
    if seal:
        qs = qs.filter(seal=seal)
    return qs


def list_rows(qs: QuerySet[Procedure]) -> QuerySet[Procedure]:
    return qs.select_related("department").only(
        "procedure_id", "name", "law_name", "online_status", "total_count", "online_count",
        "seal", "attachment_count", "department__name", "is_municipal", "national_priority",
    ).order_by("id")  # fmt: skip


def procedure_detail(procedure: Procedure) -> dict:
    redesign = Redesign.objects.filter(procedure=procedure).first()
    return {
        "years": list(procedure.years.order_by("fiscal_year")),
        "events": list(procedure.life_events.all()),
        "redesign": redesign,
        "flows": redesign_flows(redesign) if redesign else None,
        "links": list(procedure.initiative_links.select_related("initiative").order_by("id")),
        "burden": burden_of(procedure),
        "national": national_columns(procedure),
    }


def national_columns(procedure: Procedure) -> list[tuple[str, object]]:
    """(heading, value shown) of the 38 national columns."""
    rows = []
    for header, name in codes.COLUMNS:
        field = Procedure._meta.get_field(name)
        value = (
            getattr(procedure, f"get_{name}_display")()
            if field.choices
            else getattr(procedure, name)
        )
        rows.append((header, "" if value is None else value))
    return rows


# --- rates ----------------------------------------------------------------------------------

ONLINE = Q(online_status__in=codes.ONLINE_DONE)
PARTLY = Q(online_status__in=codes.ONLINE_PARTLY)
EXEMPT = Q(online_status="3")


def rate(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _aggregates(prefix: str = "") -> dict:
    p = prefix

    def q(cond: Q) -> Q:
        return Q(**{f"{p}{k}": v for k, v in cond.children}) if p else cond

    return {
        "n": Count(f"{p}id" if p else "id"),
        "n_online": Count(f"{p}id" if p else "id", filter=q(ONLINE)),
        "n_partly": Count(f"{p}id" if p else "id", filter=q(PARTLY)),
        "n_exempt": Count(f"{p}id" if p else "id", filter=q(EXEMPT)),
        "cases": Coalesce(Sum(f"{p}total_count"), 0),
        "cases_online": Coalesce(Sum(f"{p}online_count"), 0),
    }


@dataclass
class RateRow:
    key: object
    label: str
    n: int
    n_online: int
    n_partly: int
    n_exempt: int
    cases: int
    cases_online: int

    @property
    def rate_procedures(self) -> float | None:
        """Share of the procedures online (実施済), out of those not exempt (適用除外)."""
        return rate(self.n_online, self.n - self.n_exempt)

    @property
    def rate_cases(self) -> float | None:
        return rate(self.cases_online, self.cases)


def totals(qs: QuerySet[Procedure]) -> RateRow:
    a = qs.order_by().aggregate(**_aggregates())
    return RateRow(key="all", label="", **a)


def sum_rows(rows: list[RateRow]) -> RateRow:
    """The totals of groups that partition the procedures (e.g. by legal basis kind, which
    every procedure has): no second scan of the inventory."""
    fields = ("n", "n_online", "n_partly", "n_exempt", "cases", "cases_online")
    return RateRow(key="all", label="", **{f: sum(getattr(r, f) for r in rows) for f in fields})


def by_department(qs: QuerySet[Procedure], *, unassigned_label: str) -> list[RateRow]:
    # Grouped by the id alone (an index scan), the few names read apart.
    rows = list(
        qs.order_by().values("department_id").annotate(**_aggregates()).order_by("department_id")
    )
    from kyokan.apps.core.models import Department

    names = dict(
        Department.objects.filter(
            pk__in=[r["department_id"] for r in rows if r["department_id"]]
        ).values_list("pk", "name")
    )
    result = [
        RateRow(
            key=r["department_id"],
            label=names.get(r["department_id"]) or unassigned_label,
            **{k: r[k] for k in ("n", "n_online", "n_partly", "n_exempt", "cases", "cases_online")},
        )
        for r in rows
    ]
    return sorted(result, key=lambda r: (r.key is None, r.label))


def by_legal_basis(qs: QuerySet[Procedure]) -> list[RateRow]:
    rows = {
        r["legal_basis_kind"]: r
        for r in qs.order_by().values("legal_basis_kind").annotate(**_aggregates())
    }
    fields = ("n", "n_online", "n_partly", "n_exempt", "cases", "cases_online")
    labels = dict(LegalBasisKind.choices)
    order = [k for k, _label in LegalBasisKind.choices if k in rows]
    order += sorted(k for k in rows if k not in labels)  # e.g. blank: still in the totals
    return [
        RateRow(key=k, label=str(labels.get(k, "—")), **{f: rows[k][f] for f in fields})
        for k in order
    ]


def by_life_event(qs: QuerySet[Procedure]) -> list[RateRow]:
    through = Procedure.life_events.through
    links = through.objects.all()
    if qs.query.where:  # filtered: only the links of those procedures
        links = links.filter(procedure__in=qs.order_by().values("pk"))
    rows = (
        links.values("lifeevent_id", "lifeevent__name")
        .annotate(**_aggregates("procedure__"))
        .order_by("lifeevent__name")
    )
    fields = ("n", "n_online", "n_partly", "n_exempt", "cases", "cases_online")
    return [
        RateRow(key=r["lifeevent_id"], label=r["lifeevent__name"], **{f: r[f] for f in fields})
        for r in rows
    ]


def removal(qs: QuerySet[Procedure]) -> dict:
    """Seals and attachments: what was required, what was removed."""
    a = qs.order_by().aggregate(
        seal_required=Count("id", filter=Q(seal=Seal.REQUIRED)),
        seal_abolished=Count("id", filter=Q(seal=Seal.ABOLISHED)),
        seal_none=Count("id", filter=Q(seal=Seal.NONE)),
        seal_unknown=Count("id", filter=Q(seal="")),
        attachments=Coalesce(Sum("attachment_count"), 0),
        attachments_removed=Coalesce(Sum("attachments_removed"), 0),
        with_attachments=Count("id", filter=Q(attachment_count__gt=0)),
        national_removed=Count("id", filter=Q(attachment_removal__contains="1 ")),
        national_planned=Count("id", filter=Q(attachment_removal__contains="2 ")),
        national_impossible=Count("id", filter=Q(attachment_removal__contains="3 ")),
    )
    had_seal = a["seal_required"] + a["seal_abolished"]
    a["seal_rate"] = rate(a["seal_abolished"], had_seal)
    before = a["attachments"] + a["attachments_removed"]
    a["attachment_rate"] = rate(a["attachments_removed"], before)
    a["attachments_before"] = before
    return a


# --- BPR priority ------------------------------------------------------------------------------


def _burden_expression():
    estimate = (
        Value(BURDEN_BASE)
        + Case(When(seal=Seal.REQUIRED, then=Value(BURDEN_SEAL)), default=Value(0))
        + Coalesce(F("attachment_count"), Value(0)) * Value(BURDEN_PER_ATTACHMENT)
    )
    return Coalesce(F("citizen_minutes"), estimate, output_field=IntegerField())


def bpr_priority(qs: QuerySet[Procedure]) -> QuerySet[Procedure]:
    """Cases per year still on paper × the citizen's minutes per case, largest first."""
    paper = Coalesce(F("offline_count"), Value(0))
    return (
        qs.annotate(paper_cases=paper, burden=_burden_expression())
        .annotate(score=F("paper_cases") * F("burden"))
        .filter(paper_cases__gt=0)
        .select_related("department")
        .only(
            "procedure_id", "name", "offline_count", "citizen_minutes", "seal",
            "attachment_count", "online_status", "department__name",
        )
        .order_by("-score", "id")
    )  # fmt: skip


@dataclass(frozen=True)
class Burden:
    minutes: int
    measured: bool
    seal: int = 0
    attachments: int = 0
    attachment_minutes: int = 0


def burden_of(p: Procedure) -> Burden:
    """The citizen minutes of one case, and how they were found (the working)."""
    if p.citizen_minutes is not None:
        return Burden(minutes=p.citizen_minutes, measured=True)
    seal = BURDEN_SEAL if p.seal == Seal.REQUIRED else 0
    attachments = p.attachment_count or 0
    return Burden(
        minutes=BURDEN_BASE + seal + attachments * BURDEN_PER_ATTACHMENT,
        measured=False,
        seal=seal,
        attachments=attachments,
        attachment_minutes=attachments * BURDEN_PER_ATTACHMENT,
    )


def with_burden(rows) -> list:
    rows = list(rows)
    for p in rows:
        p.burden_working = burden_of(p)
        p.hours = round(p.score / 60, 1)
    return rows


# --- progress across fiscal years -------------------------------------------------------------


def progress(qs: QuerySet[Procedure]) -> list[RateRow]:
    years = ProcedureYear.objects.all()
    if qs.query.where:  # filtered: only the years of those procedures
        years = years.filter(procedure__in=qs.order_by().values("pk"))
    rows = (
        years.values("fiscal_year")
        .annotate(
            n=Count("id"),
            n_online=Count("id", filter=ONLINE),
            n_partly=Count("id", filter=PARTLY),
            n_exempt=Count("id", filter=EXEMPT),
            cases=Coalesce(Sum("total_count"), 0),
            cases_online=Coalesce(Sum("online_count"), 0),
        )
        .order_by("fiscal_year")
    )
    fields = ("n", "n_online", "n_partly", "n_exempt", "cases", "cases_online")
    return [RateRow(key=r["fiscal_year"], label="", **{f: r[f] for f in fields}) for r in rows]


# --- redesign -------------------------------------------------------------------------------


@dataclass
class Flows:
    current: list[Step]
    redesigned: list[Step]

    @staticmethod
    def _citizen(steps) -> int:
        return sum(s.minutes for s in steps if s.who == Step.Who.CITIZEN)

    @property
    def citizen_before(self) -> int:
        return self._citizen(self.current)

    @property
    def citizen_after(self) -> int:
        return self._citizen(self.redesigned)

    @property
    def saved(self) -> int:
        return max(self.citizen_before - self.citizen_after, 0)

    @property
    def staff_before(self) -> int:
        return sum(s.minutes for s in self.current if s.who == Step.Who.STAFF)

    @property
    def staff_after(self) -> int:
        return sum(s.minutes for s in self.redesigned if s.who == Step.Who.STAFF)


def redesign_flows(redesign: Redesign) -> Flows:
    steps = list(redesign.steps.order_by("order", "id"))
    return Flows(
        current=[s for s in steps if s.flow == Step.Flow.CURRENT],
        redesigned=[s for s in steps if s.flow == Step.Flow.REDESIGNED],
    )


INCLUDED_NOTE = gettext_lazy(
    "included in the initiative's own figure, not added; the link can say the procedure is "
    "not in it"
)


def citizen_minutes_by_initiative(initiative_ids) -> dict[int, list[dict]]:
    """What the portfolio adds to an initiative's value: for each linked procedure with a
    redesign, its cases per year (the latest total) and the citizen minutes saved per case
    (current flow's citizen minutes − the redesigned flow's), and whether the link says the
    procedure is outside the initiative's own figure (the portfolio decides what is added).
    Two queries."""
    from .models import InitiativeLink

    links = list(
        InitiativeLink.objects.filter(initiative_id__in=list(initiative_ids))
        .select_related("procedure")
        .only(
            "initiative_id",
            "counts_separately",
            "procedure__name",
            "procedure__total_count",
            "procedure_id",
        )
    )
    if not links:
        return {}
    steps: dict[int, list[Step]] = {}
    for s in (
        Step.objects.filter(redesign__procedure_id__in={link.procedure_id for link in links})
        .select_related("redesign")
        .only("flow", "who", "minutes", "redesign__procedure_id")
    ):
        steps.setdefault(s.redesign.procedure_id, []).append(s)
    result: dict[int, list[dict]] = {}
    for link in links:
        own = steps.get(link.procedure_id)
        if not own:
            continue
        flows = Flows(
            current=[s for s in own if s.flow == Step.Flow.CURRENT],
            redesigned=[s for s in own if s.flow == Step.Flow.REDESIGNED],
        )
        cases = link.procedure.total_count or 0
        if flows.saved and cases:
            result.setdefault(link.initiative_id, []).append(
                {
                    "label": link.procedure.name,
                    "url": link.procedure.get_absolute_url(),
                    "cases": cases,
                    "minutes": flows.saved,
                    "separate": link.counts_separately,
                    "included_note": str(INCLUDED_NOTE),
                }
            )
    return result


# --- for forms and the dashboard --------------------------------------------------------------


def life_events() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.order_by("name")


def dashboard(*, top: int = 5) -> dict:
    qs = Procedure.objects.all()
    if Procedure.objects.filter(is_municipal=True).exists():
        qs = qs.filter(is_municipal=True)
    years = progress(qs)
    return {
        "totals": totals(qs),
        "trend": years[-4:],
        "top": with_burden(bpr_priority(qs)[:top]),
    }
