"""The result of an analysis and its JSON form."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field


@dataclass
class ConsensusResult:
    """What :func:`kyokan.consensus.analyze` finds.

    ``participants``: ``{"id", "group" (None: not grouped, too few votes), "x", "y",
    "votes"}`` per participant, in the order of the votes. ``groups``: ``{"id", "size",
    "representative": [...]}`` where each representative statement carries Polis's numbers
    (``repful`` agree/disagree, ``repness``, ``repness_test``, ``p_success``, ``p_test``,
    ``agree``, ``disagree``, ``pass``, ``seen``, ``p_agree``). ``consensus``: statements every
    group agrees with (``group_consensus`` = product of the groups' smoothed agree
    probabilities, ``p_agree_min``, ``per_group``). ``divisive``: statements the groups split
    on (``variance`` of the groups' agree probabilities, ``range``, ``z``, ``per_group``).
    ``stats``: ``k``, ``silhouette``, ``candidates`` {k: silhouette}, ``participants_in``,
    ``participants_out``, ``min_votes`` and more (see docs/consensus.md)."""

    participants: list[dict]
    groups: list[dict]
    consensus: list[dict]
    divisive: list[dict]
    stats: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """A JSON-serialisable copy (statement and participant ids are strings, group ids
        integers; ``per_group`` keys are group ids as strings)."""
        return copy.deepcopy(
            {
                "participants": self.participants,
                "groups": self.groups,
                "consensus": self.consensus,
                "divisive": self.divisive,
                "stats": self.stats,
            }
        )

    def group_of(self, participant: str) -> int | None:
        for item in self.participants:
            if item["id"] == participant:
                return item["group"]
        return None

    def summary_json(self) -> dict:
        """The short form of the command line: ``participants`` (id, group), ``groups`` (id,
        size, representative statement ids), ``consensus`` and ``divisive`` statement ids —
        plus the full numbers under ``details`` and ``stats``."""
        return {
            "participants": [{"id": p["id"], "group": p["group"]} for p in self.participants],
            "groups": [
                {
                    "id": g["id"],
                    "size": g["size"],
                    "representative": [r["statement"] for r in g["representative"]],
                }
                for g in self.groups
            ],
            "consensus": [c["statement"] for c in self.consensus],
            "divisive": [d["statement"] for d in self.divisive],
            "stats": copy.deepcopy(self.stats),
            "details": self.to_json(),
        }
