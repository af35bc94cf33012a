"""GiNZA word vectors (ja-ginza 5.3.0), read straight from the installed package's files.

The spaCy pipeline is never loaded (``nlp(text)`` is far too slow and not needed): only the
vector table in ``ja_ginza/ja_ginza-*/vocab/`` is read:

* ``vectors`` — a NumPy ``.npy`` array, 20,000 rows × 300 float32 (chiVe vectors, pruned);
* ``key2row`` — a MessagePack map from a word's 64-bit key to its row (480,443 keys: pruned
  words point to the row of their nearest kept word).

A word's key is spaCy's string hash, MurmurHash64A of the UTF-8 bytes with seed 1
(:func:`word_key`). Words are looked up by Sudachi normalised form first (the table was
built from normalised forms: セキュリティー is in it, セキュリティ is not), then by the
other spellings. Nothing is downloaded: if the package is missing, :func:`load_vectors`
returns ``None`` and the embedding falls back to the TF-IDF part alone.

The package is imported by location only (``importlib.util.find_spec``): importing it would
import spaCy.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_M = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1


def word_key(word: str) -> int:
    """spaCy's key for ``word``: MurmurHash64A(utf-8 bytes, seed=1)."""
    data = word.encode("utf-8")
    length = len(data)
    h = (1 ^ (length * _M)) & _MASK
    blocks = length // 8
    for i in range(blocks):
        k = int.from_bytes(data[8 * i : 8 * i + 8], "little")
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    if length & 7:
        h ^= int.from_bytes(data[blocks * 8 :], "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


#: Length in bytes of a MessagePack unsigned integer, by its first byte.
_UINT_LENGTH = np.zeros(256, dtype=np.int64)
_UINT_LENGTH[:0x80] = 1
_UINT_LENGTH[[0xCC, 0xCD, 0xCE, 0xCF]] = [2, 3, 5, 9]


def read_key2row(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Decode spaCy's ``key2row`` (a MessagePack map of unsigned integers) into sorted
    ``keys`` (uint64) and their ``rows`` (int32), searched with ``np.searchsorted``: a tenth
    of the memory of a dict.

    One cheap Python step per element finds where the elements start; all keys and rows
    are then decoded with NumPy at once (about 0.2 s for the 480,443 entries).
    """
    raw = path.read_bytes()
    buf = np.frombuffer(raw, dtype=np.uint8)
    marker = raw[0]
    if marker == 0xDF:
        count, position = int.from_bytes(raw[1:5], "big"), 5
    elif marker == 0xDE:
        count, position = int.from_bytes(raw[1:3], "big"), 3
    elif 0x80 <= marker <= 0x8F:
        count, position = marker & 0x0F, 1
    else:
        raise ValueError("key2row is not a MessagePack map")
    step = [max(1, int(n)) for n in _UINT_LENGTH]
    starts = []
    append = starts.append
    try:
        for _ in range(2 * count):
            append(position)
            position += step[raw[position]]
    except IndexError:
        raise ValueError("key2row is truncated") from None
    if position != len(raw):
        raise ValueError("key2row has trailing data")
    starts_arr = np.array(starts, dtype=np.int64)
    first = buf[starts_arr]
    if not (_UINT_LENGTH[first] > 0).all():
        raise ValueError("key2row holds something other than unsigned integers")
    values = np.where(first < 0x80, first, 0).astype(np.uint64)
    for width, code in ((1, 0xCC), (2, 0xCD), (4, 0xCE), (8, 0xCF)):
        where = np.nonzero(first == code)[0]
        if len(where):
            acc = np.zeros(len(where), dtype=np.uint64)
            for b in range(width):
                acc = (acc << np.uint64(8)) | buf[starts_arr[where] + 1 + b].astype(np.uint64)
            values[where] = acc
    keys, rows = values[0::2], values[1::2].astype(np.int32)
    order = np.argsort(keys, kind="stable")
    return keys[order], rows[order]


@dataclass
class WordVectors:
    table: np.ndarray  # (rows, 300) float32
    keys: np.ndarray  # sorted uint64 word keys
    rows: np.ndarray  # row of each key
    source: str

    @property
    def dim(self) -> int:
        return int(self.table.shape[1])

    def row(self, *spellings: str) -> int | None:
        for word in spellings:
            if word:
                key = np.uint64(word_key(word))
                at = int(np.searchsorted(self.keys, key))
                if at < len(self.keys) and self.keys[at] == key:
                    return int(self.rows[at])
        return None


def vocab_dir() -> Path | None:
    """The ``vocab`` folder of the installed ja_ginza package, if any."""
    spec = importlib.util.find_spec("ja_ginza")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for candidate in sorted(Path(location).glob("ja_ginza-*/vocab")):
            if (candidate / "vectors").is_file() and (candidate / "key2row").is_file():
                return candidate
    return None


_cache: dict[str, WordVectors | None] = {}
_lock = threading.Lock()


def load_vectors() -> WordVectors | None:
    """The GiNZA vector table (loaded once per process, ~0.5 s), or ``None``."""
    with _lock:
        if "v" not in _cache:
            folder = vocab_dir()
            if folder is None:
                _cache["v"] = None
            else:
                table = np.load(folder / "vectors", allow_pickle=False)
                table = np.ascontiguousarray(table, dtype=np.float32)
                keys, rows = read_key2row(folder / "key2row")
                _cache["v"] = WordVectors(table, keys, rows, str(folder))
        return _cache["v"]
