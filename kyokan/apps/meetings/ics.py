"""iCalendar (.ics) files for meetings, built with the icalendar library."""

from datetime import timedelta

from django.conf import settings
from icalendar import Calendar, Event


def meetings_calendar(meetings, *, name: str = "Kyokan") -> bytes:
    """One VCALENDAR with a VEVENT per meeting that has a date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kyokan//meetings//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        if meeting.starts_at is None:
            continue
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{settings.KYOKAN_ICS_DOMAIN}")
        event.add("summary", str(meeting))
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at or meeting.starts_at + timedelta(hours=1))
        event.add("dtstamp", meeting.starts_at)
        if meeting.place:
            event.add("location", meeting.place)
        description = [meeting.theme, meeting.online_url, meeting.notes]
        text = "\n".join(part for part in description if part)
        if text:
            event.add("description", text)
        if meeting.online_url:
            event.add("url", meeting.online_url)
        event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
