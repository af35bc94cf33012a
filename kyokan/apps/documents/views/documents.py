"""Documents, versions and their sections: drafting, revising, comparing, commenting,
endorsing and adopting."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core.access import require
from kyokan.apps.core.japanese_dates import wareki_date
from kyokan.apps.core.once import AlreadySubmitted, duplicate_message, once_used, submit_once
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import act, apply_service_errors, confirm_page, submit

from .. import diff, selectors, services
from ..forms import (
    AdoptForm,
    BackToDraftForm,
    CommentAnswerForm,
    CommentForm,
    CompareForm,
    ConsultationForm,
    DocumentForm,
    EndorsementForm,
    NewDocumentForm,
    NewSectionForm,
    NewStepForm,
    ObjectionAnswerForm,
    SectionForm,
    StepForm,
    VersionLabelForm,
)
from ..models import Comment, Document, DocumentKind, Endorsement, RevisionStep, Section, Version
from .common import document_obj, section_obj, version_obj, version_url


def _document_url(document) -> str:
    return reverse("documents:detail", args=[document.pk])


# --- documents ------------------------------------------------------------------------------


@require("documents.view_documents")
def document_list(request):
    kind = request.GET.get("kind", "")
    if kind not in DocumentKind.values:  # an unknown kind lists every document
        kind = ""
    return render(
        request,
        "documents/document_list.html",
        {
            "page": paginate(request, selectors.documents_list(kind=kind)),
            "kind": kind,
            "kinds": Document._meta.get_field("kind").choices,
        },
    )


@require("documents.edit_documents")
@require_http_methods(["GET", "POST"])
def document_create(request):
    return submit_once(
        request,
        NewDocumentForm(request.POST or None),
        save=lambda data: services.document_create(actor=request.user, **data),
        success=_("The document was created. Add its first version or import it from Word."),
        next_url=_document_url,
        title=_("New document"),
        cancel_url=reverse("documents:list"),
    )


@require("documents.view_documents", obj=document_obj)
def document_detail(request, pk: int, obj: Document):
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": obj,
            "versions": obj.versions.select_related("based_on").order_by("-number"),
            "plan": obj.plan.all(),
            "in_progress": obj.versions.filter(
                state__in=[Version.State.DRAFT, Version.State.CONSULTATION]
            ).first(),
        },
    )


@require("documents.edit_documents", obj=document_obj)
@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int, obj: Document):
    return submit(
        request,
        DocumentForm(request.POST or None, instance=obj),
        save=lambda data: services.document_update(actor=request.user, document=obj, **data),
        success=_("The changes were saved."),
        next_url=lambda _r: _document_url(obj),
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=_document_url(obj),
    )


@require("documents.edit_documents", obj=document_obj)
@require_http_methods(["GET", "POST"])
def version_new(request, pk: int, obj: Document):
    return submit_once(
        request,
        VersionLabelForm(request.POST or None),
        save=lambda data: services.version_create(
            actor=request.user, document=obj, label=data["label"], once=data["once"]
        ),
        success=_("The draft was created; add its sections."),
        next_url=version_url,
        title=_("New version of %(name)s") % {"name": obj},
        intro=_("To start from an existing Word file, use “Import from Word” instead."),
        cancel_url=_document_url(obj),
    )


# --- versions --------------------------------------------------------------------------------


@require("documents.view_documents", obj=version_obj)
def version_detail(request, pk: int, obj: Version):
    positions = selectors.positions_of(obj, request.user)
    mine = next((e for e in positions if e.section_id is None), None)
    return render(
        request,
        "documents/version_detail.html",
        {
            "version": obj,
            "document": obj.document,
            "sections": selectors.numbered_sections(obj),
            "changes": selectors.change_counts(obj) if obj.based_on_id else None,
            "sharing": selectors.sharing_stats(obj),
            "my_endorsement": mine,
            "my_positions": positions,
            "others": obj.document.versions.exclude(pk=obj.pk).order_by("-number"),
        },
    )


@require("documents.edit_documents", obj=version_obj)
@require_http_methods(["GET", "POST"])
def version_revise(request, pk: int, obj: Version):
    return submit_once(
        request,
        VersionLabelForm(request.POST or None),
        save=lambda data: services.version_revise(
            actor=request.user, version=obj, label=data["label"], once=data["once"]
        ),
        success=_("The revision was started as a copy; edited sections are marked 改定."),
        next_url=version_url,
        title=_("Revise %(name)s") % {"name": obj},
        intro=_("The adopted text stays as it is; the revision starts as a copy of it."),
        cancel_url=version_url(obj),
    )


@require("documents.edit_documents", obj=version_obj)
@require_http_methods(["GET", "POST"])
def version_consultation(request, pk: int, obj: Version):
    return submit(
        request,
        ConsultationForm(request.POST or None),
        save=lambda data: services.version_open_consultation(
            actor=request.user, version=obj, deadline=data["deadline"]
        ),
        success=_("The version is open for comments (協議中)."),
        next_url=lambda _r: version_url(obj),
        title=_("Open %(name)s for comments") % {"name": obj},
        intro=_("Members can comment on each section and endorse or object until the deadline."),
        cancel_url=version_url(obj),
    )


@require("documents.edit_documents", obj=version_obj)
@require_http_methods(["GET", "POST"])
def version_to_draft(request, pk: int, obj: Version):
    """Going back to draft ends the consultation before its deadline: the page says how many
    comments and objections still wait for an answer, and asks to confirm."""
    if obj.state != Version.State.CONSULTATION:
        messages.error(request, _("Only a version open for comments can go back to draft."))
        return redirect(version_url(obj))
    summary = selectors.consultation_summary(obj)
    waiting = selectors.waiting_phrase(summary["open_comments"], summary["open_objections"])
    intro = _(
        "The consultation runs until %(deadline)s; going back to draft ends it now. Members "
        "cannot comment or endorse until it is opened again."
    ) % {"deadline": wareki_date(summary["deadline"]) if summary["deadline"] else "—"}
    intro += " " + (
        _("Still without an answer: %(waiting)s.") % {"waiting": waiting}
        if waiting
        else _("Every comment and objection has an answer.")
    )
    return submit(
        request,
        BackToDraftForm(request.POST or None),
        save=lambda _data: services.version_back_to_draft(actor=request.user, version=obj),
        success=_("The version is a draft again and can be edited."),
        next_url=lambda _r: version_url(obj),
        title=_("End the consultation of %(name)s") % {"name": obj},
        intro=intro,
        submit_label=_("Back to draft"),
        cancel_url=version_url(obj),
    )


@require("documents.edit_documents", obj=version_obj)
@require_http_methods(["GET", "POST"])
def version_adopt(request, pk: int, obj: Version):
    """Record the adoption (決定) as it happened: only held, deciding meetings that had this
    version on their agenda are offered; without one, the page says so."""
    if obj.state not in (Version.State.DRAFT, Version.State.CONSULTATION):
        messages.error(request, _("This version is already %(state)s.") % {
            "state": obj.get_state_display()
        })  # fmt: skip
        return redirect(version_url(obj))
    candidates = selectors.adoption_candidates(obj)
    waiting = selectors.waiting_phrase(obj.comments_open_count(), obj.objections_open_count())
    if not candidates:
        return render(
            request,
            "documents/version_adopt.html",
            {"version": obj, "document": obj.document, "form": None, "waiting": waiting},
        )
    initial = {"meeting": candidates[0].key, "adopted_on": candidates[0].date,
               "title": selectors.adopted_title(obj.label)}  # fmt: skip
    form = AdoptForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.version_adopt(
                actor=request.user,
                version=obj,
                adopted_on=data["adopted_on"],
                meeting=data["meeting"],
                title=data["title"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The version is adopted (決定); the previous one is marked 改定済.")
            )
            return redirect(version_url(obj))
    return render(
        request,
        "documents/version_adopt.html",
        {"version": obj, "document": obj.document, "form": form, "waiting": waiting},
    )


@require("documents.edit_documents", obj=version_obj)
@require_http_methods(["GET", "POST"])
def version_abolish(request, pk: int, obj: Version):
    back = version_url(obj)
    if request.method == "POST":
        return act(
            request,
            lambda: services.version_abolish(actor=request.user, version=obj),
            success=_("The version is abolished (廃止); it stays public, marked 廃止."),
            next_url=back,
            error_url=back,
        )
    return confirm_page(
        request,
        title=_("Abolish %(name)s") % {"name": obj},
        message=_(
            "The document is no longer in force: the version is marked 廃止 on every page, the "
            "public page included, and can no longer be revised. This cannot be undone."
        ),
        submit_label=_("Abolish"),
        danger=True,
        cancel_url=back,
    )


@require("documents.edit_documents", obj=version_obj)
@require_http_methods(["GET", "POST"])
def version_delete(request, pk: int, obj: Version):
    document_url = _document_url(obj.document)
    if request.method == "POST":
        return act(
            request,
            lambda: services.version_delete(actor=request.user, version=obj),
            success=_("The draft was deleted."),
            next_url=document_url,
            error_url=version_url(obj),
        )
    return confirm_page(
        request,
        title=_("Delete the draft %(name)s") % {"name": obj},
        message=_("Its sections are deleted with it. This cannot be undone."),
        submit_label=_("Delete"),
        danger=True,
        cancel_url=version_url(obj),
    )


@require("documents.view_documents", obj=version_obj)
def version_compare(request, pk: int, obj: Version):
    others = list(obj.document.versions.exclude(pk=obj.pk).order_by("-number"))
    default = obj.based_on_id or (others[0].pk if others else None)
    form = CompareForm(
        request.GET or {"against": default, "mode": "side"},
        versions=others,
    )
    result, against = None, None
    if others and form.is_valid():
        against = next(v for v in others if str(v.pk) == form.cleaned_data["against"])
        old, new = (against, obj) if against.number < obj.number else (obj, against)
        result = selectors.compare_versions(old, new)
        result["old"], result["new"] = old, new
    return render(
        request,
        "documents/compare.html",
        {
            "version": obj,
            "form": form,
            "result": result,
            "mode": form.cleaned_data.get("mode") or "side" if form.is_valid() else "side",
        },
    )


# --- sections ------------------------------------------------------------------------------


@require("documents.edit_documents", obj=version_obj)
@require_http_methods(["GET", "POST"])
def section_new(request, pk: int, obj: Version):
    form = NewSectionForm(
        request.POST or None, version=obj, initial={"parent": request.GET.get("parent")}
    )
    return submit_once(
        request,
        form,
        save=lambda data: services.section_create(actor=request.user, version=obj, **data),
        success=_("The section was added."),
        next_url=lambda s: version_url(obj, f"section-{s.pk}"),
        title=_("Add a section to %(name)s") % {"name": obj},
        cancel_url=version_url(obj),
    )


@require("documents.edit_documents", obj=section_obj)
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, obj: Section):
    """Edit a section. If someone else saved it meanwhile, nothing is lost: the page shows
    their text, the difference, and the user's own text still in the form."""
    form = SectionForm(request.POST or None, instance=obj, initial={"revision": obj.revision})
    conflict = None
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data
        try:
            services.section_update(
                actor=request.user,
                section=obj,
                expected_revision=typed["revision"] or 0,
                heading=typed["heading"],
                body=typed["body"],
                kind=typed["kind"],
            )
        except services.EditConflict as exc:
            current = exc.section
            conflict = {
                "current": current,
                "spans": diff.char_diff(current.body, typed["body"]),
            }
            data = request.POST.copy()
            data["revision"] = current.revision  # saving again keeps the user's text
            form = SectionForm(data, instance=obj)
            form.is_valid()
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The section was saved."))
            return redirect(version_url(obj.version, f"section-{obj.pk}"))
    return render(
        request,
        "documents/section_form.html",
        {"form": form, "section": obj, "version": obj.version, "conflict": conflict},
        status=409 if conflict else 200,
    )


