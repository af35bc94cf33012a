"""Writes of the portfolio app: keyword-only, atomic, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyokan.apps.core.audit import (
    audit_record,
    audit_record_many,
    audited_create,
    audited_delete,
    audited_update,
)
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.once import creates_once
from kyokan.apps.core.search import index_put, index_rebuild, index_remove

from . import periods
from .models import (
    BudgetLine,
    Estimate,
    Initiative,
    InitiativeLink,
    Kpi,
    KpiActual,
    KpiTarget,
    Milestone,
    PriorityGoal,
    ProgressReport,
    ReportComment,
    Status,
    StrategyLink,
    VisionStep,
    initiatives_check,
)

SEARCH_KIND = "portfolio.initiative"

INITIATIVE_FIELDS = frozenset(
    f.name
    for f in Initiative._meta.concrete_fields
    if f.name not in {"id", "created_at", "updated_at"}
)


def _index(initiative: Initiative) -> None:
    from .selectors import search_entry

    _pk, title, body, url = search_entry(initiative)
    index_put(kind=SEARCH_KIND, object_id=initiative.pk, title=title, body=body, url=url)


# From this many initiatives written at once, the portfolio's search entries are rebuilt in
# bulk (one delete, a few inserts) rather than put one by one (two queries each).
INDEX_REBUILD_FROM = 100


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - INITIATIVE_FIELDS
    if unknown:
        raise TypeError(f"unknown initiative fields: {sorted(unknown)}")


# --- initiatives ------------------------------------------------------------------------------


@transaction.atomic
@creates_once
def initiative_create(*, actor, sections=(), **fields) -> Initiative:
    """A new initiative; ``sections`` are the strategy sections (pillars, measures) it
    serves."""
    _check_fields(fields)
    initiative = audited_create(actor=actor, instance=Initiative(**fields))
    if sections:
        strategy_links_set(actor=actor, initiative=initiative, sections=sections)
    _index(initiative)
    return initiative


@transaction.atomic
def initiatives_create_many(*, actor, rows: list[dict], summary: str = "") -> list[Initiative]:
    """Many new initiatives at once (an import): each row holds the fields
    :func:`initiative_create` takes (no strategy sections). Every row is validated in memory
    first (one query for the fiscal years and one for the departments, not several per
    row); any error refuses them all. Then one bulk insert, one audit entry per initiative
    written in one batch, and the search index."""
    for fields in rows:
        _check_fields(fields)
    initiatives = [Initiative(**fields) for fields in rows]
    errors = {
        n: error for n, error in enumerate(initiatives_check(initiatives)) if error is not None
    }
    if errors:
        n, error = next(iter(errors.items()))
        raise ValidationError(
            _("%(count)s of the initiatives are not valid (the first, no. %(n)s: %(error)s).")
            % {"count": len(errors), "n": n + 1, "error": " ".join(error.messages)}
        )
    Initiative.objects.bulk_create(initiatives, batch_size=500)
    audit_record_many(
        actor=actor, action=AuditEvent.Action.CREATE, targets=initiatives, summary=summary
    )
    if len(initiatives) >= INDEX_REBUILD_FROM:
        index_rebuild(kinds=[SEARCH_KIND])
    else:
        for initiative in initiatives:
            _index(initiative)
    return initiatives


@transaction.atomic
def initiative_update(*, actor, initiative: Initiative, sections=None, **changes) -> bool:
    _check_fields(changes)
    changed = audited_update(actor=actor, instance=initiative, changes=changes)
    if sections is not None:
        changed = (
            strategy_links_set(actor=actor, initiative=initiative, sections=sections) or changed
        )
    if changed:
        _index(initiative)
    return changed


@transaction.atomic
def initiative_set_status(*, actor, initiative: Initiative, status: str, reason: str = "") -> bool:
    changes = {"status": status}
    if status == Status.STOPPED:
        changes["stop_reason"] = reason
    return audited_update(actor=actor, instance=initiative, changes=changes)


@transaction.atomic
def initiative_delete(*, actor, initiative: Initiative) -> None:
    pk = initiative.pk
    audited_delete(actor=actor, instance=initiative)
    index_remove(kind=SEARCH_KIND, object_id=pk)


@transaction.atomic
def strategy_links_set(*, actor, initiative: Initiative, sections) -> bool:
    """Link the initiative to exactly these strategy sections (by lineage: a link to a
    section of an earlier version of the same lineage is kept and re-pointed)."""
    wanted = {s.lineage: s for s in sections}
    existing = {link.lineage: link for link in initiative.strategy_links.all()}
    changed = False
    for lineage, link in existing.items():
        if lineage not in wanted:
            audited_delete(actor=actor, instance=link)
            changed = True
    for lineage, section in wanted.items():
        link = existing.get(lineage)
        if link is None:
            audited_create(
                actor=actor,
                instance=StrategyLink(
                    initiative=initiative,
                    section=section,
                    lineage=lineage,
                    label=section.heading[:300],
                ),
            )
            changed = True
        elif link.section_id != section.pk or link.label != section.heading[:300]:
            changed = (
                audited_update(
                    actor=actor,
                    instance=link,
                    changes={"section": section, "label": section.heading[:300]},
                    summary="strategy link re-pointed",
                )
                or changed
            )
    return changed


@transaction.atomic
def strategy_link_confirm(*, actor, link: StrategyLink, section) -> bool:
    """The reviewer confirms that the initiative still serves the revised section."""
    return audited_update(
        actor=actor,
        instance=link,
        changes={"section": section, "label": section.heading[:300]},
        summary="strategy link reviewed",
    )


@transaction.atomic
def strategy_link_remove(*, actor, link: StrategyLink) -> None:
    audited_delete(actor=actor, instance=link)


@transaction.atomic
def estimates_set(*, actor, initiative: Initiative, estimates: dict[str, tuple[int, int]]) -> bool:
    """Low and high estimates of uncertain inputs (an input left out has none). The
    expected value must lie between them."""
    errors = {}
    for name, (low, high) in estimates.items():
        if name not in Estimate.Input.values:
            raise TypeError(name)
        expected = getattr(initiative, name) or 0
        if not low <= expected <= high:
            errors[name] = _(
                "The expected value (%(expected)s) must lie between the low (%(low)s) and "
                "the high (%(high)s) estimate."
            ) % {"expected": f"{expected:,}", "low": f"{low:,}", "high": f"{high:,}"}
    if errors:
        raise ValidationError(errors)
    current = {e.input: e for e in initiative.estimates.all()}
    changed = False
    for name, estimate in current.items():
        if name not in estimates:
            audited_delete(actor=actor, instance=estimate)
            changed = True
    for name, (low, high) in estimates.items():
        estimate = current.get(name)
        if estimate is None:
            audited_create(
                actor=actor,
                instance=Estimate(initiative=initiative, input=name, low=low, high=high),
            )
            changed = True
        else:
            changed = (
                audited_update(actor=actor, instance=estimate, changes={"low": low, "high": high})
                or changed
            )
    return changed


@transaction.atomic
def cost_value_save(
    *, actor, initiative: Initiative, estimates: dict[str, tuple[int, int]], **inputs
) -> bool:
    """The cost and value inputs, their sources, the qualitative score and the estimates."""
    _check_fields(inputs)
    changed = audited_update(
        actor=actor, instance=initiative, changes=inputs, summary="cost and value"
    )
    return estimates_set(actor=actor, initiative=initiative, estimates=estimates) or changed


@transaction.atomic
def link_add(*, actor, initiative: Initiative, target_type: str, target_id: str, label: str):
    if initiative.links.filter(target_type=target_type, target_id=target_id).exists():
        raise ValidationError(_("That object is already linked."))
    return audited_create(
        actor=actor,
        instance=InitiativeLink(
            initiative=initiative, target_type=target_type, target_id=target_id, label=label[:200]
        ),
    )


@transaction.atomic
def link_remove(*, actor, link: InitiativeLink) -> None:
    audited_delete(actor=actor, instance=link)


# --- KPIs and goals -----------------------------------------------------------------------------


def _check_target_years(initiative: Initiative, targets: dict[int, Decimal]) -> None:
    outside = sorted(fy for fy in targets if fy not in initiative.fiscal_years)
    if outside:
        from kyokan.apps.core.japanese_dates import fiscal_year_label

        raise ValidationError(
            {
                "targets": _(
                    "A target must be in a fiscal year of the initiative (%(first)s–%(last)s): "
                    "%(years)s is outside."
                )
                % {
                    "first": fiscal_year_label(initiative.fiscal_year_start, with_western=False),
                    "last": fiscal_year_label(initiative.fiscal_year_end, with_western=False),
                    "years": "、".join(fiscal_year_label(fy, with_western=False) for fy in outside),
                }
            }
        )


@transaction.atomic
def kpi_create(
    *, actor, initiative: Initiative, name: str, unit: str, direction: str, baseline: Decimal,
    baseline_year: int, targets: dict[int, Decimal] | None = None,
) -> Kpi:  # fmt: skip
    targets = targets or {}
    _check_target_years(initiative, targets)
    kpi = audited_create(
        actor=actor,
        instance=Kpi(
            initiative=initiative,
            name=name,
            unit=unit,
            direction=direction,
            baseline=baseline,
            baseline_year=baseline_year,
        ),
    )
    for fy, value in sorted(targets.items()):
        audited_create(actor=actor, instance=KpiTarget(kpi=kpi, fiscal_year=fy, value=value))
    return kpi


@transaction.atomic
def kpi_update(*, actor, kpi: Kpi, targets: dict[int, Decimal] | None = None, **changes) -> bool:
    allowed = {"name", "unit", "direction", "baseline", "baseline_year"}
    if set(changes) - allowed:
        raise TypeError(sorted(set(changes) - allowed))
    changed = audited_update(actor=actor, instance=kpi, changes=changes)
    if targets is not None:
        _check_target_years(kpi.initiative, targets)
        current = {t.fiscal_year: t for t in kpi.targets.all()}
        for fy, target in current.items():
            if fy not in targets:
                audited_delete(actor=actor, instance=target)
                changed = True
        for fy, value in targets.items():
            if fy in current:
                changed = (
                    audited_update(actor=actor, instance=current[fy], changes={"value": value})
                    or changed
                )
            else:
                audited_create(
                    actor=actor, instance=KpiTarget(kpi=kpi, fiscal_year=fy, value=value)
                )
                changed = True
    return changed


@transaction.atomic
def kpi_delete(*, actor, kpi: Kpi) -> None:
    audited_delete(actor=actor, instance=kpi)


@transaction.atomic
def kpi_actual_record(
    *, actor, kpi: Kpi, fiscal_year: int, quarter: int, value: Decimal, source: str = "",
    report: ProgressReport | None = None,
) -> KpiActual:  # fmt: skip
    """Record (or correct) the actual of a fiscal year (quarter 0) or of one quarter."""
    existing = KpiActual.objects.filter(kpi=kpi, fiscal_year=fiscal_year, quarter=quarter).first()
    if existing is not None:
        audited_update(
            actor=actor,
            instance=existing,
            changes={"value": value, "source": source, "report": report or existing.report},
        )
        return existing
    return audited_create(
        actor=actor,
        instance=KpiActual(
            kpi=kpi,
            fiscal_year=fiscal_year,
            quarter=quarter,
            value=value,
            source=source,
            report=report,
        ),
    )


@transaction.atomic
@creates_once
def goal_create(
    *, actor, fiscal_year: int, title: str, description: str = "", kpis=()
) -> PriorityGoal:
    goal = audited_create(
        actor=actor,
        instance=PriorityGoal(fiscal_year=fiscal_year, title=title, description=description),
    )
    goal.kpis.set(list(kpis))
    return goal


@transaction.atomic
def goal_update(*, actor, goal: PriorityGoal, kpis=None, **changes) -> bool:
    changed = audited_update(actor=actor, instance=goal, changes=changes)
    if kpis is not None:
        before = set(goal.kpis.values_list("pk", flat=True))
        after = {k.pk for k in kpis}
        if before != after:
            goal.kpis.set(list(kpis))
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=goal,
                summary="KPIs of the goal",
                before={"kpis": sorted(before)},
                after={"kpis": sorted(after)},
            )
            changed = True
    return changed


@transaction.atomic
def goal_delete(*, actor, goal: PriorityGoal) -> None:
    audited_delete(actor=actor, instance=goal)


# --- progress reports -------------------------------------------------------------------------


def _check_quarter_open(fiscal_year: int, quarter: int, today: date) -> None:
    if periods.quarter_is_open(fiscal_year, quarter, today):
        return
    start, _end = periods.quarter_range(fiscal_year, quarter)
    label = periods.quarter_label(fiscal_year, quarter)
    if today < start:
        raise ValidationError(
            {"quarter": _("%(quarter)s has not started yet.") % {"quarter": label}}
        )
    raise ValidationError(
        {
            "quarter": _(
                "%(quarter)s is closed: its reports were due by %(deadline)s. Ask the "
                "secretariat if something must still be recorded."
            )
            % {"quarter": label, "deadline": periods.report_deadline(fiscal_year, quarter)}
        }
    )


@transaction.atomic
def report_submit(
    *, actor, initiative: Initiative, fiscal_year: int, quarter: int, percent_done: int,
    health: str, happened: str, issues: str = "", help_needed: str = "",
    actuals: dict | None = None, today: date | None = None, at=None,
) -> ProgressReport:  # fmt: skip
    """Submit the quarter's report, or send a returned one again corrected. A quarter that
    is closed (or not started) is refused, except for correcting a returned report.
    ``actuals`` maps a KPI of the initiative to (value, source). ``today``/``at`` let the
    demo build past quarters; a person's request always uses the real day."""
    today = today or timezone.localdate()
    at = at or timezone.now()
    existing = (
        ProgressReport.objects.select_for_update()
        .filter(initiative=initiative, fiscal_year=fiscal_year, quarter=quarter)
        .first()
    )
    fields = {
        "percent_done": percent_done,
        "health": health,
        "happened": happened,
        "issues": issues,
        "help_needed": help_needed,
    }
    if existing is not None:
        if existing.state != ProgressReport.State.RETURNED:
            raise ValidationError(
                {"quarter": _("A report for this quarter was already submitted.")}
            )
        audited_update(
            actor=actor,
            instance=existing,
            changes={
                **fields,
                "state": ProgressReport.State.SUBMITTED,
                "submitted_by": actor,
                "submitted_at": at,
            },
            summary="progress report resubmitted",
        )
        report = existing
    else:
        _check_quarter_open(fiscal_year, quarter, today)
        report = audited_create(
            actor=actor,
            instance=ProgressReport(
                initiative=initiative,
                fiscal_year=fiscal_year,
                quarter=quarter,
                submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
                submitted_at=at,
                **fields,
            ),
        )
    for kpi, (value, source) in (actuals or {}).items():
        if kpi.initiative_id != initiative.pk:
            raise ValidationError(_("A KPI of another initiative was given."))
        kpi_actual_record(
            actor=actor,
            kpi=kpi,
            fiscal_year=fiscal_year,
            quarter=quarter,
            value=value,
            source=source,
            report=report,
        )
    return report


