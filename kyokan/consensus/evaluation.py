"""Agreement of a result with Polis's own groups (``group-id`` of participants-votes.csv).

This is the only module that reads Polis's groups; the analysis never sees them."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score

from .result import ConsensusResult


def compare_with_polis(result: ConsensusResult | dict, polis_groups: dict) -> dict:
    """Figures over the participants Polis grouped:

    - ``ari``: adjusted Rand index, a participant we left ungrouped counting as a group of
      its own (so leaving people out costs);
    - ``ari_both``: the same over the participants both grouped;
    - ``placed_alike``: share of Polis's grouped participants in the group matched to theirs
      (best one-to-one matching of group ids; ungrouped counts as not alike);
    - ``polis_grouped``, ``both_grouped``, ``only_polis``, ``only_ours``, ``polis_k``, ``k``.
    """
    data = result.to_json() if isinstance(result, ConsensusResult) else result
    ours = {str(p["id"]): p.get("group") for p in data["participants"]}
    polis = {str(p): g for p, g in polis_groups.items() if g is not None}
    ids = sorted(polis)
    truth = [polis[p] for p in ids]
    mine = [ours.get(p) for p in ids]
    labelled = [-1 if g is None else g for g in mine]
    both = [i for i, g in enumerate(mine) if g is not None]
    figures = {
        "polis_grouped": len(ids),
        "both_grouped": len(both),
        "only_polis": len(ids) - len(both),
        "only_ours": sum(1 for p, g in ours.items() if g is not None and p not in polis),
        "polis_k": len(set(truth)),
        "k": len({g for g in ours.values() if g is not None}),
        "ari": None,
        "ari_both": None,
        "placed_alike": None,
    }
    if not ids:
        return figures
    figures["ari"] = float(adjusted_rand_score(truth, labelled))
    if both:
        figures["ari_both"] = float(
            adjusted_rand_score([truth[i] for i in both], [mine[i] for i in both])
        )
    polis_ids = sorted(set(truth))
    our_ids = sorted({g for g in mine if g is not None})
    if our_ids:
        table = np.zeros((len(polis_ids), len(our_ids)))
        pi = {g: i for i, g in enumerate(polis_ids)}
        oi = {g: j for j, g in enumerate(our_ids)}
        for t, m in zip(truth, mine, strict=True):
            if m is not None:
                table[pi[t], oi[m]] += 1
        rows, cols = linear_sum_assignment(-table)
        figures["placed_alike"] = float(table[rows, cols].sum() / len(ids))
    else:
        figures["placed_alike"] = 0.0
    return figures
