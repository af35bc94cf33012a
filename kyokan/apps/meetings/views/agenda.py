"""Agenda (議題), papers (資料N), the packet, minutes, decisions and new action items."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core import office
from kyokan.apps.core.access import public, require
from kyokan.apps.core.exports import clean_text
from kyokan.apps.core.links import link_type, link_types
from kyokan.apps.core.once import submit_once
from kyokan.apps.core.viewkit import act, confirm_page, confirmed, safe_next, submit

from .. import packet, selectors, services
from ..forms import (
    ActionItemForm,
    AgendaItemForm,
    DecisionForm,
    MinutesForm,
    NewAgendaItemForm,
    PaperGenerateForm,
    PaperUploadForm,
)
from ..models import AgendaItem, AgendaLink, Decision, Meeting, Paper
from ..papers import generator_get
from .common import meeting_obj, meeting_url, paper_meeting


def _item(pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("meeting__series"), pk=pk)


# --- agenda items -------------------------------------------------------------------------


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def item_create(request, pk: int, obj: Meeting):
    return submit_once(
        request,
        NewAgendaItemForm(request.POST or None),
        save=lambda data: services.agenda_item_create(actor=request.user, meeting=obj, **data),
        success=_("The agenda item was added."),
        next_url=lambda _i: meeting_url(obj, "agenda"),
        title=_("Add an agenda item to %(name)s") % {"name": obj},
        cancel_url=meeting_url(obj, "agenda"),
    )


@require("meetings.manage_meetings")
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int):
    item = _item(pk)
    return submit(
        request,
        AgendaItemForm(request.POST or None, instance=item),
        save=lambda data: services.agenda_item_update(actor=request.user, item=item, **data),
        success=_("The changes were saved."),
        next_url=lambda _r: meeting_url(item.meeting, "agenda"),
        title=_("Edit the agenda item"),
        cancel_url=meeting_url(item.meeting, "agenda"),
    )


@require("meetings.manage_meetings")
@require_POST
def item_move(request, pk: int, direction: str):
    item = _item(pk)
    services.agenda_item_move(
        actor=request.user, item=item, direction=-1 if direction == "up" else 1
    )
    return redirect(meeting_url(item.meeting, "agenda"))


@require("meetings.manage_meetings")
@require_http_methods(["GET", "POST"])
def item_delete(request, pk: int):
    item = _item(pk)
    back = meeting_url(item.meeting, "agenda")
    if request.method == "POST":
        return act(
            request,
            lambda: services.agenda_item_delete(actor=request.user, item=item),
            success=_("The agenda item was deleted."),
            next_url=back,
            error_url=back,
        )
    return confirm_page(
        request,
        title=_("Delete the agenda item “%(name)s”") % {"name": item},
        message=_("Its minutes are deleted with it; papers stay, without the link to it."),
        submit_label=_("Delete"),
        danger=True,
        cancel_url=back,
    )


@require("meetings.manage_meetings")
@require_http_methods(["GET", "POST"])
def item_minutes(request, pk: int):
    item = _item(pk)
    return submit(
        request,
        MinutesForm(request.POST or None, initial={"minutes_text": item.minutes_text}),
        save=lambda data: services.minutes_save(
            actor=request.user, item=item, text=data["minutes_text"]
        ),
        success=_("The minutes were saved."),
        next_url=lambda _r: meeting_url(item.meeting, f"item-{item.pk}"),
        title=_("Minutes: %(name)s") % {"name": item},
        cancel_url=meeting_url(item.meeting, f"item-{item.pk}"),
    )


@require("meetings.manage_meetings")
@require_http_methods(["GET", "POST"])
def item_links(request, pk: int):
    """Link objects of other modules to an agenda item: search by type, then add."""
    item = _item(pk)
    chosen = link_type(request.GET.get("type", "")) if request.GET.get("type") else None
    # Typed text reaches the other modules' searches: no NUL (PostgreSQL refuses it) or
    # other control character.
    query = clean_text(request.GET.get("q", "")).strip()
    if request.method == "POST":
        kind = link_type(request.POST.get("type", ""))
        target_id = request.POST.get("target_id", "")
        # The object must be one the search offers this user: ids are never trusted as typed.
        typed = clean_text(request.POST.get("q", "")).strip()
        matches = dict(kind.search(typed, request.user)) if kind else {}
        if target_id not in matches:
            messages.error(request, _("Choose an object from the search results."))
        else:
            try:
                services.agenda_link_add(
                    actor=request.user,
                    item=item,
                    target_type=kind.key,
                    target_id=target_id,
                    label=matches[target_id],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The link was added."))
        # Back to the search; an address too long to redirect to keeps only the path.
        return redirect(safe_next(request, request.get_full_path(), request.path))
    results = chosen.search(query, request.user) if chosen else []
    return render(
        request,
        "meetings/item_links.html",
        {
            "item": item,
            "types": link_types(),
            "chosen": chosen,
            "query": query,
            "results": results,
            "links": item.links.all(),
        },
    )


@require("meetings.manage_meetings")
@require_POST
def link_remove(request, pk: int):
    link = get_object_or_404(AgendaLink.objects.select_related("item"), pk=pk)
    services.agenda_link_remove(actor=request.user, link=link)
    messages.success(request, _("The link was removed."))
    return redirect("meetings:item_links", pk=link.item_id)


# --- papers ---------------------------------------------------------------------------------


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def paper_upload(request, pk: int, obj: Meeting):
    return submit_once(
        request,
        PaperUploadForm(request.POST or None, request.FILES or None, meeting=obj),
        save=lambda data: services.paper_upload(actor=request.user, meeting=obj, **data),
        success=_("The paper was added."),
        next_url=lambda _p: meeting_url(obj, "papers"),
        title=_("Upload a paper for %(name)s") % {"name": obj},
        intro=_("Papers are numbered 資料1, 資料2 … in the order they are added."),
        cancel_url=meeting_url(obj, "papers"),
    )


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def paper_generate(request, pk: int, obj: Meeting):
    return submit_once(
        request,
        PaperGenerateForm(request.POST or None, meeting=obj),
        save=lambda data: services.paper_add_generated(actor=request.user, meeting=obj, **data),
        success=_("The paper was added; it is generated from current data for the packet."),
        next_url=lambda _p: meeting_url(obj, "papers"),
        title=_("Add a paper generated from Kyokan data"),
        cancel_url=meeting_url(obj, "papers"),
    )


@require("meetings.view_meeting", obj=paper_meeting)
def paper_view(request, pk: int, obj: Meeting):
    """A generated paper as a table in the page; an uploaded one is downloaded."""
    paper = get_object_or_404(Paper, pk=pk)
    if paper.file:
        return FileResponse(
            paper.file.open("rb"), as_attachment=True, filename=paper.original_name or None
        )
    spec = generator_get(paper.generator)
    if spec is None:
        raise Http404
    return render(
        request,
        "meetings/paper.html",
        {"meeting": obj, "paper": paper, "table": spec.build(obj)},
    )


@require("meetings.manage_meetings")
@require_http_methods(["GET", "POST"])
def paper_delete(request, pk: int):
    paper = get_object_or_404(Paper.objects.select_related("meeting__series"), pk=pk)
    back = meeting_url(paper.meeting, "papers")
    if request.method == "POST":
        return act(
            request,
            lambda: services.paper_delete(actor=request.user, paper=paper),
            success=_("The paper was deleted; the later papers were renumbered."),
            next_url=back,
            error_url=back,
        )
    return confirm_page(
        request,
        title=_("Delete %(name)s") % {"name": paper},
        message=_("The papers after it move up one number."),
        submit_label=_("Delete"),
        danger=True,
        cancel_url=back,
    )


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = office.content_disposition(filename)
    return response


@require("meetings.view_meeting", obj=meeting_obj)
def packet_docx(request, pk: int, obj: Meeting):
    return _download(
        packet.build_packet_docx(obj),
        packet.packet_filename(obj, "docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@require("meetings.view_meeting", obj=meeting_obj)
def packet_pdf(request, pk: int, obj: Meeting):
    try:
        content = packet.build_packet_pdf(obj)
    except packet.PacketUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(meeting_url(obj, "papers"))
    return _download(content, packet.packet_filename(obj, "pdf"), "application/pdf")


@require("meetings.view_meeting", obj=meeting_obj)
def minutes_docx(request, pk: int, obj: Meeting):
    return _download(
        packet.build_minutes_docx(obj),
        packet.minutes_filename(obj, "docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@require("meetings.view_meeting", obj=meeting_obj)
def minutes_pdf(request, pk: int, obj: Meeting):
    try:
        content = packet.build_minutes_pdf(obj)
    except packet.PacketUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(meeting_url(obj, "agenda"))
    return _download(content, packet.minutes_filename(obj, "pdf"), "application/pdf")


@require("meetings.view_meeting", obj=meeting_obj)
def papers_zip(request, pk: int, obj: Meeting):
    """Every paper of the meeting in one ZIP, streamed (uploads as they are, generated
    papers as Word files), refused past packet.ZIP_MAX_BYTES."""
    entries = packet.papers_zip_entries(obj)
    if not entries:
        messages.error(request, _("This meeting has no paper yet."))
        return redirect(meeting_url(obj, "papers"))
    if packet.papers_zip_size(entries) > packet.ZIP_MAX_BYTES:
        messages.error(
            request,
            _("The papers are larger than %(limit)s MB together: download them one by one.")
            % {"limit": packet.ZIP_MAX_BYTES // 1024 // 1024},
        )
        return redirect(meeting_url(obj, "papers"))
    response = StreamingHttpResponse(
        packet.stream_papers_zip(obj, entries), content_type="application/zip"
    )
    response["Content-Disposition"] = office.content_disposition(packet.papers_zip_name(obj))
    return response


# --- publishing to the invitees ------------------------------------------------------------------


def _told(result) -> str:
    told = result.notified + result.guests_emailed
    text = ngettext("%(n)d invitee was told.", "%(n)d invitees were told.", told) % {"n": told}
    if result.without_email:
        text += " " + _("No e-mail address, so told in Kyokan only: %(names)s") % {
            "names": "、".join(result.without_email)
        }
    return text


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def papers_publish(request, pk: int, obj: Meeting):
    outcome = {}

    def publish():
        outcome["result"] = services.papers_publish(actor=request.user, meeting=obj)

    message = _(
        "Every invitee is told that the papers are ready, with the link (guests by "
        "e-mail with their personal link, where they can download the packet)."
    )
    if obj.papers_published_at:
        message += " " + _(
            "The papers were published before: invitees are told again only if they changed since."
        )
    response = confirmed(
        request,
        publish,
        title=_("Publish the papers of %(name)s") % {"name": obj},
        message=message,
        submit_label=_("Publish the papers"),
        success=_("The papers are published."),
        back=meeting_url(obj, "papers"),
    )
    if "result" in outcome:
        messages.info(request, _told(outcome["result"]))
    return response


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def minutes_publish(request, pk: int, obj: Meeting):
    outcome = {}

    def publish():
        outcome["result"] = services.minutes_publish(actor=request.user, meeting=obj)

    response = confirmed(
        request,
        publish,
        title=_("Publish the minutes of %(name)s") % {"name": obj},
        message=_("Every invitee is told that the minutes are published, with the link."),
        submit_label=_("Publish the minutes"),
        success=_("The minutes are published."),
        back=meeting_url(obj, "agenda"),
    )
    if "result" in outcome:
        messages.info(request, _told(outcome["result"]))
    return response


GUEST_FILES = {
    ("packet", "docx"): (packet.build_packet_docx, packet.packet_filename),
    ("packet", "pdf"): (packet.build_packet_pdf, packet.packet_filename),
    ("minutes", "docx"): (packet.build_minutes_docx, packet.minutes_filename),
    ("minutes", "pdf"): (packet.build_minutes_pdf, packet.minutes_filename),
}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@public
def guest_download(request, token: str, what: str, fmt: str):
    """The packet or the minutes through a guest's personal link, once published (the token
    is the credential)."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None or (what, fmt) not in GUEST_FILES:
        raise Http404
    meeting = invitation.meeting
    published = meeting.papers_published_at if what == "packet" else meeting.minutes_published_at
    if published is None:
        raise Http404
    build, filename = GUEST_FILES[(what, fmt)]
    try:
        content = build(meeting)
    except packet.PacketUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("meetings:poll_link", token=token)
    return _download(content, filename(meeting, fmt), CONTENT_TYPES[fmt])


