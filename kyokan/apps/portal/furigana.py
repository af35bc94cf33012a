"""Furigana (ruby readings over kanji), computed offline with SudachiPy.

A text is cut into words by the morphological analyser (Kyokan's one Sudachi dictionary,
loaded once per process by kyokan.textanalysis.tokenize); each word's reading form
(katakana) becomes hiragana, and the reading is aligned with the word's kana so that ruby
stands only over the runs of kanji: 「申し込む」(もうしこむ) gives 申(もう)し込(こ)む.
The words of the secretariat's reading dictionary (names of the city's places and people)
are found first, longest first, and read as the dictionary says.

``ruby_html(text)`` returns safe HTML for a plain text; ``ruby_page(html)`` adds ruby to the
text of a whole rendered page (never inside ``<title>``, ``<option>``, ``<textarea>``,
``<script>``, ``<style>`` or an existing ``<ruby>``, and never in attributes).
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

KANJI_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ〇"
_KANJI = re.compile(f"[{KANJI_CHARS}]")
_HIRAGANA_OR_KATAKANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]")
# Sudachi refuses very long inputs; text nodes of a page are short, longer ones go in pieces.
_CHUNK = 2000

_local = threading.local()
_dictionary_lock = threading.Lock()
_dictionary_state: dict = {"version": None, "entries": {}, "pattern": None}


def has_kanji(text: str) -> bool:
    return bool(_KANJI.search(text))


def to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def _is_kanji(c: str) -> bool:
    return bool(_KANJI.match(c))


def _is_kana(c: str) -> bool:
    return bool(_HIRAGANA_OR_KATAKANA.match(c))


@dataclass(frozen=True)
class Segment:
    text: str
    reading: str = ""  # hiragana over a kanji run; empty for kana and other characters


def _runs(surface: str) -> list[tuple[str, str]]:
    """(kind, text) runs of a word: kind is "k" (kanji), "h" (kana) or "o" (other)."""
    runs: list[tuple[str, str]] = []
    for c in surface:
        kind = "k" if _is_kanji(c) else "h" if _is_kana(c) else "o"
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + c)
        else:
            runs.append((kind, c))
    return runs


def _split_reading(runs: list[tuple[str, str]], reading: str) -> list[str] | None:
    """The part of ``reading`` under each kanji run, the word's kana standing where they
    are; ``None`` when they cannot. The first split found in this order is taken: each kanji
    run as short as it can be, each run of digits or letters (read, not shown over) as long
    as it can be. A position that failed once is not tried again, so that the search stays
    within runs × reading² steps: a regular expression of the same shape backtracked over
    every split (a dictionary word 「漢あ漢あ…漢い」 read 「ああ…」 kept a worker for minutes)."""
    failed: set[tuple[int, int]] = set()
    found: list[str] = []

    def fits(index: int, start: int) -> bool:
        if index == len(runs):
            return start == len(reading)
        if (index, start) in failed:
            return False
        kind, text = runs[index]
        if kind == "h":
            kana = to_hiragana(text)
            if reading.startswith(kana, start) and fits(index + 1, start + len(kana)):
                return True
        elif kind == "k":
            for end in range(start + 1, len(reading) + 1):
                found.append(reading[start:end])
                if fits(index + 1, end):
                    return True
                found.pop()
        else:
            for end in range(len(reading), start - 1, -1):
                if fits(index + 1, end):
                    return True
        failed.add((index, start))
        return False

    return found if fits(0, 0) else None


@lru_cache(maxsize=50_000)
def align(surface: str, reading: str) -> tuple[Segment, ...]:
    """Split a word into segments, each kanji run with its part of the reading (hiragana).
    The kana of the word must appear in the reading where they stand (okurigana); when
    they do not, the whole word carries the whole reading. A reading that is not kana
    (an unknown word) gives no ruby."""
    reading = to_hiragana(reading)
    if not has_kanji(surface) or not reading or has_kanji(reading):
        return (Segment(surface),)
    runs = _runs(surface)
    parts = _split_reading(runs, reading)
    if parts is None:
        # Kana that do not align: one ruby over the whole word is still right to read.
        return (Segment(surface, reading),)
    groups = iter(parts)
    segments = []
    for kind, text in runs:
        if kind == "k":
            segments.append(Segment(text, next(groups)))
        else:
            segments.append(Segment(text))
    return tuple(segments)


def _tokenizer():
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import SplitMode

        from kyokan.textanalysis import tokenize as text_tokenize

        with text_tokenize._lock:
            dictionary = text_tokenize._dictionary()
        tok = _local.tokenizer = dictionary.tokenizer(mode=SplitMode.C)
    return tok


def _analyse(text: str) -> list[Segment]:
    segments: list[Segment] = []
    tok = _tokenizer()
    for start in range(0, len(text), _CHUNK):
        piece = text[start : start + _CHUNK]
        for morpheme in tok.tokenize(piece):
            surface = morpheme.surface()
            if not has_kanji(surface):
                segments.append(Segment(surface))
                continue
            segments.extend(align(surface, morpheme.reading_form()))
    return segments


# --- the secretariat's reading dictionary ---------------------------------------------------


def _dictionary_version():
    from django.db.models import Count, Max

    from .models import ReadingEntry

    row = ReadingEntry.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (row["n"], row["last"])


def _load_dictionary() -> tuple[dict[str, str], re.Pattern | None]:
    """The dictionary's entries and the pattern finding them (longest first), reloaded
    when an entry was added, changed or removed (one small query per call)."""
    version = _dictionary_version()
    with _dictionary_lock:
        if _dictionary_state["version"] == version:
            return _dictionary_state["entries"], _dictionary_state["pattern"]
    from .models import ReadingEntry

    entries = dict(ReadingEntry.objects.values_list("surface", "reading"))
    pattern = (
        re.compile("|".join(re.escape(s) for s in sorted(entries, key=len, reverse=True)))
        if entries
        else None
    )
    with _dictionary_lock:
        _dictionary_state.update(version=version, entries=entries, pattern=pattern)
        _cached_segments.cache_clear()
    return entries, pattern


def forget_dictionary() -> None:
    with _dictionary_lock:
        _dictionary_state.update(version=None, entries={}, pattern=None)
        _cached_segments.cache_clear()


@lru_cache(maxsize=20_000)
def _cached_segments(text: str, version, use_dictionary: bool) -> tuple[Segment, ...]:
    entries = _dictionary_state["entries"] if use_dictionary else {}
    pattern = _dictionary_state["pattern"] if use_dictionary else None
    out: list[Segment] = []
    position = 0
    if pattern is not None:
        for match in pattern.finditer(text):
            if match.start() > position:
                out.extend(_analyse(text[position : match.start()]))
            word = match.group(0)
            out.extend(align(word, entries[word]))
            position = match.end()
    if position < len(text):
        out.extend(_analyse(text[position:]))
    return tuple(out)


def segments(text: str, *, dictionary: bool = True) -> tuple[Segment, ...]:
    """The text cut into segments with the readings of its kanji runs; ``dictionary``
    False reads with the analyser alone."""
    if not has_kanji(text):
        return (Segment(text),)
    if not dictionary:
        return _cached_segments(text, None, False)
    _load_dictionary()
    return _loaded_segments(text)


def _loaded_segments(text: str) -> tuple[Segment, ...]:
    """segments() with the dictionary as last loaded (a page checks it once, not per text)."""
    return _cached_segments(text, _dictionary_state["version"], True)


def reading_of(text: str, *, dictionary=True) -> str:
    """The whole reading of a text in hiragana (kana and other characters kept)."""
    return "".join(s.reading or to_hiragana(s.text) for s in segments(text, dictionary=dictionary))


def _segments_html(parts) -> str:
    out = []
    for s in parts:
        text = html_lib.escape(s.text, quote=False)
        if s.reading:
            out.append(
                f"<ruby>{text}<rp>（</rp><rt>{html_lib.escape(s.reading)}</rt><rp>）</rp></ruby>"
            )
        else:
            out.append(text)
    return "".join(out)


def ruby_html(text: str) -> str:
    """Escaped HTML of ``text`` with ruby over its kanji."""
    return _segments_html(segments(text))


# --- a whole page ---------------------------------------------------------------------------

_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_SKIP = {"title", "option", "textarea", "script", "style", "ruby", "rt", "rp", "code", "pre"}
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")


def ruby_page(page: str) -> str:
    """Add ruby to the text of a rendered HTML page (see the module's docstring)."""
    _load_dictionary()
    out = []
    skipping: list[str] = []
    for part in _TAG.split(page):
        if not part:
            continue
        if part.startswith("<"):
            out.append(part)
            match = _TAG_NAME.match(part)
            if match and not part.startswith("<!"):
                name = match.group(1).lower()
                if name in _SKIP:
                    if part.startswith("</"):
                        if skipping and skipping[-1] == name:
                            skipping.pop()
                    elif not part.endswith("/>"):
                        skipping.append(name)
            continue
        if skipping or not has_kanji(part):
            out.append(part)
            continue
        text = html_lib.unescape(part)
        out.append(_segments_html(_loaded_segments(text)))
    return "".join(out)
