from django import forms
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.forms import JapaneseDateField
from kyokan.apps.core.japanese_dates import wareki_date
from kyokan.apps.core.once import OnceFormMixin

from .models import Comment, Document, Endorsement, RevisionStep, Section, SectionKind


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "description", "easy_japanese_summary"]
        widgets = {"easy_japanese_summary": forms.Textarea(attrs={"rows": 3})}


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
    """The adoption (決定): the meeting that decided it (only held, deciding meetings with the
    version on their agenda are offered), its date, and the adopted title."""

    meeting = forms.ChoiceField(
        label=_("decided at"),
        help_text=_(
            "Held deciding meetings (headquarters meetings, or series marked as deciding) "
            "that had this version on their agenda."
        ),
    )
    adopted_on = JapaneseDateField(
        label=_("decision date"), help_text=_("The day of the meeting; not in the future.")
    )
    title = forms.CharField(
        label=_("adopted title"),
        max_length=120,
        help_text=_("The version's title once decided: without 案, (案) or 素案."),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [
            (c.key, f"{c.label}（{wareki_date(c.date, with_western=False)}）") for c in candidates
        ]


class BackToDraftForm(forms.Form):
    """Going back to draft ends the consultation: the secretariat confirms it."""

    confirm = forms.BooleanField(
        label=_("End the consultation and make the version a draft again"), required=True
    )


class CommentForm(OnceFormMixin, forms.ModelForm):
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


RESPONSES = [c for c in Comment.Resolution.choices if c[0] != Comment.Resolution.OPEN]


class CommentAnswerForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["resolution", "resolution_note"]
        widgets = {"resolution_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].choices = RESPONSES


class ObjectionAnswerForm(forms.Form):
    """The answer to an objection (異議), as to a comment."""

    resolution = forms.ChoiceField(label=_("response"), choices=RESPONSES)
    resolution_note = forms.CharField(
        label=_("reason for the response"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EndorsementForm(forms.Form):
    """賛同 or 異議 on the whole version or on one section. No choice is made for the person:
    neither stance is preselected."""

    section = forms.ChoiceField(label=_("applies to"), required=False)
    stance = forms.ChoiceField(
        label=_("stance"), choices=Endorsement.Stance.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for an objection: say what you cannot agree with."),
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [
            ("", _("the whole version")),
            *((str(n.section.pk), f"{n.number} {n.section.heading}") for n in sections),
        ]
        self.sections = {str(n.section.pk): n.section for n in sections}

    def clean_section(self):
        value = self.cleaned_data.get("section") or ""
        return self.sections.get(value)


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