@transaction.atomic
def report_review(
    *, actor, report: ProgressReport, accept: bool, comment: str = "", at=None
) -> bool:
    """The secretariat accepts the report or returns it for correction (with a comment)."""
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what must be corrected.")})
    changed = audited_update(
        actor=actor,
        instance=report,
        changes={
            "state": ProgressReport.State.ACCEPTED if accept else ProgressReport.State.RETURNED,
            "reviewed_by": actor,
            "reviewed_at": at or timezone.now(),
            "review_comment": comment,
        },
        summary="report accepted" if accept else "report returned",
    )
    if not accept and report.submitted_by_id:
        from kyokan.apps.core.notifications import Message, notify

        title = str(report.initiative)
        notify(
            actor=actor,
            recipients=[report.submitted_by],
            kind="portfolio.report_returned",
            message=lambda: Message(
                subject=_("Your progress report was returned: %(title)s") % {"title": title},
                text=_("The secretariat returned the report for correction:\n%(comment)s")
                % {"comment": comment},
            ),
            link=report.get_absolute_url(),
            target=report,
        )
    return changed


@transaction.atomic
def report_comment_add(*, actor, report: ProgressReport, body: str) -> ReportComment:
    return audited_create(
        actor=actor, instance=ReportComment(report=report, author=actor, body=body)
    )


