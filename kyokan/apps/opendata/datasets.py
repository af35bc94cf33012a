"""The datasets of the portfolio, documents, meetings and surveys, read only through each
app's ``public.py`` (the one place deciding what is public).

Every dataset starts with the 全国地方公共団体コード and the municipality's name, as the
national recommended datasets (推奨データセット) do. Files are always written in Japanese
(headers, labels), whatever language the person browsing chose.
"""

from __future__ import annotations

import functools
from itertools import islice

from django.db.models import Max
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyokan.apps.core.japanese_dates import fiscal_year_label, wareki_date

from .registry import (
    BOOLEAN,
    CODE,
    DATE,
    DECIMAL,
    INTEGER,
    CodeTable,
    Column,
    Dataset,
    register,
    register_codes,
)

CHUNK = 2000


def _municipality() -> tuple[str, str]:
    from kyokan.apps.core.selectors import municipality_get

    city = municipality_get()
    return (city.code, city.name) if city else ("", "")


@functools.lru_cache(maxsize=256)
def _fy_ja(year) -> str | None:
    return fiscal_year_label(year, with_western=False) if year else None


def _date_ja(day) -> str | None:
    return wareki_date(day, with_western=False) if day else None


def _chunks(iterable, size=CHUNK):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _last_audit(*model_labels: str):
    """The day of the last recorded change of these models (the audit trail)."""
    from django.utils import timezone

    from kyokan.apps.core.models import AuditEvent

    last = AuditEvent.objects.filter(target_type__in=model_labels).aggregate(m=Max("created_at"))[
        "m"
    ]
    return timezone.localtime(last).date() if last else None


def _count(app: str, selector: str):
    """The number of rows of ``selector`` of the app's public module."""

    def count() -> int:
        import importlib

        public = importlib.import_module(f"kyokan.apps.{app}.public")
        return getattr(public, selector)().count()

    return count


CITY_COLUMNS = (
    Column("municipality_code", _("全国地方公共団体コード"),
           _("The six-digit local government code (with its check digit).")),
    Column("municipality_name", _("地方公共団体名"), _("The municipality publishing the data.")),
)  # fmt: skip


def _fy_columns(key: str, header, description) -> tuple[Column, Column]:
    return (
        Column(key, header, description, INTEGER),
        Column(
            f"{key}_wareki", format_lazy("{}（和暦）", header), _("The same fiscal year in 和暦.")
        ),
    )


# --- code tables ------------------------------------------------------------------------------


def _choices(model_path: str, attribute: str):
    def entries():
        import importlib

        target = importlib.import_module(model_path)
        for part in attribute.split("."):
            target = getattr(target, part)
        return target.choices

    return entries


for slug, title, path, attr in (
    ("initiative-status", _("Status of an initiative"), "kyokan.apps.portfolio.models", "Status"),
    ("initiative-scope", _("改善 or 変革"), "kyokan.apps.portfolio.models", "Scope"),
    ("initiative-dx", _("D or X"), "kyokan.apps.portfolio.models", "DX"),
    ("rule-kind", _("Kind of rule change"), "kyokan.apps.portfolio.models", "RuleKind"),
    ("lever", _("Organisation or budget change"), "kyokan.apps.portfolio.models", "Lever"),
    ("kpi-direction", _("Direction of a KPI"), "kyokan.apps.portfolio.models", "Kpi.Direction"),
    ("health", _("Health of a progress report"), "kyokan.apps.portfolio.models",
     "ProgressReport.Health"),
    ("meeting-kind", _("Kind of meeting"), "kyokan.apps.meetings.models", "MeetingKind"),
    ("meeting-status", _("Status of a meeting"), "kyokan.apps.meetings.models", "Meeting.Status"),
    ("question-kind", _("Kind of question"), "kyokan.apps.surveys.models", "Question.Kind"),
    ("document-kind", _("Kind of document"), "kyokan.apps.documents.models", "DocumentKind"),
    ("version-state", _("State of a version"), "kyokan.apps.documents.models", "Version.State"),
):  # fmt: skip
    register_codes(CodeTable(slug, title, _choices(path, attr)))


# --- portfolio --------------------------------------------------------------------------------


