"""Synthetic conversations for the consensus tests."""

import random

POLIS = "/work/shared/data/polis"


def two_camps(n_per_camp=30, n_statements=20, seed=1, consensus=(0,), noise=0.1):
    """Two camps that disagree on every statement except those in ``consensus`` (everyone
    agrees); each participant votes on every statement, with ``noise`` random flips."""
    rng = random.Random(seed)
    triples = []
    for camp in (0, 1):
        for i in range(n_per_camp):
            pid = f"c{camp}-{i}"
            for s in range(n_statements):
                vote = 1 if s in consensus or s % 2 == camp else -1
                if rng.random() < noise:
                    vote = rng.choice([-1, 0, 1])
                triples.append((pid, f"s{s}", vote))
    return triples