# --- decisions and action items -----------------------------------------------------------------


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def decision_add(request, pk: int, obj: Meeting):
    return submit_once(
        request,
        DecisionForm(
            request.POST or None, meeting=obj, initial={"agenda_item": request.GET.get("item")}
        ),
        save=lambda data: services.decision_add(actor=request.user, meeting=obj, **data),
        success=_("The decision was recorded."),
        next_url=lambda _d: meeting_url(obj, "decisions"),
        title=_("Record a decision of %(name)s") % {"name": obj},
        cancel_url=meeting_url(obj, "decisions"),
    )


@require("meetings.manage_meetings")
@require_http_methods(["GET", "POST"])
def decision_delete(request, pk: int):
    decision = get_object_or_404(Decision.objects.select_related("meeting__series"), pk=pk)
    back = meeting_url(decision.meeting, "decisions")
    if request.method == "POST":
        return act(
            request,
            lambda: services.decision_delete(actor=request.user, decision=decision),
            success=_("The decision was deleted."),
            next_url=back,
            error_url=back,
        )
    return confirm_page(
        request,
        title=_("Delete the decision"),
        message=decision.text,
        submit_label=_("Delete"),
        danger=True,
        cancel_url=back,
    )


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def action_create(request, pk: int, obj: Meeting):
    return submit_once(
        request,
        ActionItemForm(
            request.POST or None, meeting=obj, initial={"agenda_item": request.GET.get("item")}
        ),
        save=lambda data: services.action_item_create(actor=request.user, meeting=obj, **data),
        success=_("The action item was recorded."),
        next_url=lambda _a: meeting_url(obj, "actions"),
        title=_("Record an action item of %(name)s") % {"name": obj},
        intro=_("Open action items are carried to the next meeting of the series automatically."),
        cancel_url=meeting_url(obj, "actions"),
    )