@require("documents.edit_documents", obj=section_obj)
@require_http_methods(["GET", "POST"])
def section_remove(request, pk: int, obj: Section):
    back = version_url(obj.version, f"section-{obj.pk}")
    if request.method == "POST":
        return act(
            request,
            lambda: services.section_remove(actor=request.user, section=obj),
            success=_("The section was removed."),
            next_url=version_url(obj.version),
            error_url=back,
        )
    revision = obj.version.based_on_id is not None
    return confirm_page(
        request,
        title=_("Remove “%(name)s”") % {"name": obj},
        message=_(
            "In a revision, a section of the previous version stays visible marked 削除 and "
            "can be restored; its subsections are removed with it."
        )
        if revision
        else _("The section and its subsections are deleted."),
        submit_label=_("Remove"),
        danger=True,
        cancel_url=back,
    )


@require("documents.edit_documents", obj=section_obj)
@require_POST
def section_restore(request, pk: int, obj: Section):
    return act(
        request,
        lambda: services.section_restore(actor=request.user, section=obj),
        success=_("The section was restored."),
        next_url=version_url(obj.version, f"section-{obj.pk}"),
        error_url=version_url(obj.version),
    )


@require("documents.edit_documents", obj=section_obj)
@require_POST
def section_move(request, pk: int, direction: str, obj: Section):
    return act(
        request,
        lambda: services.section_move(
            actor=request.user, section=obj, direction=-1 if direction == "up" else 1
        ),
        success=_("The section was moved."),
        next_url=version_url(obj.version, f"section-{obj.pk}"),
        error_url=version_url(obj.version),
    )


