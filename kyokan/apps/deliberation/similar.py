"""Similar ideas in Japanese: by content words, never by whitespace.

An idea's *terms* are the Sudachi normalised forms of its content words (mode C, with the
mode-A parts of compounds) and their synonym group ids, from
:func:`kyokan.textanalysis.tokenize.tokenize_texts`; they are stored with the idea when it
is written. Two texts are compared by the cosine of their term sets, weighted by how rare
each term is among the ideas (a word every idea uses says little), plus the character
bigrams of the folded titles (:func:`kyokan.textanalysis.normalize.fold`), which catch
words the dictionary does not know (新しいサービス名, アルファベットの略語).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from kyokan.textanalysis.normalize import analysis_text, fold

# A match below this score is not shown: it shares only a word or two of common vocabulary.
THRESHOLD = 0.22
TITLE_WEIGHT = 0.35


def terms_of(*texts: str) -> list[str]:
    """The sorted set of terms of the texts (content lemmas and synonym groups)."""
    from kyokan.textanalysis.tokenize import tokenize_texts

    text = analysis_text("\n".join(t for t in texts if t))
    if not text:
        return []
    tokens = tokenize_texts([text])
    return sorted(set(tokens.features[0]))


def bigrams(text: str) -> set[str]:
    folded = fold(text)
    if len(folded) < 2:
        return {folded} if folded else set()
    return {folded[i : i + 2] for i in range(len(folded) - 1)}


@dataclass(frozen=True)
class Candidate:
    pk: int
    title: str
    terms: tuple[str, ...]


def _idf(candidates: list[Candidate]) -> dict[str, float]:
    counts: Counter = Counter()
    for c in candidates:
        counts.update(set(c.terms))
    n = len(candidates) + 1
    return {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in counts.items()}


def _cosine(a: set[str], b: set[str], idf: dict[str, float], default: float) -> float:
    if not a or not b:
        return 0.0
    weight = lambda t: idf.get(t, default)  # noqa: E731
    shared = sum(weight(t) ** 2 for t in a & b)
    if not shared:
        return 0.0
    norm_a = math.sqrt(sum(weight(t) ** 2 for t in a))
    norm_b = math.sqrt(sum(weight(t) ** 2 for t in b))
    return shared / (norm_a * norm_b)


def _dice(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def rank(
    *, title: str, terms: list[str], candidates: list[Candidate], limit: int = 5
) -> list[tuple[Candidate, float]]:
    """The candidates most like (title, terms), best first, with their scores (0–1)."""
    idf = _idf(candidates)
    default = math.log(len(candidates) + 2) + 1.0
    wanted, title_grams = set(terms), bigrams(title)
    scored = []
    for c in candidates:
        score = (1 - TITLE_WEIGHT) * _cosine(wanted, set(c.terms), idf, default)
        score += TITLE_WEIGHT * _dice(title_grams, bigrams(c.title))
        if score >= THRESHOLD:
            scored.append((c, round(score, 3)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:limit]
