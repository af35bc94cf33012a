"""Charts of survey results, drawn with matplotlib.

One code path: a :class:`BarChart` (what to draw) becomes a matplotlib Figure in
:func:`figure`; :func:`svg` turns it into inline SVG for a page and :func:`png` into an
image for a Word or PDF report. The builders :func:`question_chart` and :func:`rate_chart`
make the specification from the selectors' results.

The matplotlib set-up (fonts, plain-text labels, stable ids, the rendering lock) and the
inline SVG markup are core's, shared with the other modules: :mod:`kyokan.apps.core.charts`.

An inline SVG is an image for assistive technology (role="img", an aria-label and a
<title>); the page's table next to it is the text alternative with every number.
"""

import hashlib
import textwrap
from dataclasses import dataclass

from django.core.cache import cache as django_cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kyokan.apps.core import charts as core_charts

from .models import Question

BAR_COLOUR = "#0046a3"  # 9.1:1 on white: bars stand out without relying on hue
TEXT_COLOUR = "#1a1a1a"
WIDTH_INCHES = 6.4
LABEL_WRAP = 16  # characters per line of a bar's label (full-width characters are wide)
LABEL_LINES = 3
SVG_CACHE_SECONDS = 60 * 60 * 24
_RENDER_VERSION = "2"  # bump when the drawing changes, so that cached SVGs are redrawn


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: one bar per label, top to bottom in the given order."""

    labels: tuple[str, ...]
    values: tuple[float, ...]
    # The text printed at the end of each bar (e.g. "12 (40%)").
    value_texts: tuple[str, ...]
    # The accessible name (aria-label and <title>), e.g. "Bar chart of the answers to …".
    description: str
    # A short line above the chart, e.g. "n = 30 · mean 3.40".
    note: str = ""
    percent: bool = False  # the axis runs from 0 to 100 %

    def key(self) -> str:
        return hashlib.sha256(repr((_RENDER_VERSION, self)).encode()).hexdigest()


# --- building the specifications ------------------------------------------------------

CHART_KINDS = frozenset({Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.LIKERT})


def _percent(count: int, n: int) -> str:
    return f"{count / n:.0%}" if n else "–"


def question_chart(question: Question, result: dict) -> BarChart | None:
    """The bar chart of a choice or Likert question's counts (None for other kinds and
    for a question nobody answered)."""
    if question.kind not in CHART_KINDS or not result.get("n"):
        return None
    n = result["n"]
    labels = tuple(str(label) for label, _count in result["rows"])
    values = tuple(count for _label, count in result["rows"])
    note = _("n = %(n)s") % {"n": n}
    if result.get("mean") is not None:
        note += " · " + _("mean %(mean).2f") % {"mean": result["mean"]}
    return BarChart(
        labels=labels,
        values=values,
        value_texts=tuple(f"{count} ({_percent(count, n)})" for count in values),
        description=_("Bar chart of the answers to “%(question)s” (%(note)s)")
        % {"question": question.text, "note": note},
        note=note,
    )


def rate_chart(rate: dict) -> BarChart | None:
    """The response rate of each bureau (None when the survey has no listed audience)."""
    rows = rate.get("rows") or []
    if not rows:
        return None
    return BarChart(
        labels=tuple(row["bureau"] for row in rows),
        values=tuple(row["rate"] * 100 for row in rows),
        value_texts=tuple(
            f"{row['rate']:.0%} ({row['answered']}/{row['audience']})" for row in rows
        ),
        description=_("Bar chart of the response rate by bureau"),
        percent=True,
    )


# --- drawing ----------------------------------------------------------------------------


def _wrap(label: str) -> str:
    lines = textwrap.wrap(label, LABEL_WRAP, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = [*lines[: LABEL_LINES - 1], lines[LABEL_LINES - 1][:-1] + "…"]
    return "\n".join(lines)


def figure(chart: BarChart):
    """The chart as a matplotlib Figure (for :func:`svg` and :func:`png`)."""
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    labels = [_wrap(label) for label in chart.labels]
    lines = sum(label.count("\n") + 1 for label in labels)
    height = 0.6 + 0.28 * lines + 0.14 * len(labels) + (0.3 if chart.note else 0)
    fig = core_charts.figure_class()(figsize=(WIDTH_INCHES, max(height, 1.6)), layout="constrained")
    ax = fig.add_subplot()
    positions = range(len(labels))
    bars = ax.barh(positions, chart.values, color=BAR_COLOUR, height=0.6)
    ax.set_yticks(list(positions), labels=labels, color=TEXT_COLOUR, fontsize=9)
    ax.invert_yaxis()  # the first option on top, as in the table
    ax.bar_label(bars, labels=list(chart.value_texts), padding=3, fontsize=9, color=TEXT_COLOUR)
    top = max(chart.values, default=0)
    if chart.percent:
        ax.set_xlim(0, 125)  # room for the text after a full bar
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.xaxis.set_major_formatter(PercentFormatter(100))
    else:
        ax.set_xlim(0, max(top, 1) * 1.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="x", labelsize=8, colors=TEXT_COLOUR)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#d0d0d0", linewidth=0.6)
    ax.set_axisbelow(True)
    if chart.note:
        ax.set_title(chart.note, loc="left", fontsize=9, color=TEXT_COLOUR)
    return fig


def png(chart: BarChart, *, dpi: int = 200) -> bytes:
    """The chart as a PNG (e.g. for python-docx's ``add_picture``)."""
    return core_charts.png_bytes(lambda: figure(chart), dpi=dpi)


def _render_svg(chart: BarChart, uid: str) -> str:
    return core_charts.svg_markup(
        lambda: figure(chart), uid=uid, description=chart.description, css_class="survey-chart"
    )


def svg(chart: BarChart, *, uid: str) -> SafeString:
    """The chart as inline SVG markup; ``uid`` (unique in the page) prefixes its ids.
    Drawn once per content and cached."""
    key = f"surveys:chart:{uid}:{chart.key()}"
    # Markup made by matplotlib; the only text inserted (the label) is escaped.
    return mark_safe(
        django_cache.get_or_set(key, lambda: _render_svg(chart, uid), SVG_CACHE_SECONDS)
    )
