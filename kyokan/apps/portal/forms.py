"""Forms of the portal: the public initiative filter, the procedure search and the reading
dictionary."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.japanese_dates import fiscal_year_label
from kyokan.apps.portfolio import public as portfolio_public
from kyokan.apps.portfolio.models import Status

from .models import ReadingEntry


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Words in the title"), max_length=100, required=False)
    bureau = forms.TypedChoiceField(label=_("Bureau"), coerce=int, required=False, empty_value=None)
    fiscal_year = forms.TypedChoiceField(
        label=_("Fiscal year"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].choices = [("", _("All bureaus"))] + [
            (pk, name) for pk, name in portfolio_public.bureaus_with_initiatives()
        ]
        self.fields["fiscal_year"].choices = [("", _("All years"))] + [
            (fy, fiscal_year_label(fy)) for fy in portfolio_public.fiscal_years()
        ]
        self.fields["status"].choices = [("", _("All")), *Status.choices]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "bureau_id": data.get("bureau"),
            "fiscal_year": data.get("fiscal_year"),
            "status": data.get("status") or "",
        }


class ProcedureSearchForm(forms.Form):
    """The citizens' search of the procedures (GET; the staff inventory's normalisation)."""

    q = forms.CharField(
        label=_("Name of the procedure"),
        max_length=100,
        required=False,
        help_text=_(
            "Words of the name, or of its law. Full-width or half-width letters, hiragana or "
            "katakana: both find the same procedures."
        ),
    )


class ReadingEntryForm(forms.ModelForm):
    class Meta:
        model = ReadingEntry
        fields = ["surface", "reading", "note"]