def _initiative_rows():
    from kyokan.apps.portfolio import costvalue, public

    code, name = _municipality()
    for batch in _chunks(public.initiatives().iterator(chunk_size=CHUNK)):
        for i in public.with_cost_value(batch):
            cv = getattr(i, "cv", None)
            yield (
                code, name, i.pk, i.title, i.easy_japanese_summary or i.summary,
                i.bureau.name, i.division.name if i.division_id else None,
                i.fiscal_year_start, _fy_ja(i.fiscal_year_start),
                i.fiscal_year_end, _fy_ja(i.fiscal_year_end),
                i.status, i.get_status_display(), i.scope, i.dx,
                i.rule_kind, i.rule_name, i.organisation_kind, i.organisation_change,
                i.budget_kind, i.budget_change, i.value_who, i.value_change,
                i.initial_cost_yen, i.running_cost_yen,
                costvalue.yen(cv.annual_cost) if cv else None,
                costvalue.yen(cv.annual_value) if cv else None,
                costvalue.ratio(cv.ratio) if cv else None,
                costvalue.payback(cv.payback) if cv else None,
                i.updated_at.date(),
            )  # fmt: skip


def _initiatives_modified():
    from django.utils import timezone

    from kyokan.apps.portfolio import public

    last = public.initiatives().aggregate(m=Max("updated_at"))["m"]
    return timezone.localtime(last).date() if last else None


register(
    Dataset(
        slug="initiatives",
        order=10,
        title=_("DX initiatives"),
        description=_(
            "The city's DX initiatives (取組) that the secretariat published: owner bureau, "
            "fiscal years, status, 改善/変革 and D/X, the rule, organisation and budget "
            "changes, who benefits and what changes for them, and cost against value "
            "(annual cost and value in yen, their ratio and the payback years)."
        ),
        frequency=_("When an initiative changes (at least every quarter)"),
        keywords=(_("DX"), _("initiatives"), _("cost against value")),
        columns=(
            *CITY_COLUMNS,
            Column(
                "initiative_id", _("取組ID"), _("Identifier of the initiative in Kyokan."), INTEGER
            ),
            Column("title", _("取組名"), _("Title of the initiative.")),
            Column("summary", _("概要"), _("Summary (in easy Japanese where written).")),
            Column("bureau", _("所管部局"), _("The bureau that owns the initiative.")),
            Column("division", _("所管課"), _("The division that owns it (may be empty).")),
            *_fy_columns("fiscal_year_start", _("開始年度"), _("First fiscal year (西暦).")),
            *_fy_columns("fiscal_year_end", _("終了年度"), _("Last fiscal year (西暦).")),
            Column("status", _("状況コード"), _("Status (code)."), CODE, "initiative-status"),
            Column("status_label", _("状況"), _("Status (label of the code).")),
            Column(
                "scope", _("改善・変革コード"), _("改善 or 変革 (code)."), CODE, "initiative-scope"
            ),
            Column(
                "dx",
                _("D・Xコード"),
                _("D (tools) or X (transformation) (code)."),
                CODE,
                "initiative-dx",
            ),
            Column(
                "rule_kind",
                _("ルール変更コード"),
                _("Kind of rule change (code)."),
                CODE,
                "rule-kind",
            ),
            Column("rule_name", _("変更するルール"), _("The rule that changes (empty: none).")),
            Column(
                "organisation_kind",
                _("組織変更コード"),
                _("Organisation change (code)."),
                CODE,
                "lever",
            ),
            Column(
                "organisation_change", _("組織変更の内容"), _("What changes in the organisation.")
            ),
            Column("budget_kind", _("予算変更コード"), _("Budget change (code)."), CODE, "lever"),
            Column("budget_change", _("予算変更の内容"), _("What changes in the budget.")),
            Column("value_who", _("対象となる市民等"), _("Who benefits.")),
            Column("value_change", _("市民等にとっての変化"), _("What changes for them.")),
            Column("initial_cost_yen", _("初期費用（円）"), _("Initial cost."), INTEGER, unit="円"),
            Column(
                "running_cost_yen",
                _("年間運用費用（円）"),
                _("Running cost per year."),
                INTEGER,
                unit="円",
            ),
            Column(
                "annual_cost_yen",
                _("年間費用（円）"),
                _(
                    "Annual cost = running cost + initial cost ÷ useful life + staff hours × "
                    "hourly labour cost."
                ),
                INTEGER,
                unit="円",
            ),
            Column(
                "annual_value_yen",
                _("年間価値（円）"),
                _(
                    "Annual value = citizens' time saved + staff hours saved + other "
                    "quantified benefits, in yen."
                ),
                INTEGER,
                unit="円",
            ),
            Column(
                "cost_value_ratio",
                _("費用対価値"),
                _("Annual value ÷ annual cost (2 decimals; empty without cost)."),
                DECIMAL,
            ),
            Column(
                "payback_years",
                _("回収年数"),
                _(
                    "Initial cost ÷ (annual value − running cost), in years (empty when it "
                    "never pays back)."
                ),
                DECIMAL,
                unit="年",
            ),
            Column("updated_on", _("更新日"), _("Day of the last change (ISO 8601)."), DATE),
        ),
        rows=_initiative_rows,
        count=_count("portfolio", "initiatives"),
        modified=_initiatives_modified,
    )
)


