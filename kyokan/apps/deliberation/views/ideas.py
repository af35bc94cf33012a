"""Ideas: the list, writing one (with the similar ideas), its page, comments, supports,
follows, the status path, 事業化, publication, sessions and attachments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core import exports
from kyokan.apps.core.access import require
from kyokan.apps.core.exports import clean_text
from kyokan.apps.core.japanese_dates import fiscal_year_of
from kyokan.apps.core.once import AlreadySubmitted, duplicate_message, once_used
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import apply_service_errors, confirmed, form_page, submit

from .. import limits, selectors, services
from ..forms import (
    CommentForm,
    IdeaForm,
    LaunchForm,
    NewIdeaForm,
    ReportForm,
    SessionForm,
    StatusForm,
)
from ..models import Idea, IdeaAttachment, IdeaStatus, Origin
from .common import attachment_idea, attachment_obj, comment_obj, idea_obj, session_obj

RATE_LIMITED = gettext_lazy("Too many submissions in a short time; try again later.")


def _filters(request) -> dict:
    status = request.GET.get("status", "")
    origin = request.GET.get("origin", "")
    return {
        "q": clean_text(request.GET.get("q", "")).strip()[:100],
        "status": status if status in IdeaStatus.values else "",
        "origin": origin if origin in Origin.values else "",
        "mine": request.GET.get("mine") == "1",
    }


@require("deliberation.view_ideas")
def idea_list(request):
    filters = _filters(request)
    page = paginate(request, selectors.ideas(request.user, **filters))
    return render(
        request,
        "deliberation/partials/idea_results.html"
        if request.htmx
        else "deliberation/idea_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": IdeaStatus.choices,
            "origins": Origin.choices,
            "results_id": "idea-results",
        },
    )


def similar_context(request, *, public_only: bool) -> dict:
    source = request.POST if request.method == "POST" else request.GET
    title = clean_text(source.get("title", "")).strip()[:200]
    texts = tuple(clean_text(source.get(k, "")).strip()[:2000] for k in ("problem", "proposal"))
    exclude = source.get("exclude", "")
    found = selectors.similar_ideas(
        title=title,
        texts=texts,
        public_only=public_only,
        exclude=int(exclude) if exclude.isdigit() and len(exclude) < 18 else None,
    )
    return {"similar": found, "asked": bool(title or any(texts)), "public_only": public_only}


@require("deliberation.view_ideas")
def similar(request):
    """The similar ideas of what is being written (htmx fragment; also a page)."""
    return render(
        request, "deliberation/partials/similar.html", similar_context(request, public_only=False)
    )


def idea_form_page(
    request,
    form,
    *,
    title,
    similar_found,
    similar_url,
    action_label,
    cancel_url,
    template="deliberation/idea_form.html",
    extra=None,
    layout="base.html",
    renderer=render,
):
    return renderer(
        request,
        template,
        {
            "layout": layout,
            "form": form,
            "title": title,
            "similar": similar_found,
            "similar_url": similar_url,
            "submit_label": action_label,
            "cancel_url": cancel_url,
            **(extra or {}),
        },
    )


def ask_about_similar(form, found) -> bool:
    """Without JavaScript the writer sees the similar ideas after the first submission:
    the form comes back with everything typed and asks to send again."""
    if found and not form.cleaned_data.get("similar_seen"):
        form.data = form.data.copy()
        form.data["similar_seen"] = "on"
        return True
    return False


@require("deliberation.propose_idea")
@require_http_methods(["GET", "POST"])
def idea_create(request):
    form = NewIdeaForm(request.POST or None, request.FILES or None)
    found = []
    used = once_used(request)
    if used is not None:  # sent again (a double click): where the first POST went
        return _already_proposed(request, used.target_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = selectors.similar_ideas(
            title=data["title"], texts=(data["problem"], data["proposal"])
        )
        if ask_about_similar(form, found):
            messages.info(
                request,
                _(
                    "Similar ideas exist (below). Support or comment on one of them, or send "
                    "yours again to propose it anyway (choose the attachments again)."
                ),
            )
        elif not limits.allow(request, "idea"):
            form.add_error(None, str(RATE_LIMITED))
        else:
            try:
                idea = services.idea_create(
                    actor=request.user,
                    attachments=data.get("attachments") or (),
                    once=data.get("once", ""),
                    **form.service_data(),
                )
            except AlreadySubmitted as done:
                return _already_proposed(request, done.target and done.target.pk)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Thank you: the idea was proposed."))
                return redirect(idea.get_absolute_url())
    return idea_form_page(
        request,
        form,
        title=_("Propose an idea"),
        similar_found=found,
        similar_url=reverse("deliberation:similar"),
        action_label=_("Propose"),
        cancel_url=reverse("deliberation:ideas"),
    )


def _already_proposed(request, pk):
    messages.info(request, duplicate_message())
    idea = Idea.objects.filter(pk=pk).first() if pk else None
    return redirect(idea.get_absolute_url() if idea else reverse("deliberation:ideas"))


@require("deliberation.view_idea", obj=idea_obj)
def idea_detail(request, pk: int, obj: Idea):
    can_answer = request.user.has_perm("deliberation.manage_ideas")
    return _idea_page(request, obj, comment_form=CommentForm(can_answer=can_answer))


def _idea_page(request, obj: Idea, *, comment_form, status: int = 200):
    user = request.user
    context = selectors.idea_detail(obj, user)
    context.update(
        idea=obj,
        can_take_part=user.has_perm("deliberation.take_part_in_idea", obj),
        can_edit=user.has_perm("deliberation.edit_idea", obj),
        can_manage=user.has_perm("deliberation.manage_ideas", obj),
        can_report=user.has_perm("deliberation.report_content"),
        comment_form=comment_form,
    )
    return render(request, "deliberation/idea_detail.html", context, status=status)


@require("deliberation.edit_idea", obj=idea_obj)
@require_http_methods(["GET", "POST"])
def idea_edit(request, pk: int, obj: Idea):
    initial = {f: getattr(obj, f) for f in services.IDEA_FIELDS}
    initial["pillar"] = obj.pillar_id
    form = IdeaForm(request.POST or None, initial=initial, with_attachments=False)
    return submit(
        request,
        form,
        save=lambda _d: services.idea_update(actor=request.user, idea=obj, **form.service_data()),
        success=_("The changes were saved."),
        next_url=lambda _r: obj.get_absolute_url(),
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=obj.get_absolute_url(),
    )


@require("deliberation.manage_ideas", obj=idea_obj)
@require_http_methods(["GET", "POST"])
def idea_status(request, pk: int, obj: Idea):
    form = StatusForm(request.POST or None, idea=obj)
    return submit(
        request,
        form,
        save=lambda d: services.idea_set_status(
            actor=request.user, idea=obj, status=d["status"], reason=d["reason"]
        ),
        success=_("The status was changed; the author and the followers are told."),
        next_url=lambda _r: obj.get_absolute_url(),
        title=_("Status of %(name)s") % {"name": obj},
        intro=_("提案 → 検討中 → 採用 or 不採用 (with its reason) → 事業化."),
        cancel_url=obj.get_absolute_url(),
    )


@require("deliberation.manage_ideas", obj=idea_obj)
@require_http_methods(["GET", "POST"])
def idea_launch(request, pk: int, obj: Idea):
    """事業化: the initiative is created from the idea, and its page is shown."""
    fy = fiscal_year_of(timezone.localdate())
    initial = {
        "bureau": obj.bureau_id,
        "fiscal_year_start": fy + 1,
        "fiscal_year_end": fy + 2,
        "scope": "kaizen",
        "dx": "X",
        "rule_kind": "none",
        "organisation_kind": "none",
        "budget_kind": "none",
    }
    form = LaunchForm(request.POST or None, initial=initial)
    if obj.status != IdeaStatus.ADOPTED:
        messages.error(request, _("Only an adopted idea (採用) can become an initiative (事業化)."))
        return redirect(obj.get_absolute_url())
    return submit(
        request,
        form,
        save=lambda d: services.idea_launch(actor=request.user, idea=obj, **d),
        success=_("The initiative was created from the idea. Complete its cost and value."),
        next_url=lambda initiative: initiative.get_absolute_url(),
        title=_("事業化: %(name)s") % {"name": obj},
        intro=_(
            "An initiative is created in the portfolio with the idea's title, proposal, who "
            "benefits, their problem, the value for citizens and the strategy pillar. Say who "
            "owns it and which rule, organisation and budget it changes (or 「なし」)."
        ),
        submit_label=_("Create the initiative"),
        cancel_url=obj.get_absolute_url(),
    )


@require("deliberation.take_part_in_idea", obj=idea_obj)
@require_POST
def idea_comment(request, pk: int, obj: Idea):
    can_answer = request.user.has_perm("deliberation.manage_ideas")
    form = CommentForm(request.POST, can_answer=can_answer)
    # A refused comment comes back on the idea's page as typed, with what is wrong with it
    # (a redirect lost the text).
    if not form.is_valid():
        return _idea_page(request, obj, comment_form=form)
    if not limits.allow(request, "comment"):
        form.add_error(None, str(RATE_LIMITED))
        return _idea_page(request, obj, comment_form=form, status=429)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = obj.comments.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            form.add_error(None, _("The comment you reply to does not exist."))
            return _idea_page(request, obj, comment_form=form)
    try:
        comment = services.comment_add(
            actor=request.user,
            idea=obj,
            body=form.cleaned_data["body"],
            parent=parent,
            is_answer=bool(form.cleaned_data.get("is_answer")),
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _idea_page(request, obj, comment_form=form)
    messages.success(request, pgettext("deliberation", "The comment was posted."))
    return redirect(comment.get_absolute_url())


@require("deliberation.take_part_in_idea", obj=idea_obj)
@require_POST
def idea_support(request, pk: int, obj: Idea):
    support = request.POST.get("support") != "0"
    try:
        services.support_set(actor=request.user, idea=obj, support=support)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("You support this idea.") if support else _("Your support was withdrawn.")
        )
    return redirect(obj.get_absolute_url())


@require("deliberation.view_idea", obj=idea_obj)
@require_POST
def idea_follow(request, pk: int, obj: Idea):
    follow = request.POST.get("follow") != "0"
    services.follow_set(actor=request.user, idea=obj, follow=follow)
    messages.success(
        request,
        _("You follow this idea: you are told of its status, answers and comments.")
        if follow
        else _("You no longer follow this idea."),
    )
    return redirect(obj.get_absolute_url())


def report_page(request, *, target, back, public=False):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not limits.allow(request, "public_report" if public else "report"):
            form.add_error(None, str(RATE_LIMITED))
        else:
            try:
                services.report_file(
                    actor=request.user,
                    target=target,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    address=limits.client_address(request),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Thank you: the secretariat looks at what you reported.")
                )
                return redirect(back)
    return form_page(
        request,
        form,
        title=_("Report to the secretariat"),
        intro=_("Content that several people report is hidden until the secretariat decides."),
        submit_label=_("Report"),
        cancel_url=back,
        **(public_layout() if public else {}),
    )


def public_layout() -> dict:
    """What a citizens' page of this app is rendered with: the portal's layout and renderer
    (reading help: large text, high contrast, furigana)."""
    from kyokan.apps.portal.views import portal_render

    return {"layout": "portal/base.html", "renderer": portal_render}


@require("deliberation.report_content")
@require_http_methods(["GET", "POST"])
def idea_report(request, pk: int):
    obj = idea_obj(pk)
    if not request.user.has_perm("deliberation.view_idea", obj):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return report_page(request, target=obj, back=obj.get_absolute_url())


@require("deliberation.report_content")
@require_http_methods(["GET", "POST"])
def comment_report(request, pk: int):
    comment = comment_obj(pk)
    return report_page(request, target=comment, back=comment.idea.get_absolute_url())


@require("deliberation.manage_ideas", obj=idea_obj)
@require_POST
def idea_publish(request, pk: int, obj: Idea):
    public = request.POST.get("public") == "1"
    services.idea_publish(actor=request.user, idea=obj, public=public)
    messages.success(
        request,
        _("The idea is shown on the public portal.")
        if public
        else _("The idea is no longer shown on the public portal."),
    )
    return redirect(obj.get_absolute_url())


@require("deliberation.manage_ideas", obj=idea_obj)
@require_http_methods(["GET", "POST"])
def idea_sessions(request, pk: int, obj: Idea):
    """Link the study group's sessions (meetings) that discuss the idea."""
    form = SessionForm(request.POST or None)
    return submit(
        request,
        form,
        save=lambda d: services.session_link(
            actor=request.user, idea=obj, meeting=d["meeting"], note=d["note"]
        ),
        success=_("The meeting was linked to the idea."),
        next_url=lambda _r: obj.get_absolute_url() + "#sessions",
        title=_("Sessions discussing %(name)s") % {"name": obj},
        intro=_("The study group's (推進員検討部会) and other meetings that discuss the idea."),
        cancel_url=obj.get_absolute_url(),
    )


