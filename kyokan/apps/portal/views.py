"""The citizen portal: public pages (no login) read through the apps' ``public`` modules,
the reading help switches, the accessibility policy, and the secretariat's reading
dictionary."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core.access import public, require
from kyokan.apps.core.viewkit import confirmed, submit
from kyokan.apps.documents import public as documents_public
from kyokan.apps.meetings import public as meetings_public
from kyokan.apps.portfolio import public as portfolio_public
from kyokan.apps.surveys import public as surveys_public

from . import furigana, integrations, selectors, services
from .forms import InitiativeFilterForm, ProcedureSearchForm, ReadingEntryForm
from .models import ReadingEntry

PAGE_SIZE = 20
LARGE_COOKIE = "kyokan_portal_large"
RUBY_COOKIE = "kyokan_portal_ruby"
COOKIE_AGE = 365 * 24 * 3600


def reading_prefs(request) -> dict:
    return {
        "large": request.COOKIES.get(LARGE_COOKIE) == "1",
        "ruby": request.COOKIES.get(RUBY_COOKIE) == "1",
    }


def portal_render(request, template: str, context: dict, *, status: int = 200):
    """Render a portal page with the reading help: large text and high contrast as a class
    on the page, furigana added to the page's text on the server (no JavaScript)."""
    prefs = reading_prefs(request)
    context = {
        **context,
        "reading": prefs,
        "portal_nav": selectors.navigation(),
        "path": request.get_full_path(),
    }
    response = render(request, template, context, status=status)
    if prefs["ruby"] and response.get("Content-Type", "").startswith("text/html"):
        response.content = furigana.ruby_page(response.content.decode()).encode()
    response["Vary"] = "Cookie, Accept-Language"
    return response


def _page(request, rows, size: int = PAGE_SIZE):
    return Paginator(rows, size).get_page(request.GET.get("page"))


# --- pages ----------------------------------------------------------------------------------


@public
def home(request):
    return portal_render(request, "portal/home.html", selectors.front_page())


@public
def documents(request):
    return portal_render(
        request,
        "portal/documents.html",
        {
            "definition": documents_public.definition(),
            "strategy": documents_public.strategy(),
            "documents": list(documents_public.documents()),
        },
    )


@public
def document(request, pk: int):
    doc = documents_public.document(pk)
    if doc is None:
        raise Http404
    return portal_render(
        request,
        "portal/document.html",
        {"document": doc, "versions": documents_public.history(doc)},
    )


@public
def version(request, pk: int):
    found = documents_public.version(pk)
    if found is None:
        raise Http404
    return portal_render(
        request,
        "portal/version.html",
        {
            "version": found,
            "document": found.document,
            "sections": documents_public.sections(found),
            "history": documents_public.history(found.document),
        },
    )


@public
def initiatives(request):
    form = InitiativeFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    page = _page(request, portfolio_public.initiatives(**filters))
    portfolio_public.with_cost_value(page.object_list)
    page.object_list = list(page.object_list)
    return portal_render(
        request,
        "portal/initiatives.html",
        {"form": form, "page": page, "progress": selectors.latest_progress(page.object_list)},
    )


@public
def initiative(request, pk: int):
    found = portfolio_public.initiative(pk)
    if found is None:
        raise Http404
    return portal_render(
        request,
        "portal/initiative.html",
        {"initiative": found, **portfolio_public.detail(found)},
    )


@public
def surveys(request):
    return portal_render(
        request,
        "portal/surveys.html",
        {
            "open_surveys": selectors.open_surveys(),
            "results_page": _page(request, surveys_public.with_results()),
        },
    )


@public
def survey_results(request, pk: int):
    survey = surveys_public.survey_with_results(pk)
    if survey is None:
        raise Http404
    return portal_render(
        request,
        "portal/survey_results.html",
        {
            "survey": survey,
            "responses": surveys_public.response_count(survey),
            "results": surveys_public.results(survey),
            "min_group": surveys_public.MIN_GROUP,
        },
    )


@public
def meetings(request):
    return portal_render(
        request,
        "portal/meetings.html",
        {
            "upcoming": list(meetings_public.upcoming()[:50]),
            "minutes_page": _page(request, meetings_public.with_minutes()),
        },
    )


