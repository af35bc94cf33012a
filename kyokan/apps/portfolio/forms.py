"""Forms of the portfolio app: validation at the boundary (ranges, sizes), messages through
gettext (Japanese by default)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyokan.apps.core.forms import (
    DepartmentChoiceField,
    IdsMultipleChoiceField,
    JapaneseDateField,
    PersonField,
)
from kyokan.apps.core.japanese_dates import fiscal_year_label
from kyokan.apps.core.models import Department
from kyokan.apps.core.once import ONCE_FIELD, OnceFormMixin

from . import periods, selectors, table
from .costvalue import INPUTS
from .models import (
    DX,
    YEN_MAX,
    Estimate,
    Initiative,
    Kpi,
    Milestone,
    PriorityGoal,
    ProgressReport,
    Scope,
    Status,
    VisionStep,
)


def fiscal_year_choices(years=None):
    def choices():
        return [(fy, fiscal_year_label(fy)) for fy in (years or selectors.fiscal_years())]

    return choices


class FiscalYearField(forms.TypedChoiceField):
    def __init__(self, *, years=None, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(choices=fiscal_year_choices(years), **kwargs)


class NumberField(forms.Field):
    """A non-negative whole number: full-width digits and thousands separators accepted;
    「円」 accepted in a yen field (the same rules as the import)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def __init__(self, *, yen: bool = False, maximum: int = YEN_MAX, **kwargs):
        self.yen, self.maximum = yen, maximum
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = table.parse_number(value, yen=self.yen)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc
        if number > self.maximum:
            if self.yen:
                raise ValidationError(_("At most 1,000,000,000,000 yen (10^12)."), code="max")
            raise ValidationError(_("At most %(max)s.") % {"max": f"{self.maximum:,}"})
        return number

    def prepare_value(self, value):
        return "" if value is None else value