def _kpi_rows():
    from kyokan.apps.portfolio import public

    code, name = _municipality()
    qs = public.kpis().select_related("initiative").prefetch_related(None)
    for k in qs.iterator(chunk_size=CHUNK):
        yield (
            code, name, k.pk, k.initiative_id, k.initiative.title, k.name, k.unit, k.direction,
            k.baseline, k.baseline_year, _fy_ja(k.baseline_year),
        )  # fmt: skip


def _kpi_value_rows(kind: str):
    def rows():
        from kyokan.apps.portfolio import public

        code, name = _municipality()
        if kind == "target":
            qs = public.kpi_targets().values_list(
                "kpi_id", "kpi__initiative_id", "kpi__name", "kpi__unit", "fiscal_year",
                "value",
            )  # fmt: skip
            for kpi_id, initiative_id, kpi_name, unit, fy, value in qs.iterator(CHUNK):
                yield code, name, kpi_id, initiative_id, kpi_name, unit, fy, _fy_ja(fy), value
        else:
            qs = public.kpi_actuals().values_list(
                "kpi_id", "kpi__initiative_id", "kpi__name", "kpi__unit", "fiscal_year",
                "quarter", "value",
            )  # fmt: skip
            for kpi_id, initiative_id, kpi_name, unit, fy, quarter, value in qs.iterator(CHUNK):
                yield (
                    code, name, kpi_id, initiative_id, kpi_name, unit, fy, _fy_ja(fy), quarter,
                    value,
                )  # fmt: skip

    return rows


KPI_HEAD = (
    *CITY_COLUMNS,
    Column("kpi_id", _("KPI ID"), _("Identifier of the KPI."), INTEGER),
    Column("initiative_id", _("取組ID"), _("The initiative the KPI measures."), INTEGER),
)


def _public_count(selector: str):
    return _count("portfolio", selector)


register(
    Dataset(
        slug="kpis",
        order=20,
        title=_("KPIs of the initiatives"),
        description=_("The KPIs of the published initiatives: unit, direction and baseline."),
        frequency=_("When an initiative changes (at least every quarter)"),
        keywords=(_("KPI"),),
        columns=(
            *KPI_HEAD,
            Column("initiative_title", _("取組名"), _("Title of the initiative.")),
            Column("name", _("KPI名"), _("What is measured.")),
            Column("unit", _("単位"), _("Unit of the values (never written in the value cells).")),
            Column(
                "direction",
                _("方向コード"),
                _("Whether higher or lower is better (code)."),
                CODE,
                "kpi-direction",
            ),
            Column("baseline", _("基準値"), _("The value before the initiative."), DECIMAL),
            *_fy_columns("baseline_year", _("基準年度"), _("Fiscal year of the baseline (西暦).")),
        ),
        rows=_kpi_rows,
        count=_public_count("kpis"),
        modified=lambda: _last_audit("portfolio.kpi", "portfolio.initiative"),
    )
)

