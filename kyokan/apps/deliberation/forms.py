"""Forms of the deliberation app: validation at the boundary (lengths, files, choices) with
messages through gettext (Japanese by default). Django's text fields refuse NUL characters."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.forms import BureauChoiceField
from kyokan.apps.core.once import OnceFormMixin

from .models import (
    COMMENT_MAX,
    STATEMENT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Conversation,
    IdeaStatus,
    Report,
    Vote,
)
from .services import MAX_ATTACHMENTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(n)s files per idea.") % {"n": MAX_ATTACHMENTS}, code="too_many"
            )
        return files


def _text(label, max_length, *, required=True, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
    )


def pillar_queryset():
    from kyokan.apps.portfolio.selectors import strategy_sections

    return strategy_sections()


class IdeaForm(forms.Form):
    title = _text(_("title"), TITLE_MAX, rows=0)
    problem = _text(
        _("the problem today"), TEXT_MAX, help_text=_("What goes wrong today, and for whom.")
    )
    who = _text(_("who has the problem"), 300, required=False, rows=0)
    citizen_value = _text(
        _("value for citizens"),
        TEXT_MAX,
        required=False,
        help_text=_("What changes for citizens when the idea is done."),
    )
    proposal = _text(_("the proposal"), TEXT_MAX, rows=6)
    pillar = forms.ModelChoiceField(
        label=_("strategy pillar"),
        queryset=None,
        required=False,
        empty_label=_("(not sure)"),
    )
    attachments = MultipleFileField(
        label=_("attachments"),
        required=False,
        help_text=_("Up to %(n)s files of 10 MB: PDF, images, Word, Excel, PowerPoint, text.")
        % {"n": MAX_ATTACHMENTS},
    )
    # Set once the writer has seen the similar ideas (the form without JavaScript shows
    # them after the first submission and asks to send again).
    similar_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, with_attachments: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = pillar_queryset()
        self.fields["title"].widget.attrs.update(
            {"hx-trigger": "input changed delay:600ms", "autocomplete": "off"}
        )
        if not with_attachments:
            del self.fields["attachments"]

    def service_data(self) -> dict:
        data = {
            k: self.cleaned_data[k]
            for k in ("title", "problem", "who", "citizen_value", "proposal", "pillar")
        }
        return data


class NewIdeaForm(OnceFormMixin, IdeaForm):
    """A staff member's new idea: sent twice (a double click), it is proposed once."""


class PublicIdeaForm(IdeaForm):
    """The citizens' form: no account, a name to show (a pen name will do) and an optional
    e-mail address to be told what becomes of the idea. ``website`` is a trap for robots
    (hidden from people); a form that fills it is refused."""

    author_name = forms.CharField(
        label=_("name to show"),
        max_length=100,
        required=False,
        help_text=_("A pen name will do. Leave empty to show 「市民」."),
    )
    author_email = forms.EmailField(
        label=_("e-mail for updates"),
        required=False,
        max_length=254,
        help_text=_("Optional: we write when the idea's status changes. Never shown."),
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))
    agree = forms.BooleanField(
        label=_("I agree that the secretariat may publish the idea (without my e-mail)."),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, with_attachments=False, **kwargs)
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "visually-hidden"}
        )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Leave this field empty."))
        return ""


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=())
    reason = _text(
        _("reason"),
        2000,
        required=False,
        help_text=_("Required for 不採用; shown to the author and the followers."),
    )

    def __init__(self, *args, idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s, IdeaStatus(s).label) for s in idea.next_statuses if s != IdeaStatus.LAUNCHED
        ]

    def clean(self):
        data = super().clean()
        if data.get("status") == IdeaStatus.REJECTED and not data.get("reason"):
            self.add_error("reason", _("Give the reason why the idea is not adopted."))
        return data