@transaction.atomic
def missing_reports_remind(*, actor, fiscal_year: int, quarter: int, dedupe_key: str) -> int:
    """Tell the 推進員 of every bureau that still owes reports for the quarter; returns how
    many people were told. Idempotent under ``dedupe_key``."""
    from django.urls import reverse

    from kyokan.apps.core.models import User
    from kyokan.apps.core.notifications import Message, notify
    from kyokan.apps.core.roles import Role

    from . import selectors

    owing = selectors.missing_by_division(fiscal_year, quarter)
    per_bureau: dict[int, int] = {}
    for row in owing:
        per_bureau[row["bureau_id"]] = per_bureau.get(row["bureau_id"], 0) + row["n"]
    if not per_bureau:
        return 0
    label = periods.quarter_label(fiscal_year, quarter)
    deadline = periods.report_deadline(fiscal_year, quarter)
    told = 0
    promoters = User.objects.filter(
        is_active=True,
        role_assignments__role=Role.PROMOTER,
        role_assignments__department_id__in=list(per_bureau),
    ).distinct()
    by_bureau: dict[int, list] = {}
    for person in promoters.prefetch_related("role_assignments"):
        for a in person.role_assignments.all():
            if a.role == Role.PROMOTER and a.department_id in per_bureau:
                by_bureau.setdefault(a.department_id, []).append(person)
    link = reverse("portfolio:missing")
    for bureau_id, people in by_bureau.items():
        n = per_bureau[bureau_id]

        def message(n=n):
            return Message(
                subject=_("Progress reports due: %(quarter)s") % {"quarter": label},
                text=_(
                    "%(n)s initiatives of your bureau have no progress report for %(quarter)s "
                    "yet. Reports are due by %(deadline)s."
                )
                % {"n": n, "quarter": label, "deadline": deadline.isoformat()},
            )

        result = notify(
            actor=actor,
            recipients=people,
            kind="portfolio.report_due",
            message=message,
            link=link,
            dedupe_key=dedupe_key,
        )
        told += result.notified
    return told


