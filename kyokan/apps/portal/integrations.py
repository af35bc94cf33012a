"""The portal's integration points with apps built beside it: procedures (online status of
administrative procedures) and deliberation (citizens' ideas, consensus conversations).

Each app that wants to appear on the portal exposes ``kyokan.apps.<app>.public``; the portal
reads it through the functions here and shows nothing of an app that has none (or lacks
what is needed) — the page then answers 404 and the front page leaves its section out.

INTEGRATION POINT (procedures): the portal calls, when present,
``kyokan.apps.procedures.public.online_status_summary() -> dict`` (counts by online status)
and ``kyokan.apps.procedures.public.procedures() -> QuerySet`` (public procedures with
``name``, ``get_online_status_display``); neither exists yet at the time of writing.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse


def _module(app: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"kyokan.apps.{app}.public")
    except ImportError:
        return None


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def procedures_available() -> bool:
    module = _module("procedures")
    return bool(module and hasattr(module, "procedures"))


def procedures_page(request) -> dict | None:
    module = _module("procedures")
    if module is None or not hasattr(module, "procedures"):
        return None
    page = Paginator(module.procedures(), 50).get_page(request.GET.get("page"))
    summary = module.online_status_summary() if hasattr(module, "online_status_summary") else {}
    return {"page": page, "summary": summary}


def ideas_available() -> bool:
    module = _module("deliberation")
    return bool(module and hasattr(module, "public_ideas"))


def ideas(limit: int = 5) -> dict | None:
    """The latest public ideas and their counts, with the link to the ideas' public pages."""
    module = _module("deliberation")
    if module is None or not hasattr(module, "public_ideas"):
        return None
    rows = list(module.public_ideas()[:limit])
    for row in rows:
        row.public_url = idea_url(row)
    counts = module.public_counts() if hasattr(module, "public_counts") else {}
    return {
        "rows": rows,
        "counts": counts,
        "list_url": _url("deliberation:public_ideas"),
        "create_url": _url("deliberation:public_create"),
    }


def conversations(limit: int = 5) -> list | None:
    module = _module("deliberation")
    if module is None or not hasattr(module, "public_conversations"):
        return None
    return list(module.public_conversations()[:limit])


def participation_page(request) -> dict | None:
    found = ideas(limit=20)
    talks = conversations(limit=20)
    if found is None and talks is None:
        return None
    return {"ideas": found, "conversations": talks}


def idea_url(idea) -> str:
    try:
        return reverse("deliberation:public_idea", args=[idea.pk])
    except NoReverseMatch:
        return ""
