"""The terminology check: find where a version's text departs from the glossary.

Japanese is written without spaces, so terms are matched on characters. A search copy of
the text is normalised character by character — width (ＤＸ/DX, ｶﾀｶﾅ/カタカナ, with
half-width voiced marks joined: ｶﾞ → ガ), case (ict/ICT) and kana (でじたる/デジタル) are
treated alike — and an index map leads from the search copy back to the original, so every
position reported is a position in the ORIGINAL text. NFKC turns ㈱ into (株) and ① into 1;
that only ever happens to the search copy. Whitespace is kept: a term broken by a line break
is not found (replacing across a line break would change the layout).

Word boundaries come from SudachiPy (split mode C, the longest units): an occurrence that
starts or ends inside a morpheme (「電子」 in 「電子化」, 「IT」 in 「ITS」) is reported with
``inside_word=True``; "replace all" never touches those, and replacing one needs an explicit
confirmation.

Only section bodies are checked (not headings); removed sections are skipped.
"""

import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kyokan.textanalysis import tokenize as text_tokenize
from kyokan.textanalysis.normalize import fold, kata_to_hira

CONTEXT_CHARS = 20

# --- normalisation ---------------------------------------------------------------------------

# Each character is folded as the text library folds text (kyokan.textanalysis.normalize.fold:
# NFKC, case folded, katakana as hiragana) — one folding everywhere — but character by
# character, with an index map back to the original, and keeping whitespace.
# Voiced and semi-voiced marks that belong to the character before them: half-width ﾞﾟ and
# the spacing ゛゜ (which NFKC would turn into a space plus a combining mark).
_MARKS = {"\uff9e": "\u3099", "\uff9f": "\u309a", "\u309b": "\u3099", "\u309c": "\u309a"}
_FOLDED: dict[str, str] = {}
# Characters seen so far, classified: a regular character folds to exactly one character and
# is not a mark (most text); every other one is irregular and walked one by one.
_REGULAR: set[str] = set()
_IRREGULAR: set[str] = set()
_TABLE: dict[int, str] = {}  # regular character → its folded form, for str.translate


def _joins(char: str) -> bool:
    """Whether ``char`` is a mark to be joined with the character before it."""
    return char in _MARKS or unicodedata.combining(char) != 0


def _fold(cluster: str) -> str:
    """The search form of one base character with its marks."""
    folded = _FOLDED.get(cluster)
    if folded is None:
        marked = cluster[0] + "".join(_MARKS.get(c, c) for c in cluster[1:])
        folded = kata_to_hira(unicodedata.normalize("NFKC", marked).casefold())
        if len(_FOLDED) < 50_000:
            _FOLDED[cluster] = folded
    return folded


def _classify(chars: set[str]) -> None:
    for char in chars - _REGULAR - _IRREGULAR:
        folded = _fold(char)
        if len(folded) == 1 and not _joins(char):
            _TABLE[ord(char)] = folded
            _REGULAR.add(char)
        else:
            _IRREGULAR.add(char)


def normalise_with_map(text: str) -> tuple[str, Sequence[int]]:
    """The search copy of ``text`` and, for each of its positions (and its end), the position
    in ``text`` it comes from — or -1 for a position in the middle of one character's
    expansion (㈱ → "(株)"), where no match may start or end.

    Characters are folded one by one (a base character together with the marks after it),
    never across characters. Runs of regular characters go through ``str.translate``."""
    chars = set(text)
    _classify(chars)
    n = len(text)
    if not chars & _IRREGULAR:
        return text.translate(_TABLE), range(n + 1)
    pieces: list[str] = []
    origin: list[int] = []
    done = 0  # text[:done] is folded
    for k in [k for k, char in enumerate(text) if char in _IRREGULAR]:
        if k < done:
            continue  # a mark already joined to its base
        base = k - 1 if k > done and _joins(text[k]) else k
        if base > done:
            pieces.append(text[done:base].translate(_TABLE))
            origin.extend(range(done, base))
        end = base + 1
        while end < n and _joins(text[end]):
            end += 1
        folded = _fold(text[base:end])
        if folded:
            pieces.append(folded)
            origin.append(base)
            origin.extend([-1] * (len(folded) - 1))
        done = end
    if done < n:
        pieces.append(text[done:].translate(_TABLE))
        origin.extend(range(done, n))
    origin.append(n)
    return "".join(pieces), origin


