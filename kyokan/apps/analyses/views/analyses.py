"""Analyses of free text: start one (it runs in the background), follow its progress, read
and export its result; import a comment set to analyse."""

import json

from django.contrib import messages as flash
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from kyokan import textanalysis
from kyokan.apps.core import exports, office
from kyokan.apps.core.access import require
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import submit
from kyokan.apps.surveys.models import Question

from .. import charts, messages, selectors, services
from ..forms import AnalysisForm, CommentSetForm, RerunForm, RoundsForm
from ..models import AnalysisRun, CommentSet


def _run(pk: int, **_kwargs) -> AnalysisRun:
    run = selectors.run_for_pages(pk)
    if run is None:
        raise Http404
    return run


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
        flash.info(request, _("Choose a free-text question's results or a comment set."))
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


def map_svg(run: AnalysisRun, clusters: list[dict]) -> str:
    """The opinion map of a run, its tooltips and links in the reader's language."""
    data = (run.summary or {}).get("map") or {}
    urls = {c["id"]: reverse("analyses:group", args=[run.pk, c["id"]]) for c in clusters}
    return charts.opinion_map_svg(
        data,
        clusters,
        title=_("Opinion map"),
        description=_(
            "Each point is an answer; answers that say similar things are close. Each point "
            "links to its group's page."
        ),
        group_url=urls.__getitem__,
        group_title=lambda c: (
            f"{c['id']} {c['label']} — {messages.answers_count(c.get('rows'), c.get('size'))}"
        ),
        point_title=_point_title,
    )


def _point_title(snippet: str, answers: int) -> str:
    if answers == 1:
        return f"「{snippet}」"
    return f"「{snippet}」 " + ngettext("(%(n)s answer)", "(%(n)s answers)", answers) % {
        "n": answers
    }


@require("analyses.view_analyses", obj=_run)
def run_detail(request, pk: int, obj: AnalysisRun):
    context = {"run": obj}
    if obj.status == AnalysisRun.Status.DONE and obj.is_rounds:
        context.update(selectors.rounds_view(obj))
        groups = context["groups"]
        if groups and context["rounds"]:
            context["rounds_svg"] = charts.rounds_svg(
                [(f"{g['id']} {g['label']}", g["shares"]) for g in groups],
                context["round_names"],
                description=_("Share of each round's answers in each group"),
                xlabel=_("share of the round's answers (%)"),
            )
        return render(request, "analyses/rounds_detail.html", context)
    if obj.status == AnalysisRun.Status.DONE and not selectors.has_pages(obj):
        return render(request, "analyses/run_detail.html", {**context, "outdated": True})
    if obj.status == AnalysisRun.Status.DONE:
        context.update(selectors.result_view(obj))
        summary = obj.summary or {}
        clusters = summary.get("clusters", [])
        context["map_svg"] = map_svg(obj, clusters)
        context["map_data"] = summary.get("map") or {}
        colour = charts.colours(clusters)
        context["legend"] = [
            (c["id"], c["label"], colour[c["id"]]) for c in clusters if c["level"] == 1
        ]
        scores = (context["selection"] or {}).get("scores") or []
        if len(scores) > 1:
            context["selection_svg"] = charts.selection_svg(
                scores,
                context["selection"].get("chosen"),
                description=_("Modularity of each number of coarse groups tried"),
                xlabel=_("number of coarse groups"),
                ylabel=_("modularity Q"),
            )
        context["earlier_question"] = selectors.earlier_round_question(obj)
        previous = selectors.previous_round_run(obj)
        if previous and obj.reference_text and context["departments"]:
            try:
                change = textanalysis.compare_alignment(
                    previous.summary or {}, summary, "department"
                )
            except (ValueError, KeyError, TypeError):  # a round without bureaus or reference
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
            json.dumps(selectors.run_result(obj), ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = office.content_disposition(
            selectors.export_filename(obj, "json")
        )
        return response
    if obj.is_rounds or not selectors.has_pages(obj):
        raise Http404  # a comparison of rounds, or a result kept only as JSON
    if fmt == "csv":
        return exports.csv_response(
            selectors.export_filename(obj, "csv"),
            selectors.export_header(obj),
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


@require("analyses.run_analyses", obj=_run)
@require_http_methods(["GET", "POST"])
def run_rerun(request, pk: int, obj: AnalysisRun):
    """Run a finished analysis again with chosen numbers of groups; the groups that still
    match keep their ids."""
    if obj.status != AnalysisRun.Status.DONE or obj.is_rounds:
        raise Http404
    counts = ((obj.summary or {}).get("stats") or {}).get("clusters") or {}
    form = RerunForm(
        request.POST or None, initial={"coarse": counts.get("coarse"), "fine": counts.get("fine")}
    )
    return submit(
        request,
        form,
        save=lambda data: services.analysis_rerun(actor=request.user, run=obj, **data),
        success=_("The analysis has started; this page shows its progress."),
        next_url=_run_url,
        title=_("Run again with other numbers of groups"),
        intro=_(
            "The same answers are analysed again with the numbers of groups you choose (leave "
            "a number empty to let the analysis choose it). Groups that still match a group "
            "of this analysis keep its number, so that C1 still means the same answers."
        ),
        cancel_url=_run_url(obj),
    )


@require("analyses.run_analyses")
@require_http_methods(["GET", "POST"])
def rounds_create(request):
    """Start a comparison of two rounds of a question on one scale."""
    if not request.GET.get("question"):
        flash.info(request, _("Open a free-text question's analysis and choose “Compare”."))
        return redirect("analyses:list")
    question = get_object_or_404(
        Question.objects.select_related("survey"), pk=_id_param(request, "question")
    )
    if question.kind != Question.Kind.TEXT:
        raise Http404
    from kyokan.apps.surveys.models import Question as Q

    initial = (
        Q.objects.filter(
            survey=question.survey.previous_round_id, kind=Q.Kind.TEXT, text=question.text
        ).first()
        if question.survey.previous_round_id
        else None
    )
    form = RoundsForm(request.POST or None, question=question, initial_earlier=initial)
    return submit(
        request,
        form,
        save=lambda data: services.rounds_start(
            actor=request.user,
            question=question,
            earlier=data["earlier"],
            with_reference=data["with_reference"],
        ),
        success=_("The comparison has started; this page shows its progress."),
        next_url=_run_url,
        title=_("Compare rounds: %(name)s") % {"name": f"{question.survey} — {question}"},
        intro=_(
            "The answers of both rounds are analysed together: one set of groups and one "
            "shared space of meaning, so that each round's divergence and its share of every "
            "group can be compared (two separate analyses would each have their own groups "
            "and scale)."
        ),
        cancel_url=reverse("analyses:list"),
    )


urlpatterns = [
    path("analyses/", run_list, name="list"),
    path("analyses/new/", run_create, name="create"),
    path("analyses/<int:pk>/", run_detail, name="run"),
    path("analyses/<int:pk>/progress/", run_progress, name="progress"),
    path("analyses/<int:pk>/export.<str:fmt>", run_export, name="export"),
    path("analyses/<int:pk>/rerun/", run_rerun, name="rerun"),
    path("analyses/rounds/new/", rounds_create, name="rounds_create"),
    path("comment-sets/new/", comment_set_import, name="comment_set_import"),
]
