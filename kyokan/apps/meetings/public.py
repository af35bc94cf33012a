"""What the public may see of the meetings app: the ONE place that decides it.

The portal, the open data and the public API read meetings only through this module.
A meeting is public when the secretariat marked it so (``Meeting.is_public``) and it is
scheduled or held (never one still being planned by date poll, nor a cancelled one). Of a
public meeting the public sees: its series, kind, number, title, theme, date and time,
place and its agenda items' titles; once the minutes are published (and the meeting was
held), the minutes of each agenda item and the decisions; once the papers are published,
the papers' numbers and titles. Never: invitations, attendance, the online meeting link,
notes, polls, action items, experts' inputs, or who presents what.

Each ``*_dict`` function lists the public fields of a row explicitly: a consumer that
serialises a row uses it rather than the model's fields.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import AgendaItem, Decision, Meeting, Paper

PUBLIC_STATUSES = (Meeting.Status.SCHEDULED, Meeting.Status.HELD)
MEETING_FIELDS = (
    "id", "series_id", "number", "title", "theme", "status", "starts_at", "ends_at", "place",
    "is_public", "papers_published_at", "minutes_published_at",
)  # fmt: skip
_SERIES_FIELDS = ("series__id", "series__name", "series__kind")


def meetings() -> QuerySet[Meeting]:
    """Every public meeting (public fields and its series), newest first."""
    return (
        Meeting.objects.filter(is_public=True, status__in=PUBLIC_STATUSES, starts_at__isnull=False)
        .select_related("series")
        .only(*MEETING_FIELDS, *_SERIES_FIELDS)
        .order_by("-starts_at", "-id")
    )


def meeting(pk: int) -> Meeting | None:
    return meetings().filter(pk=pk).first()


def upcoming(*, now=None) -> QuerySet[Meeting]:
    """Public meetings still to come (scheduled, not ended), soonest first."""
    now = now or timezone.now()
    return (
        meetings()
        .filter(status=Meeting.Status.SCHEDULED)
        .filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now))
        .order_by("starts_at", "id")
    )


def with_minutes() -> QuerySet[Meeting]:
    """Held public meetings whose minutes are published, newest first."""
    return meetings().filter(status=Meeting.Status.HELD, minutes_published_at__isnull=False)


def minutes_public(meeting: Meeting) -> bool:
    return bool(
        meeting.is_public and meeting.status == Meeting.Status.HELD and meeting.minutes_published_at
    )


def papers_public(meeting: Meeting) -> bool:
    return bool(
        meeting.is_public and meeting.status in PUBLIC_STATUSES and meeting.papers_published_at
    )


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """The agenda items of a public meeting, in order; each carries ``public_minutes``
    (its minutes when published, else "") and ``public_decisions``."""
    if not meeting.is_public:
        raise ValueError("not a public meeting")
    show_minutes = minutes_public(meeting)
    qs = AgendaItem.objects.filter(meeting=meeting).only(
        "id", "meeting_id", "order", "title", "minutes_text"
    )
    if show_minutes:
        qs = qs.prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.only("id", "agenda_item_id", "meeting_id", "text"),
                to_attr="decision_rows",
            )
        )
    items = list(qs.order_by("order", "id"))
    for item in items:
        item.public_minutes = item.minutes_text if show_minutes else ""
        item.public_decisions = list(getattr(item, "decision_rows", [])) if show_minutes else []
    return items


def decisions_of(meeting: Meeting) -> list[Decision]:
    """The decisions of a public meeting whose minutes are published (else none)."""
    if not minutes_public(meeting):
        return []
    return list(
        Decision.objects.filter(meeting=meeting)
        .only("id", "meeting_id", "agenda_item_id", "text")
        .order_by("id")
    )


def decisions() -> QuerySet[Decision]:
    """Every decision of a held public meeting whose minutes are published, for exports."""
    return (
        Decision.objects.filter(
            meeting__is_public=True,
            meeting__status=Meeting.Status.HELD,
            meeting__minutes_published_at__isnull=False,
        )
        .select_related("meeting__series")
        .only(
            "id", "meeting_id", "agenda_item_id", "text",
            *(f"meeting__{f}" for f in MEETING_FIELDS), *(f"meeting__{f}" for f in _SERIES_FIELDS),
        )
        .order_by("meeting__starts_at", "id")
    )  # fmt: skip


def papers(meeting: Meeting) -> list[Paper]:
    """The papers' numbers and titles of a public meeting whose papers are published."""
    if not papers_public(meeting):
        return []
    return list(Paper.objects.filter(meeting=meeting).only("id", "meeting_id", "number", "title"))


# --- the public fields ------------------------------------------------------------------------


def meeting_dict(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "series": meeting.series.name,
        "kind": meeting.series.kind,
        "kind_label": str(meeting.series.get_kind_display()),
        "number": meeting.number,
        "name": str(meeting),
        "title": meeting.title,
        "theme": meeting.theme,
        "status": meeting.status,
        "status_label": str(meeting.get_status_display()),
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "papers_published": bool(meeting.papers_published_at),
        "minutes_published": minutes_public(meeting),
    }


def decision_dict(decision: Decision) -> dict:
    return {
        "id": decision.pk,
        "meeting_id": decision.meeting_id,
        "agenda_item_id": decision.agenda_item_id,
        "text": decision.text,
    }
