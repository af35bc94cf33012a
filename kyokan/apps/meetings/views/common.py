"""What the meetings views share: object loaders for permission checks and URLs."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from ..models import ActionItem, Invitation, Meeting, Paper


def id_or_404(value) -> int:
    """An id sent in a form or a query string: digits that fit the column, else 404."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def meeting_obj(pk: int, **_kwargs) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("series", "course"), pk=pk)


def paper_meeting(pk: int, **_kwargs) -> Meeting:
    return get_object_or_404(Paper.objects.select_related("meeting__series"), pk=pk).meeting


def action_obj(pk: int, **_kwargs) -> ActionItem:
    return get_object_or_404(ActionItem.objects.select_related("meeting__series"), pk=pk)


def my_invitation(pk: int, user, **_kwargs) -> Invitation | None:
    """The signed-in person's invitation to meeting ``pk`` (None if not invited)."""
    meeting = meeting_obj(pk)
    return (
        meeting.invitations.select_related("meeting__series", "meeting__course")
        .filter(person=user)
        .first()
    )


def meeting_url(meeting, anchor: str = "") -> str:
    url = reverse("meetings:detail", args=[meeting.pk if hasattr(meeting, "pk") else meeting])
    return f"{url}#{anchor}" if anchor else url
