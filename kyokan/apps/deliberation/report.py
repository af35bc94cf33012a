"""The report of a consensus conversation: the library's result joined with the statements'
texts, the opinion map (server-rendered SVG, one <title> tooltip per participant; the group
table is its text alternative), and the CSV tables (written through core.exports)."""

from __future__ import annotations

import html

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import Conversation, Statement, Visibility, Vote

PALETTE = ["#0017c1", "#b78f00", "#1a7f37", "#c5000b", "#6f42c1"]
MAP_W, MAP_H, PAD = 640, 420, 24
MAP_POINTS = 3000


def group_name(gid) -> str:
    """Groups are shown as letters, as in Pol.is: A, B, C …"""
    try:
        return chr(ord("A") + int(gid))
    except (TypeError, ValueError):
        return "—"


def _texts(conversation: Conversation, *, visible_only: bool = False) -> dict[str, Statement]:
    qs = conversation.statements.all()
    if visible_only:
        qs = qs.filter(visibility=Visibility.VISIBLE)
    return {str(s.number): s for s in qs}


def _percent(value) -> int | None:
    return None if value is None else round(float(value) * 100)


def opinion_map_svg(result: dict, *, title: str) -> str:
    """Participants as points on the first two principal components, coloured by group."""
    points = [p for p in result.get("participants", []) if p.get("x") is not None]
    points = points[:MAP_POINTS]
    if not points:
        return ""
    xs = [float(p["x"]) for p in points]
    ys = [float(p["y"]) for p in points]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    sx = (MAP_W - 2 * PAD) / ((x1 - x0) or 1.0)
    sy = (MAP_H - 2 * PAD) / ((y1 - y0) or 1.0)
    label = html.escape(title, quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_W} {MAP_H}" role="img" '
        f'aria-label="{label}" class="chart opinion-map" style="width:100%;max-width:{MAP_W}px;'
        'height:auto">',
        f"<title>{label}</title>",
        f'<rect x="0" y="0" width="{MAP_W}" height="{MAP_H}" fill="#fff" stroke="#ccc"/>',
    ]
    for p, x, y in zip(points, xs, ys, strict=True):
        cx = PAD + (x - x0) * sx
        cy = MAP_H - PAD - (y - y0) * sy
        gid = p.get("group")
        colour = PALETTE[int(gid) % len(PALETTE)] if gid is not None else "#9a9a9a"
        tip = (
            _("Participant %(id)s: group %(g)s, %(n)s votes")
            if gid is not None
            else _("Participant %(id)s: not grouped (%(n)s votes)")
        ) % {"id": p["id"], "g": group_name(gid), "n": p.get("votes", "")}
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}" fill-opacity="0.75">'
            f"<title>{html.escape(tip)}</title></circle>"
        )
    # Group labels at their centres.
    centres: dict = {}
    for p, x, y in zip(points, xs, ys, strict=True):
        if p.get("group") is not None:
            centres.setdefault(p["group"], []).append((x, y))
    for gid, xy in sorted(centres.items()):
        mx = sum(a for a, _b in xy) / len(xy)
        my = sum(b for _a, b in xy) / len(xy)
        cx, cy = PAD + (mx - x0) * sx, MAP_H - PAD - (my - y0) * sy
        parts.append(
            f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="28" font-weight="bold" '
            f'text-anchor="middle" fill="#1a1a1a" stroke="#fff" stroke-width="4" '
            f'paint-order="stroke">{group_name(gid)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def report_context(
    conversation: Conversation, result: dict | None, *, visible_only: bool = False
) -> dict:
    """Groups with their representative statements, consensus and divisive statements,
    each with its numbers and text; the map; the statistics. ``visible_only`` (the public
    report): statements hidden or removed since the analysis are left out."""
    if not result:
        return {}
    texts = _texts(conversation, visible_only=visible_only)

    def text_of(sid) -> str:
        s = texts.get(str(sid))
        return s.text if s else f"#{sid}"

    def shown(item) -> bool:
        return not visible_only or str(item.get("statement")) in texts

    groups = []
    for g in result.get("groups", []):
        reps = []
        for r in filter(shown, g.get("representative", [])):
            reps.append(
                {
                    **r,
                    "text": text_of(r["statement"]),
                    "agree_pct": _percent(r.get("p_agree")),
                    "disagree_pct": _percent(r.get("p_disagree")),
                }
            )
        groups.append(
            {
                "id": g["id"],
                "name": group_name(g["id"]),
                "size": g["size"],
                "colour": PALETTE[int(g["id"]) % len(PALETTE)],
                "representative": reps,
            }
        )

    def per_group(item) -> list[dict]:
        return [
            {"name": group_name(k), "pct": _percent(v)}
            for k, v in sorted((item.get("per_group") or {}).items())
        ]

    consensus = [
        {
            **c,
            "text": text_of(c["statement"]),
            "groups": per_group(c),
            "min_pct": _percent(c.get("p_agree_min")),
        }
        for c in filter(shown, result.get("consensus", []))
    ]
    divisive = [
        {
            **d,
            "text": text_of(d["statement"]),
            "groups": per_group(d),
            "most": group_name(d.get("most_agree_group")),
            "least": group_name(d.get("least_agree_group")),
        }
        for d in filter(shown, result.get("divisive", []))
    ]
    stats = result.get("stats", {})
    return {
        "groups": groups,
        "consensus": consensus,
        "divisive": divisive,
        "stats": stats,
        "candidates": sorted((stats.get("candidates") or {}).items()),
        "map_svg": opinion_map_svg(
            result, title=_("Opinion map of %(name)s") % {"name": conversation.title}
        ),
        "ungrouped": sum(1 for p in result.get("participants", []) if p.get("group") is None),
    }


