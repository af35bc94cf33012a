"""The meetings side of ``kyokan.apps.core.decisions``: held, deciding meetings record what
other modules adopt (a document's version), among their own decisions.

A meeting decides if its series is a headquarters meeting or was marked as deciding by the
secretariat (``MeetingSeries.decides``). A candidate for a target is such a meeting, held
(status 開催済, its start in the past), whose agenda links the target
(``AgendaLink``); the decision is recorded under the agenda item that links it."""

from django.db.models import Q
from django.utils import timezone

from kyokan.apps.core.decisions import Candidate, Target, register_decider

from . import services
from .models import AgendaLink, Decision, Meeting, MeetingKind

KEY = "meetings.meeting"


def decision_label(meeting: Meeting) -> str:
    """「第6回デジタル化推進本部会議」: how a decision names its meeting."""
    return f"第{meeting.number}回{meeting.series.name}"


def deciding_meetings_linking(target_type: str, target_id: str):
    return (
        Meeting.objects.filter(
            status=Meeting.Status.HELD,
            starts_at__isnull=False,
            starts_at__lte=timezone.now(),
            agenda_items__links__target_type=target_type,
            agenda_items__links__target_id=str(target_id),
        )
        .filter(Q(series__kind=MeetingKind.HQ) | Q(series__decides=True))
        .select_related("series")
        .distinct()
        .order_by("-starts_at", "-id")
    )


class MeetingDecider:
    key = KEY

    def candidates(self, target_type: str, target_id: str) -> list[Candidate]:
        return [
            Candidate(
                provider=KEY,
                meeting_id=str(m.pk),
                label=decision_label(m),
                date=timezone.localtime(m.starts_at).date(),
            )
            for m in deciding_meetings_linking(target_type, target_id)
        ]

    def record(self, *, actor, meeting_id: str, target: Target, text: str) -> Decision:
        meeting = deciding_meetings_linking(target.type, target.id).get(pk=meeting_id)
        link = (
            AgendaLink.objects.filter(
                item__meeting=meeting, target_type=target.type, target_id=str(target.id)
            )
            .select_related("item")
            .order_by("item__order", "item_id")
            .first()
        )
        return services.decision_add(
            actor=actor,
            meeting=meeting,
            text=text,
            agenda_item=link.item if link else None,
            target_type=target.type,
            target_id=str(target.id),
        )


def register() -> None:
    register_decider(MeetingDecider())
