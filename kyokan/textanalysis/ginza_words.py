"""One-time conversion: GiNZA's word → vector-row table, read with spaCy's own API.

ja-ginza 5.3.0 stores its word vectors as a plain NumPy array (``vocab/vectors``, 20,000
rows × 300) and the word → row map in spaCy's private format (``vocab/key2row``: 64-bit
hashes of the words, MessagePack). Kyokan does not depend on spaCy (ja-ginza's pins conflict
with Kyokan's SudachiPy), so this script is run **once, by a maintainer, with an interpreter
that has spaCy** (a throw-away virtual environment is enough; it imports nothing from
Kyokan)::

    python3 -m venv /tmp/spacy && /tmp/spacy/bin/pip install "spacy>=3.8,<4"
    /tmp/spacy/bin/python kyokan/textanalysis/ginza_words.py \\
        .venv/lib/python3.11/site-packages/ja_ginza/ja_ginza-5.3.0/vocab \\
        kyokan/textanalysis/data/ginza-5.3.0-words.tsv.gz

It loads the vectors with ``spacy.vectors.Vectors.from_disk`` and the strings with
``spacy.strings.StringStore``, and writes every string that has a vector as ``word<TAB>row``
(gzip, UTF-8, sorted), after header lines that record the package, the number of rows and
the SHA-256 of the ``vectors`` file the rows point into. :mod:`kyokan.textanalysis.vectors` reads
that table and the ``.npy`` file, and checks the checksum, so no private format is decoded
at run time and a different ja-ginza build is refused rather than misread.
"""

from __future__ import annotations

import gzip
import hashlib
import sys
from pathlib import Path


def main(vocab: str, target: str) -> int:
    from spacy.strings import StringStore, hash_string
    from spacy.vectors import Vectors

    folder = Path(vocab)
    vectors = Vectors()
    vectors.from_disk(folder)
    strings = StringStore()
    strings.from_disk(folder / "strings.json")
    key2row = vectors.key2row
    pairs = sorted(
        (word, int(key2row[hash_string(word)]))
        for word in strings
        if hash_string(word) in key2row and "\t" not in word and "\n" not in word
    )
    digest = hashlib.sha256((folder / "vectors").read_bytes()).hexdigest()
    rows, dim = vectors.shape
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("# GiNZA word vectors: word<TAB>row of vocab/vectors (ja-ginza 5.3.0)\n")
        handle.write(f"# vectors-sha256\t{digest}\n")
        handle.write(f"# shape\t{rows}\t{dim}\n")
        handle.write(f"# words\t{len(pairs)}\tof {len(key2row)} keys\n")
        for word, row in pairs:
            handle.write(f"{word}\t{row}\n")
    print(f"{len(pairs)} words of {len(key2row)} keys -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
