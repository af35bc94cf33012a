"""The one matplotlib set-up of Kyokan, shared by every module that draws charts.

matplotlib is imported on first use (it takes most of a second), with the Agg backend and
the IPAex Gothic font that matplotlib-fontja ships, so Japanese labels render on any server
without a system font and nothing is downloaded at run time. Every text is drawn as written
(no mathtext, never LaTeX: "$x$" in a label is not mathematics), SVG text is drawn as paths
(no font needed where the SVG is shown) and element ids come from a fixed salt, so that the
same chart gives the same SVG. Only the object-oriented API is used (no pyplot state).

matplotlib's font cache is not thread-safe: figures are built and drawn under the one
:data:`LOCK`, which :func:`svg_markup` and :func:`png_bytes` take for the caller.

An inline SVG is an image for assistive technology (role="img", an aria-label and a
<title>); the page shows a table or a text next to it as the alternative.
"""

from __future__ import annotations

import html
import io
import re
import threading
from collections.abc import Callable
from functools import cache

LOCK = threading.Lock()


@cache
def figure_class():
    """matplotlib's Figure, after the set-up above (done once per process)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib_fontja  # noqa: F401  (registers IPAex Gothic as the font family)

    matplotlib.rcParams["svg.hashsalt"] = "kyokan"
    matplotlib.rcParams["svg.fonttype"] = "path"
    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["text.usetex"] = False
    from matplotlib.figure import Figure

    return Figure


_ID = re.compile(r'(\sid="|href="#|url\(#)([^")]+)')


def prefix_ids(svg_text: str, prefix: str) -> str:
    """Make the element ids unique to this chart: several SVGs inline in one page would
    otherwise share ids such as "figure_1" and the glyph definitions."""
    ids = set(re.findall(r'\sid="([^"]+)"', svg_text))

    def replace(match: re.Match) -> str:
        lead, name = match.groups()
        return f"{lead}{prefix}-{name}" if name in ids else match.group(0)

    return _ID.sub(replace, svg_text)


def svg_markup(draw: Callable[[], object], *, uid: str, description: str,
               css_class: str = "chart") -> str:  # fmt: skip
    """The figure ``draw()`` returns, as SVG markup to put inline in a page: no XML
    declaration, metadata or comments, ids prefixed with ``uid`` (unique in the page),
    scaled to the page's width, with ``description`` as its accessible name. The only text
    inserted (the description) is escaped; the rest is matplotlib's markup."""
    buffer = io.StringIO()
    with LOCK:
        draw().savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    text = re.sub(r"\s*<!--.*?-->", "", text, flags=re.S)  # the texts drawn, as comments
    text = prefix_ids(text, uid)
    match = re.match(r'<svg([^>]*?)\swidth="([\d.]+)pt"\sheight="([\d.]+)pt"', text)
    width = match.group(2) if match else "460.8"
    label = html.escape(str(description), quote=True)
    opening_end = text.index(">") + 1
    opening = re.sub(r'\s(width|height)="[\d.]+pt"', "", text[:opening_end])
    opening = opening[:-1] + (
        f' class="{html.escape(css_class, quote=True)}" role="img" aria-label="{label}"'
        f' style="width: 100%; max-width: {width}pt; height: auto">'
        f"<title>{label}</title>"
    )
    return opening + text[opening_end:].strip()


def png_bytes(draw: Callable[[], object], *, dpi: int = 200) -> bytes:
    """The figure ``draw()`` returns, as a PNG (e.g. for python-docx's ``add_picture``)."""
    buffer = io.BytesIO()
    with LOCK:
        draw().savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
