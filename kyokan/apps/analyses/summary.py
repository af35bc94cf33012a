"""The summary of a finished run: what the pages read, built once when the run finishes.

The library's JSON (``AnalysisRun.result``, exported as is) holds one entry per answer and,
in its statistics, the ids of every member of every near-duplicate group and campaign — for
100,000 answers tens of megabytes, too much to load for every page. The summary keeps the
groups and statistics without those lists, refers to answers by their position in the
input (``AnalysisItem.position``, indexed), bounds what grows with the data (texts quoted
in lists are cut, breakdowns keep their largest values) and holds the opinion map's points,
already aggregated (:func:`.charts.map_data`). Nothing in it is translated: the pages
translate it when they are drawn.
"""

from __future__ import annotations

from . import charts

VERSION = 1
#: Texts quoted in the near-duplicate and campaign lists (the full text is in the items).
QUOTE_CHARS = 400
#: Values of one attribute kept per group in the breakdowns (the largest ones), and the
#: largest number of values for which the per-value statistics are kept: an attribute with a
#: value per answer (an imported free column) would otherwise grow with the data.
BREAKDOWN_VALUES = 20
GROUP_VALUES = 100


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def _top(counts: dict, limit: int = BREAKDOWN_VALUES) -> dict:
    ordered = sorted(counts.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
    kept = dict(ordered[:limit])
    rest = sum(int(v) for _k, v in ordered[limit:])
    return {"values": kept, "others": rest, "distinct_values": len(ordered)}


def build(result: dict, position_of: dict[str, int], texts: list[str]) -> dict:
    """``result`` is the library's JSON, ``position_of`` maps an item id to its position,
    ``texts`` are the answers' texts by position."""
    stats = result.get("stats", {})

    def at(item_id) -> int | None:
        return position_of.get(str(item_id))

    fields = ("id", "level", "parent", "label", "keywords", "size", "rows")
    clusters = [
        {
            **{k: c.get(k) for k in fields},
            "representatives": [
                p for p in (at(i) for i in c.get("representatives", [])) if p is not None
            ],
        }
        for c in result.get("clusters", [])
    ]
    bulk = {str(b.get("representative")) for b in stats.get("bulk") or []}
    near = [
        {
            "at": at(d.get("representative")),
            "text": _quote(str(d.get("text", ""))),
            "count": int(d.get("count", 0)),
            "bulk": str(d.get("representative")) in bulk,
        }
        for d in stats.get("near_duplicates") or []
    ]
    campaigns = [
        {
            "id": c.get("id"),
            "at": at(c.get("representative")),
            "text": _quote(str(c.get("text", ""))),
            "distinct": int(c.get("distinct", 0)),
            "count": int(c.get("count", 0)),
        }
        for c in stats.get("campaigns") or []
    ]
    groups = {
        name: values
        for name, values in (stats.get("groups") or {}).items()
        if len(values) <= GROUP_VALUES
    }
    breakdown = {
        cid: {name: _top(values) for name, values in by_attribute.items()}
        for cid, by_attribute in (stats.get("breakdown") or {}).items()
    }
    kept = {
        key: stats[key]
        for key in (
            "divergence", "divergence_parts", "divergence_detail", "items", "analysed", "empty",
            "distinct", "duplicates", "duplicate_groups", "selection", "clusters",
            "max_analysis_chars", "word_vectors", "campaign_rule", "bulk_rule",
        )
        if key in stats
    }  # fmt: skip
    kept["truncated"] = len(stats.get("truncated") or [])
    kept["groups"] = groups
    kept["groups_left_out"] = sorted(set(stats.get("groups") or {}) - set(groups))
    kept["breakdown"] = breakdown
    alignment = stats.get("alignment")
    if alignment:
        kept["alignment"] = {
            k: alignment.get(k) for k in ("mean", "clusters", "parts", "part_counts")
        }
    return {
        "version": VERSION,
        "clusters": clusters,
        "stats": kept,
        "near_duplicates": near,
        "campaigns": campaigns,
        "map": charts.map_data(result.get("items", []), texts),
    }
