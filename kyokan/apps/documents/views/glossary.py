"""The glossary (用語集): preferred terms, their definitions and the variants to unify.

The search and the duplicate checks ignore the differences of width, case and kana
(see ``terms.normalise``), as the terminology check does.
"""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kyokan.apps.core.access import require
from kyokan.apps.core.exports import csv_response
from kyokan.apps.core.once import OnceFormMixin, submit_once
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import act, confirm_page, submit

from .. import services
from ..models import GlossaryTerm
from ..terms import normalise, normalise_for_search

# --- forms ----------------------------------------------------------------------------------


class GlossarySearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search the glossary"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Searches preferred terms, variants and readings; katakana and hiragana, "
            "full-width and half-width, upper and lower case match alike."
        ),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class GlossaryTermForm(forms.ModelForm):
    class Meta:
        model = GlossaryTerm
        fields = ["preferred", "reading", "definition", "variants", "notes"]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 4}),
            "variants": forms.Textarea(attrs={"rows": 5}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_preferred(self) -> str:
        return self.cleaned_data["preferred"].strip()

    def clean_variants(self) -> str:
        return "\n".join(_lines(self.cleaned_data.get("variants", "")))

    def _taken(self) -> dict[str, tuple[str, GlossaryTerm]]:
        """Normalised spelling → (how another term uses it, that term)."""
        others = GlossaryTerm.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        taken: dict[str, tuple[str, GlossaryTerm]] = {}
        for term in others:
            taken.setdefault(normalise(term.preferred), ("preferred", term))
            for variant in term.variant_list:
                taken.setdefault(normalise(variant), ("variant", term))
        return taken

    def clean(self):
        cleaned = super().clean()
        preferred = cleaned.get("preferred")
        variants = _lines(cleaned.get("variants", ""))
        if preferred is None:
            return cleaned
        taken = self._taken()
        key = normalise(preferred)
        if key in taken and "preferred" not in self.errors:
            use, other = taken[key]
            if use == "preferred":
                message = _("“%(value)s” is already in the glossary as the term “%(other)s”.")
            else:
                message = _("“%(value)s” is already listed as a variant of “%(other)s”.")
            self.add_error("preferred", message % {"value": preferred, "other": other.preferred})
        seen: dict[str, str] = {}
        problems = []
        for variant in variants:
            vkey = normalise(variant)
            if vkey == key:
                problems.append(
                    _(
                        "“%(value)s” is the preferred term itself, or differs from it only in "
                        "width, case or kana; such spellings are found without listing them."
                    )
                    % {"value": variant}
                )
            elif vkey in seen:
                problems.append(
                    _(
                        "“%(value)s” is listed twice (“%(first)s”); width, case and kana do "
                        "not count."
                    )
                    % {"value": variant, "first": seen[vkey]}
                )
            elif vkey in taken:
                use, other = taken[vkey]
                if use == "preferred":
                    message = _(
                        "“%(value)s” is the glossary term “%(other)s” (width, case and kana "
                        "aside); it cannot also be a variant of this term."
                    )
                else:
                    message = _(
                        "“%(value)s” is already a variant of “%(other)s”; a spelling can be "
                        "unified to one term only."
                    )
                problems.append(message % {"value": variant, "other": other.preferred})
            seen.setdefault(vkey, variant)
        for problem in problems:
            self.add_error("variants", problem)
        return cleaned


class NewGlossaryTermForm(OnceFormMixin, GlossaryTermForm):
    pass


# --- list, search and export ----------------------------------------------------------------


def _search(request) -> tuple[GlossarySearchForm, str]:
    form = GlossarySearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    return form, q


def _matching_terms(q: str) -> list[GlossaryTerm]:
    terms = list(GlossaryTerm.objects.order_by("reading", "preferred"))
    needle = normalise_for_search(q)
    if not needle:
        return terms
    return [
        term
        for term in terms
        if needle in normalise_for_search(" ".join([term.preferred, term.reading]))
        or any(needle in normalise_for_search(v) for v in term.variant_list)
    ]


@require("documents.view_documents")
def glossary(request):
    form, q = _search(request)
    page = paginate(request, _matching_terms(q))
    return render(
        request,
        "documents/glossary_results.html" if request.htmx else "documents/glossary.html",
        {"form": form, "page": page, "q": q, "results_id": "glossary-results"},
    )


@require("documents.view_documents")
def glossary_export(request):
    """The glossary (or the search results) as CSV (core's export helper: UTF-8 with BOM,
    formula-looking text neutralised, control characters removed)."""
    _form, q = _search(request)
    header = [_("preferred term"), _("reading"), _("definition"), _("variants"), _("notes")]

    def rows():  # the terms are read while the response streams
        for term in _matching_terms(q):
            yield [
                term.preferred,
                term.reading,
                term.definition,
                "、".join(term.variant_list),
                term.notes,
            ]

    return csv_response("glossary.csv", header, rows())


# --- editing ---------------------------------------------------------------------------------


def term_obj(pk: int, **_kwargs) -> GlossaryTerm:
    return get_object_or_404(GlossaryTerm, pk=pk)


def _glossary_url() -> str:
    return reverse("documents:glossary")


@require("documents.edit_documents")
@require_http_methods(["GET", "POST"])
def term_create(request):
    return submit_once(
        request,
        NewGlossaryTermForm(request.POST or None),
        save=lambda data: services.term_create(actor=request.user, **data),
        success=_("The term was added to the glossary."),
        next_url=lambda _r: _glossary_url(),
        title=_("New glossary term"),
        intro=_(
            "List the spellings to unify, one per line. Width, case and kana variants of the "
            "preferred term (ＤＸ, ﾃﾞｼﾞﾀﾙ, でじたる) are found without listing them."
        ),
        cancel_url=_glossary_url(),
    )


@require("documents.edit_documents", obj=term_obj)
@require_http_methods(["GET", "POST"])
def term_edit(request, pk: int, obj: GlossaryTerm):
    return submit(
        request,
        GlossaryTermForm(request.POST or None, instance=obj),
        save=lambda data: services.term_update(actor=request.user, term=obj, **data),
        success=_("The changes were saved."),
        next_url=lambda _r: _glossary_url(),
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=_glossary_url(),
    )


@require("documents.edit_documents", obj=term_obj)
@require_http_methods(["GET", "POST"])
def term_delete(request, pk: int, obj: GlossaryTerm):
    if request.method == "POST":
        return act(
            request,
            lambda: services.term_delete(actor=request.user, term=obj),
            success=_("The term was deleted from the glossary."),
            next_url=_glossary_url(),
            error_url=_glossary_url(),
        )
    return confirm_page(
        request,
        title=_("Delete %(name)s") % {"name": obj},
        message=_(
            "The term and its variants leave the glossary; the terminology check no longer "
            "looks for them. Documents are not changed."
        ),
        submit_label=_("Delete"),
        danger=True,
        cancel_url=_glossary_url(),
    )


urlpatterns = [
    path("glossary/", glossary, name="glossary"),
    path("glossary/export/", glossary_export, name="glossary_export"),
    path("glossary/new/", term_create, name="term_create"),
    path("glossary/<int:pk>/edit/", term_edit, name="term_edit"),
    path("glossary/<int:pk>/delete/", term_delete, name="term_delete"),
]
