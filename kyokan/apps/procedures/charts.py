"""Charts of the analysis (core's one matplotlib set-up; each chart has its table beside it
on the page). Drawn once per content and kept in the cache."""

from __future__ import annotations

import hashlib

from django.core.cache import cache as django_cache
from django.utils.safestring import SafeString, mark_safe

from kyokan.apps.core import charts as core_charts

BAR = "#0046a3"
LINE2 = "#b35900"
TOP = 15


def _cached(kind: str, draw, *key) -> SafeString:
    digest = hashlib.sha256(repr((kind, key)).encode()).hexdigest()
    return mark_safe(django_cache.get_or_set(f"procedures:chart:{digest}", draw, 60 * 60 * 24))


def _svg(figure, *, uid: str, description: str) -> str:
    return core_charts.svg_markup(figure, uid=uid, description=description)


def rate_chart(rows, *, description) -> SafeString:
    """Online rate (share of procedures) of the departments with the most procedures."""
    top = sorted(rows, key=lambda r: -r.n)[:TOP]
    labels = [str(r.label) for r in top][::-1]
    values = [r.rate_procedures or 0 for r in top][::-1]
    description = str(description)
    if not labels:
        return mark_safe("")

    def draw():
        def figure():
            fig = core_charts.figure_class()(figsize=(6.4, 0.35 * len(labels) + 0.8))
            ax = fig.add_subplot()
            ax.barh(labels, values, color=BAR)
            ax.set_xlim(0, 100)
            ax.set_xlabel("%")
            ax.tick_params(labelsize=8)
            fig.tight_layout()
            return fig

        return _svg(figure, uid="rate-chart", description=description)

    return _cached("rate", draw, labels, values, description)


def progress_chart(years, *, description, by_procedures, by_cases) -> SafeString:
    """Online rate by fiscal year, of the procedures and of the cases (the two legend labels
    are given translated by the view)."""
    labels = [str(r.key) for r in years]
    by_procedures, by_cases = str(by_procedures), str(by_cases)
    procs = [r.rate_procedures or 0 for r in years]
    cases = [r.rate_cases or 0 for r in years]
    description = str(description)
    if not labels:
        return mark_safe("")

    def draw():
        def figure():
            fig = core_charts.figure_class()(figsize=(6.4, 3.2))
            ax = fig.add_subplot()
            x = list(range(len(labels)))  # positions: years as text would be "categorical units"
            ax.plot(x, procs, marker="o", color=BAR, label=by_procedures)
            ax.plot(x, cases, marker="s", color=LINE2, label=by_cases)
            ax.set_xticks(x, labels)
            ax.set_ylim(0, 100)
            ax.set_ylabel("%")
            ax.legend()
            fig.tight_layout()
            return fig

        return _svg(figure, uid="progress-chart", description=description)

    return _cached("progress", draw, labels, procs, cases, description, by_procedures, by_cases)