register(
    Dataset(
        slug="kpi-targets",
        order=21,
        title=_("KPI targets"),
        description=_("The target of each published KPI per fiscal year."),
        frequency=_("When an initiative changes (at least every quarter)"),
        keywords=(_("KPI"), _("targets")),
        columns=(
            *KPI_HEAD,
            Column("kpi_name", _("KPI名"), _("What is measured.")),
            Column("unit", _("単位"), _("Unit of the value.")),
            *_fy_columns("fiscal_year", _("年度"), _("Fiscal year of the target (西暦).")),
            Column("target", _("目標値"), _("The target."), DECIMAL),
        ),
        rows=_kpi_value_rows("target"),
        count=_public_count("kpi_targets"),
        modified=lambda: _last_audit("portfolio.kpitarget"),
    )
)

register(
    Dataset(
        slug="kpi-actuals",
        order=22,
        title=_("KPI actuals"),
        description=_(
            "The actual values of the published KPIs, per fiscal year (quarter 0) or quarter "
            "(1–4, April–June being the first)."
        ),
        frequency=_("Every quarter"),
        keywords=(_("KPI"), _("actuals")),
        columns=(
            *KPI_HEAD,
            Column("kpi_name", _("KPI名"), _("What is measured.")),
            Column("unit", _("単位"), _("Unit of the value.")),
            *_fy_columns("fiscal_year", _("年度"), _("Fiscal year (西暦).")),
            Column(
                "quarter",
                _("四半期"),
                _("0: the whole fiscal year; 1–4: the quarter (1 = April–June)."),
                INTEGER,
            ),
            Column("actual", _("実績値"), _("The actual value."), DECIMAL),
        ),
        rows=_kpi_value_rows("actual"),
        count=_public_count("kpi_actuals"),
        modified=lambda: _last_audit("portfolio.kpiactual"),
    )
)


def _budget_rows():
    from kyokan.apps.portfolio import public

    code, name = _municipality()
    qs = public.budget_lines().values_list(
        "initiative_id", "initiative__title", "initiative__bureau__name", "fiscal_year",
        "requested_yen", "approved_yen", "executed_yen",
    )  # fmt: skip
    for initiative_id, title, bureau, fy, requested, approved, executed in qs.iterator(CHUNK):
        yield (
            code,
            name,
            initiative_id,
            title,
            bureau,
            fy,
            _fy_ja(fy),
            requested,
            approved,
            executed,
        )


register(
    Dataset(
        slug="budgets",
        order=30,
        title=_("Budgets of the initiatives"),
        description=_(
            "Per published initiative and fiscal year: the amount requested (要求), approved "
            "(査定) and executed (執行), in yen. Empty: not decided or not executed yet."
        ),
        frequency=_("Yearly (budget compilation) and at the close of accounts"),
        keywords=(_("budget"),),
        columns=(
            *CITY_COLUMNS,
            Column("initiative_id", _("取組ID"), _("The initiative."), INTEGER),
            Column("initiative_title", _("取組名"), _("Title of the initiative.")),
            Column("bureau", _("所管部局"), _("The bureau that owns the initiative.")),
            *_fy_columns("fiscal_year", _("年度"), _("Fiscal year of the budget (西暦).")),
            Column("requested_yen", _("要求額（円）"), _("Amount requested."), INTEGER, unit="円"),
            Column("approved_yen", _("査定額（円）"), _("Amount approved."), INTEGER, unit="円"),
            Column("executed_yen", _("執行額（円）"), _("Amount executed."), INTEGER, unit="円"),
        ),
        rows=_budget_rows,
        count=_public_count("budget_lines"),
        modified=lambda: _last_audit("portfolio.budgetline"),
    )
)


def _progress_rows():
    from kyokan.apps.portfolio import public
    from kyokan.apps.portfolio.models import ProgressReport

    labels = dict(ProgressReport.Health.choices)
    code, name = _municipality()
    qs = public.progress().values_list(
        "initiative_id", "initiative__title", "fiscal_year", "quarter", "percent_done", "health"
    )
    for initiative_id, title, fy, quarter, percent, health in qs.iterator(CHUNK):
        yield (
            code, name, initiative_id, title, fy, _fy_ja(fy), quarter, percent, health,
            labels.get(health, health),
        )  # fmt: skip