class LaunchForm(forms.Form):
    """事業化: what the initiative needs besides what the idea gives (its owner bureau,
    years, kind and levers). The rest is taken from the idea and edited on the initiative."""

    bureau = BureauChoiceField(label=_("owner bureau"))
    fiscal_year_start = forms.TypedChoiceField(label=_("first fiscal year"), coerce=int)
    fiscal_year_end = forms.TypedChoiceField(label=_("last fiscal year"), coerce=int)
    scope = forms.ChoiceField(label=_("改善 or 変革"))
    dx = forms.ChoiceField(label=_("D or X"))
    rule_kind = forms.ChoiceField(label=_("rule change"))
    rule_name = forms.CharField(label=_("rule to change"), max_length=200, required=False)
    organisation_kind = forms.ChoiceField(label=_("organisation change"))
    organisation_change = forms.CharField(
        label=_("what changes in the organisation"), max_length=300, required=False
    )
    budget_kind = forms.ChoiceField(label=_("budget change"))
    budget_change = forms.CharField(
        label=_("what changes in the budget"), max_length=300, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from kyokan.apps.core.japanese_dates import fiscal_year_label
        from kyokan.apps.portfolio.models import DX, Lever, RuleKind, Scope
        from kyokan.apps.portfolio.selectors import fiscal_years

        years = [(y, fiscal_year_label(y)) for y in fiscal_years()]
        self.fields["fiscal_year_start"].choices = years
        self.fields["fiscal_year_end"].choices = years
        self.fields["scope"].choices = Scope.choices
        self.fields["dx"].choices = DX.choices
        self.fields["rule_kind"].choices = RuleKind.choices
        self.fields["organisation_kind"].choices = Lever.choices
        self.fields["budget_kind"].choices = Lever.choices


class CommentForm(forms.Form):
    body = _text(_("comment"), COMMENT_MAX, rows=3)
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62
    )
    is_answer = forms.BooleanField(label=_("official answer of the secretariat"), required=False)

    def __init__(self, *args, can_answer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_answer:
            del self.fields["is_answer"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("why should it be hidden?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("details"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SessionForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("meeting"), queryset=None)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from kyokan.apps.meetings.models import Meeting, MeetingKind

        self.fields["meeting"].queryset = (
            Meeting.objects.filter(
                series__kind__in=[MeetingKind.STUDY, MeetingKind.TEAM, MeetingKind.HQ]
            )
            .exclude(status=Meeting.Status.CANCELLED)
            .select_related("series")
            .order_by("-starts_at", "-id")
        )


class ConversationForm(forms.ModelForm):
    seeds = forms.CharField(
        label=_("seed statements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One statement per line, up to %(n)s characters each.") % {"n": STATEMENT_MAX},
        max_length=STATEMENT_MAX * 60,
    )

    class Meta:
        model = Conversation
        fields = list(Conversation.EDITABLE_FIELDS)
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, with_seeds: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_seeds:
            del self.fields["seeds"]

    def clean_seeds(self):
        from .services import check_statement

        lines = [line.strip() for line in self.cleaned_data.get("seeds", "").splitlines()]
        seeds, errors = [], []
        for n, line in enumerate(lines, start=1):
            if not line:
                continue
            try:
                seeds.append(check_statement(line))
            except ValidationError as exc:
                errors.append(
                    _("Line %(n)s: %(error)s") % {"n": n, "error": " ".join(exc.messages)}
                )
        if errors:
            raise ValidationError(errors)
        return seeds


class NewConversationForm(OnceFormMixin, ConversationForm):
    pass


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("your statement"),
        max_length=2000,  # the service says exactly how long it may be
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": STATEMENT_MAX}),
        help_text=_("One short claim others can agree or disagree with (at most %(n)s characters).")
        % {"n": STATEMENT_MAX},
    )


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    value = forms.TypedChoiceField(
        choices=Vote.Value.choices,
        coerce=int,
        error_messages={
            "invalid_choice": _("Vote agree, disagree or pass."),
            "required": _("Vote agree, disagree or pass."),
        },
    )


class PolisImportForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=TITLE_MAX)
    files = MultipleFileField(
        label=_("Polis export"),
        help_text=_(
            "The export's comments.csv and votes.csv (participants-votes.csv too if you "
            "have it), or the export as one ZIP file; at most 50 MB."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise ValidationError(_("Choose the export's files."))
        if sum(f.size for f in files) > 50 * 1024 * 1024:
            raise ValidationError(_("The export is larger than 50 MB."))
        return files
