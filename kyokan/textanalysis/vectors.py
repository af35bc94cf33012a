"""GiNZA word vectors (ja-ginza 5.3.0): the installed package's plain NumPy array and a word
table converted once with spaCy's own API.

The spaCy pipeline is never loaded (``nlp(text)`` is far too slow and not needed), and no
private format is decoded here:

* ``ja_ginza/ja_ginza-5.3.0/vocab/vectors`` — a NumPy ``.npy`` array, 20,000 rows × 300
  float32 (chiVe vectors, pruned), read with ``np.load``;
* :data:`WORDS_FILE` (shipped with Kyokan, 2.9 MB) — every word that has a vector and its
  row, written by :mod:`.ginza_words` with spaCy's ``Vectors``/``StringStore`` (480,425 words
  of the 480,443 keys; pruned words point to the row of their nearest kept word). Its header
  records the SHA-256 of the ``vectors`` file; :func:`load_vectors` refuses a file with
  another checksum (a different ja-ginza build would silently mean other rows).

Words are looked up by Sudachi normalised form first (the table was built from normalised
forms: セキュリティー is in it, セキュリティ is not), then by the other spellings. Nothing is
downloaded: if the package is missing, :func:`load_vectors` returns ``None`` and the analysis
refuses to run (:class:`kyokan.textanalysis.WordVectorsMissing`).

The package is found by location only (``importlib.util.find_spec``): importing it would
import spaCy.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WORDS_FILE = Path(__file__).resolve().parent / "data" / "ginza-5.3.0-words.tsv.gz"
HEADER_LINES = 4


@dataclass
class WordVectors:
    table: np.ndarray  # (rows, 300) float32
    words: dict[str, int]  # word -> row of ``table``
    source: str

    @property
    def dim(self) -> int:
        return int(self.table.shape[1])

    def row(self, *spellings: str) -> int | None:
        for word in spellings:
            if word:
                found = self.words.get(word)
                if found is not None:
                    return found
        return None


def vocab_dir() -> Path | None:
    """The ``vocab`` folder of the installed ja_ginza package, if any."""
    spec = importlib.util.find_spec("ja_ginza")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for candidate in sorted(Path(location).glob("ja_ginza-*/vocab")):
            if (candidate / "vectors").is_file():
                return candidate
    return None


def read_words(path: Path = WORDS_FILE) -> tuple[dict[str, int], str, tuple[int, int]]:
    """``(word -> row, SHA-256 of the vectors file, (rows, dim))`` from the word table."""
    words: dict[str, int] = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as handle:
        header = [handle.readline().rstrip("\n") for _ in range(HEADER_LINES)]
        fields = {line.split("\t")[0]: line.split("\t")[1:] for line in header}
        try:
            digest = fields["# vectors-sha256"][0]
            shape = (int(fields["# shape"][0]), int(fields["# shape"][1]))
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"{path.name} has no valid header") from None
        for line in handle:
            word, _, row = line.rstrip("\n").rpartition("\t")
            words[word] = int(row)
    return words, digest, shape


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_cache: dict[str, WordVectors | None] = {}
_lock = threading.Lock()


def load_vectors() -> WordVectors | None:
    """The GiNZA vector table (loaded once per process, ~0.5 s), or ``None`` when the
    package is not installed. Raises ``ValueError`` when its files do not match the word
    table (another build) or cannot be read."""
    with _lock:
        if "v" not in _cache:
            folder = vocab_dir()
            if folder is None:
                _cache["v"] = None
            else:
                words, digest, shape = read_words()
                if _sha256(folder / "vectors") != digest:
                    raise ValueError(
                        f"{folder / 'vectors'} is not the ja-ginza 5.3.0 vector file the word "
                        "table was built for (checksum differs)"
                    )
                table = np.ascontiguousarray(
                    np.load(folder / "vectors", allow_pickle=False), dtype=np.float32
                )
                if table.shape != shape:
                    raise ValueError(f"vector table has shape {table.shape}, expected {shape}")
                _cache["v"] = WordVectors(table, words, str(folder))
        return _cache["v"]
