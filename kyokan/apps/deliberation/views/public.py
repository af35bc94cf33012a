"""The citizens' side: propose an idea without an account (rate-limited per address, CSRF
protected), see similar public ideas while writing (with JavaScript) or with the button
「似た提案を確認する」 (without: the portal loads none), follow one's idea by its personal
link, read the public ideas and report one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kyokan.apps.core.access import public
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import apply_service_errors
from kyokan.apps.portal.views import portal_render

from .. import limits, services
from .. import public as public_selectors
from ..forms import PublicIdeaForm
from ..models import Origin, Visibility
from .ideas import (
    RATE_LIMITED,
    ask_about_similar,
    idea_form_page,
    public_layout,
    report_page,
    similar_context,
)

# The second button of the citizens' form: show the similar ideas of what is typed, without
# sending anything (the portal loads no JavaScript, so they are not shown while typing).
CHECK_SIMILAR = "check_similar"


def _typed(post) -> dict:
    """What the citizen typed, to put back in the form (the CSRF token left out)."""
    return {
        name: post.get(name, "")
        for name in PublicIdeaForm.base_fields
        if name in post and name != "similar_seen"
    }


def _check_similar(request):
    """「似た提案を確認する」: the form again with everything typed, and the similar public
    ideas of its title, problem and proposal (the staff form's function). Nothing is
    validated or created, and the check does not count against the limit of ideas sent; it
    has a generous limit of its own (the similarity costs CPU)."""
    typed = _typed(request.POST)
    if limits.allow(request, "similar"):
        context = similar_context(request, public_only=True)
    else:
        messages.error(request, str(RATE_LIMITED))
        context = {"similar": [], "asked": False}
    if context["similar"]:
        typed["similar_seen"] = "on"  # seen: sending now proposes it without asking again
    return idea_form_page(
        request,
        PublicIdeaForm(initial=typed),
        title=_("Propose an idea to the city"),
        similar_found=context["similar"],
        similar_url=reverse("deliberation:public_similar"),
        action_label=_("Send the idea"),
        cancel_url=reverse("deliberation:public_ideas"),
        extra={"public_page": True, "public_only": True, "asked": context["asked"]},
        **public_layout(),
    )


@public
@require_http_methods(["GET", "POST"])
def public_create(request):
    if request.method == "POST" and CHECK_SIMILAR in request.POST:
        return _check_similar(request)
    form = PublicIdeaForm(request.POST or None)
    found = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from .. import selectors

        found = selectors.similar_ideas(
            title=data["title"], texts=(data["problem"], data["proposal"]), public_only=True
        )
        if ask_about_similar(form, found):
            messages.info(
                request,
                _(
                    "Similar ideas have been proposed (below). Send yours again to propose it "
                    "anyway."
                ),
            )
        elif not limits.allow(request, "public_idea"):
            form.add_error(None, str(RATE_LIMITED))
        else:
            try:
                idea = services.idea_create(
                    actor=request.user,
                    origin=Origin.CITIZEN,
                    author_name=data["author_name"],
                    author_email=data["author_email"],
                    **form.service_data(),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your idea was sent to the secretariat. Keep this page's "
                        "address to see what becomes of it."
                    ),
                )
                return redirect("deliberation:public_track", token=idea.token)
    return idea_form_page(
        request,
        form,
        title=_("Propose an idea to the city"),
        similar_found=found,
        similar_url=reverse("deliberation:public_similar"),
        action_label=_("Send the idea"),
        cancel_url=reverse("deliberation:public_ideas"),
        extra={"public_page": True, "public_only": True},
        **public_layout(),
    )


@public
def public_similar(request):
    if not limits.allow(request, "similar"):  # a generous limit: similar ideas cost CPU
        return render(request, "deliberation/partials/similar.html", {"similar": []})
    return render(
        request, "deliberation/partials/similar.html", similar_context(request, public_only=True)
    )


@public
def public_track(request, token: str):
    idea = public_selectors.idea_by_token(token)
    if idea is None:
        raise Http404
    answers = idea.comments.filter(is_answer=True, visibility=Visibility.VISIBLE)
    return portal_render(
        request,
        "deliberation/public_track.html",
        {"idea": idea, "history": idea.status_changes.all(), "answers": answers},
    )


@public
def public_list(request):
    page = paginate(request, public_selectors.public_ideas(status=request.GET.get("status", "")))
    return portal_render(request, "deliberation/public_list.html", {"page": page})


@public
def public_idea(request, pk: int):
    idea = public_selectors.public_idea(pk)
    if idea is None:
        raise Http404
    return portal_render(
        request,
        "deliberation/public_idea.html",
        {"idea": idea, "answers": idea.public_answers, "history": idea.status_changes.all()},
    )


@public
@require_http_methods(["GET", "POST"])
def public_report(request, pk: int):
    idea = public_selectors.public_idea(pk)
    if idea is None:
        raise Http404
    back = reverse("deliberation:public_idea", args=[pk])
    return report_page(request, target=idea, back=back, public=True)


urlpatterns = [
    path("ideas/public/", public_list, name="public_ideas"),
    path("ideas/public/new/", public_create, name="public_create"),
    path("ideas/public/similar/", public_similar, name="public_similar"),
    path("ideas/public/t/<str:token>/", public_track, name="public_track"),
    path("ideas/public/<int:pk>/", public_idea, name="public_idea"),
    path("ideas/public/<int:pk>/report/", public_report, name="public_report"),
]
