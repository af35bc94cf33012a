"""The analysis pages' charts.

**The opinion map** is SVG written here, not drawn by matplotlib: every answer (or, for
large runs, every cell of a grid) is a circle inside a link to its group's page, with an
SVG ``<title>`` as its tooltip — it works without JavaScript. Its points are computed once
when the run finishes (:func:`map_data`, kept in the run's summary):

- up to :data:`MAP_POINTS` distinct positions, one circle per position (answers at the same
  place in the same group — near-duplicates — make one bigger circle), its tooltip quoting
  the beginning of the answer;
- above, the plane is cut into a :data:`GRID` grid and the answers of one coarse group in
  one cell make one circle (at their mean position, its area growing with their number;
  the link's tooltip names the group and its counts). The number of circles is bounded
  (:data:`MAX_CIRCLES`: the grid is made coarser where the groups overlap everywhere),
  whatever the number of answers: the map of 100,000 answers stays under 100 kB (measured
  in tests/analyses/test_hostile_and_large.py).

The other charts (how the number of groups was chosen, the rounds' shares of the groups)
are drawn with matplotlib through :mod:`kyokan.apps.core.charts`, the one set-up of Kyokan.
Every chart has its table next to it on the page.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

from kyokan.apps.core import charts as core_charts

PALETTE = ["#0017c1", "#b78f00", "#1a7f37", "#c5000b", "#6f42c1", "#00718f", "#8a4b08",
           "#5c5c5c", "#d63384", "#3f6e00"]  # fmt: skip
#: Up to this many distinct positions the map draws every answer with its text in the
#: tooltip (about 150 bytes each); above, the grid's cells. Chosen for the page's weight.
MAP_POINTS = 600
#: The grid of a large map (columns, rows): at most 40 × 28 cells per coarse group.
GRID = (40, 28)
#: At most this many circles in a large map (about 45 bytes each): where the groups overlap
#: everywhere, the grid is made coarser (by the scales below) until they fit.
MAX_CIRCLES = 1_500
GRID_SCALES = (1.0, 0.75, 0.5, 0.35, 0.25, 0.15, 0.1)
SNIPPET = 40  # characters of an answer quoted in its tooltip
WIDTH, HEIGHT, PAD = 720, 460, 28


def _snippet(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def map_data(items: list[dict], texts: list[str]) -> dict:
    """The map's points from the library's items (``texts`` by position): ``{"mode":
    "points"|"cells", "total": answers placed, "bounds": [x0, x1, y0, y1], "points": [[x, y,
    coarse, fine, answers, snippet], …]}`` (``snippet`` empty for cells)."""
    places: dict[tuple, list] = {}
    for n, item in enumerate(items):
        x, y = item.get("x"), item.get("y")
        if x is None or y is None:
            continue
        coarse, fine = [*(item.get("clusters") or []), None, None][:2]
        key = (x, y, fine)
        if key in places:
            places[key][4] += 1
        else:
            places[key] = [x, y, coarse, fine, 1, n]
    total = sum(p[4] for p in places.values())
    if not places:
        return {"mode": "points", "total": 0, "bounds": [-1, 1, -1, 1], "points": []}
    xs = [p[0] for p in places.values()]
    ys = [p[1] for p in places.values()]
    bounds = [min(xs), max(xs), min(ys), max(ys)]
    if len(places) <= MAP_POINTS:
        points = [
            [x, y, c, f, count, _snippet(texts[n]) if n < len(texts) else ""]
            for x, y, c, f, count, n in places.values()
        ]
        return {"mode": "points", "total": total, "bounds": bounds, "points": points}
    places_list = list(places.values())
    chosen = GRID_SCALES[-1]
    for scale in GRID_SCALES:  # the finest grid whose circles fit
        cols, rows = _grid(scale)
        if len(_cell_keys(places_list, bounds, cols, rows)) <= MAX_CIRCLES:
            chosen = scale
            break
    cols, rows = _grid(chosen)
    cells: dict[tuple, list] = {}
    for (x, y, _c, f, count, _n), key in zip(
        places_list, _cell_keys(places_list, bounds, cols, rows, unique=False), strict=True
    ):
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = [0.0, 0.0, 0, {}]
        cell[0] += x * count
        cell[1] += y * count
        cell[2] += count
        cell[3][f] = cell[3].get(f, 0) + count
    points = [
        [round(sx / n, 4), round(sy / n, 4), key[2], max(fines, key=fines.get), n, ""]
        for key, (sx, sy, n, fines) in cells.items()
    ]
    return {"mode": "cells", "total": total, "bounds": bounds, "points": points}


def _grid(scale: float) -> tuple[int, int]:
    return max(1, round(GRID[0] * scale)), max(1, round(GRID[1] * scale))


def _cell_keys(places: list, bounds, cols: int, rows: int, unique: bool = True):
    """The (column, row, coarse group) of every place: a set, or the list in order."""
    x0, x1, y0, y1 = bounds
    fx, fy = cols / ((x1 - x0) or 1.0), rows / ((y1 - y0) or 1.0)
    keys = [
        (min(cols - 1, int((p[0] - x0) * fx)), min(rows - 1, int((p[1] - y0) * fy)), p[2])
        for p in places
    ]
    return set(keys) if unique else keys


def colours(clusters: list[dict]) -> dict[str, str]:
    """A colour per coarse group (in the order of the groups)."""
    coarse = [c for c in clusters if c.get("level") == 1]
    return {c["id"]: PALETTE[n % len(PALETTE)] for n, c in enumerate(coarse)}


def opinion_map_svg(
    data: dict,
    clusters: list[dict],
    *,
    title: str,
    description: str,
    group_url: Callable[[str], str],
    group_title: Callable[[dict], str],
    point_title: Callable[[str, int], str],
) -> str:
    """The map as inline SVG. ``group_url(cluster_id)`` is a group page's address,
    ``group_title(cluster)`` a group's name with its counts (the link's tooltip and
    accessible name), ``point_title(snippet, answers)`` an answer's tooltip. Every text
    written is escaped."""
    esc = lambda value: html.escape(str(value), quote=True)  # noqa: E731
    by_id = {c["id"]: c for c in clusters}
    colour = colours(clusters)
    x0, x1, y0, y1 = data.get("bounds") or [-1, 1, -1, 1]
    # An axis along which every answer lies at one value is centred, not drawn at its edge.
    if x1 == x0:
        x0, x1 = x0 - 1.0, x0 + 1.0
    if y1 == y0:
        y0, y1 = y0 - 1.0, y0 + 1.0
    width, height = x1 - x0, y1 - y0

    def px(x: float) -> float:
        return round(PAD + (x - x0) / width * (WIDTH - 2 * PAD), 1)

    def py(y: float) -> float:
        return round(HEIGHT - PAD - (y - y0) / height * (HEIGHT - 2 * PAD), 1)

    points = data.get("points") or []
    largest = max((p[4] for p in points), default=1)
    cells = data.get("mode") == "cells"
    by_fine: dict[str, list] = {}
    for p in points:
        by_fine.setdefault(p[3] or "", []).append(p)
    out = [
        f'<svg class="opinion-map" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="map-title map-desc" '
        f'style="width: 100%; max-width: {WIDTH}px; height: auto">'
        f'<title id="map-title">{esc(title)}</title><desc id="map-desc">{esc(description)}</desc>'
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" fill="#fff" '
        'stroke="#d8d8db"/><g fill-opacity="0.7" stroke="#fff" stroke-width="0.5">'
    ]
    for fine_id in sorted(by_fine, key=lambda f: tuple(_number_key(f))):
        group = by_id.get(fine_id)
        members = by_fine[fine_id]
        coarse_id = (group or {}).get("parent") or members[0][2]
        fill = colour.get(coarse_id, "#5c5c5c")
        if group is not None:
            out.append(f'<a href="{esc(group_url(fine_id))}" fill="{fill}">')
            out.append(f"<title>{esc(group_title(group))}</title>")
        else:
            out.append(f'<g fill="{fill}">')
        for x, y, _c, _f, count, snippet in members:
            if cells:
                r = round(2 + 9 * math.sqrt(count / largest), 1)
                out.append(f'<circle cx="{px(x)}" cy="{py(y)}" r="{r}"/>')
            else:
                r = round(min(12.0, 3.5 + 1.5 * math.sqrt(count - 1)), 1)
                tip = point_title(snippet, count)
                out.append(
                    f'<circle cx="{px(x)}" cy="{py(y)}" r="{r}"><title>{esc(tip)}</title></circle>'
                )
        out.append("</a>" if group is not None else "</g>")
    out.append("</g>")
    # The coarse groups' ids at the centre of their answers, as on the table below.
    centres: dict[str, list[float]] = {}
    for x, y, c, _f, count, _s in points:
        centre = centres.setdefault(c or "", [0.0, 0.0, 0])
        centre[0] += x * count
        centre[1] += y * count
        centre[2] += count
    out.append(
        '<g font-size="14" font-weight="bold" text-anchor="middle" stroke="#fff" '
        'stroke-width="3" paint-order="stroke" aria-hidden="true">'
    )
    for cid, (sx, sy, n) in centres.items():
        if cid and n:
            out.append(
                f'<text x="{px(sx / n)}" y="{py(sy / n)}" fill="{colour.get(cid, "#1a1a1c")}">'
                f"{esc(cid)}</text>"
            )
    out.append("</g></svg>")
    return "".join(out)


def _number_key(cluster_id: str) -> list[int]:
    try:
        return [int(part) for part in cluster_id[1:].split(".")]
    except ValueError:
        return [10**6]


# --- matplotlib charts (through core.charts) ---------------------------------------------


def selection_svg(scores: list[dict], chosen: int, *, description: str, xlabel: str,
                  ylabel: str, uid: str = "selection") -> str:  # fmt: skip
    """The modularity of each number of coarse groups tried, the chosen one marked."""

    def draw():
        fig = core_charts.figure_class()(figsize=(6.4, 2.6), dpi=100)
        ax = fig.add_subplot()
        ks = [s["k"] for s in scores]
        qs = [s["modularity"] for s in scores]
        ax.plot(ks, qs, color=PALETTE[0], marker="o", markersize=3, linewidth=1.2)
        if chosen in ks:
            ax.plot([chosen], [qs[ks.index(chosen)]], "o", color=PALETTE[3], markersize=8)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        return fig

    return core_charts.svg_markup(draw, uid=uid, description=description)


def rounds_svg(groups: list[tuple[str, list[float]]], round_names: list[str], *,
               description: str, xlabel: str, uid: str = "rounds") -> str:  # fmt: skip
    """Horizontal bars: each group's share of the answers, one bar per round."""

    def draw():
        n = max(1, len(groups))
        fig = core_charts.figure_class()(figsize=(6.4, 0.9 + 0.42 * n), dpi=100)
        ax = fig.add_subplot()
        height = 0.8 / max(1, len(round_names))
        for r, name in enumerate(round_names):
            ax.barh(
                [g + r * height for g in range(len(groups))],
                [shares[r] * 100 for _label, shares in groups],
                height=height,
                color=PALETTE[r % len(PALETTE)],
                label=name,
            )
        ax.set_yticks([g + height * (len(round_names) - 1) / 2 for g in range(len(groups))])
        ax.set_yticklabels([label[:24] for label, _shares in groups], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.legend(loc="lower right", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
        fig.tight_layout()
        return fig

    return core_charts.svg_markup(draw, uid=uid, description=description)