class InitiativeForm(forms.ModelForm):
    sections = IdsMultipleChoiceField(
        label=_("strategy pillars and measures it serves"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sections of the adopted Digital Resilience Strategy."),
    )
    owner = PersonField(label=_("person in charge"), required=False)

    class Meta:
        model = Initiative
        fields = [
            "title", "summary", "easy_japanese_summary", "is_public", "bureau", "division",
            "owner", "fiscal_year_start", "fiscal_year_end", "status", "stop_reason", "scope",
            "dx", "rule_kind", "rule_name",
            "organisation_kind", "organisation_change", "budget_kind", "budget_change",
            "value_who", "value_pain", "value_change", "value_absent",
        ]  # fmt: skip
        widgets = {
            "scope": forms.RadioSelect,
            "dx": forms.RadioSelect,
            "rule_kind": forms.RadioSelect,
            "organisation_kind": forms.RadioSelect,
            "budget_kind": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "easy_japanese_summary": forms.Textarea(attrs={"rows": 3}),
            "value_pain": forms.Textarea(attrs={"rows": 2}),
            "value_change": forms.Textarea(attrs={"rows": 2}),
            "value_absent": forms.Textarea(attrs={"rows": 2}),
            "stop_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bureaus = Department.objects.filter(kind=Department.Kind.BUREAU, is_active=True)
        if user is not None and not user.has_perm("portfolio.manage_portfolio"):
            bureaus = bureaus.filter(pk__in=selectors.promoted_bureaus(user))
            # Only the secretariat decides what the public sees.
            del self.fields["is_public"]
        self.fields["bureau"] = DepartmentChoiceField(
            label=_("owner bureau"), queryset=bureaus, initial=self.initial.get("bureau")
        )
        self.fields["division"] = DepartmentChoiceField(
            label=_("owner division"),
            queryset=Department.objects.filter(kind=Department.Kind.DIVISION, is_active=True),
            required=False,
        )
        for name in ("fiscal_year_start", "fiscal_year_end"):
            self.fields[name] = FiscalYearField(label=self.fields[name].label)
        for name in ("scope", "dx", "rule_kind", "organisation_kind", "budget_kind"):
            field = self.fields[name]
            field.choices = [c for c in field.choices if c[0] != ""]
        self.fields["sections"].queryset = selectors.strategy_sections()
        self.fields["sections"].label_from_instance = lambda s: s.heading
        self.fields["value_who"].required = True
        self.fields["value_change"].required = True
        if self.instance.pk:
            self.initial["sections"] = [
                s.pk
                for s in self.fields["sections"].queryset
                if s.lineage in {link.lineage for link in self.instance.strategy_links.all()}
            ]
            self.initial["owner"] = self.instance.owner

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("The title is required."))
        return title

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
        data["sections"] = list(self.cleaned_data["sections"])
        if ONCE_FIELD in self.fields:
            data["once"] = self.cleaned_data.get(ONCE_FIELD, "")
        return data


class NewInitiativeForm(OnceFormMixin, InitiativeForm):
    """A new initiative: sent twice (a double click), it is created once."""


class CostValueForm(forms.ModelForm):
    """The cost and value inputs, each with its source, and low/high estimates."""

    class Meta:
        model = Initiative
        fields = [
            "initial_cost_yen", "running_cost_yen", "useful_life_years", "staff_hours_run",
            "cost_source", "cases_per_year", "cases_source", "citizen_minutes_saved_per_case",
            "minutes_source", "staff_hours_saved", "staff_hours_source", "other_benefit_yen",
            "other_benefit_source", "qualitative_score", "qualitative_reason",
        ]  # fmt: skip
        widgets = {"qualitative_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in INPUTS:
            model_field = Initiative._meta.get_field(name)
            maximum = max(
                v.limit_value for v in model_field.validators if hasattr(v, "limit_value")
            )
            self.fields[name] = NumberField(
                label=model_field.verbose_name,
                yen=name.endswith("_yen"),
                maximum=maximum,
                required=False,
            )
        life = self.fields["useful_life_years"]
        life.error_messages["min_value"] = _("The useful life is at least one year.")
        self.fields["qualitative_score"] = forms.TypedChoiceField(
            label=_("qualitative score (1–5)"),
            choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]],
            coerce=int,
            empty_value=None,
            required=False,
        )
        current = {e.input: e for e in self.instance.estimates.all()} if self.instance.pk else {}
        for name in INPUTS:
            base = self.fields[name]
            for bound in ("low", "high"):
                key = f"{name}__{bound}"
                self.fields[key] = NumberField(
                    label=_("%(input)s: %(bound)s estimate")
                    % {"input": base.label, "bound": _("low") if bound == "low" else _("high")},
                    yen=base.yen,
                    maximum=base.maximum,
                    required=False,
                )
                if name in current:
                    self.initial[key] = getattr(current[name], bound)

    def clean(self):
        cleaned = super().clean()
        for name in INPUTS:
            if cleaned.get(name) is None and name in self.fields and not self.errors.get(name):
                cleaned[name] = 0
            low, high = cleaned.get(f"{name}__low"), cleaned.get(f"{name}__high")
            if (low is None) != (high is None):
                self.add_error(f"{name}__low", _("Give both the low and the high estimate."))
            elif low is not None and low > high:
                self.add_error(f"{name}__low", _("The low estimate is above the high one."))
        return cleaned

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["estimates"] = {
            name: (self.cleaned_data[f"{name}__low"], self.cleaned_data[f"{name}__high"])
            for name in INPUTS
            if self.cleaned_data.get(f"{name}__low") is not None
        }
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    reason = forms.CharField(
        label=_("reason for stopping"), required=False, max_length=2000, widget=forms.Textarea
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Status.STOPPED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for stopping the initiative."))
        return cleaned


class KpiForm(forms.ModelForm):
    class Meta:
        model = Kpi
        fields = ["name", "unit", "direction", "baseline", "baseline_year"]

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.fields["baseline_year"] = FiscalYearField(label=_("baseline fiscal year"))
        self.fields["direction"].choices = Kpi.Direction.choices
        current = (
            {t.fiscal_year: t.value for t in self.instance.targets.all()}
            if self.instance.pk
            else {}
        )
        for fy in initiative.fiscal_years:
            self.fields[f"target_{fy}"] = forms.DecimalField(
                label=_("target for %(year)s") % {"year": fiscal_year_label(fy)},
                required=False,
                max_digits=16,
                decimal_places=2,
                initial=current.get(fy),
            )

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["targets"] = {
            fy: self.cleaned_data[f"target_{fy}"]
            for fy in self.initiative.fiscal_years
            if self.cleaned_data.get(f"target_{fy}") is not None
        }
        return data


class ActualForm(forms.Form):
    fiscal_year = FiscalYearField(label=_("fiscal year"))
    quarter = forms.TypedChoiceField(
        label=_("quarter"),
        coerce=int,
        choices=[(0, _("whole year")), (1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
    )
    value = forms.DecimalField(label=_("actual"), max_digits=16, decimal_places=2)
    source = forms.CharField(
        label=pgettext_lazy("portfolio", "source"), max_length=300, required=False
    )


class ReportForm(forms.Form):
    """A quarter's progress report, opened prefilled from the last one."""

    period = forms.ChoiceField(label=_("quarter"))
    percent_done = forms.IntegerField(label=_("percent done"), min_value=0, max_value=100)
    health = forms.ChoiceField(
        label=_("status"), choices=ProgressReport.Health.choices, widget=forms.RadioSelect
    )
    happened = forms.CharField(
        label=_("what happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    issues = forms.CharField(
        label=_("issues"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    help_needed = forms.CharField(
        label=_("help needed"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, initiative: Initiative, periods_open, kpis, last=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = list(kpis)
        self.fields["period"].choices = [
            (f"{fy}-{q}", periods.quarter_label(fy, q)) for fy, q in periods_open
        ]
        if last is not None and not self.is_bound:
            for name in ("percent_done", "health", "happened", "issues", "help_needed"):
                self.initial.setdefault(name, getattr(last, name))
        for kpi in self.kpis:
            self.fields[f"kpi_{kpi.pk}"] = forms.DecimalField(
                label=_("%(kpi)s (%(unit)s): actual") % {"kpi": kpi.name, "unit": kpi.unit},
                required=False,
                max_digits=16,
                decimal_places=2,
            )
            self.fields[f"kpi_{kpi.pk}_source"] = forms.CharField(
                label=_("%(kpi)s: source") % {"kpi": kpi.name}, required=False, max_length=300
            )
            latest = max(kpi.actuals.all(), key=lambda a: (a.fiscal_year, a.quarter), default=None)
            if latest is not None and not self.is_bound:
                self.initial.setdefault(f"kpi_{kpi.pk}", latest.value)
                self.initial.setdefault(f"kpi_{kpi.pk}_source", latest.source)

    def clean_period(self):
        fy, q = self.cleaned_data["period"].split("-")
        return int(fy), int(q)

    def service_data(self) -> dict:
        fy, q = self.cleaned_data["period"]
        actuals = {}
        for kpi in self.kpis:
            value = self.cleaned_data.get(f"kpi_{kpi.pk}")
            if value is not None:
                actuals[kpi] = (value, self.cleaned_data.get(f"kpi_{kpi.pk}_source", ""))
        return {
            "fiscal_year": fy,
            "quarter": q,
            "percent_done": self.cleaned_data["percent_done"],
            "health": self.cleaned_data["health"],
            "happened": self.cleaned_data["happened"],
            "issues": self.cleaned_data["issues"],
            "help_needed": self.cleaned_data["help_needed"],
            "actuals": actuals,
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Say what must be corrected."))
        return cleaned


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class BudgetForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("fiscal year"), coerce=int)
    requested_yen = NumberField(label=_("requested (要求, yen)"), yen=True)
    approved_yen = NumberField(label=_("approved (査定, yen)"), yen=True, required=False)
    executed_yen = NumberField(label=_("executed (執行, yen)"), yen=True, required=False)

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices(list(initiative.fiscal_years))()


class GoalForm(forms.ModelForm):
    class Meta:
        model = PriorityGoal
        fields = ["fiscal_year", "title", "description", "kpis"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"] = FiscalYearField(label=_("fiscal year"))
        self.fields["kpis"] = IdsMultipleChoiceField(
            label=self.fields["kpis"].label,
            required=False,
            queryset=Kpi.objects.select_related("initiative").order_by("initiative__title", "name"),
        )
        self.fields["kpis"].label_from_instance = lambda k: f"{k.initiative.title}：{k.name}"
        self.fields["kpis"].widget = forms.SelectMultiple(attrs={"size": 12})

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if ONCE_FIELD in self.fields:
            data["once"] = self.cleaned_data.get(ONCE_FIELD, "")
        return data


class NewGoalForm(OnceFormMixin, GoalForm):
    pass


class StepForm(forms.ModelForm):
    class Meta:
        model = VisionStep
        fields = ["kind", "name", "fiscal_year", "meaning"]
        widgets = {"meaning": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"] = FiscalYearField(label=_("target fiscal year"))


class NewStepForm(OnceFormMixin, StepForm):
    pass


class MilestoneForm(forms.ModelForm):
    due_on = JapaneseDateField(label=_("date"))

    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done"]


class NewMilestoneForm(OnceFormMixin, MilestoneForm):
    pass


class FilterForm(forms.Form):
    q = forms.CharField(label=_("title contains"), required=False, max_length=100)
    pillar = forms.ChoiceField(label=_("pillar"), required=False)
    bureau = DepartmentChoiceField(
        label=_("bureau"),
        queryset=Department.objects.filter(kind=Department.Kind.BUREAU),
        required=False,
    )
    fiscal_year = forms.TypedChoiceField(
        label=_("fiscal year"), coerce=int, required=False, empty_value=None
    )
    scope = forms.ChoiceField(
        label=_("改善 or 変革"), required=False, choices=[("", "—"), *Scope.choices]
    )
    dx = forms.ChoiceField(label=_("D or X"), required=False, choices=[("", "—"), *DX.choices])
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", "—"), *Status.choices]
    )

    def __init__(self, *args, with_status=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pillar"].choices = [("", "—"), *selectors.pillar_choices()]
        self.fields["fiscal_year"].choices = [("", "—"), *fiscal_year_choices()()]
        if not with_status:
            del self.fields["status"]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("table (CSV or Excel)"),
        help_text=_("The portfolio table exported from Kyokan, or your bureau's 進捗管理表."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > table.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class MappingForm(forms.Form):
    """Which of the file's columns holds each of Kyokan's (saved per bureau)."""

    def __init__(self, *args, headers: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)")), *[(h, h) for h in headers if h]]
        for column in [*table.INPUT_COLUMNS, *table.PROGRESS_COLUMNS]:
            self.fields[f"map_{column.key}"] = forms.ChoiceField(
                label=f"{column.label}（{column.key}）",
                choices=choices,
                required=False,
                initial=initial_mapping.get(column.key, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {name[4:]: value for name, value in self.cleaned_data.items() if value}


class PolicyForm(forms.Form):
    fiscal_year = FiscalYearField(label=_("fiscal year"))


ESTIMATE_LABELS = dict(Estimate.Input.choices)
