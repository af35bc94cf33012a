"""The meetings app's dashboard panels and linkable types."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.context_processors import register_nav
from kyokan.apps.core.dashboard import Panel, register_panel
from kyokan.apps.core.links import LinkType, register_link_type
from kyokan.apps.core.mywork import WorkItem, WorkSource, register_work
from kyokan.apps.core.notifications import register_kind

from . import selectors
from .dates import slot_label
from .models import Meeting


def _overdue(user) -> dict:
    everyone = user.has_perm("meetings.view_all_meetings")
    qs = selectors.overdue_actions(user=None if everyone else user)
    today = timezone.localdate()
    actions = list(qs[:10])
    for action in actions:
        action.days_overdue = (today - action.due_date).days
    return {"actions": actions, "total": qs.count(), "everyone": everyone}


def _upcoming(user) -> dict:
    """Meetings the person is invited to that are ahead, those still being polled too."""
    return {"meetings": list(selectors.meetings_ahead(user=user)[:6])}


# --- "my work" (わたしのタスク) -----------------------------------------------------------


def _polls_work(user, limit: int) -> list[WorkItem]:
    return [
        WorkItem(
            title=str(invitation.meeting),
            url=reverse("meetings:poll_answer", args=[invitation.meeting_id]),
            what=str(_("Date poll")),
            deadline=invitation.meeting.poll.deadline,
            detail=str(_("required attendance")) if invitation.required else "",
        )
        for invitation in selectors.polls_to_answer(user=user)[:limit]
    ]


def _meetings_work(user, limit: int) -> list[WorkItem]:
    items = []
    for meeting in selectors.meetings_ahead(user=user)[:limit]:
        if meeting.starts_at:
            local = timezone.localtime(meeting.starts_at)
            when = slot_label(meeting.starts_at, meeting.ends_at, with_year=True)
            detail = f"{when} {meeting.place}".strip()
            deadline = local.date()
        else:
            detail, deadline = str(_("Date being polled")), None
        items.append(
            WorkItem(
                title=str(meeting),
                url=reverse("meetings:detail", args=[meeting.pk]),
                what=str(_("Meeting")),
                deadline=deadline,
                detail=detail,
                is_event=True,
            )
        )
    return items


def _actions_work(user, limit: int) -> list[WorkItem]:
    return [
        WorkItem(
            title=action.title,
            url=reverse("meetings:action_complete", args=[action.pk]),
            what=str(_("Action item")),
            deadline=action.due_date,
            detail=str(action.meeting),
        )
        for action in selectors.my_open_actions(user=user)[:limit]
    ]


def _training(user) -> dict:
    rows = selectors.training_coverage()
    staff = sum(r["staff"] for r in rows)
    trained = sum(r["staff_trained"] for r in rows)
    promoters = sum(r["promoters"] for r in rows)
    promoters_trained = sum(r["promoters_trained"] for r in rows)
    return {
        "staff": staff,
        "staff_trained": trained,
        "promoters": promoters,
        "promoters_trained": promoters_trained,
    }


def _search_meetings(query: str, user) -> list[tuple[str, str]]:
    qs = selectors.meetings_for(user, q=query)[:20]
    return [(str(m.pk), str(m)) for m in qs]


def register() -> None:
    register_kind("meetings.poll_opened", _("A date poll asks for your answer"), default="email")
    register_kind("meetings.date_fixed", _("A meeting's date is fixed"), default="email")
    register_kind("meetings.invited", _("You are invited to a meeting"), default="email")
    register_kind("meetings.papers_published", _("A meeting's papers are ready"), default="email")
    register_kind(
        "meetings.minutes_published", _("A meeting's minutes are published"), default="email"
    )
    register_kind("meetings.action_assigned", _("An action item is assigned to you"))
    register_nav(10, "meetings:list", _("Meetings"), "meetings.view_meetings")
    register_nav(11, "meetings:actions", _("Action items"), "meetings.view_meetings")
    register_panel(
        Panel("meetings.overdue", "meetings/panels/overdue.html", "core.use_app", _overdue, 10)
    )
    register_panel(
        Panel(
            "meetings.upcoming",
            "meetings/panels/upcoming.html",
            "meetings.view_meetings",
            _upcoming,
            15,
        )
    )
    register_panel(
        Panel(
            "meetings.training",
            "meetings/panels/training.html",
            "meetings.view_training",
            _training,
            40,
        )
    )
    register_work(
        WorkSource("meetings.polls", _("Date polls to answer"), "meetings.view_meetings",
                   _polls_work, 10)
    )  # fmt: skip
    register_work(
        WorkSource("meetings.meetings", _("Meetings you are invited to"),
                   "meetings.view_meetings", _meetings_work, 40)
    )  # fmt: skip
    register_work(
        WorkSource("meetings.actions", _("Your action items"), "meetings.view_meetings",
                   _actions_work, 30)
    )  # fmt: skip
    register_link_type(
        LinkType(
            key="meetings.meeting",
            label=Meeting._meta.verbose_name,
            search=_search_meetings,
            url=lambda pk: reverse("meetings:detail", args=[pk]),
        )
    )
