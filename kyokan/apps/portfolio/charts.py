"""Charts of the portfolio: bar charts of the balance and the levers, the cost vs value
bubble chart (matplotlib, as surveys/charts.py: SVG inline, plain-text labels, each chart
with its table), and the roadmap, drawn as SVG by hand (a grid of years and bars needs no
plotting library, and stays crisp when printed on A3)."""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass

from django.core.cache import cache as django_cache
from django.utils.safestring import SafeString, mark_safe

# One matplotlib set-up for the whole project (fonts, no mathtext, stable ids, the lock).
from kyokan.apps.surveys.charts import _figure_class, _lock, _prefix_ids

RENDER_VERSION = "1"  # bump when the drawing changes
BAR = "#0046a3"
TEXT = "#1a1a1a"
ACCENT = "#b35900"


def _svg(fig, *, uid: str, description: str) -> SafeString:
    buffer = io.StringIO()
    with _lock:
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    text = re.sub(r"\s*<!--.*?-->", "", text, flags=re.S)
    text = _prefix_ids(text, uid)
    match = re.match(r'<svg([^>]*?)\swidth="([\d.]+)pt"\sheight="([\d.]+)pt"', text)
    width = match.group(2) if match else "460.8"
    label = html.escape(description, quote=True)
    end = text.index(">") + 1
    opening = re.sub(r'\s(width|height)="[\d.]+pt"', "", text[:end])
    opening = opening[:-1] + (
        f' class="survey-chart" role="img" aria-label="{label}"'
        f' style="width: 100%; max-width: {width}pt; height: auto"><title>{label}</title>'
    )
    # Markup made by matplotlib; the only text inserted (the label) is escaped.
    return mark_safe(opening + text[end:].strip())


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
    Figure = _figure_class()
    fig = Figure(figsize=(6.4, 0.6 + 0.42 * max(len(labels), 1)), layout="constrained")
    ax = fig.add_subplot()
    positions = range(len(labels))
    bars = ax.barh(list(positions), list(values), color=BAR, height=0.6)
    ax.set_yticks(list(positions), labels=list(labels), fontsize=9, color=TEXT)
    ax.invert_yaxis()
    ax.bar_label(bars, labels=[str(v) for v in values], padding=3, fontsize=9, color=TEXT)
    ax.set_xlim(0, max([*values, 1]) * 1.25)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=8)
    return _svg(fig, uid=uid, description=description)


def _bubble(points, uid: str, description: str, x_label: str, y_label: str) -> SafeString:
    Figure = _figure_class()
    fig = Figure(figsize=(6.4, 4.6), layout="constrained")
    ax = fig.add_subplot()
    if points:
        xs = [p[0] / 10_000 for p in points]
        ys = [p[1] / 10_000 for p in points]
        sizes = [max(20, min(600, p[2] / 50_000)) for p in points]
        ax.scatter(xs, ys, s=sizes, color=BAR, alpha=0.45, edgecolors=BAR)
        top = max(max(xs), max(ys), 1)
        ax.plot([0, top], [0, top], color=ACCENT, linewidth=1, linestyle="--")
        ax.text(top, top, " = 1.0", color=ACCENT, fontsize=8, va="bottom", ha="right")
        ax.set_xlim(0, max(xs) * 1.1 or 1)
        ax.set_ylim(0, max(ys) * 1.1 or 1)
    ax.set_xlabel(x_label, fontsize=9, color=TEXT)
    ax.set_ylabel(y_label, fontsize=9, color=TEXT)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(color="#d0d0d0", linewidth=0.5)
    ax.set_axisbelow(True)
    return _svg(fig, uid=uid, description=description)


# --- the roadmap ---------------------------------------------------------------------------------

LABEL_W = 300
YEAR_W = 80
ROW_H = 22
HEAD_H = 40


@dataclass
class RoadmapBar:
    label: str
    start: int
    end: int
    status: str


def roadmap_svg(*, years: list[int], groups, steps, year_label, description: str) -> SafeString:
    """Rows by pillar, a bar per initiative over its fiscal years, the vision's steps and
    the next strategy's start as vertical marks. Pure SVG, readable without JavaScript;
    the page's table is the text alternative."""
    if not years:
        return mark_safe("")
    first, last = years[0], years[-1]
    width = LABEL_W + YEAR_W * len(years) + 10
    rows = sum(1 + len(items) for _label, items in groups)
    height = HEAD_H + ROW_H * rows + 30
    e = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="roadmap" viewBox="0 0 {width} {height}"'
        f' role="img" aria-label="{e(description)}" style="width:100%;height:auto">',
        f"<title>{e(description)}</title>",
        '<style>text{font-family:"IPAexGothic","Noto Sans JP",sans-serif;font-size:11px;'
        "fill:#1a1a1a}.g{font-weight:bold}.y{font-size:10px}</style>",
    ]
    for i, fy in enumerate(years):
        x = LABEL_W + i * YEAR_W
        shade = "#f2f2f2" if i % 2 else "#ffffff"
        parts.append(
            f'<rect x="{x}" y="{HEAD_H - 4}" width="{YEAR_W}" '
            f'height="{height - HEAD_H - 26}" fill="{shade}"/>'
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
            y += ROW_H
    for step in steps:
        if not first <= step.fiscal_year <= last:
            continue
        x = LABEL_W + (step.fiscal_year - first) * YEAR_W
        colour = "#b35900" if step.kind == "strategy" else "#1d7d3a"
        parts.append(
            f'<line x1="{x}" y1="{HEAD_H - 6}" x2="{x}" y2="{height - 22}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="6 3"/>'
        )
        parts.append(
            f'<text x="{x + 3}" y="{height - 8}" style="fill:{colour}">{e(step.name[:20])}</text>'
        )
    parts.append("</svg>")
    # Every text inserted is escaped above.
    return mark_safe("".join(parts))