@public
def meeting(request, pk: int):
    found = meetings_public.meeting(pk)
    if found is None:
        raise Http404
    return portal_render(
        request,
        "portal/meeting.html",
        {
            "meeting": found,
            "agenda": meetings_public.agenda(found),
            "decisions": meetings_public.decisions_of(found),
            "papers": meetings_public.papers(found),
            "minutes_public": meetings_public.minutes_public(found),
        },
    )


@public
def procedures(request):
    form = ProcedureSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    data = integrations.procedures_page(request, q=q)
    return portal_render(
        request,
        "portal/procedures.html",
        {"form": form, "q": q, **(data or {"unavailable": True})},
    )


@public
def participation(request):
    data = integrations.participation_page(request)
    return portal_render(request, "portal/participation.html", data or {"unavailable": True})


@public
def accessibility(request):
    return portal_render(request, "portal/accessibility.html", selectors.accessibility_report())


@public
def reading_help(request):
    """What the two switches do (a page of its own, reachable without JavaScript)."""
    return portal_render(request, "portal/reading_help.html", {})


class _ReadingSwitch(forms.Form):
    large = forms.ChoiceField(choices=[("0", "0"), ("1", "1")], required=False)
    ruby = forms.ChoiceField(choices=[("0", "0"), ("1", "1")], required=False)
    next = forms.CharField(max_length=2000, required=False)


@public
@require_POST
def reading_switch(request):
    """Set the reading help (a form on every portal page posts here, then comes back)."""
    form = _ReadingSwitch(request.POST)
    target = reverse("portal:home")
    if form.is_valid():
        wanted = form.cleaned_data["next"]
        if wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = wanted
    response = HttpResponseRedirect(target)
    if form.is_valid():
        for name, cookie in (("large", LARGE_COOKIE), ("ruby", RUBY_COOKIE)):
            value = form.cleaned_data[name]
            if value == "1":
                response.set_cookie(
                    cookie, "1", max_age=COOKIE_AGE, samesite="Lax", secure=request.is_secure()
                )
            elif value == "0":
                response.delete_cookie(cookie, samesite="Lax")
    return response


# --- the reading dictionary (secretariat) ---------------------------------------------------


@require("portal.manage_readings")
def readings(request):
    q = request.GET.get("q", "")[:40]
    rows = ReadingEntry.objects.all()
    if q:
        rows = rows.filter(surface__icontains=q) | rows.filter(reading__icontains=q)
    return render(
        request,
        "portal/readings.html",
        {"page": _page(request, rows.order_by("reading", "surface"), 50), "q": q},
    )


@require("portal.manage_readings")
@require_http_methods(["GET", "POST"])
def reading_create(request):
    return submit(
        request,
        ReadingEntryForm(request.POST or None),
        save=lambda data: services.reading_entry_create(actor=request.user, **data),
        success=_("The reading was added."),
        next_url=lambda _e: reverse("portal:readings"),
        title=_("Add a reading"),
        cancel_url=reverse("portal:readings"),
        intro=_(
            "Names of the city's places and people: the portal's furigana read them as "
            "written here instead of the analyser's guess."
        ),
    )


@require("portal.manage_readings")
@require_http_methods(["GET", "POST"])
def reading_edit(request, pk: int):
    entry = get_object_or_404(ReadingEntry, pk=pk)
    return submit(
        request,
        ReadingEntryForm(request.POST or None, instance=entry),
        save=lambda data: services.reading_entry_update(actor=request.user, entry=entry, **data),
        success=_("The reading was saved."),
        next_url=lambda _e: reverse("portal:readings"),
        title=_("Edit the reading of %(word)s") % {"word": entry.surface},
        cancel_url=reverse("portal:readings"),
    )


@require("portal.manage_readings")
@require_http_methods(["GET", "POST"])
def reading_delete(request, pk: int):
    entry = get_object_or_404(ReadingEntry, pk=pk)
    return confirmed(
        request,
        lambda: services.reading_entry_delete(actor=request.user, entry=entry),
        title=_("Delete the reading of %(word)s") % {"word": entry.surface},
        message=_("The portal will read this word with the analyser again."),
        submit_label=_("Delete"),
        success=_("The reading was deleted."),
        back=reverse("portal:readings"),
        danger=True,
    )