# --- comments and endorsements ------------------------------------------------------------


@require("documents.view_documents", obj=section_obj)
@require_http_methods(["GET", "POST"])
def section_comments(request, pk: int, obj: Section):
    if once_used(request):
        messages.info(request, duplicate_message())
        return redirect(request.path)
    form = CommentForm(request.POST or None)
    can_comment = request.user.has_perm("documents.comment")
    if request.method == "POST" and can_comment and form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], section=obj)
        try:
            services.comment_add(
                actor=request.user,
                section=obj,
                body=form.cleaned_data["body"],
                parent=parent,
                once=form.cleaned_data["once"],
            )
        except AlreadySubmitted:
            messages.info(request, duplicate_message())
            return redirect(request.path)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your comment was posted."))
            return redirect(request.path)
    elif request.method == "POST" and not can_comment:
        messages.error(request, _("Your role cannot comment."))
        return redirect(request.path)
    return render(
        request,
        "documents/section_comments.html",
        {
            "section": obj,
            "version": obj.version,
            "comments": selectors.comments_of(obj),
            "form": form,
            "can_comment": can_comment and obj.version.state == Version.State.CONSULTATION,
        },
    )


def _comment(pk: int, **_kwargs) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("section__version__document", "author"), pk=pk
    )


@require("documents.answer_comments", obj=_comment)
@require_http_methods(["GET", "POST"])
def comment_answer(request, pk: int, obj: Comment):
    back = reverse("documents:section_comments", args=[obj.section_id])
    return submit(
        request,
        CommentAnswerForm(request.POST or None, instance=obj),
        save=lambda data: services.comment_answer(
            actor=request.user,
            comment=obj,
            resolution=data["resolution"],
            note=data["resolution_note"],
        ),
        success=_("The response was recorded."),
        next_url=lambda _r: back,
        title=_("Respond to %(name)s's comment") % {"name": obj.author},
        intro=obj.body,
        cancel_url=back,
    )


