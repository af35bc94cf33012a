"""Request and response schemas of the API (OpenAPI 3 is generated from them).

Output schemas list the public fields the apps' ``public.py`` modules hand out; nothing
else of a row is ever serialised. Input schemas mirror the model's limits (lengths, ranges,
digits) so that a wrong value is refused with a clear message before any service runs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Generic, Literal, TypeVar

from django.utils.translation import gettext as _
from ninja import Field, Path, Schema
from pydantic import ConfigDict, field_validator

from kyokan.apps.core.validation import YEAR_MAX, YEAR_MIN

T = TypeVar("T")

PAGE_MAX = 100
OFFSET_MAX = 1_000_000
YEN_MAX = 10**12
ID_MAX = 2**31 - 1
PathId = Annotated[int, Path(ge=1, le=ID_MAX)]


def _refuse_unstorable(value):
    """Text a database cannot store (NUL, lone surrogates) is refused at the boundary."""
    if isinstance(value, str) and any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in value):
        raise ValueError(_("The text contains a character that is not allowed."))
    return value


class CleanText(Schema):
    """Every text field of an input refuses what PostgreSQL would refuse (a 500 otherwise)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, list):
            for item in value:
                _refuse_unstorable(item)
        return _refuse_unstorable(value)


class Page(Schema, Generic[T]):
    count: int = Field(description="Number of items matching the filters.")
    limit: int
    offset: int
    results: list[T]


class PageParams(CleanText):
    """Every list takes these; unknown query parameters are refused (400)."""

    limit: int = Field(20, ge=1, le=PAGE_MAX, description=f"Page size (1–{PAGE_MAX}).")
    offset: int = Field(0, ge=0, le=OFFSET_MAX, description="Items to skip.")


FiscalYear = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Fiscal year (西暦, e.g. 2024).")


def IdFilter(description: str):
    return Field(None, ge=1, le=ID_MAX, description=description)


# --- portfolio ------------------------------------------------------------------------------

StatusCode = Literal["concept", "plan", "active", "done", "stopped"]
ScopeCode = Literal["kaizen", "henkaku"]
DxCode = Literal["D", "X"]
RuleCode = Literal["none", "ordinance", "regulation", "guideline", "other"]
LeverCode = Literal["none", "change"]
HealthCode = Literal["good", "caution", "late"]


class InitiativeFilters(PageParams):
    q: str | None = Field(None, max_length=100, description="Text in the title or summary.")
    bureau_id: int | None = IdFilter("Owner bureau.")
    fiscal_year: int | None = FiscalYear
    status: StatusCode | None = None
    scope: ScopeCode | None = None
    dx: DxCode | None = None


class InitiativeOut(Schema):
    id: int
    title: str
    summary: str
    easy_japanese_summary: str
    bureau_id: int
    bureau_name: str
    division_id: int | None
    division_name: str
    fiscal_year_start: int
    fiscal_year_end: int
    status: StatusCode
    status_label: str
    stop_reason: str
    scope: ScopeCode
    scope_label: str
    dx: DxCode
    dx_label: str
    rule_kind: RuleCode
    rule_name: str
    organisation_kind: LeverCode
    organisation_change: str
    budget_kind: LeverCode
    budget_change: str
    value_who: str
    value_pain: str
    value_change: str
    value_absent: str
    initial_cost_yen: int
    running_cost_yen: int
    staff_hours_run: int
    cases_per_year: int
    citizen_minutes_saved_per_case: int
    staff_hours_saved: int
    other_benefit_yen: int
    useful_life_years: int | None
    qualitative_score: int | None
    qualitative_reason: str
    annual_cost_yen: int | None = None
    annual_value_yen: int | None = None
    value_ratio: float | None = None
    payback_years: float | None = None
    updated_at: dt.datetime


class KpiFilters(PageParams):
    initiative_id: int | None = IdFilter("The initiative.")


class KpiTargetOut(Schema):
    fiscal_year: int
    value: float


class KpiOut(Schema):
    id: int
    initiative_id: int
    name: str
    unit: str
    direction: Literal["up", "down"]
    baseline: float
    baseline_year: int
    targets: list[KpiTargetOut]


class KpiActualFilters(PageParams):
    kpi_id: int | None = IdFilter("The KPI.")
    initiative_id: int | None = IdFilter("The initiative.")
    fiscal_year: int | None = FiscalYear