# --- budget ---------------------------------------------------------------------------------------


@transaction.atomic
def budget_set(
    *, actor, initiative: Initiative, fiscal_year: int, requested_yen: int,
    approved_yen: int | None = None, executed_yen: int | None = None,
) -> BudgetLine:  # fmt: skip
    if fiscal_year not in initiative.fiscal_years:
        raise ValidationError(
            {"fiscal_year": _("The fiscal year is outside the initiative's years.")}
        )
    values = {
        "requested_yen": requested_yen,
        "approved_yen": approved_yen,
        "executed_yen": executed_yen,
    }
    line = BudgetLine.objects.filter(initiative=initiative, fiscal_year=fiscal_year).first()
    if line is None:
        return audited_create(
            actor=actor,
            instance=BudgetLine(initiative=initiative, fiscal_year=fiscal_year, **values),
        )
    audited_update(actor=actor, instance=line, changes=values)
    return line


# --- vision and milestones --------------------------------------------------------------------


@transaction.atomic
@creates_once
def step_create(*, actor, name: str, fiscal_year: int, kind: str = VisionStep.Kind.STEP,
                meaning: str = "") -> VisionStep:  # fmt: skip
    return audited_create(
        actor=actor,
        instance=VisionStep(name=name, fiscal_year=fiscal_year, kind=kind, meaning=meaning),
    )