def normalise(text: str) -> str:
    """The search form of ``text`` (for comparing terms and filtering the glossary)."""
    return normalise_with_map(text)[0]


def normalise_for_search(text: str) -> str:
    """The search form without any whitespace (for a search box): the text library's
    ``fold``, as every search box of Kyokan folds."""
    return fold(text)


# --- word boundaries ---------------------------------------------------------------------------

_local = threading.local()
# Sudachi refuses very long inputs (about 49 KB of UTF-8); lines are tokenised one by one and
# a longer line in pieces of this many characters.
_CHUNK = 4000


def tokenizer():
    """A SudachiPy tokenizer (split mode C) on the text library's dictionary: the dictionary
    is loaded once per process for the whole of Kyokan (kyokan.textanalysis.tokenize); a tokenizer
    must not be used by two threads at once, so each thread gets its own (creating one from
    the loaded dictionary is instant)."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import SplitMode

        with text_tokenize._lock:
            dictionary = text_tokenize._dictionary()
        tok = _local.tokenizer = dictionary.tokenizer(mode=SplitMode.C, fields=set())
    return tok


def _chunks(text: str) -> Iterable[tuple[int, str]]:
    offset = 0
    for line in text.splitlines(keepends=True):
        for start in range(0, len(line), _CHUNK):
            yield offset + start, line[start : start + _CHUNK]
        offset += len(line)


def morpheme_boundaries(text: str) -> set[int]:
    """Every position of ``text`` where a morpheme starts or ends."""
    tok = tokenizer()
    bounds = {0, len(text)}
    for offset, chunk in _chunks(text):
        bounds.add(offset)
        for morpheme in tok.tokenize(chunk):
            bounds.add(offset + morpheme.begin())
            bounds.add(offset + morpheme.end())
    return bounds


# --- the check ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """A spelling to unify: ``matched`` (the original text at ``start:end``) is ``variant``
    (a listed variant, or the preferred term itself written in another width or kana) and
    should read ``preferred``."""

    section_id: int | None
    term_id: int | None
    preferred: str
    variant: str
    start: int
    end: int
    matched: str
    before: str
    after: str
    inside_word: bool


@dataclass(frozen=True)
class _Pattern:
    needle: str  # normalised
    term_id: int | None
    preferred: str
    variant: str
    is_preferred: bool


def compile_terms(terms: Iterable) -> list[_Pattern]:
    """The search patterns of glossary terms (anything with pk/id, preferred, variant_list):
    each term's preferred spelling, then its variants. A normalised form claimed twice is
    searched once, for the first term that claims it."""
    patterns: list[_Pattern] = []
    seen: set[str] = set()
    for term in terms:
        spellings = [(term.preferred, True)] + [(v, False) for v in term.variant_list]
        for spelling, is_preferred in spellings:
            needle = normalise(spelling)
            if not needle.strip() or needle in seen:
                continue
            seen.add(needle)
            patterns.append(_Pattern(needle, term.pk, term.preferred, spelling, is_preferred))
    return patterns


def check_text(text: str, patterns: Sequence[_Pattern], *, section_id=None) -> list[Occurrence]:
    """The occurrences of ``patterns`` in ``text``, in text order.

    Overlapping matches: the longest wins, then the earliest. The preferred term in its exact
    spelling is not an occurrence, but it still wins over shorter matches inside it (a
    variant 「デジタル」 inside a correctly written 「デジタル化」 is not reported)."""
    if not text or not patterns:
        return []
    norm, origin = normalise_with_map(text)
    candidates = []  # (normalised length, start, end, pattern, exact)
    for pattern in patterns:
        needle, size = pattern.needle, len(pattern.needle)
        at = norm.find(needle)
        while at != -1:
            start, end = origin[at], origin[at + size]
            if start >= 0 and end >= 0:
                exact = pattern.is_preferred and text[start:end] == pattern.preferred
                candidates.append((size, start, end, pattern, exact))
            at = norm.find(needle, at + 1)
    if not candidates:
        return []
    candidates.sort(key=lambda c: (-c[0], c[1]))
    taken = bytearray(len(text))
    kept = []
    for _size, start, end, pattern, exact in candidates:
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        if not exact:
            kept.append((start, end, pattern))
    if not kept:
        return []
    bounds = morpheme_boundaries(text)  # at most once per text, only when something is found
    kept.sort(key=lambda k: k[0])
    return [
        Occurrence(
            section_id=section_id,
            term_id=pattern.term_id,
            preferred=pattern.preferred,
            variant=pattern.variant,
            start=start,
            end=end,
            matched=text[start:end],
            before=text[max(0, start - CONTEXT_CHARS) : start],
            after=text[end : end + CONTEXT_CHARS],
            inside_word=start not in bounds or end not in bounds,
        )
        for start, end, pattern in kept
    ]


def checked_sections(version):
    """The sections the check reads: every section not removed, in reading order."""
    from .models import Section

    return version.sections.exclude(change=Section.Change.REMOVED).order_by("path")


def check_version(version, *, terms: Iterable | None = None) -> list[Occurrence]:
    """Every occurrence of a glossary variant (or of a width/kana form of a preferred term)
    in the bodies of ``version``'s sections, in reading order. Headings are not checked."""
    from .models import GlossaryTerm

    patterns = compile_terms(GlossaryTerm.objects.all() if terms is None else terms)
    if not patterns:
        return []
    occurrences: list[Occurrence] = []
    for section_id, body in checked_sections(version).values_list("pk", "body"):
        occurrences.extend(check_text(body, patterns, section_id=section_id))
    return occurrences


