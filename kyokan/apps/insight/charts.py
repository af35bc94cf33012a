"""The opinion map: every answer a point, coloured by its coarse cluster (SVG for the page).
The page also lists the clusters as a table, the text alternative of the map."""

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib_fontja  # noqa: F401 - registers the bundled Japanese font

PALETTE = ["#0017c1", "#b78f00", "#1a7f37", "#c5000b", "#6f42c1", "#00718f", "#8a4b08",
           "#5c5c5c", "#d63384", "#3f6e00"]  # fmt: skip


def opinion_map_svg(result: dict, *, title: str) -> str:
    items = [i for i in result.get("items", []) if i.get("x") is not None]
    coarse = [c for c in result.get("clusters", []) if c["level"] == 1]
    colour = {c["id"]: PALETTE[n % len(PALETTE)] for n, c in enumerate(coarse)}
    labels = {c["id"]: c["label"] for c in coarse}
    fig, ax = plt.subplots(figsize=(7.5, 5.5), dpi=100)
    for cluster_id in colour:
        points = [i for i in items if i["clusters"][0] == cluster_id]
        ax.scatter(
            [p["x"] for p in points],
            [p["y"] for p in points],
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
    fig.savefig(out, format="svg")
    plt.close(fig)
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(
        r"<svg ",
        f'<svg role="img" aria-label="{safe_title}" ',
        svg,
        count=1,
    )