class KpiActualOut(Schema):
    kpi_id: int
    fiscal_year: int
    quarter: int = Field(description="0: the whole fiscal year; 1–4: a quarter.")
    value: float


class BudgetFilters(PageParams):
    initiative_id: int | None = IdFilter("The initiative.")
    fiscal_year: int | None = FiscalYear


class BudgetOut(Schema):
    initiative_id: int
    fiscal_year: int
    requested_yen: int
    approved_yen: int | None
    executed_yen: int | None


class ProgressFilters(PageParams):
    initiative_id: int | None = IdFilter("The initiative.")
    fiscal_year: int | None = FiscalYear


class ProgressOut(Schema):
    initiative_id: int
    fiscal_year: int
    quarter: int
    percent_done: int
    health: HealthCode
    health_label: str


# --- documents ------------------------------------------------------------------------------


class DocumentFilters(PageParams):
    kind: str | None = Field(None, max_length=30, description="Kind of document.")


class VersionOut(Schema):
    id: int
    document_id: int
    number: int
    label: str
    state: str
    state_label: str
    based_on_id: int | None
    adopted_on: dt.date | None
    adopted_at: str
    decision_caption: str
    summary: str


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    easy_japanese_summary: str
    versions: list[VersionOut]


class SectionOut(Schema):
    id: int
    number: str
    depth: int
    kind: str
    heading: str
    body: str
    change: str


class VersionDetailOut(VersionOut):
    sections: list[SectionOut]


# --- procedures -----------------------------------------------------------------------------

OnlineStatusCode = Literal["1", "2", "3", "4", "5"]  # procedures.codes.ONLINE_STATUS
PROCEDURE_ID_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z_.\-]{0,19}$"
PROCEDURE_ID_HELP = "手続ID (letters, digits and - _ . only, at most 20)."
ProcedureIdPath = Annotated[
    str, Path(pattern=PROCEDURE_ID_PATTERN, max_length=20, description=PROCEDURE_ID_HELP)
]


class ProcedureFilters(PageParams):
    q: str | None = Field(None, max_length=100, description="Text in the 手続名 or the 法令名.")
    online_status: OnlineStatusCode | None = Field(
        None,
        description="Online status code (1 実施済, 2 未実施, 3 適用除外, 4 その他, 5 一部実施済).",
    )
    bureau_id: int | None = IdFilter("The bureau whose divisions carry the procedures out.")
    planned_online_year: int | None = Field(
        None, ge=YEAR_MIN, le=YEAR_MAX, description="Fiscal year planned to go online (西暦)."
    )


class ProcedureOut(Schema):
    procedure_id: str
    name: str
    department_name: str
    law_name: str
    article: str
    online_status: Literal["", "1", "2", "3", "4", "5"] = Field(
        description="Online status code; empty when not known."
    )
    online_status_label: str
    planned_online_year: int | None
    total_count: int | None = Field(description="Cases per year (the latest counted year).")
    online_count: int | None = Field(description="Of which online.")


# --- writes ---------------------------------------------------------------------------------


class StrictIn(CleanText):
    """Inputs refuse unknown fields (a typo never passes silently)."""

    model_config = ConfigDict(extra="forbid")