def _sections_to_endorse(version: Version):
    return selectors.numbered_sections(version, include_removed=False)


@require("documents.endorse", obj=version_obj)
@require_http_methods(["GET", "POST"])
def version_endorse(request, pk: int, obj: Version):
    """賛同 or 異議 on the version or on one of its sections (``?section=`` preselects it)."""
    sections = _sections_to_endorse(obj)
    wanted = request.POST.get("section") if request.method == "POST" else request.GET.get("section")
    section = next((n.section for n in sections if str(n.section.pk) == str(wanted or "")), None)
    mine = obj.endorsements.filter(person=request.user, section=section).first()
    initial = {"section": str(section.pk) if section else ""}
    if mine:
        initial.update(stance=mine.stance, note=mine.note)
    form = EndorsementForm(request.POST or None, sections=sections, initial=initial)
    return submit(
        request,
        form,
        save=lambda data: services.endorsement_set(
            actor=request.user,
            version=obj,
            section=data["section"],
            stance=data["stance"],
            note=data["note"],
        ),
        success=_("Your position was recorded."),
        next_url=lambda _e: version_url(obj, "sharing"),
        title=_("Endorse or object: %(name)s") % {"name": obj},
        intro=_(
            "賛同: you share this text. 異議: say what you cannot agree with; the secretariat "
            "answers every objection before the version is adopted. You may take a position on "
            "the whole version and on single sections."
        ),
        cancel_url=version_url(obj),
    )


def _objection(pk: int, **_kwargs) -> Endorsement:
    return get_object_or_404(
        Endorsement.objects.select_related("version__document", "person", "section"),
        pk=pk,
        stance=Endorsement.Stance.OBJECT,
    )


