"""Character-level diff for Japanese text (no spaces between words, so never by whitespace).

Pure Python (difflib), no Django: used for the section diff between two versions and for
showing an edit conflict.

A plain character diff (``SequenceMatcher`` over characters) grows quadratically: two
20,000-character texts took 6 s. So the diff narrows down first and compares characters
only where it must:

1. the common beginning and end are equal as they stand;
2. the rest is compared sentence by sentence (a sentence ends at 。！？ or a line break);
3. inside each run of changed sentences, clause by clause (、，;: and spaces);
4. inside each run of changed clauses, character by character — only when the run is
   small enough (``CHAR_PASS_MAX``, the product of the two lengths); a longer run is
   compared clause against clause in order.

A :class:`Budget` bounds the whole: the character passes share a work allowance and a
time limit; once either is spent, what is left is shown as whole deleted and inserted
clauses or sentences (still an exact diff, only coarser) and the budget says so
(``approximate``). Whatever the path, the spans rebuild both texts exactly.
"""

import re
import time
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

# A character pass compares len(a) × len(b) pairs at worst: 1,000,000 takes about 0.1 s
# on the worst input (a two-letter alphabet), far less on Japanese prose.
CHAR_PASS_MAX = 1_000_000
CHAR_WORK = 12_000_000  # all character passes of one comparison together
# A sentence (or clause) pass costs about Σ count_old(t) × count_new(t) over the distinct
# sentences t per step: small for prose (sentences rarely repeat), large when a few
# sentences repeat thousands of times (prose of 30,000 characters: a few thousand).
TOKEN_PASS_MAX = 200_000
SECONDS = 0.5  # the time after which the rest of a comparison is shown coarsely
# Below this share of common characters a changed run reads better as deleted + inserted
# than as a scatter of single common characters (two unrelated sentences share の, を …).
MIN_COMMON_SHARE = 0.3

SENTENCE, CLAUSE, CHARACTER = 0, 1, 2
_BOUNDARIES = {
    # after 。！？ (and closing brackets that follow them), or after a run of line breaks
    SENTENCE: re.compile(r"[。．！？!?]+[」』）)\]】〉》]*\n*|\n+"),
    CLAUSE: re.compile(r"[、，,；;：:]+|[ \u3000\t]+"),
}


@dataclass(frozen=True)
class Span:
    op: str  # "equal", "insert", "delete"
    text: str


class Budget:
    """Work and time allowed to the character passes of one comparison (a page compares
    many sections with one budget). ``approximate`` becomes true when something was shown
    more coarsely than character by character because the budget ran out."""

    def __init__(self, *, seconds: float = SECONDS, char_work: int = CHAR_WORK):
        self.deadline = time.monotonic() + seconds
        self.char_work = char_work
        self.approximate = False

    def allows(self, cost: int) -> bool:
        return cost <= self.char_work and time.monotonic() < self.deadline

    def spend(self, cost: int) -> None:
        self.char_work -= cost

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.deadline


