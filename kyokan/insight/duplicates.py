"""Near-duplicate detection and bulk-submission flags (no O(n²) step).

Two answers are **duplicates** when their :func:`normalize.duplicate_key` is equal (same
letters and digits after width/kana folding, ignoring punctuation, spaces and emoji), or
**near-duplicates** when both keys have at least :data:`MIN_NEAR_LENGTH` characters and the
Jaccard similarity of their character-bigram sets is at least :data:`JACCARD_THRESHOLD`
(a typo, a dropped or added word). Groups are built without chaining: in input order, an
answer joins the most similar *earlier representative* it is near (so every member is
close to its representative, and two different answers are never linked through a series
of small steps); otherwise it is a representative itself. Every other member's
``duplicate_of`` is its group's representative.

Candidates come from MinHash with locality-sensitive hashing: :data:`NUM_PERM` hash
functions (multiply-shift on the exact bigram code, so results do not depend on Python's
hash seed), :data:`BANDS` bands of :data:`ROWS` rows; pairs sharing a band are estimated
from their signatures and then checked exactly, so the cost grows with n, not n².

A group is flagged as a **bulk submission** when it has at least :data:`BULK_MIN_ROWS`
rows and its text has at least :data:`BULK_MIN_LENGTH` characters: short stock answers
such as 「特になし」 are written independently by many people and are not flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_NEAR_LENGTH = 10
JACCARD_THRESHOLD = 0.7
NUM_PERM = 96
ROWS = 4
BANDS = NUM_PERM // ROWS
BULK_MIN_ROWS = 5
BULK_MIN_LENGTH = 10
ESTIMATE_MARGIN = 0.15
PAIR_CHUNK = 50_000


@dataclass
class DuplicateGroups:
    #: Per input item: index of its representative (itself for a representative), or -1
    #: for an empty answer.
    representative: np.ndarray
    #: Representative index -> number of rows in its group (groups of one omitted).
    group_sizes: dict[int, int]
    #: Representatives of groups flagged as bulk submissions.
    bulk: list[int]


def _bigram_codes(key: str) -> np.ndarray:
    codes = np.fromiter((ord(c) for c in key), dtype=np.uint64, count=len(key))
    return np.unique(codes[:-1] * np.uint64(0x110000) + codes[1:])


def _signatures(code_sets: list[np.ndarray], seed: int = 0) -> np.ndarray:
    rng = np.random.RandomState(seed)
    multipliers = rng.randint(1, 2**62, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
    multipliers |= np.uint64(1)
    offsets = rng.randint(0, 2**62, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
    lengths = np.array([len(c) for c in code_sets], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    flat = np.concatenate(code_sets)
    signatures = np.empty((len(code_sets), NUM_PERM), dtype=np.uint32)
    shift = np.uint64(32)
    for p in range(NUM_PERM):
        hashed = (flat * multipliers[p] + offsets[p]) >> shift
        signatures[:, p] = np.minimum.reduceat(hashed, starts).astype(np.uint32)
    return signatures


def _candidate_pairs(signatures: np.ndarray) -> np.ndarray:
    n = signatures.shape[0]
    pairs = []
    for band in range(BANDS):
        block = np.ascontiguousarray(signatures[:, band * ROWS : (band + 1) * ROWS])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * ROWS))).ravel()
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        same = sorted_keys[1:] == sorted_keys[:-1]
        if not same.any():
            continue
        # Link each member of a bucket to the previous one and to the bucket's first.
        run_start = np.maximum.accumulate(np.where(np.r_[True, ~same], np.arange(n), 0))
        idx = np.nonzero(same)[0] + 1
        pairs.append(np.stack([order[idx - 1], order[idx]], axis=1))
        pairs.append(np.stack([order[run_start[idx]], order[idx]], axis=1))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    allpairs = np.concatenate(pairs)
    allpairs.sort(axis=1)
    allpairs = allpairs[allpairs[:, 0] != allpairs[:, 1]]
    return np.unique(allpairs, axis=0)


def _estimated_similarity(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    out = np.empty(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), PAIR_CHUNK):
        chunk = pairs[start : start + PAIR_CHUNK]
        out[start : start + PAIR_CHUNK] = (signatures[chunk[:, 0]] == signatures[chunk[:, 1]]).mean(
            axis=1
        )
    return out


def find_duplicates(keys: list[str]) -> DuplicateGroups:
    """Group ``keys`` (one per item, ``""`` for an empty answer); see module docstring."""
    n = len(keys)
    representative = np.full(n, -1, dtype=np.int64)
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key:
            representative[i] = first.setdefault(key, i)
    uniques = sorted(first.values())
    near = [i for i in uniques if len(keys[i]) >= MIN_NEAR_LENGTH]
    leader_of: dict[int, int] = {}  # item index -> the earlier item it copies
    if len(near) >= 2:
        code_sets = [_bigram_codes(keys[i]) for i in near]
        signatures = _signatures(code_sets)
        candidates = _candidate_pairs(signatures)
        if len(candidates):
            estimate = _estimated_similarity(signatures, candidates)
            keep = estimate >= JACCARD_THRESHOLD - ESTIMATE_MARGIN
            candidates, estimate = candidates[keep], estimate[keep]
        del signatures
        # Exact check; then each answer joins the most similar earlier answer that is
        # itself a representative (no chains: a member is always close to its leader).
        partners: dict[int, list[tuple[float, int]]] = {}
        current, current_set = -1, set()
        for a, b in candidates.tolist():  # sorted by a: one set in memory at a time
            if a != current:
                current, current_set = a, set(code_sets[a].tolist())
            other = code_sets[b]
            common = len(current_set.intersection(other.tolist()))
            union = len(current_set) + len(other) - common
            similarity = common / union if union else 0.0
            if similarity >= JACCARD_THRESHOLD:
                partners.setdefault(b, []).append((similarity, a))
        for b in sorted(partners):
            for _, a in sorted(partners[b], key=lambda pair: (-pair[0], pair[1])):
                if near[a] not in leader_of:  # a is a representative
                    leader_of[near[b]] = near[a]
                    break
    for i in range(n):
        rep = int(representative[i])
        if rep >= 0:
            representative[i] = leader_of.get(rep, rep)
    reps, counts = np.unique(representative[representative >= 0], return_counts=True)
    group_sizes = {int(r): int(c) for r, c in zip(reps, counts, strict=True) if c > 1}
    bulk = [
        r
        for r, size in group_sizes.items()
        if size >= BULK_MIN_ROWS and len(keys[r]) >= BULK_MIN_LENGTH
    ]
    return DuplicateGroups(representative, group_sizes, sorted(bulk))
