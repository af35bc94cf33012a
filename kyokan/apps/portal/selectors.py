"""Reads of the portal: what its pages show, always through the apps' ``public`` modules."""

from __future__ import annotations

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kyokan.apps.documents import public as documents_public
from kyokan.apps.meetings import public as meetings_public
from kyokan.apps.portfolio import public as portfolio_public
from kyokan.apps.portfolio.models import ProgressReport
from kyokan.apps.surveys import public as surveys_public

from . import accessibility_results, integrations


def navigation() -> list[tuple[str, str]]:
    """(url, label) of the portal's sections, in order."""
    items = [
        (reverse("portal:home"), _("Home")),
        (reverse("portal:documents"), _("DX definition and strategy")),
        (reverse("portal:initiatives"), _("Initiatives")),
        (reverse("portal:surveys"), _("Surveys")),
        (reverse("portal:meetings"), _("Meetings")),
    ]
    if integrations.procedures_available():
        items.append((reverse("portal:procedures"), _("Online procedures")))
    if integrations.ideas_available():
        items.append((reverse("portal:participation"), _("Ideas and conversations")))
    items.append((reverse("opendata:catalogue"), _("Open data")))
    items.append((reverse("portal:accessibility"), _("Accessibility")))
    return items


def open_surveys() -> list:
    rows = list(surveys_public.open_surveys()[:50])
    for survey in rows:
        survey.answer_url = surveys_public.answer_url(survey)
    return rows


def latest_progress(initiatives) -> dict[int, ProgressReport]:
    """The latest accepted progress (percent, health) of each of these initiatives, in one
    query."""
    ids = [i.pk for i in initiatives]
    latest: dict[int, ProgressReport] = {}
    for report in portfolio_public.progress().filter(initiative_id__in=ids):
        latest.setdefault(report.initiative_id, report)  # newest first
    return latest


def front_page() -> dict:
    initiatives = list(portfolio_public.initiatives()[:6])
    portfolio_public.with_cost_value(initiatives)
    return {
        "definition": documents_public.definition(),
        "strategy": documents_public.strategy(),
        "initiatives": initiatives,
        "initiative_count": portfolio_public.initiatives().count(),
        "progress": latest_progress(initiatives),
        "open_surveys": open_surveys()[:5],
        "upcoming": list(meetings_public.upcoming()[:5]),
        "minutes": list(meetings_public.with_minutes()[:5]),
        "ideas": integrations.ideas(limit=5),
        "conversations": integrations.conversations(limit=5),
        "conversations_url": integrations.conversations_url(),
        "participation_url": reverse("portal:participation"),
        "procedures": integrations.procedures_available(),
        "updated": portfolio_public.initiatives().aggregate(last=Max("updated_at"))["last"],
    }


def accessibility_report() -> dict:
    """The results of the portal's accessibility tests as last run (hand-kept figures of
    accessibility_results, from a run of tests/browser/test_portal_accessibility.py)."""
    results = accessibility_results
    return {
        "results": results,
        "summary": results.summary(),
        "pages": results.PAGES,
        "rule_tags": ", ".join(results.AXE_TAGS),
        "mode_labels": [results.MODE_LABELS[m] for m in results.MODES],
        "known_problems": results.KNOWN_PROBLEMS,
    }
