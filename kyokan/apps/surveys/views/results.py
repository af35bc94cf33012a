"""Results of a survey (filled in by kyokan.apps.surveys.views.results' full version)."""

from django.shortcuts import render
from django.urls import path

from kyokan.apps.core.access import require

from .. import selectors
from ..models import Survey
from .common import survey_obj


@require("surveys.view_results", obj=survey_obj)
def results(request, pk: int, obj: Survey):
    return render(
        request,
        "surveys/results.html",
        {"survey": obj, "results": selectors.results(obj), "rate": selectors.response_rate(obj)},
    )


urlpatterns = [path("surveys/<int:pk>/results/", results, name="results")]
