"""Knowledge: the key inputs (知見) experts gave at opinion exchanges, searchable later.

The search ignores the differences between full-width and half-width characters and between
katakana and hiragana (the one folding of ``kyokan.textanalysis.normalize.fold``).
"""

import re

from django import forms
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kyokan.apps.core.access import require
from kyokan.apps.core.exports import csv_response
from kyokan.apps.core.once import OnceFormMixin, submit_once
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import act, confirm_page, submit

from .. import selectors, services
from ..models import EXPERT_INPUT_MAX, ExpertInput, Invitation, Meeting
from .common import meeting_obj, meeting_url

_TAG_SEPARATORS = re.compile(r"[,、，;；\s]+")


def tag_list(text: str) -> list[str]:
    """Tags are typed free-form: separated by commas (, 、 ，), semicolons or spaces."""
    return [t for t in _TAG_SEPARATORS.split(text or "") if t]


# --- forms ----------------------------------------------------------------------------------


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search the experts' inputs"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Katakana and hiragana, full-width and half-width match alike."),
    )


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Invitation) -> str:
        affiliation = _affiliation(obj)
        return f"{obj.display_name}（{affiliation}）" if affiliation else obj.display_name


class ExpertInputForm(forms.Form):
    expert = ExpertChoiceField(label=gettext_lazy("expert"), queryset=Invitation.objects.none())
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("input"),
        max_length=EXPERT_INPUT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    tags = forms.CharField(
        label=gettext_lazy("tags"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Separate tags with commas, e.g. オープンデータ, 子育て."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = meeting.invitations.select_related("person")


class NewExpertInputForm(OnceFormMixin, ExpertInputForm):
    pass


def _affiliation(invitation: Invitation) -> str:
    if invitation.affiliation:
        return invitation.affiliation
    return invitation.person.affiliation if invitation.person_id else ""


# --- search and export ----------------------------------------------------------------------


def _search(request) -> tuple[KnowledgeSearchForm, str]:
    form = KnowledgeSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    return form, q


@require("meetings.view_knowledge")
def knowledge(request):
    form, q = _search(request)
    page = paginate(request, selectors.expert_inputs_search(q))
    page.object_list = list(page.object_list)
    for expert_input in page.object_list:
        expert_input.tag_list = tag_list(expert_input.tags)
        expert_input.affiliation = _affiliation(expert_input.expert)
    return render(
        request,
        "meetings/partials/knowledge_results.html" if request.htmx else "meetings/knowledge.html",
        {"form": form, "page": page, "q": q, "results_id": "knowledge-results"},
    )


@require("meetings.view_knowledge")
def knowledge_export(request):
    """The search results as CSV (core's export helper: UTF-8 with BOM, formula-looking
    text neutralised, control characters removed)."""
    _form, q = _search(request)
    qs = selectors.expert_inputs_search(q)
    header = [
        _("date"),
        _("meeting"),
        _("expert"),
        _("affiliation"),
        _("title"),
        _("input"),
        _("tags"),
    ]

    def rows():
        for expert_input in qs.iterator(chunk_size=500):
            starts = expert_input.meeting.starts_at
            yield [
                timezone.localtime(starts).date().isoformat() if starts else "",
                str(expert_input.meeting),
                expert_input.expert.display_name,
                _affiliation(expert_input.expert),
                expert_input.title,
                expert_input.body,
                "、".join(tag_list(expert_input.tags)),
            ]

    return csv_response("knowledge.csv", header, rows())


# --- recording inputs -------------------------------------------------------------------------


def expert_input_obj(pk: int, **_kwargs) -> ExpertInput:
    return get_object_or_404(
        ExpertInput.objects.select_related("meeting__series", "expert__person"), pk=pk
    )


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def expert_input_create(request, pk: int, obj: Meeting):
    back = meeting_url(obj, "expert_inputs")
    return submit_once(
        request,
        NewExpertInputForm(request.POST or None, meeting=obj),
        save=lambda data: services.expert_input_create(actor=request.user, meeting=obj, **data),
        success=_("The expert's input was recorded."),
        next_url=lambda _r: back,
        title=_("Record an expert's input at %(name)s") % {"name": obj},
        intro=_("Record the key points an expert made, so that they can be found later."),
        cancel_url=back,
    )


@require("meetings.manage_meetings", obj=expert_input_obj)
@require_http_methods(["GET", "POST"])
def expert_input_edit(request, pk: int, obj: ExpertInput):
    back = meeting_url(obj.meeting, "expert_inputs")
    initial = {"expert": obj.expert_id, "title": obj.title, "body": obj.body, "tags": obj.tags}
    return submit(
        request,
        ExpertInputForm(request.POST or None, initial=initial, meeting=obj.meeting),
        save=lambda data: services.expert_input_update(
            actor=request.user, expert_input=obj, **data
        ),
        success=_("The changes were saved."),
        next_url=lambda _r: back,
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=back,
    )


@require("meetings.manage_meetings", obj=expert_input_obj)
@require_http_methods(["GET", "POST"])
def expert_input_delete(request, pk: int, obj: ExpertInput):
    back = meeting_url(obj.meeting, "expert_inputs")
    if request.method == "POST":
        return act(
            request,
            lambda: services.expert_input_delete(actor=request.user, expert_input=obj),
            success=_("The expert's input was deleted."),
            next_url=back,
            error_url=back,
        )
    return confirm_page(
        request,
        title=_("Delete %(name)s") % {"name": obj},
        message=_("This cannot be undone. The input disappears from the knowledge search."),
        submit_label=_("Delete"),
        danger=True,
        cancel_url=back,
    )


urlpatterns = [
    path("knowledge/", knowledge, name="knowledge"),
    path("knowledge/export.csv", knowledge_export, name="knowledge_export"),
    path("meetings/<int:pk>/expert_inputs/new/", expert_input_create, name="expert_input_create"),
    path("expert-inputs/<int:pk>/edit/", expert_input_edit, name="expert_input_edit"),
    path("expert-inputs/<int:pk>/delete/", expert_input_delete, name="expert_input_delete"),
]