class StrippedIn(StrictIn):
    """The portfolio's inputs: texts lose the spaces around them before their lengths are
    checked, as the site's forms do, so that a required text of spaces or line feeds only is
    empty (an initiative titled "   " was stored: a link without a name on every list). The
    procedures' service strips and refuses blanks itself."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class InitiativeIn(StrippedIn):
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=4000)
    easy_japanese_summary: str = Field("", max_length=2000)
    division_id: int | None = Field(None, ge=1, le=ID_MAX)
    fiscal_year_start: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    fiscal_year_end: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    status: StatusCode = "concept"
    stop_reason: str = Field("", max_length=2000)
    scope: ScopeCode
    dx: DxCode
    rule_kind: RuleCode
    rule_name: str = Field("", max_length=200)
    organisation_kind: LeverCode
    organisation_change: str = Field("", max_length=300)
    budget_kind: LeverCode
    budget_change: str = Field("", max_length=300)
    value_who: str = Field("", max_length=300)
    value_pain: str = Field("", max_length=2000)
    value_change: str = Field("", max_length=2000)
    value_absent: str = Field("", max_length=2000)
    initial_cost_yen: int = Field(0, ge=0, le=YEN_MAX)
    running_cost_yen: int = Field(0, ge=0, le=YEN_MAX)
    useful_life_years: int | None = Field(None, ge=1, le=100)
    staff_hours_run: int = Field(0, ge=0, le=10**8)
    cases_per_year: int = Field(0, ge=0, le=10**10)
    citizen_minutes_saved_per_case: int = Field(0, ge=0, le=10**5)
    staff_hours_saved: int = Field(0, ge=0, le=10**8)
    other_benefit_yen: int = Field(0, ge=0, le=YEN_MAX)


class InitiativePatch(StrippedIn):
    """Only the fields sent are changed."""

    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=4000)
    easy_japanese_summary: str | None = Field(None, max_length=2000)
    division_id: int | None = Field(None, ge=1, le=ID_MAX)
    fiscal_year_start: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    fiscal_year_end: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    status: StatusCode | None = None
    stop_reason: str | None = Field(None, max_length=2000)
    scope: ScopeCode | None = None
    dx: DxCode | None = None
    rule_kind: RuleCode | None = None
    rule_name: str | None = Field(None, max_length=200)
    organisation_kind: LeverCode | None = None
    organisation_change: str | None = Field(None, max_length=300)
    budget_kind: LeverCode | None = None
    budget_change: str | None = Field(None, max_length=300)
    value_who: str | None = Field(None, max_length=300)
    value_pain: str | None = Field(None, max_length=2000)
    value_change: str | None = Field(None, max_length=2000)
    value_absent: str | None = Field(None, max_length=2000)
    initial_cost_yen: int | None = Field(None, ge=0, le=YEN_MAX)
    running_cost_yen: int | None = Field(None, ge=0, le=YEN_MAX)
    useful_life_years: int | None = Field(None, ge=1, le=100)
    staff_hours_run: int | None = Field(None, ge=0, le=10**8)
    cases_per_year: int | None = Field(None, ge=0, le=10**10)
    citizen_minutes_saved_per_case: int | None = Field(None, ge=0, le=10**5)
    staff_hours_saved: int | None = Field(None, ge=0, le=10**8)
    other_benefit_yen: int | None = Field(None, ge=0, le=YEN_MAX)


class InitiativeWritten(Schema):
    """What an integration gets back: its own initiative's fields (public or not)."""

    id: int
    title: str
    bureau_id: int
    division_id: int | None
    fiscal_year_start: int
    fiscal_year_end: int
    status: StatusCode
    scope: ScopeCode
    dx: DxCode
    is_public: bool
    updated_at: dt.datetime


class ActualIn(StrippedIn):
    kpi_id: int = Field(ge=1, le=ID_MAX)
    value: Decimal = Field(max_digits=16, decimal_places=2, allow_inf_nan=False)
    source: str = Field("", max_length=300)


class ReportIn(StrippedIn):
    fiscal_year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    quarter: int = Field(ge=1, le=4)
    percent_done: int = Field(ge=0, le=100)
    health: HealthCode
    happened: str = Field(min_length=1, max_length=4000)
    issues: str = Field("", max_length=4000)
    help_needed: str = Field("", max_length=4000)
    actuals: list[ActualIn] = Field(default_factory=list, max_length=50)


class ReportWritten(Schema):
    id: int
    initiative_id: int
    fiscal_year: int
    quarter: int
    percent_done: int
    health: HealthCode
    state: Literal["submitted", "returned", "accepted"]


class KpiActualIn(StrippedIn):
    fiscal_year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    quarter: int = Field(0, ge=0, le=4, description="0: the whole fiscal year; 1–4: a quarter.")
    value: Decimal = Field(max_digits=16, decimal_places=2, allow_inf_nan=False)
    source: str = Field("", max_length=300)


class KpiActualWritten(Schema):
    kpi_id: int
    fiscal_year: int
    quarter: int
    value: float
    source: str


SealCode = Literal["required", "abolished", "none"]  # procedures.models.Seal
LegalBasisCode = Literal["law", "ordinance", "regulation", "guideline", "other"]
FeePaymentCode = Literal["none", "counter_cash", "counter_cashless", "bank", "online"]
COUNT_MAX = 10**10  # procedures.models.COUNT_MAX