register(
    Dataset(
        slug="progress",
        order=40,
        title=_("Progress of the initiatives"),
        description=_(
            "The quarterly progress of the published initiatives, as accepted by the "
            "secretariat: how far each has come and whether it is on track."
        ),
        frequency=_("Every quarter"),
        keywords=(_("progress"),),
        columns=(
            *CITY_COLUMNS,
            Column("initiative_id", _("取組ID"), _("The initiative."), INTEGER),
            Column("initiative_title", _("取組名"), _("Title of the initiative.")),
            *_fy_columns("fiscal_year", _("年度"), _("Fiscal year (西暦).")),
            Column("quarter", _("四半期"), _("The quarter (1 = April–June)."), INTEGER),
            Column(
                "percent_done",
                _("進捗率（%）"),
                _("How far it has come, 0–100."),
                INTEGER,
                unit="%",
            ),
            Column("health", _("状況コード"), _("On track or not (code)."), CODE, "health"),
            Column("health_label", _("状況"), _("On track or not (label of the code).")),
        ),
        rows=_progress_rows,
        count=_public_count("progress"),
        modified=lambda: _last_audit("portfolio.progressreport"),
    )
)


# --- documents --------------------------------------------------------------------------------


def _document_rows():
    from kyokan.apps.documents import public

    code, name = _municipality()
    for v in public.versions().iterator(chunk_size=CHUNK):
        yield (
            code, name, v.document_id, v.document.kind, v.document.title, v.pk, v.number,
            v.label, v.state, v.adopted_on, _date_ja(v.adopted_on), v.adopted_by_label,
        )  # fmt: skip


register(
    Dataset(
        slug="documents",
        order=50,
        title=_("Adopted documents and their versions"),
        description=_(
            "The versions of the city's DX definition, strategy and guidelines that were "
            "adopted (決定), later revised (改定済) or abolished (廃止), with the day and the "
            "meeting that adopted them. The texts are on the public pages."
        ),
        frequency=_("When a version is adopted"),
        keywords=(_("DX definition"), _("strategy")),
        columns=(
            *CITY_COLUMNS,
            Column("document_id", _("文書ID"), _("Identifier of the document."), INTEGER),
            Column(
                "kind", _("文書種別コード"), _("Kind of document (code)."), CODE, "document-kind"
            ),
            Column("title", _("文書名"), _("Title of the document.")),
            Column("version_id", _("版ID"), _("Identifier of the version."), INTEGER),
            Column("number", _("版番号"), _("Number of the version (1, 2, …)."), INTEGER),
            Column("label", _("版の名称"), _("Name of the version.")),
            Column(
                "state", _("状態コード"), _("State of the version (code)."), CODE, "version-state"
            ),
            Column("adopted_on", _("決定日"), _("Day of the adoption (ISO 8601)."), DATE),
            Column("adopted_on_wareki", _("決定日（和暦）"), _("The same day in 和暦.")),
            Column("adopted_at", _("決定した会議"), _("The meeting that adopted it.")),
        ),
        rows=_document_rows,
        count=_count("documents", "versions"),
        modified=lambda: _last_audit("documents.version"),
    )
)


# --- meetings ---------------------------------------------------------------------------------


def _local(moment):
    from django.utils import timezone

    return timezone.localtime(moment) if moment else None


def _meeting_rows():
    from kyokan.apps.meetings import public

    code, name = _municipality()
    for m in public.meetings().order_by("starts_at", "id").iterator(chunk_size=CHUNK):
        starts, ends = _local(m.starts_at), _local(m.ends_at)
        yield (
            code, name, m.pk, m.series.name, m.series.kind, m.number, str(m), m.theme,
            m.status, starts.date() if starts else None,
            _date_ja(starts.date()) if starts else None,
            starts.strftime("%H:%M") if starts else None,
            ends.strftime("%H:%M") if ends else None, m.place,
            bool(m.papers_published_at), public.minutes_public(m),
        )  # fmt: skip


