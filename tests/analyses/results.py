"""Made-up analysis results of any size, stored on a run as the worker stores a real one
(items, summary), for the page, map and export tests that need more answers than the
library should analyse in a unit test."""

import random

from kyokan import textanalysis
from kyokan.apps.analyses import services
from kyokan.apps.analyses.models import AnalysisRun, CommentSet

COARSE, FINE = 8, 3


def large_result(n: int, *, duplicates_every: int | None = 10, seed: int = 1) -> dict:
    """``n`` answers in 8 coarse groups of 3 fine groups; every ``duplicates_every``-th
    answer is a near-duplicate of the one before; answers 0-9 form campaign K1."""
    rng = random.Random(seed)
    items = []
    for i in range(n):
        c, f = i % COARSE + 1, (i // COARSE) % FINE + 1
        duplicate = bool(duplicates_every) and i % duplicates_every == 1 and i > 0
        source = items[i - 1] if duplicate else None
        items.append(
            {
                "id": str(i),
                "clusters": list(source["clusters"]) if source else [f"C{c}", f"C{c}.{f}"],
                "x": source["x"] if source else round(rng.uniform(-1, 1), 4),
                "y": source["y"] if source else round(rng.uniform(-1, 1), 4),
                "duplicate_of": source["id"] if source else None,
                "campaign": None,
                "alignment": 0.5,
                "alignment_part": i % 2,
            }
        )
    clusters = []
    for c in range(1, COARSE + 1):
        members = [it for it in items if it["clusters"][0] == f"C{c}"]
        clusters.append(
            {"id": f"C{c}", "level": 1, "parent": None, "label": f"$x$ グループ{c}",
             "keywords": ["窓口", "申請"], "size": len(members) - len(members) // 10,
             "rows": len(members), "representatives": [m["id"] for m in members[:3]]}
        )  # fmt: skip
        for f in range(1, FINE + 1):
            fine = [it for it in members if it["clusters"][1] == f"C{c}.{f}"]
            clusters.append(
                {"id": f"C{c}.{f}", "level": 2, "parent": f"C{c}", "label": f"小グループ{c}.{f}",
                 "keywords": ["手続"], "size": len(fine), "rows": len(fine),
                 "representatives": [m["id"] for m in fine[:3]]}
            )  # fmt: skip
    near = [
        {"representative": it["duplicate_of"], "text": f"回答{it['duplicate_of']}", "count": 2,
         "items": [it["duplicate_of"], it["id"]]}
        for it in items if it["duplicate_of"]
    ]  # fmt: skip
    stats = {
        "items": n, "analysed": n, "empty": 0, "distinct": n - len(near), "duplicates": len(near),
        "clusters": {"coarse": COARSE, "fine": COARSE * FINE}, "divergence": 0.5,
        "divergence_parts": {"distance": 0.5, "spread": 0.9},
        "divergence_detail": {"code": "divergence_mean_similarity", "params": {
            "divergence": 0.5, "mean_similarity": 0.5, "respondents": n,
            "distinct": n - len(near), "counted_once": 0}},
        "selection": {"rule": "modularity", "chosen": COARSE, "given": False,
                      "scores": [{"k": k, "modularity": 0.3 + 0.01 * k} for k in range(2, 9)]},
        "near_duplicates": near, "campaigns": [], "bulk": [],
        "alignment": {"mean": 0.5, "clusters": {}, "parts": ["市民起点", "業務改革"],
                      "part_counts": [n // 2, n - n // 2]},
    }  # fmt: skip
    return {"items": items, "clusters": clusters, "stats": stats}


def stored_run(result: dict, *, texts=None, attributes=None, title="大量") -> AnalysisRun:
    """A finished run of an imported comment set holding ``result``."""
    ids = [it["id"] for it in result["items"]]
    texts = texts or [f"回答{i}: 窓口に行かずに手続ができるようにしてほしい" for i in ids]
    attributes = attributes or {}
    comment_set = CommentSet.objects.create(
        title=title, content="comment-id,comment-body\n", rows=len(ids),
        attributes=list(attributes),
    )  # fmt: skip
    run = AnalysisRun.objects.create(comment_set=comment_set)
    comments = textanalysis.Comments(ids=ids, texts=list(texts), attributes=attributes)
    return services.analysis_result_store(run=run, result=result, comments=comments)
