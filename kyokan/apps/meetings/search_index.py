"""What meetings put in the site search (core.search): meetings, their agenda items with
the minutes, and expert inputs (知見).

Who finds them follows the meetings' rules: city staff every meeting; an expert only the
meetings they are invited to (and those meetings' agenda items and inputs), through the
kinds' ``visible`` hook; citizens none (they lack meetings.view_meetings). The services
call the ``*_put`` / ``*_remove`` functions after they write; ``kyokan search-reindex``
rebuilds from the sources.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.search import SearchKind, index_put, index_remove, register_search_kind

from .models import AgendaItem, ExpertInput, Invitation, Meeting

MEETINGS, ITEMS, EXPERT_INPUTS = "meetings.meeting", "meetings.agenda_item", "meetings.expert_input"


def _meeting_text(meeting: Meeting) -> tuple[str, str]:
    parts = [meeting.series.name, meeting.theme, meeting.place, meeting.notes]
    if meeting.course_id:
        parts.append(meeting.course.title)
    return str(meeting), "\n".join(p for p in parts if p)


def meeting_put(meeting: Meeting) -> None:
    title, body = _meeting_text(meeting)
    index_put(
        kind=MEETINGS,
        object_id=meeting.pk,
        title=title,
        body=body,
        url=reverse("meetings:detail", args=[meeting.pk]),
    )


def _item_url(item: AgendaItem) -> str:
    return reverse("meetings:detail", args=[item.meeting_id]) + f"#item-{item.pk}"


def item_put(item: AgendaItem) -> None:
    index_put(
        kind=ITEMS,
        object_id=item.pk,
        title=f"{item.meeting} {item.title}",
        body=item.minutes_text,
        url=_item_url(item),
    )


def item_remove(item_id) -> None:
    index_remove(kind=ITEMS, object_id=item_id)


def _expert_input_url(expert_input: ExpertInput) -> str:
    return reverse("meetings:detail", args=[expert_input.meeting_id]) + "#expert_inputs"


def _expert_input_body(expert_input: ExpertInput) -> str:
    return "\n".join(
        p for p in (expert_input.body, expert_input.tags, expert_input.expert.display_name) if p
    )


def expert_input_put(expert_input: ExpertInput) -> None:
    index_put(
        kind=EXPERT_INPUTS,
        object_id=expert_input.pk,
        title=expert_input.title,
        body=_expert_input_body(expert_input),
        url=_expert_input_url(expert_input),
    )


def expert_input_remove(expert_input_id) -> None:
    index_remove(kind=EXPERT_INPUTS, object_id=expert_input_id)


# --- who may see a hit ----------------------------------------------------------------------


def _invited_meetings(user) -> set[int]:
    return set(
        Invitation.objects.filter(person=user).values_list("meeting_id", flat=True).distinct()
    )


def _visible(model, meeting_of):
    """A visible hook: city staff see everything; others (experts) only what belongs to a
    meeting they are invited to."""

    def visible(user, ids: list[str]) -> set[str]:
        if user.has_perm("meetings.view_all_meetings"):
            return set(ids)
        invited = _invited_meetings(user)
        if not invited:
            return set()
        pks = [int(i) for i in ids if i.isdigit()]
        rows = model.objects.filter(pk__in=pks).values_list("pk", meeting_of)
        return {str(pk) for pk, meeting_id in rows if meeting_id in invited}

    return visible


# --- sources for kyokan search-reindex ------------------------------------------------------


def _meetings_source():
    for m in Meeting.objects.select_related("series", "course").order_by("pk").iterator(1000):
        title, body = _meeting_text(m)
        yield m.pk, title, body, reverse("meetings:detail", args=[m.pk])


def _items_source():
    qs = AgendaItem.objects.select_related("meeting__series").order_by("pk")
    for item in qs.iterator(chunk_size=1000):
        yield item.pk, f"{item.meeting} {item.title}", item.minutes_text, _item_url(item)


def _expert_inputs_source():
    qs = ExpertInput.objects.select_related("expert__person").order_by("pk")
    for i in qs.iterator(chunk_size=1000):
        yield i.pk, i.title, _expert_input_body(i), _expert_input_url(i)


def register() -> None:
    register_search_kind(
        SearchKind(
            MEETINGS,
            _("Meetings"),
            "meetings.view_meetings",
            visible=_visible(Meeting, "id"),
            source=_meetings_source,
            order=30,
        )
    )
    register_search_kind(
        SearchKind(
            ITEMS,
            _("Agenda items and minutes"),
            "meetings.view_meetings",
            visible=_visible(AgendaItem, "meeting_id"),
            source=_items_source,
            order=31,
        )
    )
    register_search_kind(
        SearchKind(
            EXPERT_INPUTS,
            _("Expert inputs"),
            "meetings.view_meetings",
            visible=_visible(ExpertInput, "meeting_id"),
            source=_expert_inputs_source,
            order=32,
        )
    )
