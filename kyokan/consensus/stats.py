"""Polis's proportion tests (polismath stats.clj), vectorised.

Both add a pseudo-count of one success and one trial, so that a statement seen by few is not
called significant on the strength of one or two votes."""

from __future__ import annotations

import numpy as np

#: One-sided z for 90 % (polismath ``z-sig-90?``), Polis's significance for repness and
#: consensus.
Z_90 = 1.2816
#: One-sided z for 95 % (polismath ``z-sig-95?``), used here for divisive statements: calling
#: a statement divisive is a stronger claim than calling it representative.
Z_95 = 1.6449


def prop_test(successes, trials):
    """z of a proportion against one half, with Polis's pseudo-counts."""
    succ = np.asarray(successes, dtype=float) + 1.0
    n = np.asarray(trials, dtype=float) + 1.0
    return 2.0 * np.sqrt(n) * (succ / n - 0.5)


def two_prop_test(succ_in, succ_out, n_in, n_out):
    """z of the difference of two proportions (in a group vs outside it), with Polis's
    pseudo-counts; 0 where it is undefined."""
    s1 = np.asarray(succ_in, dtype=float) + 1.0
    s2 = np.asarray(succ_out, dtype=float) + 1.0
    n1 = np.asarray(n_in, dtype=float) + 1.0
    n2 = np.asarray(n_out, dtype=float) + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(variance > 0, (p1 - p2) / np.sqrt(np.where(variance > 0, variance, 1)), 0)
    return z
