"""Character-level diff for Japanese text (no spaces between words, so never by whitespace).

Pure Python (difflib), no Django: used for the section diff between two versions and for
showing an edit conflict.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Span:
    op: str  # "equal", "insert", "delete"
    text: str


def char_diff(old: str, new: str) -> list[Span]:
    """Inline diff: a list of equal / delete / insert spans, character by character.

    ``autojunk`` is off: in Japanese, frequent characters such as の and は are content."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    spans: list[Span] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            spans.append(Span("equal", old[i1:i2]))
        else:
            if i2 > i1:
                spans.append(Span("delete", old[i1:i2]))
            if j2 > j1:
                spans.append(Span("insert", new[j1:j2]))
    return spans


def side_by_side(old: str, new: str) -> tuple[list[Span], list[Span]]:
    """The same diff split into the old side (equal + delete) and the new (equal + insert)."""
    spans = char_diff(old, new)
    return (
        [s for s in spans if s.op != "insert"],
        [s for s in spans if s.op != "delete"],
    )


def similarity(old: str, new: str) -> float:
    return SequenceMatcher(None, old, new, autojunk=False).ratio()
