"""Meetings, their invitations and attendance, and action items."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core.access import require
from kyokan.apps.core.once import submit_once
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import act, confirm_page, safe_next, submit

from .. import selectors, services
from ..forms import (
    ActionCompleteForm,
    ActionItemEditForm,
    AttendanceForm,
    GuestForm,
    InviteForm,
    MeetingEditForm,
    MeetingFilterForm,
    NewMeetingForm,
    SeriesForm,
)
from ..models import ActionItem, Invitation, Meeting
from .common import action_obj, id_or_404, meeting_obj, meeting_url


@require("meetings.view_meetings")
def meeting_list(request):
    form = MeetingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.meetings_for(
        request.user,
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        q=filters.get("q", ""),
    )
    return render(
        request,
        "meetings/partials/meeting_results.html" if request.htmx else "meetings/meeting_list.html",
        {"form": form, "page": paginate(request, qs), "results_id": "meeting-results"},
    )


@require("meetings.manage_meetings")
@require_http_methods(["GET", "POST"])
def series_create(request):
    return submit_once(
        request,
        SeriesForm(request.POST or None),
        save=lambda data: services.series_create(actor=request.user, **data),
        success=_("The meeting series was created."),
        next_url=lambda _s: reverse("meetings:create"),
        title=_("New meeting series"),
        cancel_url=reverse("meetings:list"),
    )


@require("meetings.manage_meetings")
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    form = NewMeetingForm(request.POST or None, initial={"series": request.GET.get("series")})
    return submit_once(
        request,
        form,
        save=lambda data: services.meeting_create(actor=request.user, **data),
        success=_("The meeting was created."),
        next_url=meeting_url,
        title=_("New meeting"),
        intro=_("Leave the date empty to fix it with a date poll."),
        cancel_url=reverse("meetings:list"),
    )


@require("meetings.view_meeting", obj=meeting_obj)
def meeting_detail(request, pk: int, obj: Meeting):
    context = selectors.meeting_detail(obj)
    invitation = next((i for i in context["invitations"] if i.person_id == request.user.pk), None)
    return render(
        request,
        "meetings/meeting_detail.html",
        {"meeting": obj, "my_invitation": invitation, **context},
    )


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int, obj: Meeting):
    return submit(
        request,
        MeetingEditForm(request.POST or None, instance=obj),
        save=lambda data: services.meeting_update(actor=request.user, meeting=obj, **data),
        success=_("The changes were saved."),
        next_url=lambda _r: meeting_url(obj),
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=meeting_url(obj),
    )


STATUS_ACTIONS = {
    "held": (Meeting.Status.HELD, gettext_lazy("Mark as held"), False),
    "cancelled": (Meeting.Status.CANCELLED, gettext_lazy("Cancel the meeting"), True),
    "scheduled": (Meeting.Status.SCHEDULED, gettext_lazy("Back to scheduled"), False),
}


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def meeting_status(request, pk: int, status: str, obj: Meeting):
    if status not in STATUS_ACTIONS:
        return redirect(meeting_url(obj))
    value, label, danger = STATUS_ACTIONS[status]
    if request.method == "POST":
        return act(
            request,
            lambda: services.meeting_set_status(actor=request.user, meeting=obj, status=value),
            success=_("The status was changed."),
            next_url=meeting_url(obj),
            error_url=meeting_url(obj),
        )
    return confirm_page(
        request,
        title=f"{label}: {obj}",
        message=_("The meeting's status becomes “%(status)s”.") % {"status": value.label},
        submit_label=label,
        danger=danger,
        cancel_url=meeting_url(obj),
    )


# --- invitations and attendance ---------------------------------------------------------


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def invite(request, pk: int, obj: Meeting):
    form = InviteForm(request.POST or None)

    def save(data):
        people = selectors.people_to_invite(
            people=data["people"], role=data["role"], department=data["department"]
        )
        result = services.invitations_add(
            actor=request.user, meeting=obj, people=people, required=data["required"]
        )
        if result.without_email:
            messages.warning(
                request,
                _("No e-mail address, so they will not be informed by mail: %(names)s")
                % {"names": "、".join(result.without_email)},
            )
        return result

    return submit(
        request,
        form,
        save=save,
        success=_("The invitations were saved."),
        next_url=lambda _r: meeting_url(obj, "invitations"),
        title=_("Invite to %(name)s") % {"name": obj},
        cancel_url=meeting_url(obj, "invitations"),
    )


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def guest_add(request, pk: int, obj: Meeting):
    return submit_once(
        request,
        GuestForm(request.POST or None),
        save=lambda data: services.invitation_add_guest(actor=request.user, meeting=obj, **data),
        success=_("The guest was invited."),
        next_url=lambda _r: meeting_url(obj, "invitations"),
        title=_("Invite an external guest to %(name)s") % {"name": obj},
        intro=_("Guests need no account: they answer through a personal link."),
        cancel_url=meeting_url(obj, "invitations"),
    )


def _invitation(pk: int) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("meeting__series", "person"), pk=pk)


@require("meetings.manage_meetings")
@require_http_methods(["GET", "POST"])
def invitation_remove(request, pk: int):
    invitation = _invitation(pk)
    back = meeting_url(invitation.meeting, "invitations")
    if request.method == "POST":
        return act(
            request,
            lambda: services.invitation_remove(actor=request.user, invitation=invitation),
            success=_("The invitation was removed."),
            next_url=back,
            error_url=back,
        )
    return confirm_page(
        request,
        title=_("Remove %(name)s from the invitees") % {"name": invitation.display_name},
        message=_("Their date poll answers are removed too."),
        submit_label=_("Remove"),
        danger=True,
        cancel_url=back,
    )


@require("meetings.manage_meetings")
@require_POST
def invitation_required(request, pk: int):
    invitation = _invitation(pk)
    services.invitation_update(
        actor=request.user, invitation=invitation, required=not invitation.required
    )
    return redirect(meeting_url(invitation.meeting, "invitations"))


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def attendance(request, pk: int, obj: Meeting):
    invitations = obj.invitations.select_related("person")
    form = AttendanceForm(request.POST or None, invitations=invitations)
    return submit(
        request,
        form,
        save=lambda _data: services.attendance_record(
            actor=request.user, meeting=obj, attendance=form.attendance()
        ),
        success=_("The attendance was saved."),
        next_url=lambda _r: meeting_url(obj, "invitations"),
        title=_("Attendance at %(name)s") % {"name": obj},
        cancel_url=meeting_url(obj, "invitations"),
    )


# --- action items -------------------------------------------------------------------------


@require("meetings.view_meetings")
def action_list(request):
    everyone = request.user.has_perm("meetings.view_all_meetings")
    status = request.GET.get("status", ActionItem.Status.OPEN)
    if status not in ActionItem.Status.values and status != "all":
        status = ActionItem.Status.OPEN
    qs = selectors.actions_list(
        status="" if status == "all" else status,
        owner=None if everyone and request.GET.get("mine") != "1" else request.user,
    )
    page = paginate(request, qs)
    page.object_list = selectors.with_department_names(list(page.object_list))
    return render(
        request,
        "meetings/action_list.html",
        {"page": page, "status": status, "everyone": everyone},
    )


@require("meetings.complete_action", obj=action_obj)
@require_http_methods(["GET", "POST"])
def action_complete(request, pk: int, obj: ActionItem):
    return submit(
        request,
        ActionCompleteForm(request.POST or None, initial={"result": obj.result}),
        save=lambda data: services.action_item_complete(
            actor=request.user, action=obj, result=data["result"]
        ),
        success=_("The action item was completed."),
        next_url=lambda _r: reverse("meetings:actions"),
        title=_("Complete: %(name)s") % {"name": obj},
        submit_label=_("Mark as done"),
        cancel_url=reverse("meetings:actions"),
    )


@require("meetings.manage_meetings", obj=action_obj)
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int, obj: ActionItem):
    back = reverse("meetings:detail", args=[obj.meeting_id]) + "#actions"
    initial = {
        "title": obj.title,
        "owner": obj.owner,
        "department": obj.department_id,
        "due_date": obj.due_date,
    }
    return submit(
        request,
        ActionItemEditForm(request.POST or None, initial=initial),
        save=lambda data: services.action_item_update(actor=request.user, action=obj, **data),
        success=_("The changes were saved."),
        next_url=lambda _r: back,
        title=_("Edit: %(name)s") % {"name": obj},
        cancel_url=back,
    )


@require("meetings.view_meetings")
@require_POST
def actions_complete(request):
    """Complete the action items ticked on the list (each one the person may complete)."""
    ids = [id_or_404(v) for v in request.POST.getlist("action")[:500]]
    chosen = [
        a
        for a in selectors.actions_by_id(ids)
        if request.user.has_perm("meetings.complete_action", a)
    ]
    back = safe_next(request, request.POST.get("next"), reverse("meetings:actions"))
    if not chosen:
        messages.error(request, _("Tick the action items to complete."))
        return redirect(back)
    # The result is checked as on one item's form (2,000 characters, no NUL, which
    # PostgreSQL cannot store); it was cut at 2,000 characters without a word.
    form = ActionCompleteForm({"result": request.POST.get("result", "")})
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["result"]))
        return redirect(back)
    done = services.action_items_complete(
        actor=request.user, actions=chosen, result=form.cleaned_data["result"]
    )
    messages.success(
        request,
        ngettext("%(n)d action item was completed.", "%(n)d action items were completed.", done)
        % {"n": done},
    )
    return redirect(back)


@require("meetings.manage_meetings")
@require_POST
def action_reopen(request, pk: int):
    action = get_object_or_404(ActionItem, pk=pk)
    services.action_item_reopen(actor=request.user, action=action)
    messages.success(request, _("The action item is open again."))
    return redirect("meetings:actions")


urlpatterns = [
    path("meetings/", meeting_list, name="list"),
    path("meetings/new/", meeting_create, name="create"),
    path("meetings/series/new/", series_create, name="series_create"),
    path("meetings/<int:pk>/", meeting_detail, name="detail"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="edit"),
    path("meetings/<int:pk>/status/<str:status>/", meeting_status, name="status"),
    path("meetings/<int:pk>/invite/", invite, name="invite"),
    path("meetings/<int:pk>/guests/new/", guest_add, name="guest_add"),
    path("meetings/<int:pk>/attendance/", attendance, name="attendance"),
    path("invitations/<int:pk>/remove/", invitation_remove, name="invitation_remove"),
    path("invitations/<int:pk>/required/", invitation_required, name="invitation_required"),
    path("actions/", action_list, name="actions"),
    path("actions/<int:pk>/complete/", action_complete, name="action_complete"),
    path("actions/<int:pk>/reopen/", action_reopen, name="action_reopen"),
    path("actions/<int:pk>/edit/", action_edit, name="action_edit"),
    path("actions/complete/", actions_complete, name="actions_complete"),
]
