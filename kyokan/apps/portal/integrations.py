"""The portal's integration points with apps built beside it: procedures (online status of
administrative procedures) and deliberation (citizens' ideas, consensus conversations).

Each app that wants to appear on the portal exposes ``kyokan.apps.<app>.public``; the portal
reads it through the functions here and shows nothing of an app that has none (or lacks
what is needed) — the page then answers 404 and the front page leaves its section out.

Procedures: ``public_procedures()`` (rows of public columns), ``online_status_label(code)``
and ``public_summary()``. Deliberation: ``public_ideas()``, ``public_counts()`` and
``public_conversations()`` (the public, open conversations with ``title``, ``public_url``,
``statement_count`` and ``participant_count``), listed on the front page beside the surveys
and on the participation page.
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
    return bool(module and hasattr(module, "public_procedures"))


def procedures_page(request, *, q: str = "") -> dict | None:
    """The public inventory (name, legal basis, online status, planned year) and the online
    rates, through kyokan.apps.procedures.public; with ``q``, only the public procedures that
    the staff inventory's search finds (its selector: the folded name, legal basis and
    attachments, so width and kana variants match). The rates of the whole inventory are
    read for the first page of the whole list only, where they describe what is listed
    (with 20,000 procedures they were 40 of the 95 ms of a search page, never shown there)."""
    module = _module("procedures")
    if module is None or not hasattr(module, "public_procedures"):
        return None
    rows = module.public_procedures()
    if q:
        from kyokan.apps.procedures import selectors

        rows = rows.filter(pk__in=selectors.procedures(q=q).values("pk"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    rows = []
    for row in page.object_list:
        row = dict(row)
        row["status_label"] = module.online_status_label(row.get("online_status", ""))
        rows.append(row)
    page.object_list = rows
    summary = {}
    if not q and page.number == 1 and hasattr(module, "public_summary"):
        summary = module.public_summary()
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


def conversations_url() -> str:
    """The citizens' list of conversations (deliberation's), or "" when there is none."""
    return _url("deliberation:public_conversations")


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
