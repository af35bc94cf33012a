"""Calendar: upcoming meetings, for the signed-in person and for the whole headquarters, and
the same as iCalendar (.ics) files to import into Outlook, Google Calendar and the like."""

from itertools import groupby

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyokan.apps.core import japanese_dates
from kyokan.apps.core.access import require

from .. import ics, selectors
from ..models import Meeting
from .common import meeting_obj


def month_label(day) -> str:
    """令和7年（2025年）6月 (ja) / June 2025 (Reiwa 7) (en)."""
    era, n = japanese_dates.era_year(day)
    if (translation.get_language() or "ja").startswith("ja"):
        return f"{japanese_dates.format_era_year(era, n)}（{day.year}年）{day.month}月"
    return f"{day:%B %Y} ({japanese_dates.format_era_year(era, n, lang='en')})"


def by_month(meetings) -> list[dict]:
    """Meetings (ordered by start) grouped by the month they start in, local time."""

    def month_of(meeting: Meeting):
        return timezone.localtime(meeting.starts_at).date().replace(day=1)

    return [
        {"month": month, "label": month_label(month), "meetings": list(group)}
        for month, group in groupby(meetings, key=month_of)
    ]


@require("meetings.view_meetings")
def calendar(request):
    mine = list(selectors.upcoming_meetings(user=request.user))
    hq = None
    if request.user.has_perm("meetings.view_all_meetings"):
        hq = by_month(selectors.upcoming_meetings(hq_only=True))
    return render(
        request,
        "meetings/calendar.html",
        {"mine": by_month(mine), "mine_count": len(mine), "hq": hq},
    )


def _ics_response(meetings, *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        ics.meetings_calendar(list(meetings), name=name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require("meetings.view_meetings")
def calendar_ics_mine(request):
    return _ics_response(
        selectors.upcoming_meetings(user=request.user),
        name=_("Kyokan: my meetings"),
        filename="kyokan-my-meetings.ics",
    )


@require("meetings.view_all_meetings")
def calendar_ics_hq(request):
    return _ics_response(
        selectors.upcoming_meetings(hq_only=True),
        name=_("Kyokan: headquarters meetings"),
        filename="kyokan-hq-meetings.ics",
    )


@require("meetings.view_meeting", obj=meeting_obj)
def meeting_ics(request, pk: int, obj: Meeting):
    """One meeting as a calendar file (with no event while its date is not fixed)."""
    return _ics_response([obj], name=str(obj), filename=f"meeting-{obj.pk}.ics")


urlpatterns = [
    path("calendar/", calendar, name="calendar"),
    path("calendar/mine.ics", calendar_ics_mine, name="calendar_ics_mine"),
    path("calendar/hq.ics", calendar_ics_hq, name="calendar_ics_hq"),
    path("meetings/<int:pk>/meeting.ics", meeting_ics, name="meeting_ics"),
]
