from django import forms
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.forms import DepartmentChoiceField
from kyokan.apps.core.models import Department

from .models import ApiAccount, Scope


class AccountForm(forms.Form):
    name = forms.CharField(
        label=_("system name"),
        max_length=100,
        help_text=_("The system that will use the token, e.g. 「予算編成システム」."),
    )
    description = forms.CharField(
        label=_("what it is for"), max_length=1000, required=False, widget=forms.Textarea(
            attrs={"rows": 3}
        ),
    )  # fmt: skip
    department = DepartmentChoiceField(
        label=_("bureau"),
        queryset=Department.objects.filter(kind=Department.Kind.BUREAU, is_active=True),
        help_text=_("The token acts for this bureau's initiatives only."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("permissions"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Reading public data needs no token."),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if "\x00" in name:
            raise forms.ValidationError(_("The text contains a character that is not allowed."))
        if ApiAccount.objects.filter(name=name).exists():
            raise forms.ValidationError(_("A system account with this name already exists."))
        return name

    def clean_description(self):
        text = self.cleaned_data["description"]
        if "\x00" in text:
            raise forms.ValidationError(_("The text contains a character that is not allowed."))
        return text
