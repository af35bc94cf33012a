"""The meetings app's dashboard panels and linkable types."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.context_processors import register_nav
from kyokan.apps.core.dashboard import Panel, register_panel
from kyokan.apps.core.links import LinkType, register_link_type
from kyokan.apps.core.notifications import register_kind

from . import selectors
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
    return {"meetings": list(selectors.upcoming_meetings(user=user)[:6])}


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
    register_link_type(
        LinkType(
            key="meetings.meeting",
            label=Meeting._meta.verbose_name,
            search=_search_meetings,
            url=lambda pk: reverse("meetings:detail", args=[pk]),
        )
    )
