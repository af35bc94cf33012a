"""Normalisation of analysis copies (the stored original text is never changed).

Two normalised forms are derived from an answer:

* :func:`analysis_text` — what the morphological analyser sees: HTML/XML-like tags,
  ``<script>``/``<style>`` blocks and character references (``&amp;``) removed (answers
  are plain text: markup is never interpreted, only left out of the analysis),
  control and zero-width characters dropped, Unicode NFKC (full-width ＤＸ → DX,
  half-width ﾃﾞｼﾞﾀﾙ → デジタル; it also turns ㈱ into (株) and ① into 1, which is why it
  is applied only to this copy), whitespace collapsed, and truncated to
  :data:`MAX_ANALYSIS_CHARS` characters.
* :func:`duplicate_key` — the key used to find (near-)duplicates: the analysis text in
  lower case, katakana folded to hiragana, keeping letters and digits only (punctuation,
  spaces, symbols and emoji do not make two answers different).
"""

from __future__ import annotations

import re
import unicodedata

#: Longest text (in characters, after normalisation) that is analysed. Longer answers are
#: cut for the analysis only; their item, id and original text are kept.
MAX_ANALYSIS_CHARS = 2000

_CODE_BLOCK = re.compile(r"<(script|style)\b[^>]{0,500}>.{0,20000}?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^<>]{0,500}>")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_SPACE = re.compile(r"\s+")
_KATA_TO_HIRA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}


def _invisible_pattern() -> re.Pattern:
    """Control (Cc), format (Cf: zero-width joiners, BOM, bidi marks…), surrogate and
    private-use characters, except tab and newline."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs", "Co") and code not in (9, 10):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    ranges += [(0x110BD, 0x110BD), (0x1D173, 0x1D17A), (0xE0001, 0xE007F), (0xF0000, 0x10FFFF)]
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[{body}]+")


_INVISIBLE = _invisible_pattern()
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def analysis_text(text: str, max_chars: int = MAX_ANALYSIS_CHARS) -> str:
    """The normalised copy of ``text`` that is tokenised and embedded."""
    if not text:
        return ""
    # Cut early so that a 1 MB answer costs no more than a long one (NFKC may expand a
    # character into a few, hence the margin), then cut exactly after normalisation.
    text = text[: max_chars * 4]
    text = _CODE_BLOCK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _ENTITY.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub(" ", text).strip()
    return text[:max_chars]


def kata_to_hira(text: str) -> str:
    return text.translate(_KATA_TO_HIRA)


def duplicate_key(normalised: str) -> str:
    """Key under which two answers count as the same text (see module docstring)."""
    return _NOT_LETTER_OR_DIGIT.sub("", kata_to_hira(normalised.lower()))


def fold(text: str) -> str:
    """The search and comparison form of Japanese text: NFKC (full/half width alike), case
    folded, katakana as hiragana, without whitespace — so that ＤＸ, dx and DX, ﾃﾞｼﾞﾀﾙ and
    デジタル, でじたる and デジタル match. Only ever a copy: the original is kept."""
    folded = kata_to_hira(unicodedata.normalize("NFKC", text).casefold())
    return "".join(folded.split())
