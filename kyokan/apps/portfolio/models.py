"""The initiative portfolio (取組): levers, cost against value, KPIs, priority goals,
progress reports, budgets, the future vision and the roadmap.

Money is in yen, as integers, never more than 10^12 (a city's whole budget is far less).
What crosses relations (the strategy links' status, achievement, analytics) lives in
selectors; the cost-value arithmetic lives in :mod:`.costvalue`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyokan.apps.core.validation import validate_fiscal_year, validate_sane_date

YEN_MAX = 10**12
HOURS_MAX = 10**8
COUNT_MAX = 10**10
MINUTES_MAX = 10**5
LIFE_MAX = 100


YEN_MAX_MESSAGE = _("At most 1,000,000,000,000 yen (10^12).")
LIFE_MIN_MESSAGE = _("The useful life is at least one year.")


def yen_field(label, *, null=False, help_text=""):
    return models.PositiveBigIntegerField(
        label,
        null=null,
        blank=null,
        default=None if null else 0,
        validators=[MaxValueValidator(YEN_MAX, message=YEN_MAX_MESSAGE)],
        help_text=help_text,
    )


def fiscal_year_field(label, *, null=False):
    return models.PositiveSmallIntegerField(
        label, null=null, blank=null, validators=[validate_fiscal_year]
    )


class Status(models.TextChoices):
    CONCEPT = "concept", _("構想")
    PLAN = "plan", _("計画")
    ACTIVE = "active", _("実施中")
    DONE = "done", _("完了")
    STOPPED = "stopped", _("中止")


class Scope(models.TextChoices):
    KAIZEN = "kaizen", _("改善")
    HENKAKU = "henkaku", _("変革")


class DX(models.TextChoices):
    D = "D", _("D（ツール・デジタル化）")
    X = "X", _("X（サービス・業務の変革）")


class RuleKind(models.TextChoices):
    NONE = "none", _("なし")
    ORDINANCE = "ordinance", _("条例")
    REGULATION = "regulation", _("規則")
    GUIDELINE = "guideline", _("要綱")
    OTHER = "other", _("その他")


class Lever(models.TextChoices):
    NONE = "none", _("なし")
    CHANGE = "change", _("あり")


LEVER_BLANK = _("Say what changes, or choose 「なし」 explicitly: a lever is never left blank.")


class Initiative(models.Model):
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("plain-language summary"), blank=True, max_length=4000)
    # やさしい日本語 for the citizen portal, shown there first when filled.
    easy_japanese_summary = models.TextField(
        _("summary in easy Japanese (やさしい日本語)"),
        blank=True,
        max_length=2000,
        help_text=_("Short sentences and everyday words; shown first on the citizen portal."),
    )
    # Only initiatives the secretariat marks public appear on the portal, the open data
    # and the public API (kyokan.apps.portfolio.public decides what of them).
    is_public = models.BooleanField(
        _("public"),
        default=False,
        db_index=True,
        help_text=_(
            "Shown to citizens on the portal and in the open data: its progress, KPIs, "
            "budget and value (never the person in charge or internal comments)."
        ),
    )
    bureau = models.ForeignKey(
        "core.Department",
        verbose_name=_("owner bureau"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    division = models.ForeignKey(
        "core.Department",
        verbose_name=_("owner division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    fiscal_year_start = fiscal_year_field(_("first fiscal year"))
    fiscal_year_end = fiscal_year_field(_("last fiscal year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONCEPT, db_index=True
    )
    stop_reason = models.TextField(_("reason for stopping"), blank=True, max_length=2000)
    scope = models.CharField(_("改善 or 変革"), max_length=10, choices=Scope.choices)
    dx = models.CharField(_("D or X"), max_length=1, choices=DX.choices)
    # The levers: each is a change or an explicit 「なし」, never blank.
    rule_kind = models.CharField(
        _("rule change"),
        max_length=12,
        choices=RuleKind.choices,
        error_messages={"blank": LEVER_BLANK, "null": LEVER_BLANK},
    )
    rule_name = models.CharField(_("rule to change"), max_length=200, blank=True)
    organisation_kind = models.CharField(
        _("organisation change"),
        max_length=8,
        choices=Lever.choices,
        error_messages={"blank": LEVER_BLANK, "null": LEVER_BLANK},
    )
    organisation_change = models.CharField(
        _("what changes in the organisation"), max_length=300, blank=True
    )
    budget_kind = models.CharField(
        _("budget change"),
        max_length=8,
        choices=Lever.choices,
        error_messages={"blank": LEVER_BLANK, "null": LEVER_BLANK},
    )
    budget_change = models.CharField(_("what changes in the budget"), max_length=300, blank=True)
    # The citizen value hypothesis.
    value_who = models.CharField(_("who benefits"), max_length=300, blank=True)
    value_pain = models.TextField(_("their pain today"), blank=True, max_length=2000)
    value_change = models.TextField(_("what changes for them"), blank=True, max_length=2000)
    value_absent = models.TextField(
        _("where the citizen is absent from today's process"), blank=True, max_length=2000
    )
    # Cost and value inputs (expected values; low and high estimates in Estimate).
    initial_cost_yen = yen_field(_("initial cost (yen)"))
    running_cost_yen = yen_field(_("running cost per year (yen)"))
    useful_life_years = models.PositiveSmallIntegerField(
        _("useful life (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, message=LIFE_MIN_MESSAGE), MaxValueValidator(LIFE_MAX)],
        help_text=_("Empty: the municipality's default."),
    )
    staff_hours_run = models.PositiveBigIntegerField(
        _("staff hours to run it per year"), default=0, validators=[MaxValueValidator(HOURS_MAX)]
    )
    cases_per_year = models.PositiveBigIntegerField(
        _("cases per year"), default=0, validators=[MaxValueValidator(COUNT_MAX)]
    )
    citizen_minutes_saved_per_case = models.PositiveIntegerField(
        _("citizen minutes saved per case"), default=0, validators=[MaxValueValidator(MINUTES_MAX)]
    )
    staff_hours_saved = models.PositiveBigIntegerField(
        _("staff hours saved per year"), default=0, validators=[MaxValueValidator(HOURS_MAX)]
    )
    other_benefit_yen = yen_field(_("other quantified benefits per year (yen)"))
    cost_source = models.CharField(_("source of the costs"), max_length=300, blank=True)
    cases_source = models.CharField(_("source of the cases"), max_length=300, blank=True)
    minutes_source = models.CharField(_("source of the minutes saved"), max_length=300, blank=True)
    staff_hours_source = models.CharField(
        _("source of the staff hours"), max_length=300, blank=True
    )
    other_benefit_source = models.CharField(
        _("source of the other benefits"), max_length=300, blank=True
    )
    qualitative_score = models.PositiveSmallIntegerField(
        _("qualitative score (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    qualitative_reason = models.TextField(_("reason for the score"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["bureau__sort_order", "fiscal_year_start", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.division_id and self.bureau_id and self.division.parent_id != self.bureau_id:
            errors["division"] = _("The division must belong to the owner bureau.")
        if self.bureau_id and self.bureau.parent_id is not None:
            errors["bureau"] = _("Choose a bureau (部局), not a division.")
        if (
            self.fiscal_year_start
            and self.fiscal_year_end
            and self.fiscal_year_end < self.fiscal_year_start
        ):
            errors["fiscal_year_end"] = _("The last fiscal year is before the first.")
        if self.rule_kind and self.rule_kind != RuleKind.NONE and not self.rule_name.strip():
            errors["rule_name"] = _("Name the rule that changes (or choose 「なし」).")
        if self.organisation_kind == Lever.CHANGE and not self.organisation_change.strip():
            errors["organisation_change"] = _("Say how the organisation changes.")
        if self.budget_kind == Lever.CHANGE and not self.budget_change.strip():
            errors["budget_change"] = _("Say how the budget changes.")
        if self.status == Status.STOPPED and not self.stop_reason.strip():
            errors["stop_reason"] = _("Give the reason for stopping the initiative.")
        if self.qualitative_score and not self.qualitative_reason.strip():
            errors["qualitative_reason"] = _("Give the reason for the qualitative score.")
        if errors:
            raise ValidationError(errors)

    @property
    def changes_no_lever(self) -> bool:
        return (
            self.rule_kind == RuleKind.NONE
            and self.organisation_kind == Lever.NONE
            and self.budget_kind == Lever.NONE
        )

    @property
    def fiscal_years(self) -> range:
        return range(self.fiscal_year_start, self.fiscal_year_end + 1)


# The fields whose validation reads the database (the related rows exist, the fiscal year
# is the municipality's): checked against sets read once by initiatives_check.
_LOOKED_UP = ("bureau", "division", "owner", "fiscal_year_start", "fiscal_year_end")
UNKNOWN_FISCAL_YEAR = _("%(year)s is not one of the municipality's fiscal years (年度・閉庁日).")


def initiatives_check(
    initiatives, *, fiscal_years: set[int] | None = None, department_ids: set[int] | None = None
) -> list[ValidationError | None]:
    """Validate many initiatives as ``full_clean`` would (fields, levers, years, the owner
    bureau and division), with one query for the fiscal years and one for the departments
    instead of several per initiative. Returns, per initiative, its ValidationError (with
    a message dict) or None. The sets may be given when the caller has read them."""
    from kyokan.apps.core.models import Department, FiscalYear
    from kyokan.apps.core.validation import validate_sane_year

    initiatives = list(initiatives)
    if fiscal_years is None:
        fiscal_years = set(FiscalYear.objects.values_list("year", flat=True))
    if department_ids is None:
        wanted = {i.bureau_id for i in initiatives} | {i.division_id for i in initiatives}
        department_ids = set(
            Department.objects.filter(pk__in=wanted - {None}).values_list("pk", flat=True)
        )
    results: list[ValidationError | None] = []
    for initiative in initiatives:
        errors: dict[str, list] = {}
        exclude = [f for f in _LOOKED_UP if f != "owner" or initiative.owner_id is None]
        try:
            initiative.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        for name in ("fiscal_year_start", "fiscal_year_end"):
            year = getattr(initiative, name)
            try:
                validate_sane_year(year)
                if year not in fiscal_years:
                    raise ValidationError(UNKNOWN_FISCAL_YEAR, params={"year": year})
            except ValidationError as exc:
                errors.setdefault(name, []).extend(exc.messages)
        for name in ("bureau", "division"):
            pk = getattr(initiative, f"{name}_id")
            if (pk is not None or name == "bureau") and pk not in department_ids:
                message = (
                    _("This field cannot be null.") if pk is None else _("No such department.")
                )
                errors.setdefault(name, []).append(str(message))
        results.append(ValidationError(errors) if errors else None)
    return results


class Estimate(models.Model):
    """A low and a high estimate of one uncertain input, besides the expected value."""

    class Input(models.TextChoices):
        INITIAL = "initial_cost_yen", _("initial cost (yen)")
        RUNNING = "running_cost_yen", _("running cost per year (yen)")
        STAFF_RUN = "staff_hours_run", _("staff hours to run it per year")
        CASES = "cases_per_year", _("cases per year")
        MINUTES = "citizen_minutes_saved_per_case", _("citizen minutes saved per case")
        STAFF_SAVED = "staff_hours_saved", _("staff hours saved per year")
        OTHER = "other_benefit_yen", _("other quantified benefits per year (yen)")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="estimates")
    input = models.CharField(_("input"), max_length=40, choices=Input.choices)
    low = models.PositiveBigIntegerField(_("low"), validators=[MaxValueValidator(YEN_MAX)])
    high = models.PositiveBigIntegerField(_("high"), validators=[MaxValueValidator(YEN_MAX)])

    class Meta:
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "input"], name="estimate_unique_input")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}:{self.input} {self.low}–{self.high}"


class StrategyLink(models.Model):
    """The strategy pillar or measure an initiative serves: a section of an adopted version
    of the strategy. The section's lineage lets the link follow the section into the next
    adopted version; a revised or removed section flags the link for review."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="strategy_links"
    )
    section = models.ForeignKey(
        "documents.Section", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    lineage = models.UUIDField(db_index=True)
    label = models.CharField(_("pillar or measure"), max_length=300)

    class Meta:
        verbose_name = _("strategy link")
        verbose_name_plural = _("strategy links")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "lineage"], name="strategy_link_unique")
        ]

    def __str__(self) -> str:
        return self.label


