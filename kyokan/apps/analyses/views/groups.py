"""Reading a finished analysis: a group's page with all its answers (paginated,
near-duplicates folded), the lists of near-duplicates and campaigns, a campaign's
rewordings."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path

from kyokan.apps.core.access import require
from kyokan.apps.core.selectors import paginate

from .. import messages, selectors
from ..models import AnalysisRun
from .analyses import _run

PAGE_SIZE = 50


def _finished(run: AnalysisRun) -> None:
    if not selectors.has_pages(run):
        raise Http404


@require("analyses.view_analyses", obj=_run)
def group_detail(request, pk: int, cluster: str, obj: AnalysisRun):
    _finished(obj)
    found = selectors.cluster_of(obj, cluster)
    if found is None:
        raise Http404
    context = {"run": obj, **selectors.group_view(obj, found)}
    page = paginate(request, selectors.group_items(obj, found), per_page=PAGE_SIZE)
    context["page"] = page
    context["rows"] = selectors.item_rows(obj, list(page.object_list), context["anonymous"])
    context["alignment_explanation"] = (
        messages.alignment_explanation() if context["alignment"] else ""
    )
    return render(request, "analyses/group_detail.html", context)


@require("analyses.view_analyses", obj=_run)
def near_duplicate_list(request, pk: int, obj: AnalysisRun):
    _finished(obj)
    page = paginate(request, selectors.near_duplicates(obj), per_page=PAGE_SIZE)
    groups = selectors.groups_of_positions(obj, [d["at"] for d in page.object_list])
    rows = [{**d, "groups": groups.get(d["at"], ("", ""))} for d in page.object_list]
    return render(
        request,
        "analyses/near_duplicates.html",
        {
            "run": obj,
            "page": page,
            "rows": rows,
            "rule": messages.near_duplicate_rule(),
            "stats": (obj.summary or {}).get("stats", {}),
        },
    )


@require("analyses.view_analyses", obj=_run)
def campaign_list(request, pk: int, obj: AnalysisRun):
    _finished(obj)
    page = paginate(request, selectors.campaigns(obj), per_page=PAGE_SIZE)
    groups = selectors.groups_of_positions(obj, [c["at"] for c in page.object_list])
    rows = [{**c, "groups": groups.get(c["at"], ("", ""))} for c in page.object_list]
    return render(
        request,
        "analyses/campaigns.html",
        {"run": obj, "page": page, "rows": rows, "rule": messages.campaign_rule()},
    )


@require("analyses.view_analyses", obj=_run)
def campaign_detail(request, pk: int, campaign: str, obj: AnalysisRun):
    _finished(obj)
    found = selectors.campaign_of(obj, campaign)
    if found is None:
        raise Http404
    anonymous = selectors.is_anonymous(obj)
    page = paginate(request, selectors.campaign_items(obj, campaign), per_page=PAGE_SIZE)
    return render(
        request,
        "analyses/campaign_detail.html",
        {
            "run": obj,
            "campaign": found,
            "page": page,
            "anonymous": anonymous,
            "rows": selectors.item_rows(obj, list(page.object_list), anonymous),
            "rule": messages.campaign_rule(),
            "count": messages.answers_count(found["count"], found["distinct"]),
        },
    )


urlpatterns = [
    path("analyses/<int:pk>/groups/<str:cluster>/", group_detail, name="group"),
    path("analyses/<int:pk>/near-duplicates/", near_duplicate_list, name="near_duplicates"),
    path("analyses/<int:pk>/campaigns/", campaign_list, name="campaigns"),
    path("analyses/<int:pk>/campaigns/<str:campaign>/", campaign_detail, name="campaign"),
]