class _Ops:
    """Collects (op, i1, i2, j1, j2) opcodes in order. Neighbouring equal runs merge; the
    deletions and insertions between two equal runs become one delete and one insert."""

    def __init__(self):
        self.ops: list[tuple] = []
        self._pending: list[int] | None = None  # [i1, i2, j1, j2] of the changed run

    def add(self, op: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        if op != "equal":
            self.changed(i1, i2 - i1, j1, j2 - j1)
            return
        self._flush()
        if self.ops and self.ops[-1][0] == "equal":
            self.ops[-1] = ("equal", self.ops[-1][1], i2, self.ops[-1][3], j2)
        else:
            self.ops.append(("equal", i1, i2, j1, j2))

    def changed(self, ai: int, a_len: int, bj: int, b_len: int) -> None:
        if not a_len and not b_len:
            return
        if self._pending is None:
            self._pending = [ai, ai + a_len, bj, bj + b_len]
        else:
            self._pending[1], self._pending[3] = ai + a_len, bj + b_len

    def _flush(self) -> None:
        if self._pending is None:
            return
        i1, i2, j1, j2 = self._pending
        self._pending = None
        if i2 > i1:
            self.ops.append(("delete", i1, i2, j1, j1))
        if j2 > j1:
            self.ops.append(("insert", i2, i2, j1, j2))

    def result(self) -> list[tuple]:
        self._flush()
        return self.ops


def _common_prefix(a: str, b: str) -> int:
    """Length of the common beginning (binary search over slices: fast on long texts)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid : len(a) - lo] == b[len(b) - mid : len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _split(text: str, level: int) -> list[str]:
    """``text`` cut after each boundary of ``level``; the pieces join back to ``text``."""
    pieces, start = [], 0
    for match in _BOUNDARIES[level].finditer(text):
        if match.end() > start:
            pieces.append(text[start : match.end()])
            start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _diff(a: str, b: str, ai: int, bj: int, level: int, budget: Budget, out: _Ops) -> None:
    prefix = _common_prefix(a, b)
    out.add("equal", ai, ai + prefix, bj, bj + prefix)
    suffix = _common_suffix(a[prefix:], b[prefix:])
    a_mid, b_mid = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    _middle(a_mid, b_mid, ai + prefix, bj + prefix, level, budget, out)
    out.add("equal", ai + len(a) - suffix, ai + len(a), bj + len(b) - suffix, bj + len(b))


def _middle(a: str, b: str, ai: int, bj: int, level: int, budget: Budget, out: _Ops) -> None:
    """``a`` and ``b`` differ at both ends (or one is empty)."""
    if not a or not b:
        out.changed(ai, len(a), bj, len(b))
        return
    if level == CHARACTER:
        _characters(a, b, ai, bj, budget, out)
        return
    tokens_a, tokens_b = _split(a, level), _split(b, level)
    if len(tokens_a) == 1 and len(tokens_b) == 1:
        _middle(a, b, ai, bj, level + 1, budget, out)
        return
    if budget.expired or _pair_work(tokens_a, tokens_b) > TOKEN_PASS_MAX:
        budget.approximate = True
        out.changed(ai, len(a), bj, len(b))
        return
    offsets_a, offsets_b = _offsets(tokens_a), _offsets(tokens_b)
    matcher = SequenceMatcher(None, tokens_a, tokens_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a1, a2, b1, b2 = offsets_a[i1], offsets_a[i2], offsets_b[j1], offsets_b[j2]
        if tag == "equal":
            out.add("equal", ai + a1, ai + a2, bj + b1, bj + b2)
        elif tag != "replace" or not _pairwise(a[a1:a2], b[b1:b2], level):
            _diff(a[a1:a2], b[b1:b2], ai + a1, bj + b1, level + 1, budget, out)
        else:  # too long for one character pass: piece against piece, in order
            for k in range(max(i2 - i1, j2 - j1)):
                ka, kb = min(i1 + k, i2), min(j1 + k, j2)
                ka2, kb2 = min(ka + 1, i2), min(kb + 1, j2)
                x1, x2, y1, y2 = offsets_a[ka], offsets_a[ka2], offsets_b[kb], offsets_b[kb2]
                _diff(a[x1:x2], b[y1:y2], ai + x1, bj + y1, level + 1, budget, out)


def _pairwise(a: str, b: str, level: int) -> bool:
    """Whether a changed run of pieces (sentences or clauses) is compared piece against
    piece in order rather than as a whole at the next level: when it is too long for one
    character pass and the next level cannot cut it (clauses are the last level; a run of
    sentences without any 、 is one clause)."""
    if len(a) * len(b) <= CHAR_PASS_MAX:
        return False
    if level + 1 == CHARACTER:
        return True
    return len(_split(a, level + 1)) == 1 or len(_split(b, level + 1)) == 1


def _pair_work(tokens_a: list[str], tokens_b: list[str]) -> int:
    counts_b = Counter(tokens_b)
    return sum(n * counts_b[token] for token, n in Counter(tokens_a).items())


def _offsets(tokens: list[str]) -> list[int]:
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets


def _characters(a: str, b: str, ai: int, bj: int, budget: Budget, out: _Ops) -> None:
    cost = len(a) * len(b)
    if cost > CHAR_PASS_MAX or not budget.allows(cost):
        budget.approximate = True
        out.changed(ai, len(a), bj, len(b))
        return
    budget.spend(cost)
    # ``autojunk`` is off: in Japanese, frequent characters such as の and は are content.
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    common = sum(i2 - i1 for tag, i1, i2, _j1, _j2 in opcodes if tag == "equal")
    if 2 * common < MIN_COMMON_SHARE * (len(a) + len(b)):
        out.changed(ai, len(a), bj, len(b))
        return
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            out.add("equal", ai + i1, ai + i2, bj + j1, bj + j2)
        else:
            out.changed(ai + i1, i2 - i1, bj + j1, j2 - j1)


def opcodes(old: str, new: str, *, budget: Budget | None = None) -> list[tuple]:
    """(op, i1, i2, j1, j2) with op "equal", "delete" or "insert": ``old[i1:i2]`` is kept,
    removed, or (for an insert) ``new[j1:j2]`` is added. They cover both texts in order."""
    out = _Ops()
    _diff(old, new, 0, 0, SENTENCE, budget or Budget(), out)
    return out.result()


def char_diff(old: str, new: str, *, budget: Budget | None = None) -> list[Span]:
    """Inline diff: a list of equal / delete / insert spans (character by character where
    the budget allows, see the module's description)."""
    spans = []
    for op, i1, i2, j1, j2 in opcodes(old, new, budget=budget):
        spans.append(Span(op, new[j1:j2] if op == "insert" else old[i1:i2]))
    return spans


def split_sides(spans: list[Span]) -> tuple[list[Span], list[Span]]:
    """An inline diff split into the old side (equal + delete) and the new (equal +
    insert)."""
    return (
        [s for s in spans if s.op != "insert"],
        [s for s in spans if s.op != "delete"],
    )


def side_by_side(old: str, new: str, *, budget: Budget | None = None):
    """The same diff split into the old side (equal + delete) and the new (equal + insert)."""
    return split_sides(char_diff(old, new, budget=budget))


def similarity(old: str, new: str) -> float:
    """Share of common characters (0–1), from the same bounded diff."""
    if not old and not new:
        return 1.0
    common = sum(i2 - i1 for op, i1, i2, _j1, _j2 in opcodes(old, new) if op == "equal")
    return 2 * common / (len(old) + len(new))