class InitiativeLink(models.Model):
    """A link from an initiative to an object of another module (a meeting, a document…),
    as the agenda's links; types are registered in kyokan.apps.core.links."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="links")
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    label = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("linked object")
        verbose_name_plural = _("linked objects")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "target_type", "target_id"], name="initiative_link_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def url(self) -> str:
        from kyokan.apps.core.links import link_type

        kind = link_type(self.target_type)
        return kind.url(self.target_id) if kind else ""


# --- KPIs and priority goals ---------------------------------------------------------------

KPI_VALUE = {"max_digits": 16, "decimal_places": 2}


class Kpi(models.Model):
    class Direction(models.TextChoices):
        UP = "up", _("higher is better")
        DOWN = "down", _("lower is better")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("KPI"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    baseline = models.DecimalField(_("baseline"), **KPI_VALUE)
    baseline_year = fiscal_year_field(_("baseline fiscal year"))

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["initiative_id", "id"]

    def __str__(self) -> str:
        return self.name


class KpiTarget(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    fiscal_year = fiscal_year_field(_("fiscal year"))
    value = models.DecimalField(_("target"), **KPI_VALUE)

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "fiscal_year"], name="kpi_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id}:{self.fiscal_year}={self.value}"


class KpiActual(models.Model):
    """An actual value for a fiscal year (``quarter`` 0) or one of its quarters (1–4)."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="actuals")
    fiscal_year = fiscal_year_field(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), default=0, validators=[MaxValueValidator(4)]
    )
    value = models.DecimalField(_("actual"), **KPI_VALUE)
    source = models.CharField(pgettext_lazy("portfolio", "source"), max_length=300, blank=True)
    report = models.ForeignKey(
        "ProgressReport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("KPI actual")
        verbose_name_plural = _("KPI actuals")
        ordering = ["fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "fiscal_year", "quarter"], name="kpi_actual_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id}:{self.fiscal_year}Q{self.quarter}={self.value}"


class PriorityGoal(models.Model):
    """A 重点目標 of a fiscal year, grouping KPIs."""

    fiscal_year = fiscal_year_field(_("fiscal year"))
    title = models.CharField(_("priority goal"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    kpis = models.ManyToManyField(Kpi, verbose_name=_("KPIs"), blank=True, related_name="goals")

    class Meta:
        verbose_name = _("priority goal")
        verbose_name_plural = _("priority goals")
        ordering = ["fiscal_year", "id"]

    def __str__(self) -> str:
        return self.title


# --- progress -------------------------------------------------------------------------------


class ProgressReport(models.Model):
    class Health(models.TextChoices):
        GOOD = "good", _("順調")
        CAUTION = "caution", _("注意")
        LATE = "late", _("遅延")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("提出済")
        RETURNED = "returned", _("差戻し")
        ACCEPTED = "accepted", _("受理")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reports")
    fiscal_year = fiscal_year_field(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    percent_done = models.PositiveSmallIntegerField(
        _("percent done"), validators=[MaxValueValidator(100)]
    )
    health = models.CharField(_("status"), max_length=8, choices=Health.choices)
    happened = models.TextField(_("what happened"), max_length=4000)
    issues = models.TextField(_("issues"), blank=True, max_length=4000)
    help_needed = models.TextField(_("help needed"), blank=True, max_length=4000)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("secretariat's comment"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-fiscal_year", "-quarter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "fiscal_year", "quarter"], name="progress_report_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.fiscal_year}Q{self.quarter}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:report", args=[self.pk])


class ReportComment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a report")
        verbose_name_plural = _("comments on reports")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


# --- budget, vision and roadmap -----------------------------------------------------------


class BudgetLine(models.Model):
    """Requested (要求), approved (査定) and executed (執行) amounts of one fiscal year."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="budgets")
    fiscal_year = fiscal_year_field(_("fiscal year"))
    requested_yen = yen_field(_("requested (要求, yen)"))
    approved_yen = yen_field(_("approved (査定, yen)"), null=True)
    executed_yen = yen_field(_("executed (執行, yen)"), null=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "fiscal_year"], name="budget_unique_fy")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}:{self.fiscal_year}"


class VisionStep(models.Model):
    """A mark on the roadmap: a 将来像 step (ステップ1, ステップ2) or the start of a strategy."""

    class Kind(models.TextChoices):
        STEP = "step", _("将来像のステップ")
        STRATEGY = "strategy", _("戦略の開始")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STEP)
    name = models.CharField(_("name"), max_length=100)
    fiscal_year = fiscal_year_field(_("target fiscal year"))
    meaning = models.TextField(_("what it means"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("future vision step")
        verbose_name_plural = _("future vision steps")
        ordering = ["fiscal_year", "id"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("date"), validators=[validate_sane_date])
    done = models.BooleanField(_("reached"), default=False)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


# --- Excel in -------------------------------------------------------------------------------


class ImportMapping(models.Model):
    """A bureau's column mapping of its 進捗管理表, kept for the next quarter."""

    bureau = models.OneToOneField(
        "core.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="portfolio_mapping",
    )
    mapping = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")

    def __str__(self) -> str:
        return f"mapping {self.bureau_id}"


class PortfolioImport(models.Model):
    """An uploaded table waiting for its dry run to be confirmed."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    mapping = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("portfolio import")
        verbose_name_plural = _("portfolio imports")

    def __str__(self) -> str:
        return self.filename