register(
    Dataset(
        slug="meetings",
        order=60,
        title=_("Public meetings"),
        description=_(
            "The headquarters' and other public meetings: series, number, date and time, "
            "place, and whether the papers and the minutes are published."
        ),
        frequency=_("For each meeting"),
        keywords=(_("meetings"),),
        columns=(
            *CITY_COLUMNS,
            Column("meeting_id", _("会議ID"), _("Identifier of the meeting."), INTEGER),
            Column("series", _("会議体"), _("The series of meetings.")),
            Column("kind", _("会議種別コード"), _("Kind of meeting (code)."), CODE, "meeting-kind"),
            Column("number", _("回"), _("Number of the meeting in its series."), INTEGER),
            Column("name", _("会議名"), _("Name of the meeting.")),
            Column("theme", _("テーマ"), _("Theme of the meeting.")),
            Column(
                "status", _("状態コード"), _("Scheduled or held (code)."), CODE, "meeting-status"
            ),
            Column("date", _("開催日"), _("Day of the meeting (ISO 8601)."), DATE),
            Column("date_wareki", _("開催日（和暦）"), _("The same day in 和暦.")),
            Column("starts", _("開始時刻"), _("Start time (HH:MM, Japan time).")),
            Column("ends", _("終了時刻"), _("End time (HH:MM, Japan time).")),
            Column("place", _("場所"), _("Where it is held.")),
            Column("papers_published", _("資料公開"), _("1: the papers are published."), BOOLEAN),
            Column(
                "minutes_published", _("会議録公開"), _("1: the minutes are published."), BOOLEAN
            ),
        ),
        rows=_meeting_rows,
        count=_count("meetings", "meetings"),
        modified=lambda: _last_audit("meetings.meeting"),
    )
)


def _decision_rows():
    from kyokan.apps.meetings import public

    code, name = _municipality()
    for d in public.decisions().iterator(chunk_size=CHUNK):
        m = d.meeting
        day = _local(m.starts_at).date() if m.starts_at else None
        yield (
            code, name, d.pk, m.pk, str(m), day, _date_ja(day), d.agenda_item_id, d.text,
        )  # fmt: skip


register(
    Dataset(
        slug="decisions",
        order=61,
        title=_("Decisions of the public meetings"),
        description=_("What the public meetings decided, once their minutes are published."),
        frequency=_("For each meeting"),
        keywords=(_("decisions"), _("meetings")),
        columns=(
            *CITY_COLUMNS,
            Column("decision_id", _("決定事項ID"), _("Identifier of the decision."), INTEGER),
            Column("meeting_id", _("会議ID"), _("The meeting that decided."), INTEGER),
            Column("meeting", _("会議名"), _("Name of the meeting.")),
            Column("date", _("開催日"), _("Day of the meeting (ISO 8601)."), DATE),
            Column("date_wareki", _("開催日（和暦）"), _("The same day in 和暦.")),
            Column("agenda_item_id", _("議題ID"), _("The agenda item (may be empty)."), INTEGER),
            Column("decision", _("決定事項"), _("What was decided.")),
        ),
        rows=_decision_rows,
        count=_count("meetings", "decisions"),
        modified=lambda: _last_audit("meetings.decision"),
    )
)


# --- surveys ----------------------------------------------------------------------------------


def _round2(value):
    from decimal import ROUND_HALF_UP, Decimal

    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _survey_rows():
    from kyokan.apps.surveys import public

    code, name = _municipality()
    for s in public.with_results().order_by("closes_on", "id"):
        head = (code, name, s.pk, s.title, s.round_label, s.opens_on, s.closes_on)
        for q in public.results(s):
            base = (*head, q["question_id"], q["order"], q["question"], q["kind"], q["n"])
            if q["hidden"]:
                yield (*base, True, None, None, None, None, None, None)
                continue
            stats = tuple(_round2(q.get(k)) for k in ("mean", "median", "min", "max"))
            rows = q.get("rows") or []
            if not rows:
                yield (*base, False, None, None, *stats)
            for label, count in rows:
                yield (*base, False, label, count, *stats)


def _survey_count() -> int:
    return sum(1 for _row in _survey_rows())


