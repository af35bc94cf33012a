"""Search over Japanese text: width, case and kana variants are treated alike.

The stored original is never changed; only a search copy is normalised (NFKC, lower case,
katakana to hiragana, no whitespace), and queries are normalised the same way.
"""

import unicodedata

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def normalise_for_search(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).lower().translate(_KATAKANA_TO_HIRAGANA)
    return "".join(folded.split())
