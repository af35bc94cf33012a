"""The analysis: online rates by department, life event and legal basis kind, seal and
attachment removal, the BPR priority list with its working, progress across fiscal years."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from kyokan.apps.core.access import require
from kyokan.apps.core.selectors import paginate

from .. import charts, selectors
from .inventory import filtered


@require("procedures.view_procedures")
def analysis(request):
    form, _filters, qs = filtered(request)
    departments = selectors.by_department(qs, unassigned_label=_("(no division)"))
    legal = selectors.by_legal_basis(qs)  # every procedure has a kind: its sum is the total
    context = {
        "form": form,
        "totals": selectors.sum_rows(legal),
        "departments": departments,
        "legal": legal,
        "events": selectors.by_life_event(qs),
        "removal": selectors.removal(qs),
        "chart": charts.rate_chart(
            departments, description=_("Online rate by department (share of procedures)")
        ),
    }
    return render(request, "procedures/analysis.html", context)


@require("procedures.view_procedures")
def bpr(request):
    form, _filters, qs = filtered(request)
    page = paginate(request, selectors.bpr_priority(qs))
    page.object_list = selectors.with_burden(page.object_list)
    context = {
        "form": form,
        "page": page,
        "base": selectors.BURDEN_BASE,
        "seal": selectors.BURDEN_SEAL,
        "per_attachment": selectors.BURDEN_PER_ATTACHMENT,
    }
    return render(request, "procedures/bpr.html", context)


@require("procedures.view_procedures")
def progress(request):
    form, _filters, qs = filtered(request)
    years = selectors.progress(qs)
    context = {
        "form": form,
        "years": years,
        "chart": charts.progress_chart(
            years,
            description=_("Online rate by fiscal year"),
            by_procedures=_("online rate (procedures)"),
            by_cases=_("online rate (cases)"),
        ),
    }
    return render(request, "procedures/progress.html", context)


urlpatterns = [
    path("procedures/analysis/", analysis, name="analysis"),
    path("procedures/bpr/", bpr, name="bpr"),
    path("procedures/progress/", progress, name="progress"),
]
