"""Charts of the portfolio: bar charts of the balance and the levers, the cost vs value
bubble chart (matplotlib through core's one set-up, kyokan.apps.core.charts: SVG inline,
plain-text labels, each chart with its table), and the roadmap, drawn as SVG by hand (a
grid of years and bars needs no plotting library, and stays crisp when printed on A3)."""

from __future__ import annotations

import hashlib
import html
from datetime import date

from django.core.cache import cache as django_cache
from django.utils.safestring import SafeString, mark_safe

from kyokan.apps.core import charts as core_charts
from kyokan.apps.core.japanese_dates import fiscal_year_of

RENDER_VERSION = "3"  # bump when the drawing changes
BAR = "#0046a3"
TEXT = "#1a1a1a"
ACCENT = "#b35900"
# Bubble areas (points²): a few sizes, so that the SVG defines a few marker shapes used at
# every point, not one shape per initiative (1,000 bubbles were 720 kB of markup).
BUBBLE_SIZES = (20, 50, 100, 200, 400, 600)


def _svg(draw, *, uid: str, description: str) -> SafeString:
    # Markup made by matplotlib; the only text inserted (the label) is escaped.
    return mark_safe(
        core_charts.svg_markup(draw, uid=uid, description=description, css_class="survey-chart")
    )


def bubble_size(initial_cost_yen: int) -> int:
    """The bubble's area for an initial cost: 1 point² per 50,000 yen, within 20–600, to
    the nearest of :data:`BUBBLE_SIZES`."""
    raw = max(20, min(600, initial_cost_yen / 50_000))
    return min(BUBBLE_SIZES, key=lambda size: (abs(size - raw), size))


def _cached(kind: str, draw, *key) -> SafeString:
    """Draw once per content (matplotlib takes a second for a thousand bubbles)."""
    digest = hashlib.sha256(repr((RENDER_VERSION, kind, key)).encode()).hexdigest()
    return mark_safe(django_cache.get_or_set(f"portfolio:chart:{digest}", draw, 60 * 60 * 24))


def bar_chart(labels, values, *, uid: str, description: str) -> SafeString:
    labels, values = [str(label) for label in labels], list(values)
    return _cached("bar", lambda: str(_bar(labels, values, uid, description)), labels, values,
                   uid, description)  # fmt: skip


def bubble_chart(points, *, uid: str, description: str, x_label: str, y_label: str) -> SafeString:
    """``points``: (annual cost, annual value, size, label) in yen; axes in 万円."""
    args = (list(points), uid, str(description), str(x_label), str(y_label))
    return _cached("bubble", lambda: str(_bubble(*args)), *args)


def _bar(labels, values, uid: str, description: str) -> SafeString:
    return _svg(lambda: _bar_figure(labels, values), uid=uid, description=description)


def _bar_figure(labels, values):
    fig = core_charts.figure_class()(
        figsize=(6.4, 0.6 + 0.42 * max(len(labels), 1)), layout="constrained"
    )
    ax = fig.add_subplot()
    positions = range(len(labels))
    bars = ax.barh(list(positions), list(values), color=BAR, height=0.6)
    ax.set_yticks(list(positions), labels=list(labels), fontsize=9, color=TEXT)
    ax.invert_yaxis()
    ax.bar_label(bars, labels=[str(v) for v in values], padding=3, fontsize=9, color=TEXT)
    ax.set_xlim(0, max([*values, 1]) * 1.25)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=8)
    return fig


def _bubble(points, uid: str, description: str, x_label: str, y_label: str) -> SafeString:
    return _svg(lambda: _bubble_figure(points, x_label, y_label), uid=uid,
                description=description)  # fmt: skip


def _bubble_figure(points, x_label: str, y_label: str):
    fig = core_charts.figure_class()(figsize=(6.4, 4.6), layout="constrained")
    ax = fig.add_subplot()
    if points:
        xs = [p[0] / 10_000 for p in points]
        ys = [p[1] / 10_000 for p in points]
        by_size: dict[int, list[int]] = {}
        for n, p in enumerate(points):
            by_size.setdefault(bubble_size(p[2]), []).append(n)
        # One scatter per size, the largest first (under the small ones): a collection of
        # one size is one marker definition used at every point.
        for size in sorted(by_size, reverse=True):
            members = by_size[size]
            ax.scatter([xs[n] for n in members], [ys[n] for n in members], s=size, color=BAR,
                       alpha=0.45, edgecolors=BAR)  # fmt: skip
        right, up = max(xs) * 1.1 or 1, max(ys) * 1.1 or 1
        ax.plot([0, max(right, up)], [0, max(right, up)], color=ACCENT, linewidth=1,
                linestyle="--")  # fmt: skip
        # The label where the diagonal leaves the plot (a label outside the axes made the
        # layout collapse when value and cost differ by far).
        end = min(right, up) / 1.1
        ax.text(end, end, " = 1.0", color=ACCENT, fontsize=8, va="bottom", ha="right")
        ax.set_xlim(0, right)
        ax.set_ylim(0, up)
    ax.set_xlabel(x_label, fontsize=9, color=TEXT)
    ax.set_ylabel(y_label, fontsize=9, color=TEXT)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(color="#d0d0d0", linewidth=0.5)
    ax.set_axisbelow(True)
    return fig


# --- the roadmap ---------------------------------------------------------------------------------

LABEL_W = 300
YEAR_W = 80
ROW_H = 22
HEAD_H = 40


MILESTONE_R = 6  # half the diagonal of a milestone's diamond


