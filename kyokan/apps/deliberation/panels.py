"""The deliberation app's navigation, dashboard panels, "my work", notification kinds,
linkable types and search kind."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.context_processors import register_nav
from kyokan.apps.core.dashboard import Panel, register_panel
from kyokan.apps.core.links import LinkType, register_link_type
from kyokan.apps.core.mywork import WorkItem, WorkSource, register_work
from kyokan.apps.core.notifications import register_kind
from kyokan.apps.core.search import SearchKind, register_search_kind

from . import selectors, services
from .models import Conversation, Idea, IdeaStatus


def _launched(user) -> dict:
    return {"ideas": list(selectors.launched_ideas(6)), "counts": selectors.status_counts()}


def _decide_work(user, limit: int) -> list[WorkItem]:
    what = {
        IdeaStatus.PROPOSED: _("Take up the idea (検討中)"),
        IdeaStatus.REVIEWING: _("Decide: 採用 or 不採用"),
        IdeaStatus.ADOPTED: _("Make it an initiative (事業化)"),
    }
    return [
        WorkItem(
            title=i.title,
            url=i.get_absolute_url(),
            what=str(what[i.status]),
            detail=i.get_status_display(),
        )
        for i in selectors.ideas_to_decide()[:limit]
    ]


def _moderation_work(user, limit: int) -> list[WorkItem]:
    count = selectors.moderation_count()
    if not count:
        return []
    return [
        WorkItem(
            title=str(_("Moderation queue")),
            url=reverse("deliberation:moderation"),
            what=str(_("Decide on reported or new content")),
            detail=str(_("%(n)s waiting") % {"n": count}),
        )
    ]


def _vote_work(user, limit: int) -> list[WorkItem]:
    return [
        WorkItem(
            title=c.title,
            url=c.get_absolute_url(),
            what=str(_("Vote in the conversation")),
            detail=str(_("%(n)s statements to vote on") % {"n": left}),
        )
        for c, left in selectors.my_open_conversations(user, limit)
    ]


def _session_work(user, limit: int) -> list[WorkItem]:
    """The ideas on the agenda of the study group's sessions ahead that the person is
    invited to, with the session's day (or that its date is being set)."""
    today = timezone.localdate()
    items = []
    for s in selectors.sessions_ahead(user, today=today)[:limit]:
        starts = s.meeting.starts_at
        items.append(
            WorkItem(
                title=s.idea.title,
                url=s.idea.get_absolute_url(),
                what=str(_("Idea to discuss at %(meeting)s") % {"meeting": s.meeting}),
                deadline=timezone.localtime(starts).date() if starts else None,
                detail=s.note if starts else str(_("Date being set")),
                is_event=True,
            )
        )
    return items


def _my_ideas_work(user, limit: int) -> list[WorkItem]:
    """The author sees what became of their ideas (those decided in the last 30 days)."""
    since = timezone.now() - timezone.timedelta(days=30)
    qs = (
        selectors.my_ideas(user)
        .filter(status_changes__at__gte=since)
        .distinct()
        .order_by("-updated_at")
    )
    return [
        WorkItem(
            title=i.title,
            url=i.get_absolute_url(),
            what=str(_("What became of your idea")),
            detail=i.get_status_display(),
        )
        for i in qs[:limit]
    ]


def _idea_search(query: str, user) -> list[tuple[str, str]]:
    return [(str(i.pk), i.title) for i in selectors.ideas(user, q=query)[:20]]


def _conversation_search(query: str, user) -> list[tuple[str, str]]:
    qs = selectors.conversations(user)
    if query:
        qs = qs.filter(title__icontains=query)
    return [(str(c.pk), c.title) for c in qs[:20]]


def register() -> None:
    register_nav(25, "deliberation:ideas", _("Ideas"), "deliberation.view_ideas")
    register_nav(
        26, "deliberation:conversations", _("Conversations"), "deliberation.view_conversations"
    )
    register_kind(services.KIND_STATUS, _("What became of an idea you follow"))
    register_kind(services.KIND_COMMENT, _("A comment on an idea you follow"), default="digest")
    register_kind(services.KIND_ANSWER, _("An answer to an idea you follow"))
    register_kind(services.KIND_REPORTED, _("Reported content waits for moderation"))
    register_kind(services.KIND_PROPOSED, _("A new idea was proposed"), default="digest")
    register_kind(services.KIND_SESSION, _("A study-group session will discuss an idea you follow"))
    register_panel(
        Panel(
            "deliberation.launched",
            "deliberation/panels/launched.html",
            "deliberation.view_ideas",
            _launched,
            24,
        )
    )
    register_work(
        WorkSource(
            "deliberation.decide",
            _("Ideas to decide on"),
            "deliberation.manage_ideas",
            _decide_work,
            25,
        )
    )
    register_work(
        WorkSource(
            "deliberation.moderation",
            _("Moderation"),
            "deliberation.moderate",
            _moderation_work,
            26,
        )
    )
    register_work(
        WorkSource(
            "deliberation.sessions",
            _("Ideas at the study group's sessions"),
            "deliberation.view_ideas",
            _session_work,
            27,
        )
    )
    register_work(
        WorkSource(
            "deliberation.my_ideas", _("Your ideas"), "deliberation.view_ideas", _my_ideas_work, 28
        )
    )
    register_work(
        WorkSource(
            "deliberation.vote",
            _("Conversations to vote in"),
            "deliberation.view_conversations",
            _vote_work,
            29,
        )
    )
    register_link_type(
        LinkType(
            key="deliberation.idea",
            label=Idea._meta.verbose_name,
            search=_idea_search,
            url=lambda pk: reverse("deliberation:idea", args=[pk]),
        )
    )
    register_link_type(
        LinkType(
            key="deliberation.conversation",
            label=Conversation._meta.verbose_name,
            search=_conversation_search,
            url=lambda pk: reverse("deliberation:conversation", args=[pk]),
        )
    )
    register_search_kind(
        SearchKind(
            key=services.SEARCH_KIND,
            label=_("Ideas"),
            perm="deliberation.view_ideas",
            visible=selectors.search_visible,
            source=selectors.search_entries,
            order=35,
        )
    )