def CountField():
    return Field(None, ge=0, le=COUNT_MAX, description="Cases in the fiscal year.")


class ProcedureFieldsIn(StrictIn):
    """The fields that a new procedure and a change of one declare alike; ``null`` means
    not known (a change: cleared)."""

    seal: SealCode | None = None
    signature_required: bool | None = None
    attachment_count: int | None = Field(None, ge=0, le=1000)
    attachments_removed: int | None = Field(None, ge=0, le=1000)
    fee_yen: int | None = Field(None, ge=0, le=10**9)
    fee_payment: FeePaymentCode | None = None
    planned_online_year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    citizen_minutes: int | None = Field(None, ge=0, le=10**5)


class ProcedurePatch(ProcedureFieldsIn):
    """The city's own fields of a procedure; only the fields sent are changed. ``null``
    clears what may be unknown (seal, signature, attachments, fee, planned year, minutes)."""

    division_id: int | None = Field(
        None, ge=1, le=ID_MAX, description="An active division of the token's bureau."
    )
    legal_basis_kind: LegalBasisCode | None = None
    national_priority: bool | None = None
    priority_group: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=4000)


class ProcedureIn(ProcedureFieldsIn):
    """One of the city's own procedures (市独自), carried out by a division of the token's
    bureau. Its cases are recorded by fiscal year afterwards (``PUT …/counts``)."""

    procedure_id: str = Field(
        pattern=PROCEDURE_ID_PATTERN,
        max_length=20,
        description=PROCEDURE_ID_HELP + " Not yet in the inventory.",
    )
    name: str = Field(min_length=1, max_length=300, description="手続名.")
    division_id: int = Field(
        ge=1, le=ID_MAX, description="An active division of the token's bureau."
    )
    law_name: str = Field("", max_length=300, description="法令名 (or the ordinance's name).")
    article: str = Field("", max_length=200, description="根拠条項号.")
    attachments: str = Field("", max_length=500, description="申請時に添付させる書類.")
    online_status: OnlineStatusCode | None = Field(
        None, description="Online status code; not known when not sent."
    )
    legal_basis_kind: LegalBasisCode = "law"
    national_priority: bool = False
    priority_group: str = Field("", max_length=100)
    note: str = Field("", max_length=4000)


class ProcedureWritten(Schema):
    """What an integration gets back: its own bureau's procedure (public or not)."""

    procedure_id: str
    name: str
    division_id: int | None
    online_status: Literal["", "1", "2", "3", "4", "5"]
    counts_year: int | None
    total_count: int | None
    online_count: int | None
    offline_count: int | None
    counter_count: int | None
    mail_count: int | None
    legal_basis_kind: LegalBasisCode
    seal: Literal["", "required", "abolished", "none"]
    signature_required: bool | None
    attachment_count: int | None
    attachments_removed: int | None
    fee_yen: int | None
    fee_payment: Literal["", "none", "counter_cash", "counter_cashless", "bank", "online"]
    national_priority: bool
    priority_group: str
    planned_online_year: int | None
    citizen_minutes: int | None
    updated_at: dt.datetime


class ProcedureCountsIn(StrictIn):
    """One fiscal year's counts by channel (cases per year) and online status. The counts
    sent replace the year's (a count not sent is not known); without ``total_count`` the
    total is the sum of the channels sent."""

    fiscal_year: int = Field(ge=YEAR_MIN, le=YEAR_MAX, description="Fiscal year (西暦).")
    online_status: OnlineStatusCode | None = Field(
        None, description="Kept as it was when not sent."
    )
    total_count: int | None = CountField()
    online_count: int | None = CountField()
    counter_count: int | None = CountField()
    mail_count: int | None = CountField()


class ProcedureCountsWritten(Schema):
    procedure_id: str
    fiscal_year: int
    online_status: Literal["", "1", "2", "3", "4", "5"]
    total_count: int | None
    online_count: int | None
    counter_count: int | None
    mail_count: int | None
    latest: bool = Field(description="Whether these are now the procedure's own counts.")


class AccountOut(Schema):
    name: str
    bureau_id: int
    bureau_name: str
    scopes: list[str]
