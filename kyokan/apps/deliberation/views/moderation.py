"""Moderation: the queue of hidden (reported) and pending items and the secretariat's
decision on each."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyokan.apps.core.access import require

from .. import selectors, services
from ..models import Comment, Idea, Statement

KINDS = {"idea": Idea, "comment": Comment, "statement": Statement}


@require("deliberation.moderate")
def queue(request):
    return render(request, "deliberation/moderation.html", selectors.moderation_queue())


@require("deliberation.moderate")
@require_POST
def decide(request, kind: str, pk: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk)
    keep = request.POST.get("decision") == "keep"
    if isinstance(target, Statement) and target.visibility == "pending":
        services.statement_moderate(actor=request.user, statement=target, approve=keep)
    else:
        services.moderation_decide(
            actor=request.user, target=target, keep=keep, note=request.POST.get("note", "")[:200]
        )
    messages.success(request, _("Kept: it is shown again.") if keep else _("Removed."))
    return redirect("deliberation:moderation")


urlpatterns = [
    path("ideas/moderation/", queue, name="moderation"),
    path("ideas/moderation/<str:kind>/<int:pk>/", decide, name="moderation_decide"),
]