@require("deliberation.manage_ideas", obj=lambda **kw: session_obj(**kw).idea)
@require_POST
def session_remove(request, pk: int, obj: Idea):
    session = session_obj(pk)
    services.session_unlink(actor=request.user, session=session)
    messages.success(request, _("The meeting was unlinked."))
    return redirect(obj.get_absolute_url() + "#sessions")


@require("deliberation.view_idea", obj=attachment_idea)
def attachment_download(request, pk: int, obj: Idea):
    attachment: IdeaAttachment = attachment_obj(pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@require("deliberation.edit_idea", obj=attachment_idea)
@require_http_methods(["GET", "POST"])
def attachment_remove(request, pk: int, obj: Idea):
    attachment = attachment_obj(pk)
    return confirmed(
        request,
        lambda: services.attachment_remove(actor=request.user, attachment=attachment),
        title=_("Remove %(name)s") % {"name": attachment.name},
        message=_("The file is removed from the idea."),
        submit_label=_("Remove"),
        success=_("The file was removed."),
        back=obj.get_absolute_url(),
        danger=True,
    )


@require("deliberation.view_ideas")
def contributions(request):
    """Per bureau: the ideas its staff proposed and what became of them."""
    return render(
        request,
        "deliberation/contributions.html",
        {
            "rows": selectors.contributions(),
            "statuses": IdeaStatus.choices,
            "launched": selectors.launched_ideas(limit=20),
        },
    )


@require("deliberation.view_ideas")
def export_csv(request):
    qs = selectors.ideas(request.user, **_filters(request))
    header = [
        _("id"),
        _("title"),
        _("status"),
        pgettext("deliberation", "from"),
        _("bureau"),
        _("author"),
        _("proposed"),
        _("supports"),
        _("comments"),
        _("initiative"),
        _("the problem today"),
        _("the proposal"),
    ]
    rows = (
        [
            i.pk,
            i.title,
            i.get_status_display(),
            i.get_origin_display(),
            i.bureau.name if i.bureau else "",
            i.shown_author,
            i.created_at,
            i.support_count,
            i.comment_count,
            i.initiative.title if i.initiative else "",
            i.problem,
            i.proposal,
        ]
        for i in qs.iterator(chunk_size=500)
    )
    return exports.csv_response("ideas.csv", header, rows)


urlpatterns = [
    path("ideas/", idea_list, name="ideas"),
    path("ideas/new/", idea_create, name="idea_create"),
    path("ideas/similar/", similar, name="similar"),
    path("ideas/contributions/", contributions, name="contributions"),
    path("ideas/export.csv", export_csv, name="ideas_csv"),
    path("ideas/<int:pk>/", idea_detail, name="idea"),
    path("ideas/<int:pk>/edit/", idea_edit, name="idea_edit"),
    path("ideas/<int:pk>/status/", idea_status, name="idea_status"),
    path("ideas/<int:pk>/launch/", idea_launch, name="idea_launch"),
    path("ideas/<int:pk>/comment/", idea_comment, name="idea_comment"),
    path("ideas/<int:pk>/support/", idea_support, name="idea_support"),
    path("ideas/<int:pk>/follow/", idea_follow, name="idea_follow"),
    path("ideas/<int:pk>/report/", idea_report, name="idea_report"),
    path("ideas/<int:pk>/publish/", idea_publish, name="idea_publish"),
    path("ideas/<int:pk>/sessions/", idea_sessions, name="idea_sessions"),
    path("ideas/sessions/<int:pk>/remove/", session_remove, name="session_remove"),
    path("ideas/comments/<int:pk>/report/", comment_report, name="comment_report"),
    path("ideas/attachments/<int:pk>/", attachment_download, name="attachment"),
    path("ideas/attachments/<int:pk>/remove/", attachment_remove, name="attachment_remove"),
]
