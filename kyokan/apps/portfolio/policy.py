"""The 「DX取組方針」 draft of a fiscal year, composed from the portfolio (the sections'
text, in Japanese: the document is the city's). The service that writes it as a new draft
version of the documents module is ``services.policy_draft_generate``."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from kyokan.apps.core.japanese_dates import fiscal_year_label

from . import costvalue, selectors
from .models import Initiative, Lever, RuleKind, Status
from .table import RULE_WORDS

POLICY_TITLE = "DX取組方針"


def _yen(n: int) -> str:
    return f"{n:,}円"


def _levers(i: Initiative) -> str:
    parts = []
    if i.rule_kind != RuleKind.NONE:
        parts.append(f"ルール：{RULE_WORDS[i.rule_kind]}「{i.rule_name}」")
    if i.organisation_kind != Lever.NONE:
        parts.append(f"組織：{i.organisation_change}")
    if i.budget_kind != Lever.NONE:
        parts.append(f"予算：{i.budget_change}")
    return "、".join(parts) if parts else "ルール・組織・予算の変更なし（ツール導入のみ）"


def draft_sections(fiscal_year: int):
    """The sections of the draft: purpose (from the adopted DX definition), 重点目標,
    initiatives by pillar with their levers and citizen value, budget, expected value and
    schedule."""
    from kyokan.apps.documents.models import SectionKind
    from kyokan.apps.documents.selectors import dx_definition
    from kyokan.apps.documents.services import SectionData as S

    label = fiscal_year_label(fiscal_year, with_western=True)
    definition = dx_definition()
    purpose = f"{label}の本市のDXの取組の方針を定める。"
    if definition is not None:
        text = next((s.body for s in definition.sections.order_by("path") if s.body), "")
        if text:
            purpose += f"本市はDXを次のとおり定義している。「{text}」"
    sections = [S("目的", purpose, 0, SectionKind.POLICY)]

    goals = selectors.goals(fiscal_year)
    lines = []
    for goal in goals:
        lines.append(f"■ {goal.title}（達成状況：{goal.state_label}）")
        if goal.description:
            lines.append(goal.description)
        for kpi in goal.kpi_rows:
            target = kpi.status_now.target
            since = fiscal_year_label(kpi.baseline_year, with_western=False)
            lines.append(
                f"・{kpi.name}：基準値 {kpi.baseline}{kpi.unit}（{since}）"
                + (f" → 目標 {target}{kpi.unit}" if target is not None else "")
            )
    sections.append(
        S("重点目標", "\n".join(lines) or "（重点目標は未設定）", 0, SectionKind.POLICY)
    )

    qs = selectors.initiatives(fiscal_year=fiscal_year).exclude(status=Status.STOPPED)
    rows = selectors.with_cost_value(list(qs.order_by("id")))
    pillars = selectors.pillar_labels([r.pk for r in rows])
    by_pillar: dict[str, list[Initiative]] = defaultdict(list)
    for r in rows:
        by_pillar[pillars.get(r.pk, ("", "施策の柱なし"))[1]].append(r)
    sections.append(S("施策の柱ごとの取組", f"{label}に実施する取組 {len(rows)}件。", 0,
                      SectionKind.POLICY))  # fmt: skip
    for pillar, items in sorted(by_pillar.items()):
        body = []
        for i in items:
            body.append(f"■ {i.title}（{i.bureau.name}、{i.get_scope_display()}・{i.dx}）")
            body.append(f"  変えるもの：{_levers(i)}")
            if i.value_who or i.value_change:
                body.append(
                    f"  市民にとっての価値：{i.value_who}。{i.value_change}".rstrip("。") + "。"
                )
        sections.append(S(pillar, "\n".join(body)[:29_000], 1, SectionKind.POLICY))

    budget = selectors.budget_view(fiscal_year)
    lines = [f"・{row['label']}：要求 {_yen(row['requested_yen'])}" for row in budget["by_pillar"]]
    total = budget["totals"]
    if total:
        lines.append(f"合計：要求 {_yen(total['requested_yen'])}")
    sections.append(S("必要な予算", "\n".join(lines) or "（予算は未登録）", 0, SectionKind.POLICY))

    cost = sum((r.cv.annual_cost for r in rows if r.cv), start=Fraction(0))
    value = sum((r.cv.annual_value for r in rows if r.cv), start=Fraction(0))
    ratio = costvalue.ratio(value / cost) if cost else None
    expected = (
        f"取組全体の年間費用 {_yen(costvalue.yen(cost))}、年間価値 {_yen(costvalue.yen(value))}"
        + (f"、費用対価値 {ratio}" if ratio is not None else "")
        + "（市民の時間の価値・職員時間の削減・その他の定量的効果の合計）。"
    )
    tools_only = sum(1 for r in rows if r.changes_no_lever)
    expected += f"ルール・組織・予算のいずれも変えない取組は{tools_only}件。"
    sections.append(S("期待される価値", expected, 0, SectionKind.POLICY))

    schedule = []
    for step in selectors.roadmap(Initiative.objects.none())["steps"]:
        schedule.append(f"・{fiscal_year_label(step.fiscal_year, with_western=False)}：{step.name}"
                        + (f"（{step.meaning}）" if step.meaning else ""))  # fmt: skip
    for r in rows:
        schedule.append(
            f"・{r.title}：{fiscal_year_label(r.fiscal_year_start, with_western=False)}〜"
            f"{fiscal_year_label(r.fiscal_year_end, with_western=False)}"
        )
    sections.append(S("スケジュール", "\n".join(schedule)[:29_000], 0, SectionKind.POLICY))
    return sections
