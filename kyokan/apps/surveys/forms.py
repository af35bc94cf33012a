from django import forms
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.forms import DepartmentMultipleChoiceField, JapaneseDateField
from kyokan.apps.core.once import ONCE_FIELD, OnceFormMixin
from kyokan.apps.core.roles import Role

from .models import LIKERT_LABELS, Question, Survey
from .services import clean_number, has_answers


def plain_number(value) -> str:
    """A stored Decimal as typed: 0 → "0", 100 → "100", 1.5000 → "1.5" (never "1E+2")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


class SurveyForm(OnceFormMixin, forms.ModelForm):
    opens_on = JapaneseDateField(label=_("opens on"))
    closes_on = JapaneseDateField(label=_("closes on"))
    # Core's one department picker: bureaus as groups (the bureau itself first, then its
    # divisions), in the order of the department tree.
    departments = DepartmentMultipleChoiceField(
        label=_("departments"),
        required=False,
        help_text=_("For the audience “chosen departments”: a bureau includes its divisions."),
    )
    roles = forms.MultipleChoiceField(
        label=_("roles"),
        required=False,
        choices=[(r.value, r.label) for r in Role if r != Role.CITIZEN],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For the audience “chosen roles”."),
    )

    class Meta:
        model = Survey
        fields = [
            "title",
            "purpose",
            "opens_on",
            "closes_on",
            "audience",
            "departments",
            "roles",
            "anonymous",
            "previous_round",
            "round_label",
            "results_public",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        del self.fields[ONCE_FIELD]
        if has_answers(self.instance):
            field = self.fields["anonymous"]
            field.disabled = True
            field.help_text = _(
                "Fixed: the survey has answers, so whether it is anonymous cannot change."
            )

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience == Survey.Audience.DEPARTMENTS and not cleaned.get("departments"):
            self.add_error("departments", _("Choose at least one department."))
        if audience == Survey.Audience.ROLES and not cleaned.get("roles"):
            self.add_error("roles", _("Choose at least one role."))
        if audience == Survey.Audience.PUBLIC and cleaned.get("anonymous") is False:
            if self.fields["anonymous"].disabled:
                self.add_error("audience", _("A survey with named answers cannot become public."))
            cleaned["anonymous"] = True  # public answers are never named
        return cleaned


class QuestionForm(OnceFormMixin, forms.ModelForm):
    choices_text = forms.CharField(
        label=_("options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For single and multiple choice: one option per line."),
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "help_text", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)
            del self.fields[ONCE_FIELD]

    def clean(self):
        cleaned = super().clean()
        lines = [line.strip() for line in cleaned.get("choices_text", "").splitlines()]
        cleaned["choices"] = [line for line in lines if line]
        self.instance.choices = cleaned["choices"]
        return cleaned

    def _update_errors(self, errors):
        # The model checks its ``choices`` (at least two options…); the form edits them as
        # ``choices_text``: the model's errors belong to that field.
        if hasattr(errors, "error_dict") and "choices" in errors.error_dict:
            errors.error_dict.setdefault("choices_text", []).extend(
                errors.error_dict.pop("choices")
            )
        super()._update_errors(errors)

    def data_for_service(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["choices"] = self.cleaned_data["choices"]
        if ONCE_FIELD in self.fields:
            data[ONCE_FIELD] = self.cleaned_data.get(ONCE_FIELD) or ""
        return data


class AnswerForm(forms.Form):
    """One field per question; errors from the service are keyed q<question id>."""

    def __init__(self, *args, questions, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        initial_answers = initial_answers or {}
        for q in self.questions:
            name = f"q{q.pk}"
            existing = initial_answers.get(q.pk)
            common = {"label": q.text, "required": q.required, "help_text": q.help_text}
            if q.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(
                    choices=list(enumerate(q.choices)), widget=forms.RadioSelect, **common
                )
                initial = existing.choices[0] if existing and existing.choices else None
            elif q.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=list(enumerate(q.choices)),
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
                initial = existing.choices if existing else None
            elif q.kind == Question.Kind.LIKERT:
                field = forms.ChoiceField(
                    choices=[(i, f"{i} {label}") for i, label in enumerate(LIKERT_LABELS, 1)],
                    widget=forms.RadioSelect,
                    **common,
                )
                initial = int(existing.number) if existing and existing.number is not None else None
            elif q.kind == Question.Kind.NUMBER:
                field = forms.CharField(max_length=30, validators=[clean_number], **common)
                initial = (
                    plain_number(existing.number)
                    if existing and existing.number is not None
                    else None
                )
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)
                initial = existing.text if existing else None
            self.fields[name] = field
            self.initial[name] = initial

    def raw_answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class EditCodeForm(forms.Form):
    """The code an anonymous respondent was given to change their answers."""

    edit_code = forms.CharField(
        label=_("edit code"),
        max_length=40,
        help_text=_("The code shown after you first answered, e.g. ABCD-EFGH-JKMN-PQRS."),
    )
