"""Forms of the procedure inventory: filters, the city's fields, the redesign's steps,
links to initiatives, and the import's upload and column mapping."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyokan.apps.core.forms import DepartmentChoiceField, IdsMultipleChoiceField
from kyokan.apps.core.models import Department
from kyokan.apps.core.validation import YEAR_MAX, YEAR_MIN

from . import codes, importing
from .models import (
    MINUTES_MAX,
    ColumnMapping,
    InitiativeLink,
    LegalBasisKind,
    LifeEvent,
    Procedure,
    ProcedureImport,
    Seal,
    Step,
)

NONE = [("", "—")]


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("search (name, legal basis, attachments)"), required=False, max_length=100
    )
    department = DepartmentChoiceField(
        label=pgettext_lazy("procedures", "department"), required=False, empty_label="—"
    )
    legal_basis_kind = forms.ChoiceField(
        label=_("legal basis kind"), required=False, choices=NONE + LegalBasisKind.choices
    )
    life_event = forms.ModelChoiceField(
        label=_("life event"),
        required=False,
        queryset=LifeEvent.objects.order_by("name"),
        empty_label="—",
    )
    online_status = forms.ChoiceField(
        label=_("オンライン化の実施状況"), required=False,
        choices=NONE + codes.choices(codes.ONLINE_STATUS),
    )  # fmt: skip
    seal = forms.ChoiceField(label=_("seal (押印)"), required=False, choices=NONE + Seal.choices)
    municipal = forms.BooleanField(label=_("only the municipality's procedures"), required=False)
    priority = forms.BooleanField(label=_("only national priority procedures"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class ProcedureForm(forms.ModelForm):
    department = DepartmentChoiceField(
        label=_("responsible division"),
        queryset=Department.objects.filter(is_active=True, kind=Department.Kind.DIVISION),
        required=False,
    )
    # An id beyond any database integer is a form error, not a server error.
    life_events = IdsMultipleChoiceField(
        label=_("life events"), required=False, queryset=LifeEvent.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = Procedure
        fields = [
            "department", "legal_basis_kind", "counter_count", "mail_count", "seal",
            "signature_required", "attachment_count", "attachments_removed", "fee_yen",
            "fee_payment", "national_priority", "priority_group", "life_events",
            "planned_online_year", "citizen_minutes", "note",
        ]  # fmt: skip
        widgets = {
            "signature_required": forms.NullBooleanSelect,
            "planned_online_year": forms.NumberInput(attrs={"min": YEAR_MIN, "max": YEAR_MAX}),
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        return data


class StepForm(forms.Form):
    who = forms.ChoiceField(
        label=pgettext_lazy("procedures", "who"), choices=NONE + Step.Who.choices, required=False
    )
    what = forms.CharField(label=_("what"), max_length=200, required=False)
    channel = forms.ChoiceField(
        label=_("channel"), choices=NONE + Step.Channel.choices, required=False
    )
    minutes = forms.IntegerField(
        label=_("minutes"), min_value=0, max_value=MINUTES_MAX, required=False
    )

    def clean(self):
        data = super().clean()
        filled = [data.get(k) not in (None, "") for k in ("who", "what", "channel", "minutes")]
        if any(filled) and not all(filled):
            raise ValidationError(
                _("Fill in who, what, channel and minutes, or leave the row empty.")
            )
        return data

    def step(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("what"):
            return None
        return {k: data[k] for k in ("who", "what", "channel", "minutes")}


StepFormSet = forms.formset_factory(StepForm, extra=0, max_num=20, validate_max=True)
ROWS = 6


def step_formsets(data=None, *, redesign_flows=None):
    def initial(steps):
        rows = [
            {"who": s.who, "what": s.what, "channel": s.channel, "minutes": s.minutes}
            for s in steps
        ]
        return rows + [{}] * max(ROWS - len(rows), 1)

    current = initial(redesign_flows.current if redesign_flows else [])
    redesigned = initial(redesign_flows.redesigned if redesign_flows else [])
    return (
        StepFormSet(data, prefix="current", initial=None if data else current),
        StepFormSet(data, prefix="redesigned", initial=None if data else redesigned),
    )


class RedesignForm(forms.Form):
    summary = forms.CharField(
        label=_("what changes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkEditForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    counts_separately = forms.BooleanField(
        label=InitiativeLink._meta.get_field("counts_separately").verbose_name,
        help_text=InitiativeLink._meta.get_field("counts_separately").help_text,
        required=False,
    )


class LinkForm(forms.Form):
    initiative = forms.ModelChoiceField(label=_("initiative"), queryset=None)
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    counts_separately = forms.BooleanField(
        label=InitiativeLink._meta.get_field("counts_separately").verbose_name,
        help_text=InitiativeLink._meta.get_field("counts_separately").help_text,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from kyokan.apps.portfolio.models import Initiative

        self.fields["initiative"].queryset = Initiative.objects.order_by("title")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("file (CSV, Excel or .csv.gz)"))
    kind = forms.ChoiceField(
        label=_("kind of file"), choices=ProcedureImport.Kind.choices, widget=forms.RadioSelect,
        initial=ProcedureImport.Kind.NATIONAL,
    )  # fmt: skip
    municipal_only = forms.BooleanField(
        label=_("only the procedures a municipality carries out (自治事務・法定受託事務)"),
        required=False,
        initial=True,
    )
    fiscal_year = forms.IntegerField(
        label=_("fiscal year of the counts"), min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    mapping = forms.ModelChoiceField(
        label=_("saved column mapping (the city's file)"), required=False,
        queryset=ColumnMapping.objects.order_by("name"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most %(limit)s. UTF-8 (with or without BOM) or Shift_JIS (CP932); the national "
            "file with one or two header rows."
        ) % {"limit": filesizeformat(importing.MAX_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        importing.check_size(upload.size)  # before reading a byte of it
        return upload


class MappingForm(forms.Form):
    """Which column of the city's file holds each field."""

    mapping_name = forms.CharField(label=_("save the mapping as"), max_length=100)

    def __init__(self, *args, header: list[str], initial_columns: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [(h, h) for h in header if h]
        for name, label in importing.city_fields():
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=label, choices=choices, required=name == "procedure_id",
                initial=initial_columns.get(name, ""),
            )  # fmt: skip

    def columns(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"col_{name}"]
            for name, _label in importing.city_fields()
            if self.cleaned_data.get(f"col_{name}")
        }
