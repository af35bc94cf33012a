"""The documents app's dashboard panel (the adopted DX definition) and navigation."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.context_processors import register_nav
from kyokan.apps.core.dashboard import Panel, register_panel
from kyokan.apps.core.links import LinkType, register_link_type

from . import selectors
from .models import Version


def _definition(user) -> dict:
    version = selectors.dx_definition()
    sections = selectors.numbered_sections(version, include_removed=False) if version else []
    return {"version": version, "sections": sections}


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
    register_panel(
        Panel("documents.definition", "documents/panels/definition.html", "core.use_app",
              _definition, 5)
    )  # fmt: skip
