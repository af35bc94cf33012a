"""The date poll (日程調整): open it, answer it (signed in or by personal link), fix the date."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core.access import public, require
from kyokan.apps.core.exports import clean_text
from kyokan.apps.core.once import submit_once
from kyokan.apps.core.selectors import municipality_get
from kyokan.apps.core.viewkit import apply_service_errors

from .. import ics, selectors, services
from ..forms import PollAnswerForm, PollForm
from ..models import DatePoll, Invitation, Meeting, PollCandidate
from .common import id_or_404, meeting_obj, meeting_url, my_invitation


@require("meetings.manage_meetings", obj=meeting_obj)
@require_http_methods(["GET", "POST"])
def poll_create(request, pk: int, obj: Meeting):
    return submit_once(
        request,
        PollForm(request.POST or None),
        save=lambda data: services.poll_open(actor=request.user, meeting=obj, **data),
        success=_("The date poll is open. Invitees can answer now."),
        next_url=lambda _p: reverse("meetings:poll", args=[obj.pk]),
        title=_("Date poll for %(name)s") % {"name": obj},
        cancel_url=meeting_url(obj),
    )


def _poll_of(meeting: Meeting) -> DatePoll:
    poll = DatePoll.objects.filter(meeting=meeting).first()
    if poll is None:
        raise Http404
    return poll


@require("meetings.view_meeting", obj=meeting_obj)
def poll_detail(request, pk: int, obj: Meeting):
    poll = _poll_of(obj)
    table = selectors.poll_table(poll, municipality_get())
    mine = next((i for i in table["invitations"] if i.person_id == request.user.pk), None)
    return render(
        request,
        "meetings/poll.html",
        {"meeting": obj, "poll": poll, "my_invitation": mine, **table},
    )


def _answer_page(request, invitation: Invitation, *, personal_link: bool):
    """The answer form, shared by the signed-in page and the personal link."""
    meeting = invitation.meeting
    poll = _poll_of(meeting)
    table = selectors.poll_table(poll, municipality_get())
    existing = {
        row.candidate.pk: row.answers[invitation.pk]
        for row in table["rows"]
        if invitation.pk in row.answers
    }
    reasons = {row.candidate.pk: row.closed_reason for row in table["rows"]}
    form = PollAnswerForm(
        request.POST or None,
        candidates=[row.candidate for row in table["rows"]],
        existing=existing,
        closed_reasons=reasons,
        labels={row.candidate.pk: row.label for row in table["rows"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_answer(
                invitation=invitation,
                answers=form.answers(),
                actor=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your answers were saved."))
            return redirect(request.path)
    return render(
        request,
        "meetings/poll_answer.html",
        {
            "meeting": meeting,
            "poll": poll,
            "invitation": invitation,
            "form": form,
            "personal_link": personal_link,
            **table,
        },
        status=200 if poll.is_open or request.method == "GET" else 409,
    )


@require("meetings.answer_poll", obj=my_invitation)
@require_http_methods(["GET", "POST"])
def poll_answer(request, pk: int, obj: Invitation):
    return _answer_page(request, obj, personal_link=False)


@public
@require_http_methods(["GET", "POST"])
def poll_answer_by_link(request, token: str):
    """Personal link for invitees without an account (external experts): the token is the
    credential, so nothing else about the meeting is shown."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    if not DatePoll.objects.filter(meeting=invitation.meeting_id).exists():
        # Invited to a meeting without a date poll: its date and place, and the packet and
        # minutes once published.
        return render(
            request,
            "meetings/guest_meeting.html",
            {"meeting": invitation.meeting, "invitation": invitation},
        )
    return _answer_page(request, invitation, personal_link=True)


@public
def meeting_ics_by_link(request, token: str):
    invitation = selectors.invitation_by_token(token)
    if invitation is None or invitation.meeting.starts_at is None:
        raise Http404
    return _ics_response(invitation.meeting)


def _ics_response(meeting: Meeting) -> HttpResponse:
    response = HttpResponse(
        ics.meetings_calendar([meeting], name=str(meeting)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@require("meetings.manage_meetings", obj=meeting_obj)
@require_POST
def poll_fix(request, pk: int, obj: Meeting):
    poll = _poll_of(obj)
    candidate = get_object_or_404(
        PollCandidate, pk=id_or_404(request.POST.get("candidate")), poll=poll
    )
    try:
        without = services.poll_fix(
            actor=request.user,
            meeting=obj,
            candidate=candidate,
            # one line without control characters (a NUL cannot be stored by PostgreSQL)
            place=clean_text(request.POST.get("place", "")).replace("\n", " ").strip()[:200],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("meetings:poll", pk=obj.pk)
    messages.success(request, _("The date is fixed and the invitees were informed."))
    if without:
        messages.warning(
            request,
            _("No e-mail address, so not informed by mail: %(names)s")
            % {"names": "、".join(without)},
        )
    return redirect(meeting_url(obj))


urlpatterns = [
    path("meetings/<int:pk>/poll/new/", poll_create, name="poll_create"),
    path("meetings/<int:pk>/poll/", poll_detail, name="poll"),
    path("meetings/<int:pk>/poll/answer/", poll_answer, name="poll_answer"),
    path("meetings/<int:pk>/poll/fix/", poll_fix, name="poll_fix"),
    path("p/<str:token>/", poll_answer_by_link, name="poll_link"),
    path("p/<str:token>/meeting.ics", meeting_ics_by_link, name="poll_link_ics"),
]