urlpatterns = [
    path("meetings/<int:pk>/agenda/new/", item_create, name="item_create"),
    path("agenda/<int:pk>/edit/", item_edit, name="item_edit"),
    path("agenda/<int:pk>/move/<str:direction>/", item_move, name="item_move"),
    path("agenda/<int:pk>/delete/", item_delete, name="item_delete"),
    path("agenda/<int:pk>/minutes/", item_minutes, name="item_minutes"),
    path("agenda/<int:pk>/links/", item_links, name="item_links"),
    path("agenda-links/<int:pk>/remove/", link_remove, name="link_remove"),
    path("meetings/<int:pk>/papers/upload/", paper_upload, name="paper_upload"),
    path("meetings/<int:pk>/papers/generate/", paper_generate, name="paper_generate"),
    path("papers/<int:pk>/", paper_view, name="paper"),
    path("papers/<int:pk>/delete/", paper_delete, name="paper_delete"),
    path("meetings/<int:pk>/packet.docx", packet_docx, name="packet_docx"),
    path("meetings/<int:pk>/packet.pdf", packet_pdf, name="packet_pdf"),
    path("meetings/<int:pk>/minutes.docx", minutes_docx, name="minutes_docx"),
    path("meetings/<int:pk>/minutes.pdf", minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/papers.zip", papers_zip, name="papers_zip"),
    path("meetings/<int:pk>/papers/publish/", papers_publish, name="papers_publish"),
    path("meetings/<int:pk>/minutes/publish/", minutes_publish, name="minutes_publish"),
    path("p/<str:token>/<str:what>.<str:fmt>", guest_download, name="guest_download"),
    path("meetings/<int:pk>/decisions/new/", decision_add, name="decision_add"),
    path("decisions/<int:pk>/delete/", decision_delete, name="decision_delete"),
    path("meetings/<int:pk>/actions/new/", action_create, name="action_create"),
]
