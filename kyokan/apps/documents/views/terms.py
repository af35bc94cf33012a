"""The terminology check of a version: where its text departs from the glossary, and the
replacements that unify it (each an audited section edit, see ``terms``)."""

from collections import OrderedDict
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core.access import require
from kyokan.apps.core.viewkit import confirm_page

from .. import selectors, services
from ..models import GlossaryTerm, Section, Version
from ..terms import (
    Occurrence,
    check_text,
    check_version,
    compile_terms,
    replace_one,
    replacement_plan,
)
from .common import version_obj


def _terms_url(version: Version) -> str:
    return reverse("documents:terms", args=[version.pk])


# --- the check --------------------------------------------------------------------------------


@dataclass
class Row:
    occurrence: Occurrence
    number: str
    section: Section


@dataclass
class TermGroup:
    term: GlossaryTerm
    rows: list[Row] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def inside_count(self) -> int:
        return sum(1 for r in self.rows if r.occurrence.inside_word)

    @property
    def replaceable_count(self) -> int:
        return self.count - self.inside_count


@require("documents.view_documents", obj=version_obj)
def terms(request, pk: int, obj: Version):
    glossary = list(GlossaryTerm.objects.all())
    occurrences = check_version(obj, terms=glossary)
    numbered = {ns.section.pk: ns for ns in selectors.numbered_sections(obj, include_removed=False)}
    groups: OrderedDict[int, TermGroup] = OrderedDict((t.pk, TermGroup(t)) for t in glossary)
    for occurrence in occurrences:
        ns = numbered.get(occurrence.section_id)
        group = groups.get(occurrence.term_id)
        if ns is None or group is None:
            continue
        group.rows.append(Row(occurrence, ns.number, ns.section))
    found = [g for g in groups.values() if g.rows]
    return render(
        request,
        "documents/terms.html",
        {
            "version": obj,
            "document": obj.document,
            "groups": found,
            "total": sum(g.count for g in found),
            "glossary_size": len(glossary),
            "can_replace": obj.is_editable and request.user.has_perm("documents.edit_documents"),
        },
    )


# --- replacing --------------------------------------------------------------------------------


class ReplaceOneForm(forms.Form):
    section = forms.IntegerField(min_value=1)
    term = forms.IntegerField(min_value=1)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    matched = forms.CharField(strip=False)
    revision = forms.IntegerField(min_value=1)
    confirm = forms.BooleanField(required=False)


def _stale(request, version: Version):
    messages.error(request, _("The text changed since the check; run it again."))
    return redirect(_terms_url(version))


@require("documents.edit_documents", obj=version_obj)
@require_POST
def terms_replace(request, pk: int, obj: Version):
    """Replace one occurrence. It is found again in the section's current text (so a stale
    form or a forged ``inside_word`` cannot slip through) before the edit is saved."""
    form = ReplaceOneForm(request.POST)
    if not form.is_valid():
        return _stale(request, obj)
    data = form.cleaned_data
    section = obj.sections.exclude(change=Section.Change.REMOVED).filter(pk=data["section"]).first()
    term = GlossaryTerm.objects.filter(pk=data["term"]).first()
    if section is None or term is None or section.revision != data["revision"]:
        return _stale(request, obj)
    current = check_text(
        section.body, compile_terms(GlossaryTerm.objects.all()), section_id=section.pk
    )
    occurrence = next(
        (
            o
            for o in current
            if (o.start, o.end, o.matched, o.term_id)
            == (data["start"], data["end"], data["matched"], term.pk)
        ),
        None,
    )
    if occurrence is None:
        return _stale(request, obj)
    try:
        body = replace_one(
            section.body, occurrence, term.preferred, confirm_inside_word=data["confirm"]
        )
        services.section_update(
            actor=request.user,
            section=section,
            expected_revision=data["revision"],
            body=body,
            summary=services._terms_summary([occurrence.matched], term.preferred),
        )
    except services.EditConflict:
        messages.error(
            request,
            _("Someone saved “%(heading)s” in the meantime; run the check again.")
            % {"heading": section.heading},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("“%(old)s” was replaced with “%(new)s”.")
            % {"old": occurrence.matched, "new": term.preferred},
        )
    return redirect(_terms_url(obj))


def _term_of(request, version: Version, term_pk: int) -> GlossaryTerm | None:
    term = GlossaryTerm.objects.filter(pk=term_pk).first()
    if term is None:
        messages.error(request, _("That term is no longer in the glossary."))
    return term


@require("documents.edit_documents", obj=version_obj)
@require_http_methods(["GET", "POST"])
def terms_replace_all(request, pk: int, obj: Version, term: int):
    """Replace every occurrence of one term's variants in the version — except those inside
    a longer word — with one audited edit per section. GET asks for confirmation."""
    back = _terms_url(obj)
    glossary_term = _term_of(request, obj, term)
    if glossary_term is None:
        return redirect(back)
    if not obj.is_editable:
        messages.error(
            request,
            _("Only a draft can be edited; this version is “%(state)s”.")
            % {"state": obj.get_state_display()},
        )
        return redirect(back)
    plan = replacement_plan(obj, glossary_term)
    if not plan.replaceable:
        messages.info(request, _("There is nothing to replace for “%(term)s”.") % {
            "term": glossary_term.preferred
        })  # fmt: skip
        return redirect(back)
    if request.method == "POST":
        try:
            done = services.terms_replace_all(actor=request.user, version=obj, term=glossary_term)
        except services.EditConflict as exc:
            messages.error(
                request,
                _("Someone saved “%(heading)s” in the meantime; nothing was replaced. Run the "
                  "check again.") % {"heading": exc.section.heading},
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s occurrence was replaced with “%(term)s” (sections changed: "
                    "%(sections)s).",
                    "%(n)s occurrences were replaced with “%(term)s” (sections changed: "
                    "%(sections)s).",
                    len(done.replaceable),
                )
                % {
                    "n": len(done.replaceable),
                    "term": glossary_term.preferred,
                    "sections": len(done.by_section),
                },
            )
        return redirect(back)
    count, inside = len(plan.replaceable), plan.inside
    message = ngettext(
        "%(n)s occurrence will read “%(term)s” (sections to change: %(sections)s). Each "
        "changed section is saved as one edit, recorded in the audit trail.",
        "%(n)s occurrences will read “%(term)s” (sections to change: %(sections)s). Each "
        "changed section is saved as one edit, recorded in the audit trail.",
        count,
    ) % {"n": count, "sections": len(plan.by_section), "term": glossary_term.preferred}
    if inside:
        message += " " + ngettext(
            "%(n)s occurrence inside a longer word is left as it is; replace it on its own "
            "if needed.",
            "%(n)s occurrences inside longer words are left as they are; replace them one by "
            "one if needed.",
            inside,
        ) % {"n": inside}
    return confirm_page(
        request,
        title=_("Replace all with “%(term)s”") % {"term": glossary_term.preferred},
        message=message,
        submit_label=_("Replace all"),
        cancel_url=back,
    )


urlpatterns = [
    path("versions/<int:pk>/terms/", terms, name="terms"),
    path("versions/<int:pk>/terms/replace/", terms_replace, name="terms_replace"),
    path(
        "versions/<int:pk>/terms/<int:term>/replace-all/",
        terms_replace_all,
        name="terms_replace_all",
    ),
]
