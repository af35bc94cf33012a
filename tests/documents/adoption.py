"""Adoption as it happens, for tests: a held deciding meeting with the version on its agenda
decides it (kyokan.apps.core.decisions; the meetings module records the decision).

Other apps' tests that need an adopted version use :func:`adopt` too."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kyokan.apps.documents import selectors, services
from kyokan.apps.meetings import services as meetings
from kyokan.apps.meetings.models import Meeting, MeetingKind, MeetingSeries

HQ = "デジタル化推進本部会議"


def series(*, actor, name: str = HQ, kind: str = MeetingKind.HQ, decides: bool = False):
    found = MeetingSeries.objects.filter(name=name).first()
    if found is None:
        found = meetings.series_create(actor=actor, name=name, kind=kind)
    if decides and not found.decides:
        MeetingSeries.objects.filter(pk=found.pk).update(decides=True)
        found.refresh_from_db()
    return found


def meeting_with(
    version,
    *,
    actor,
    day: date | None = None,
    held: bool = True,
    kind: str = MeetingKind.HQ,
    name: str = HQ,
    decides: bool = False,
    linked: bool = True,
) -> Meeting:
    """A meeting of ``name`` on ``day`` (yesterday by default) at 10:00 Japan time, with an
    agenda item linking ``version`` (unless ``linked`` is false), held unless told."""
    day = day or timezone.localdate() - timedelta(days=1)
    starts = timezone.make_aware(datetime.combine(day, time(10, 0)))
    meeting = meetings.meeting_create(
        actor=actor,
        series=series(actor=actor, name=name, kind=kind, decides=decides),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    item = meetings.agenda_item_create(
        actor=actor, meeting=meeting, title=f"{version.document.title}について"
    )
    if linked:
        meetings.agenda_link_add(
            actor=actor,
            item=item,
            target_type="documents.version",
            target_id=str(version.pk),
            label=str(version),
        )
    if held:
        meetings.meeting_set_status(actor=actor, meeting=meeting, status=Meeting.Status.HELD)
    return meeting


def adopt(version, *, actor, day: date | None = None, title: str | None = None) -> Meeting:
    """Adopt ``version`` at a new held headquarters meeting on ``day`` (yesterday by
    default); returns the meeting."""
    meeting = meeting_with(version, actor=actor, day=day)
    services.version_adopt(
        actor=actor,
        version=version,
        adopted_on=timezone.localtime(meeting.starts_at).date(),
        meeting=f"meetings.meeting:{meeting.pk}",
        title=title or selectors.adopted_title(version.label),
    )
    version.refresh_from_db()
    return meeting
