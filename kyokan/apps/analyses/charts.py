"""The opinion map: answers as points, coloured by their coarse cluster (SVG for the page).
The page also lists the clusters as a table, the text alternative of the map.

At most ``MAP_POINTS`` points are drawn (a random sample with a fixed seed, the same
share of every cluster), so that the page stays small for 100,000 answers; the page says
how many are shown. Every text is drawn as plain text (no mathtext: a "$" in a label is a
dollar sign). Only the object-oriented API is used, under a lock (matplotlib's font cache is
not thread-safe).
"""

import html
import io
import random
import threading
from functools import cache

PALETTE = ["#0017c1", "#b78f00", "#1a7f37", "#c5000b", "#6f42c1", "#00718f", "#8a4b08",
           "#5c5c5c", "#d63384", "#3f6e00"]  # fmt: skip
MAP_POINTS = 2_000
_lock = threading.Lock()


@cache
def _figure_class():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib_fontja  # noqa: F401 - registers the bundled Japanese font

    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["text.usetex"] = False
    matplotlib.rcParams["svg.hashsalt"] = "kyokan"
    from matplotlib.figure import Figure

    return Figure


def map_points(result: dict, limit: int = MAP_POINTS) -> tuple[list[dict], int]:
    """(the items drawn, how many could be drawn): all of them up to ``limit``, else a
    reproducible random sample of ``limit``."""
    items = [i for i in result.get("items", []) if i.get("x") is not None]
    if len(items) <= limit:
        return items, len(items)
    return random.Random(0).sample(items, limit), len(items)


def opinion_map_svg(result: dict, *, title: str) -> str:
    items, _total = map_points(result)
    coarse = [c for c in result.get("clusters", []) if c["level"] == 1]
    colour = {c["id"]: PALETTE[n % len(PALETTE)] for n, c in enumerate(coarse)}
    labels = {c["id"]: c["label"] for c in coarse}
    with _lock:
        fig = _figure_class()(figsize=(7.5, 5.5), dpi=100)
        ax = fig.add_subplot()
        for cluster_id in colour:
            points = [i for i in items if i["clusters"][0] == cluster_id]
            ax.scatter(
                [round(p["x"], 3) for p in points],
                [round(p["y"], 3) for p in points],
                s=12,
                alpha=0.75,
                color=colour[cluster_id],
                label=f"{cluster_id} {labels[cluster_id]}"[:28],
            )
        ax.set_xticks([])
        ax.set_yticks([])
        if items:
            ax.legend(loc="best", fontsize=8, frameon=True)
        fig.tight_layout()
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    safe_title = html.escape(title, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{safe_title}" ', 1)