# --- replacing ---------------------------------------------------------------------------------


def _stale() -> ValidationError:
    return ValidationError(_("The text changed since the check; run it again."), code="stale")


def replace_one(
    text: str, occurrence: Occurrence, replacement: str, *, confirm_inside_word: bool = False
) -> str:
    """``text`` with ``occurrence`` replaced. An occurrence inside a longer word is replaced
    only with ``confirm_inside_word``."""
    if text[occurrence.start : occurrence.end] != occurrence.matched:
        raise _stale()
    if occurrence.inside_word and not confirm_inside_word:
        raise ValidationError(
            _("“%(matched)s” is part of a longer word; confirm to replace it anyway.")
            % {"matched": occurrence.matched},
            code="inside_word",
        )
    return text[: occurrence.start] + replacement + text[occurrence.end :]


def replace_all(text: str, occurrences: Iterable[Occurrence], replacement: str) -> str:
    """``text`` with every occurrence replaced — except those inside a longer word — working
    from the end backwards so that earlier positions stay valid."""
    result = text
    last_start = len(text) + 1
    for occurrence in sorted(occurrences, key=lambda o: o.start, reverse=True):
        if occurrence.inside_word:
            continue
        if (
            occurrence.end > last_start
            or text[occurrence.start : occurrence.end] != occurrence.matched
        ):
            raise _stale()
        result = result[: occurrence.start] + replacement + result[occurrence.end :]
        last_start = occurrence.start
    return result


@dataclass
class ReplacementPlan:
    """What "replace all" of one term does to a version: the occurrences found, those it
    replaces (not inside a longer word), grouped by section."""

    occurrences: list[Occurrence]
    replaceable: list[Occurrence]
    by_section: dict[int, list[Occurrence]]

    @property
    def inside(self) -> int:
        return len(self.occurrences) - len(self.replaceable)


def replacement_plan(version, term) -> ReplacementPlan:
    occurrences = [o for o in check_version(version) if o.term_id == term.pk]
    replaceable = [o for o in occurrences if not o.inside_word]
    by_section: dict[int, list[Occurrence]] = {}
    for occurrence in replaceable:
        by_section.setdefault(occurrence.section_id, []).append(occurrence)
    return ReplacementPlan(occurrences, replaceable, by_section)
