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


class RerunForm(forms.Form):
    """Run a finished analysis again with the numbers of groups a person chooses."""

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


class RoundsForm(forms.Form):
    """Compare a free-text question with an earlier round's (or another survey's)."""

    earlier = forms.ModelChoiceField(
        label=_("earlier round's question"),
        queryset=None,
        help_text=_("The answers of both are grouped together, on one scale."),
    )
    with_reference = forms.BooleanField(
        label=_("measure alignment with the adopted DX definition"), required=False, initial=True
    )

    def __init__(self, *args, question, initial_earlier=None, **kwargs):
        from kyokan.apps.surveys.models import Question

        super().__init__(*args, **kwargs)
        self.fields["earlier"].queryset = (
            Question.objects.filter(kind=Question.Kind.TEXT)
            .exclude(pk=question.pk)
            .select_related("survey")
            .order_by("-survey__opens_on", "-survey_id", "order", "id")
        )
        self.fields["earlier"].label_from_instance = lambda q: f"{q.survey} — {q.text}"
        if initial_earlier is not None:
            self.fields["earlier"].initial = initial_earlier.pk