@transaction.atomic
def step_update(*, actor, step: VisionStep, **changes) -> bool:
    return audited_update(actor=actor, instance=step, changes=changes)


@transaction.atomic
def step_delete(*, actor, step: VisionStep) -> None:
    audited_delete(actor=actor, instance=step)


@transaction.atomic
@creates_once
def milestone_create(*, actor, initiative: Initiative, title: str, due_on: date,
                     done: bool = False) -> Milestone:  # fmt: skip
    return audited_create(
        actor=actor,
        instance=Milestone(initiative=initiative, title=title, due_on=due_on, done=done),
    )


@transaction.atomic
def milestone_delete(*, actor, milestone: Milestone) -> None:
    audited_delete(actor=actor, instance=milestone)


# --- the DX取組方針 draft ---------------------------------------------------------------------


@transaction.atomic
def policy_draft_generate(*, actor, fiscal_year: int):
    """A new draft version of the 「DX取組方針」 document composed from the portfolio of
    ``fiscal_year``. It goes through the documents module's consultation and adoption;
    generating again makes another draft version and never touches an adopted one."""
    from kyokan.apps.core.japanese_dates import fiscal_year_label
    from kyokan.apps.core.validation import validate_fiscal_year
    from kyokan.apps.documents import services as documents
    from kyokan.apps.documents.models import Document, DocumentKind

    from .policy import POLICY_TITLE, draft_sections

    validate_fiscal_year(fiscal_year)
    document = Document.objects.filter(kind=DocumentKind.POLICY, title=POLICY_TITLE).first()
    if document is None:
        document = documents.document_create(
            actor=actor,
            kind=DocumentKind.POLICY,
            title=POLICY_TITLE,
            description="年度ごとに、何を行い、どれだけの予算が必要で、市民にどのような価値を"
            "もたらすかを示す方針。ポートフォリオから案を作成する。",
        )
    label = f"{fiscal_year_label(fiscal_year, with_western=False)}（案）"
    version = documents.version_create(
        actor=actor, document=document, label=label, sections=draft_sections(fiscal_year)
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=version,
        summary=f"DX取組方針 draft generated from the portfolio ({fiscal_year})",
    )
    return version


