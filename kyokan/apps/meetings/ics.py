"""iCalendar (.ics) files for meetings, built with the icalendar library.

RFC 5545 allows no control character in a text value but the tab (its escapes are for
"\\n", ";", "," and "\\\\", which icalendar writes). So every text is cleaned first (core's
``clean_text``: control characters removed, line breaks kept); one-line properties
(SUMMARY, LOCATION, the calendar's name) get their line breaks and tabs as spaces, and
only DESCRIPTION keeps its line breaks, written escaped as "\\n" by icalendar."""

import re
from datetime import timedelta

from django.conf import settings
from icalendar import Calendar, Event

from kyokan.apps.core.exports import clean_text

_LINE_BREAKS = re.compile(r"[\t\n\u2028\u2029\x85]+")


def one_line(text: str) -> str:
    """``text`` cleaned and on one line (for a one-line property or an e-mail subject)."""
    return _LINE_BREAKS.sub(" ", clean_text(text)).strip()


def meetings_calendar(meetings, *, name: str = "Kyokan") -> bytes:
    """One VCALENDAR with a VEVENT per meeting that has a date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kyokan//meetings//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    for meeting in meetings:
        if meeting.starts_at is None:
            continue
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{settings.KYOKAN_ICS_DOMAIN}")
        event.add("summary", one_line(str(meeting)))
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at or meeting.starts_at + timedelta(hours=1))
        event.add("dtstamp", meeting.starts_at)
        if one_line(meeting.place):
            event.add("location", one_line(meeting.place))
        description = [meeting.theme, meeting.online_url, meeting.notes]
        text = "\n".join(clean_text(part).strip() for part in description if part)
        if text.strip():
            event.add("description", text.strip())
        if meeting.online_url:
            event.add("url", one_line(meeting.online_url))
        event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
