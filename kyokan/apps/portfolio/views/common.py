"""What the portfolio views share: object loaders for permission checks."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import (
    Initiative,
    InitiativeLink,
    Kpi,
    Milestone,
    PriorityGoal,
    ProgressReport,
    StrategyLink,
    VisionStep,
)


def id_or_404(value) -> int:
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def initiative_obj(pk: int, **_kwargs) -> Initiative:
    return get_object_or_404(
        Initiative.objects.select_related("bureau", "division", "owner"), pk=pk
    )


def report_obj(pk: int, **_kwargs) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.select_related("initiative__bureau", "submitted_by", "reviewed_by"),
        pk=pk,
    )


def kpi_obj(pk: int, **_kwargs) -> Kpi:
    return get_object_or_404(Kpi.objects.select_related("initiative__bureau"), pk=pk)


def link_obj(pk: int, **_kwargs) -> InitiativeLink:
    return get_object_or_404(InitiativeLink.objects.select_related("initiative"), pk=pk)


def strategy_link_obj(pk: int, **_kwargs) -> StrategyLink:
    return get_object_or_404(StrategyLink.objects.select_related("initiative"), pk=pk)


def milestone_obj(pk: int, **_kwargs) -> Milestone:
    return get_object_or_404(Milestone.objects.select_related("initiative"), pk=pk)


def goal_obj(pk: int, **_kwargs) -> PriorityGoal:
    return get_object_or_404(PriorityGoal, pk=pk)


def step_obj(pk: int, **_kwargs) -> VisionStep:
    return get_object_or_404(VisionStep, pk=pk)
