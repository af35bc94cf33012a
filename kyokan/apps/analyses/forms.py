from django import forms
from django.utils.translation import gettext_lazy as _


class AnalysisForm(forms.Form):
    coarse = forms.IntegerField(
        label=_("coarse clusters"),
        required=False,
        min_value=1,
        max_value=30,
        help_text=_("Leave empty to choose automatically."),
    )
    fine = forms.IntegerField(
        label=_("fine clusters"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Leave empty to choose automatically."),
    )
    with_reference = forms.BooleanField(
        label=_("measure alignment with the adopted DX definition"), required=False, initial=True
    )


class CommentSetForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns comment-id and comment-body, and any attribute columns (the Kouchou-AI "
            "format); UTF-8, UTF-8 with BOM or Shift_JIS (CP932); 20 MB at most."
        ),
    )