@require("documents.answer_comments", obj=_objection)
@require_http_methods(["GET", "POST"])
def objection_answer(request, pk: int, obj: Endorsement):
    back = version_url(obj.version, "sharing")
    initial = {}
    if obj.resolution != Comment.Resolution.OPEN:
        initial = {"resolution": obj.resolution, "resolution_note": obj.resolution_note}
    where = obj.section.heading if obj.section_id else _("the whole version")
    return submit(
        request,
        ObjectionAnswerForm(request.POST or None, initial=initial),
        save=lambda data: services.objection_answer(
            actor=request.user,
            objection=obj,
            resolution=data["resolution"],
            note=data["resolution_note"],
        ),
        success=_("The response was recorded."),
        next_url=lambda _r: back,
        title=_("Respond to %(name)s's objection (%(where)s)")
        % {"name": obj.person, "where": where},
        intro=obj.note,
        cancel_url=back,
    )


# --- revision plan --------------------------------------------------------------------------


def _step(pk: int, **_kwargs) -> RevisionStep:
    return get_object_or_404(RevisionStep.objects.select_related("document"), pk=pk)


@require("documents.edit_documents", obj=document_obj)
@require_http_methods(["GET", "POST"])
def step_create(request, pk: int, obj: Document):
    return submit_once(
        request,
        NewStepForm(request.POST or None),
        save=lambda data: services.step_create(actor=request.user, document=obj, **data),
        success=_("The step was added to the revision plan."),
        next_url=lambda _s: _document_url(obj) + "#plan",
        title=_("Add a step to the revision plan of %(name)s") % {"name": obj},
        cancel_url=_document_url(obj),
    )


@require("documents.edit_documents", obj=_step)
@require_http_methods(["GET", "POST"])
def step_edit(request, pk: int, obj: RevisionStep):
    return submit(
        request,
        StepForm(request.POST or None, instance=obj),
        save=lambda data: services.step_update(actor=request.user, step=obj, **data),
        success=_("The changes were saved."),
        next_url=lambda _s: _document_url(obj.document) + "#plan",
        title=_("Edit the step %(name)s") % {"name": obj},
        cancel_url=_document_url(obj.document),
    )


@require("documents.edit_documents", obj=_step)
@require_http_methods(["GET", "POST"])
def step_delete(request, pk: int, obj: RevisionStep):
    back = _document_url(obj.document) + "#plan"
    if request.method == "POST":
        return act(
            request,
            lambda: services.step_delete(actor=request.user, step=obj),
            success=_("The step was removed."),
            next_url=back,
            error_url=back,
        )
    return confirm_page(
        request,
        title=_("Remove the step %(name)s") % {"name": obj},
        message=_("The step is removed from the revision plan."),
        submit_label=_("Remove"),
        danger=True,
        cancel_url=back,
    )


urlpatterns = [
    path("documents/", document_list, name="list"),
    path("documents/new/", document_create, name="create"),
    path("documents/<int:pk>/", document_detail, name="detail"),
    path("documents/<int:pk>/edit/", document_edit, name="edit"),
    path("documents/<int:pk>/versions/new/", version_new, name="version_new"),
    path("documents/<int:pk>/plan/new/", step_create, name="step_create"),
    path("plan-steps/<int:pk>/edit/", step_edit, name="step_edit"),
    path("plan-steps/<int:pk>/delete/", step_delete, name="step_delete"),
    path("versions/<int:pk>/", version_detail, name="version"),
    path("versions/<int:pk>/revise/", version_revise, name="version_revise"),
    path("versions/<int:pk>/consultation/", version_consultation, name="version_consultation"),
    path("versions/<int:pk>/to-draft/", version_to_draft, name="version_to_draft"),
    path("versions/<int:pk>/adopt/", version_adopt, name="version_adopt"),
    path("versions/<int:pk>/delete/", version_delete, name="version_delete"),
    path("versions/<int:pk>/abolish/", version_abolish, name="version_abolish"),
    path("versions/<int:pk>/compare/", version_compare, name="compare"),
    path("versions/<int:pk>/endorse/", version_endorse, name="endorse"),
    path("versions/<int:pk>/sections/new/", section_new, name="section_new"),
    path("sections/<int:pk>/edit/", section_edit, name="section_edit"),
    path("sections/<int:pk>/remove/", section_remove, name="section_remove"),
    path("sections/<int:pk>/restore/", section_restore, name="section_restore"),
    path("sections/<int:pk>/move/<str:direction>/", section_move, name="section_move"),
    path("sections/<int:pk>/comments/", section_comments, name="section_comments"),
    path("comments/<int:pk>/answer/", comment_answer, name="comment_answer"),
    path("objections/<int:pk>/answer/", objection_answer, name="objection_answer"),
]