register(
    Dataset(
        slug="survey-results",
        order=70,
        title=_("Results of public surveys"),
        description=_(
            "Counts of the surveys whose results the secretariat published, once closed: per "
            "question, the number of answers and the count of each choice (or the mean, "
            "median, minimum and maximum of a number). Free-text answers are never "
            "published; a question answered by fewer than 5 people is marked hidden."
        ),
        frequency=_("When a survey closes"),
        keywords=(_("surveys"),),
        columns=(
            *CITY_COLUMNS,
            Column("survey_id", _("調査ID"), _("Identifier of the survey."), INTEGER),
            Column("survey", _("調査名"), _("Title of the survey.")),
            Column("round", _("回次"), _("Round of a repeated survey (事前・事後…).")),
            Column("opens_on", _("開始日"), _("First day of the survey (ISO 8601)."), DATE),
            Column("closes_on", _("終了日"), _("Last day of the survey (ISO 8601)."), DATE),
            Column("question_id", _("設問ID"), _("Identifier of the question."), INTEGER),
            Column("question_no", _("設問番号"), _("Order of the question."), INTEGER),
            Column("question", _("設問"), _("The question.")),
            Column(
                "kind", _("設問種別コード"), _("Kind of question (code)."), CODE, "question-kind"
            ),
            Column("answers", _("回答数"), _("Number of answers to the question."), INTEGER),
            Column(
                "hidden", _("非表示"), _("1: fewer than 5 answers, so nothing is shown."), BOOLEAN
            ),
            Column("option", _("選択肢"), _("The choice counted (empty for numbers).")),
            Column("count", _("件数"), _("Answers with this choice."), INTEGER),
            Column("mean", _("平均"), _("Mean of a scale or number question."), DECIMAL),
            Column("median", _("中央値"), _("Median of a number question."), DECIMAL),
            Column("min", _("最小値"), _("Minimum of a number question."), DECIMAL),
            Column("max", _("最大値"), _("Maximum of a number question."), DECIMAL),
        ),
        rows=_survey_rows,
        count=_survey_count,
        modified=lambda: _last_audit("surveys.survey"),
    )
)


# --- procedures (registered when the procedures app has its public.py) ------------------------


def _procedure_rows():
    from kyokan.apps.procedures import public

    code, name = _municipality()
    for row in public.public_procedures().iterator(chunk_size=CHUNK):
        yield (
            code, name, row["procedure_id"], row["name"], row["department__name"],
            row["law_name"], row["article"], row["online_status"],
            public.online_status_label(row["online_status"]), row["planned_online_year"],
            row["total_count"], row["online_count"],
        )  # fmt: skip


def _register_procedures() -> None:
    import importlib.util

    if importlib.util.find_spec("kyokan.apps.procedures.public") is None:
        return
    from kyokan.apps.procedures import codes

    register_codes(
        CodeTable(
            "online-status",
            _("Online status of a procedure"),
            lambda: list(codes.ONLINE_STATUS.items()),
        )
    )
    register(
        Dataset(
            slug="procedures",
            order=80,
            title=_("Administrative procedures and their online status"),
            description=_(
                "The inventory of the city's administrative procedures (手続の棚卸し, in the "
                "national survey's schema): legal basis, whether each can be done online and "
                "when it will be, and the number of cases, of which online."
            ),
            frequency=_("Yearly (the inventory)"),
            keywords=(pgettext_lazy("opendata", "procedures"), pgettext_lazy("opendata", "online")),
            columns=(
                *CITY_COLUMNS,
                Column(
                    "procedure_id",
                    pgettext_lazy("opendata", "手続ID"),
                    _("Identifier of the procedure."),
                ),
                Column("name", pgettext_lazy("opendata", "手続名"), _("Name of the procedure.")),
                Column("department", _("担当部署"), _("The department that carries it out.")),
                Column(
                    "law_name",
                    pgettext_lazy("opendata", "法令名"),
                    _("The law or rule it is based on."),
                ),
                Column("article", pgettext_lazy("opendata", "根拠条項号"), _("Its article.")),
                Column(
                    "online_status",
                    _("オンライン化の状況コード"),
                    _("Whether it can be done online (code)."),
                    CODE,
                    "online-status",
                ),
                Column(
                    "online_status_label",
                    _("オンライン化の状況"),
                    _("Whether it can be done online (label of the code)."),
                ),
                Column(
                    "planned_online_year",
                    _("オンライン化の予定年度"),
                    _("Fiscal year it is planned to go online (西暦)."),
                    INTEGER,
                ),
                Column(
                    "total_count",
                    pgettext_lazy("opendata", "総手続件数"),
                    _("Cases per year."),
                    INTEGER,
                    unit="件",
                ),
                Column(
                    "online_count",
                    pgettext_lazy("opendata", "オンライン手続件数"),
                    _("Of which online."),
                    INTEGER,
                    unit="件",
                ),
            ),
            rows=_procedure_rows,
            count=_count("procedures", "public_procedures"),
            modified=lambda: _last_audit("procedures.procedure"),
        )
    )


_register_procedures()