def milestone_x(day: date, first: int) -> float:
    """Where a day falls on the roadmap: its fiscal year's column, and within it the share
    of the year (1 April to 31 March) gone by."""
    fy = fiscal_year_of(day)
    start, end = date(fy, 4, 1), date(fy + 1, 4, 1)
    return LABEL_W + (fy - first + (day - start).days / (end - start).days) * YEAR_W


MILESTONE_DEFS = (
    # Reached: filled; planned: open. Dark on white with a white edge, visible on a bar and
    # on the background alike. Drawn once, used at every milestone.
    "<defs>"
    + "".join(
        f'<path id="roadmap-milestone-{key}" d="M0 -{MILESTONE_R}l{MILESTONE_R} {MILESTONE_R}'
        f'l-{MILESTONE_R} {MILESTONE_R}l-{MILESTONE_R} -{MILESTONE_R}z" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="1.5"/>'
        for key, fill, stroke in (("reached", "#1a1a1a", "#ffffff"),
                                  ("planned", "#ffffff", "#1a1a1a"))
    )
    + "</defs>"
)  # fmt: skip


def _diamond(x: float, y: float, *, reached: bool, title: str) -> str:
    key = "reached" if reached else "planned"
    return (
        f'<use class="milestone" href="#roadmap-milestone-{key}" x="{x:.1f}" y="{y:.1f}">'
        f"<title>{html.escape(title)}</title></use>"
    )


def roadmap_svg(*, years: list[int], groups, steps, year_label, description: str,
                milestone_title=None, legend=None) -> SafeString:  # fmt: skip
    """Rows by pillar, a bar per initiative over its fiscal years with its milestones
    (``item.roadmap_milestones``) as diamonds on their dates, the vision's steps and the
    next strategy's start as vertical marks. Pure SVG, readable without JavaScript; the
    page's table is the text alternative. ``milestone_title(m)`` names a milestone in its
    tooltip; ``legend`` maps "reached" and "planned" to the legend's words."""
    if not years:
        return mark_safe("")
    milestone_title = milestone_title or (lambda m: f"{m.title} {m.due_on.isoformat()}")
    first, last = years[0], years[-1]
    width = LABEL_W + YEAR_W * len(years) + 10
    rows = sum(1 + len(items) for _label, items in groups)
    bottom = HEAD_H + ROW_H * rows  # below the last row
    height = bottom + (52 if legend else 30)
    e = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="roadmap" viewBox="0 0 {width} {height}"'
        f' role="img" aria-label="{e(description)}" style="width:100%;height:auto">',
        f"<title>{e(description)}</title>",
        '<style>text{font-family:"IPAexGothic","Noto Sans JP",sans-serif;font-size:11px;'
        "fill:#1a1a1a}.g{font-weight:bold}.y{font-size:10px}</style>",
        MILESTONE_DEFS,
    ]
    for i, fy in enumerate(years):
        x = LABEL_W + i * YEAR_W
        shade = "#f2f2f2" if i % 2 else "#ffffff"
        parts.append(
            f'<rect x="{x}" y="{HEAD_H - 4}" width="{YEAR_W}" '
            f'height="{bottom - HEAD_H + 4}" fill="{shade}"/>'
        )
        for n, line in enumerate(year_label(fy)):
            parts.append(
                f'<text class="y" x="{x + YEAR_W / 2}" y="{14 + n * 13}" '
                f'text-anchor="middle">{e(line)}</text>'
            )
    y = HEAD_H
    for label, items in groups:
        parts.append(f'<text class="g" x="4" y="{y + 15}">{e(label[:40])}</text>')
        y += ROW_H
        for item in items:
            start, end = max(item.fiscal_year_start, first), min(item.fiscal_year_end, last)
            parts.append(f'<text x="16" y="{y + 15}">{e(item.title[:36])}</text>')
            if start <= end:
                x = LABEL_W + (start - first) * YEAR_W + 3
                w = (end - start + 1) * YEAR_W - 6
                colour = "#8c8c8c" if item.status in ("done", "stopped") else "#0046a3"
                parts.append(
                    f'<rect x="{x}" y="{y + 4}" width="{w}" height="{ROW_H - 8}" rx="3" '
                    f'fill="{colour}">'
                    f"<title>{e(item.title)}</title></rect>"
                )
            for m in getattr(item, "roadmap_milestones", ()):
                if first <= fiscal_year_of(m.due_on) <= last:
                    parts.append(_diamond(milestone_x(m.due_on, first), y + ROW_H / 2,
                                          reached=m.done, title=milestone_title(m)))  # fmt: skip
            y += ROW_H
    for step in steps:
        if not first <= step.fiscal_year <= last:
            continue
        x = LABEL_W + (step.fiscal_year - first) * YEAR_W
        colour = "#b35900" if step.kind == "strategy" else "#1d7d3a"
        parts.append(
            f'<line x1="{x}" y1="{HEAD_H - 6}" x2="{x}" y2="{bottom + 8}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="6 3"/>'
        )
        parts.append(
            f'<text x="{x + 3}" y="{bottom + 22}" style="fill:{colour}">{e(step.name[:20])}</text>'
        )
    if legend:
        y = bottom + 40
        for n, (reached, key) in enumerate(((True, "reached"), (False, "planned"))):
            x = 10 + n * 160
            parts.append(_diamond(x + MILESTONE_R, y - 4, reached=reached, title=legend[key]))
            parts.append(f'<text x="{x + 2 * MILESTONE_R + 6}" y="{y}">{e(legend[key])}</text>')
    parts.append("</svg>")
    # Every text inserted is escaped above.
    return mark_safe("".join(parts))