def statement_rows_qs(conversation: Conversation):
    return (
        conversation.statements.select_related("author")
        .annotate(
            agree=Count("votes", filter=Q(votes__value=1)),
            disagree=Count("votes", filter=Q(votes__value=-1)),
            passed=Count("votes", filter=Q(votes__value=0)),
        )
        .order_by("number")
    )


def statements_table(conversation: Conversation, run) -> tuple[list, object]:
    header = [
        _("no."),
        _("statement"),
        _("seed"),
        _("moderation"),
        _("agree"),
        _("disagree"),
        _("pass"),
        _("consensus"),
        _("divisive"),
    ]
    consensus, divisive = set(), set()
    if run is not None and run.result:
        consensus = {str(c["statement"]) for c in run.result.get("consensus", [])}
        divisive = {str(d["statement"]) for d in run.result.get("divisive", [])}
    rows = (
        [
            s.number,
            s.text,
            s.is_seed,
            s.get_visibility_display(),
            s.agree,
            s.disagree,
            s.passed,
            str(s.number) in consensus,
            str(s.number) in divisive,
        ]
        for s in statement_rows_qs(conversation).iterator(chunk_size=1000)
    )
    return header, rows


def votes_table(conversation: Conversation) -> tuple[list, object]:
    header = [_("participant"), _("statement no."), _("vote"), _("voted")]
    rows = (
        [p, s, v, at]
        for p, s, v, at in Vote.objects.filter(statement__conversation=conversation)
        .order_by("participant__number", "statement__number")
        .values_list("participant__number", "statement__number", "value", "voted_at")
        .iterator(chunk_size=5000)
    )
    return header, rows


def groups_table(conversation: Conversation, result: dict) -> tuple[list, object]:
    header = [_("participant"), _("group"), _("x"), _("y"), _("votes")]
    rows = (
        [
            p["id"],
            group_name(p["group"]) if p.get("group") is not None else "",
            p.get("x"),
            p.get("y"),
            p.get("votes"),
        ]
        for p in result.get("participants", [])
    )
    return header, rows