# --- Excel in -------------------------------------------------------------------------------------


def _bureaus_allowed(actor):
    """None for the secretariat (every bureau), else the bureaus a 推進員 keeps."""
    from .predicates import promoted_bureaus

    if actor is None or actor.has_perm("portfolio.manage_portfolio"):
        return None
    return promoted_bureaus(actor)


def import_check(*, actor, data: bytes, filename: str, mapping: dict | None = None):
    """The dry run: read the file and plan every row (nothing is written). Raises
    ValidationError when the file cannot be read at all."""
    from . import table

    try:
        sheets = table.read_file(data, filename)
    except table.ImportErrors as exc:
        return table.Plan(errors=exc.errors), None
    return table.plan_import(
        sheets, mapping=mapping, bureaus_allowed=_bureaus_allowed(actor)
    ), sheets


@transaction.atomic
def portfolio_import(*, actor, data: bytes, filename: str, mapping: dict | None = None,
                     dry_run: bool = False):  # fmt: skip
    """Import a table all or nothing: returns the plan (with its errors, if any; then
    nothing was written)."""
    from . import table

    plan, _sheets = import_check(actor=actor, data=data, filename=filename, mapping=mapping)
    if plan.ok and not dry_run:
        table.apply_plan(actor=actor, plan=plan)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LOAD,
            target_type="portfolio.initiative",
            summary=f"portfolio import {filename}: {plan.counts}"[:300],
            after=plan.counts,
        )
    return plan


@transaction.atomic
def import_upload(*, actor, filename: str, data: bytes):
    from .models import PortfolioImport

    PortfolioImport.objects.filter(owner=actor, applied_at__isnull=True).delete()
    return audited_create(
        actor=actor,
        instance=PortfolioImport(owner=actor, filename=filename[:200], content=data),
        summary="portfolio table uploaded",
    )


@transaction.atomic
def import_set_mapping(*, actor, record, mapping: dict[str, str]) -> bool:
    return audited_update(actor=actor, instance=record, changes={"mapping": mapping})


def _mapping_bureau(actor):
    allowed = _bureaus_allowed(actor)
    if not allowed:
        return None
    from kyokan.apps.core.models import Department

    return Department.objects.filter(pk__in=allowed).order_by("sort_order", "id").first()


def saved_mapping(*, actor) -> dict[str, str]:
    """The column mapping kept for the actor's bureau (the secretariat's own otherwise)."""
    from .models import ImportMapping

    found = ImportMapping.objects.filter(bureau=_mapping_bureau(actor)).first()
    return dict(found.mapping) if found else {}


@transaction.atomic
def import_apply(*, actor, record):
    """Apply an uploaded table with its mapping; the mapping is kept for the bureau."""
    from .models import ImportMapping

    if record.applied_at is not None:
        raise ValidationError(_("This file was already imported."))
    plan = portfolio_import(
        actor=actor, data=bytes(record.content), filename=record.filename,
        mapping=record.mapping or None,
    )  # fmt: skip
    if not plan.ok:
        return plan
    audited_update(actor=actor, instance=record, changes={"applied_at": timezone.now()})
    if record.mapping:
        bureau = _mapping_bureau(actor)
        existing = ImportMapping.objects.filter(bureau=bureau).first()
        if existing is None:
            audited_create(
                actor=actor, instance=ImportMapping(bureau=bureau, mapping=record.mapping)
            )
        else:
            audited_update(actor=actor, instance=existing, changes={"mapping": record.mapping})
    return plan
