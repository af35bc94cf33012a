"""The documents app's dashboard panel (the adopted DX definition) and navigation."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from kyokan.apps.core.context_processors import register_nav
from kyokan.apps.core.dashboard import Panel, register_panel
from kyokan.apps.core.links import LinkType, register_link_type
from kyokan.apps.core.mywork import WorkItem, WorkSource, register_work
from kyokan.apps.core.notifications import register_kind

from . import selectors
from .models import Endorsement, Version


def _definition(user) -> dict:
    """The adopted DX definition; while none is adopted, city staff see the draft open for
    comments, marked as such (協議中, not decided)."""
    version, draft = selectors.dx_definition(), None
    if version is None and user.has_perm("documents.view_documents"):
        draft = selectors.dx_definition_in_consultation()
    shown = version or draft
    sections = selectors.numbered_sections(shown, include_removed=False) if shown else []
    return {"version": version, "draft": draft, "sections": sections}


def _consultations(user, limit: int) -> list[WorkItem]:
    """Consultations (協議中) the person may comment on, with their deadline."""
    if not user.has_perm("documents.comment"):
        return []
    items = []
    for v in selectors.open_consultations(user, limit=limit):
        if v.my_position or v.my_comments:
            detail = _("You took part: %(what)s.") % {
                "what": pgettext("list separator", ", ").join(
                    str(part)
                    for part in (
                        dict(Endorsement.Stance.choices).get(v.my_position),
                        ngettext("%(n)s comment", "%(n)s comments", v.my_comments)
                        % {"n": v.my_comments}
                        if v.my_comments
                        else None,
                    )
                    if part
                )
            }
        else:
            detail = _("Comment on its sections, endorse it or object.")
        items.append(
            WorkItem(
                title=str(v),
                url=reverse("documents:version", args=[v.pk]),
                what=str(_("意見募集")),
                deadline=v.comment_deadline,
                detail=str(detail),
            )
        )
    return items


def _answers(user, limit: int) -> list[WorkItem]:
    """For the secretariat: comments and objections waiting for an answer."""
    return [
        WorkItem(
            title=str(v),
            url=reverse("documents:version", args=[v.pk]) + "#sharing",
            what=str(_("回答待ち")),
            deadline=v.comment_deadline,
            detail=str(
                _("Still without an answer: %(waiting)s.")
                % {"waiting": selectors.waiting_phrase(v.open_comments, v.open_objections)}
            ),
        )
        for v in selectors.awaiting_answers(limit=limit)
    ]


def _search_versions(query: str, user) -> list[tuple[str, str]]:
    if not user.has_perm("documents.view_documents"):
        return []
    qs = Version.objects.select_related("document").order_by("-created_at")
    if query:
        qs = qs.filter(Q(document__title__icontains=query) | Q(label__icontains=query))
    return [(str(v.pk), str(v)) for v in qs[:20]]


def register() -> None:
    register_link_type(
        LinkType(
            key="documents.version",
            label="文書",
            search=_search_versions,
            url=lambda pk: reverse("documents:version", args=[pk]),
        )
    )
    register_nav(20, "documents:list", _("Documents"), "documents.view_documents")
    register_kind(
        "documents.answered",
        _("The secretariat answered your comment or objection"),
        default="digest",
    )
    register_kind(
        "documents.consultation_opened",
        _("A document is open for your comments (協議中)"),
        default="email",
    )
    register_kind("documents.adopted", _("A document is adopted"), default="digest")
    register_work(
        WorkSource("documents.consultations", _("Consultations"), "documents.comment",
                   _consultations, 20)
    )  # fmt: skip
    register_work(
        WorkSource("documents.answers", _("Comments and objections to answer"),
                   "documents.answer_comments", _answers, 25)
    )  # fmt: skip
    register_panel(
        Panel("documents.definition", "documents/panels/definition.html", "core.use_app",
              _definition, 5)
    )  # fmt: skip
