from django import forms
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.forms import JapaneseDateField

from .models import Comment, Document, Endorsement, RevisionStep, Section, SectionKind
from .once import OnceFormMixin


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "description"]


class NewDocumentForm(OnceFormMixin, DocumentForm):
    pass


class VersionLabelForm(OnceFormMixin, forms.Form):
    """The label of a new version or revision (a creation form: sent once)."""

    label = forms.CharField(
        label=_("version label"), max_length=120, help_text=_("e.g. 令和4年度改定案")
    )


class SectionForm(forms.ModelForm):
    """Edits carry the revision they started from, so a concurrent save is detected."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Section
        fields = ["heading", "kind", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class NewSectionForm(OnceFormMixin, forms.ModelForm):
    parent = forms.ModelChoiceField(
        label=_("under"),
        queryset=Section.objects.none(),
        required=False,
        help_text=_("Leave empty for a top-level section."),
    )

    class Meta:
        model = Section
        fields = ["parent", "heading", "kind", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.version = version  # so that the model's checks see the version
        self.fields["parent"].queryset = version.sections.exclude(
            change=Section.Change.REMOVED
        ).order_by("path")
        self.fields["kind"].initial = SectionKind.FREE


class ConsultationForm(forms.Form):
    deadline = JapaneseDateField(label=_("comments until"))


class AdoptForm(forms.Form):
    adopted_on = JapaneseDateField(label=_("adopted on"))
    meeting = forms.ChoiceField(
        label=_("adopted at"),
        required=False,
        help_text=_("The meeting that decided it (meetings with a date, newest first)."),
    )

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [("", "—"), *meetings]


class CommentForm(OnceFormMixin, forms.ModelForm):
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class CommentAnswerForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["resolution", "resolution_note"]
        widgets = {"resolution_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].choices = [
            c for c in Comment.Resolution.choices if c[0] != Comment.Resolution.OPEN
        ]


class EndorsementForm(forms.ModelForm):
    class Meta:
        model = Endorsement
        fields = ["stance", "note"]
        widgets = {"stance": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}


class StepForm(forms.ModelForm):
    due_date = JapaneseDateField(label=_("date"), required=False)

    class Meta:
        model = RevisionStep
        fields = ["title", "due_date", "status", "note"]


class NewStepForm(OnceFormMixin, StepForm):
    pass


class CompareForm(forms.Form):
    against = forms.ChoiceField(label=_("compare with"))
    mode = forms.ChoiceField(
        label=_("view"),
        choices=[("side", _("side by side")), ("inline", _("inline"))],
        required=False,
    )

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["against"].choices = [(str(v.pk), str(v.label)) for v in versions]
