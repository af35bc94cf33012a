"""The groups agree with Polis's own on two small shared conversations (figures for all six:
``make bench-consensus`` and docs/consensus.md)."""

import pytest

from kyokan.consensus import analyze
from kyokan.consensus.evaluation import compare_with_polis
from kyokan.consensus.polis import read_export

from .helpers import POLIS


@pytest.mark.parametrize(
    "name, ari, alike",
    [
        # Measured 0.884 / 97.1 % (tuning set), 0.845 / 94.4 % (held out); the bounds leave
        # room for floating-point differences between machines, not for a worse method.
        ("15-per-hour-seattle", 0.85, 0.95),
        ("brexit-consensus", 0.82, 0.93),
    ],
)
def test_groups_agree_with_polis(name, ari, alike):
    export = read_export(f"{POLIS}/{name}")
    result = analyze(export.to_votes())
    figures = compare_with_polis(result, export.polis_groups)
    assert figures["k"] == figures["polis_k"] == 2
    assert figures["ari"] >= ari
    assert figures["placed_alike"] >= alike


def test_small_conversation_with_three_polis_groups_is_analysed():
    export = read_export(f"{POLIS}/london.youth.policing")
    result = analyze(export.to_votes())
    figures = compare_with_polis(result, export.polis_groups)
    assert 2 <= result.stats["k"] <= 4  # max k = 2 + 24 bases // 12
    assert figures["both_grouped"] == figures["polis_grouped"] == 24
    assert result.consensus and result.divisive
