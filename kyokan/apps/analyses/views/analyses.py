"""Analyses of free text: start one (it runs in the background), follow its progress, read
and export its result; import a comment set to analyse."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kyokan import textanalysis
from kyokan.apps.core import exports, office
from kyokan.apps.core.access import require
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import submit
from kyokan.apps.surveys.models import Question

from .. import charts, selectors, services
from ..forms import AnalysisForm, CommentSetForm
from ..models import AnalysisRun, CommentSet


def _run(pk: int, **_kwargs) -> AnalysisRun:
    return get_object_or_404(selectors.runs(), pk=pk)


def _id_param(request, name: str) -> int:
    """An id from the query string: 404 unless it is a plain positive number."""
    value = request.GET.get(name, "")
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        raise Http404
    return int(value)


def _run_url(run) -> str:
    return reverse("analyses:run", args=[run.pk])


@require("analyses.view_analyses")
def run_list(request):
    return render(
        request,
        "analyses/run_list.html",
        {
            "page": paginate(request, selectors.runs()),
            "comment_sets": selectors.comment_sets()[:20],
        },
    )


@require("analyses.run_analyses")
@require_http_methods(["GET", "POST"])
def run_create(request):
    question = comment_set = None
    if request.GET.get("question"):
        question = get_object_or_404(
            Question.objects.select_related("survey"), pk=_id_param(request, "question")
        )
    elif request.GET.get("comment_set"):
        comment_set = get_object_or_404(CommentSet, pk=_id_param(request, "comment_set"))
    else:
        messages.info(request, _("Choose a free-text question's results or a comment set."))
        return redirect("analyses:list")
    source = question or comment_set
    return submit(
        request,
        AnalysisForm(request.POST or None),
        save=lambda data: services.analysis_start(
            actor=request.user, question=question, comment_set=comment_set, **data
        ),
        success=_("The analysis has started; this page shows its progress."),
        next_url=_run_url,
        title=_("Analyse: %(name)s") % {"name": source},
        intro=_(
            "The analysis runs on this server, offline: no text leaves the city's machine. "
            "It groups similar answers, finds duplicates, measures how far answers diverge "
            "and how close they are to the adopted DX definition."
        ),
        cancel_url=reverse("analyses:list"),
    )


@require("analyses.view_analyses", obj=_run)
def run_detail(request, pk: int, obj: AnalysisRun):
    context = {"run": obj}
    if obj.status == AnalysisRun.Status.DONE:
        context.update(selectors.result_view(obj))
        context["map_svg"] = charts.opinion_map_svg(obj.result, title=_("Opinion map"))
        shown, total = charts.map_points(obj.result)
        context["map_shown"], context["map_total"] = len(shown), total
        previous = selectors.previous_round_run(obj)
        if previous and obj.reference_text and context["departments"]:
            try:
                change = textanalysis.compare_alignment(previous.result, obj.result, "department")
            except ValueError:  # a round without bureaus (anonymous) or without reference
                change = {}
            if change:
                context["previous"] = previous
                context["change"] = sorted(change.items())
    return render(request, "analyses/run_detail.html", context)


@require("analyses.view_analyses", obj=_run)
def run_progress(request, pk: int, obj: AnalysisRun):
    """The progress bar, polled by htmx while the analysis runs (the page itself refreshes
    without JavaScript)."""
    response = render(request, "analyses/partials/progress.html", {"run": obj})
    if obj.status in (AnalysisRun.Status.DONE, AnalysisRun.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response


@require("analyses.view_analyses", obj=_run)
def run_export(request, pk: int, fmt: str, obj: AnalysisRun):
    if obj.status != AnalysisRun.Status.DONE or fmt not in ("json", "csv", "xlsx"):
        raise Http404
    if fmt == "json":  # the library's own format (its field names are the format's)
        response = HttpResponse(
            json.dumps(obj.result, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = office.content_disposition(
            selectors.export_filename(obj, "json")
        )
        return response
    if fmt == "csv":
        return exports.csv_response(
            selectors.export_filename(obj, "csv"),
            selectors.export_header(),
            selectors.export_rows(obj),
        )
    return exports.xlsx_response(
        selectors.export_filename(obj, "xlsx"), selectors.export_sheets(obj)
    )


@require("analyses.run_analyses")
@require_http_methods(["GET", "POST"])
def comment_set_import(request):
    form = CommentSetForm(request.POST or None, request.FILES or None)
    return submit(
        request,
        form,
        save=lambda data: services.comment_set_import(
            actor=request.user, title=data["title"], upload=data["file"]
        ),
        success=_("The comments were imported; choose the settings of the analysis."),
        next_url=lambda cs: reverse("analyses:create") + f"?comment_set={cs.pk}",
        title=_("Import comments to analyse"),
        cancel_url=reverse("analyses:list"),
    )


urlpatterns = [
    path("analyses/", run_list, name="list"),
    path("analyses/new/", run_create, name="create"),
    path("analyses/<int:pk>/", run_detail, name="run"),
    path("analyses/<int:pk>/progress/", run_progress, name="progress"),
    path("analyses/<int:pk>/export.<str:fmt>", run_export, name="export"),
    path("comment-sets/new/", comment_set_import, name="comment_set_import"),
]
