"""Answer embeddings: Sudachi lemmas + synonym groups (TF-IDF, LSA) ⊕ GiNZA word vectors.

Part (a), *lexical*: a TF-IDF over the features of :mod:`tokenize` — normalised lemmas,
their mode-A parts and their Sudachi synonym group ids (so that 電子申請 and オンライン申請
share a feature) — with sublinear term frequency, reduced with TruncatedSVD (LSA) to at
most :data:`LSA_DIM` dimensions (fitted on at most :data:`FIT_SAMPLE` answers, all answers
projected) and L2-normalised.

Part (b), *semantic*: the IDF-weighted mean of the 300-d GiNZA (chiVe) vectors of the
answer's content words (a compound that has no vector of its own — マイナンバーカード,
データ分析, 費用対効果 — gets the mean of its mode-A parts' vectors, :func:`word_vector`:
on the dev split 2.5 % of the words more had a vector, and the precision of the nearest
answers rose), with the common direction removed (the first principal component
of the answers, estimated on at most :data:`FIT_SAMPLE` of them, as in SIF embeddings: it
mostly encodes "this is an opinion about digitalisation" and drowns the differences) and
L2-normalised.

The embedding is ``[w_a · a, w_b · b]`` L2-normalised (float32), with ``w_a² + w_b² = 1``
(:data:`LEXICAL_WEIGHT`). An answer without any content word gets the zero vector.

Part (b) is not optional: without the word vectors the groups of opinion are markedly worse
(synonyms and related words no longer meet), so an :class:`Embedder` without them refuses
to run with :class:`WordVectorsMissing` instead of silently giving a poorer analysis.
:func:`require_vectors` performs the same check up front (``kyokan check --deploy`` uses it).
The vectors come from the ``ja-ginza`` package, installed on its own with ``pip install
--no-deps`` (its declared requirements pin a SudachiPy older than Kyokan's and pull in
spaCy, which Kyokan does not use), read as a plain NumPy array with a word table converted
once with spaCy's own API (see :mod:`.vectors` and :mod:`.ginza_words`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from .io import AnalysisInputError
from .tokenize import TokenizedTexts
from .vectors import WordVectors, load_vectors

#: Dimensions of the lexical part. Chosen on the dev split among 20, 40 and 160: the same
#: ARI, and with 40 (exact SVD) removing one answer of 300 moves the groups much less than
#: with 160 randomised components (whose smallest components change with every answer).
LSA_DIM = 40
#: Up to this many rows the SVD is exact (ARPACK); above, randomised (time).
EXACT_SVD_ROWS = 5_000
#: At most this many answers are used to fit the SVDs (all are then projected).
FIT_SAMPLE = 20_000
#: Share of the lexical part (a) in the embedding (squared weights add up to 1). Chosen on
#: the dev split with the consensus clustering of :mod:`.cluster`: fine ARI 0.336 with 0.1,
#: 0.287 with 0.15 (lowest fine ARI with one answer of 300 removed 0.81 and 0.80); 0.2 had
#: been the choice with the earlier spectral tree (0.303 with the Leiden ensemble).
#: Re-checked with the subsampled ensemble (dev fine ARI / lowest with one answer removed):
#: 0 0.294 / 0.84, 0.05 0.311 / 0.84, 0.1 0.317 / 0.85, 0.2 0.257 / 0.78. The held-out split
#: was not used.
LEXICAL_WEIGHT = 0.1
#: The package that holds the word vectors, as the README's installation steps name it.
VECTORS_PACKAGE = "ja-ginza==5.3.0"


class WordVectorsMissing(AnalysisInputError):
    """GiNZA's word vectors are not installed, or cannot be read: the analysis does not run.

    ``code`` (``"vectors_missing"``) lets a caller show its own, translated message; the
    English message names the package and how to install it, and ``detail`` says what was
    wrong with the files when they exist but cannot be read.
    """

    code = "vectors_missing"

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        message = (
            "The analysis cannot run: GiNZA's word vectors are not installed. Install them "
            f'with `pip install --no-deps -c constraints.txt "{VECTORS_PACKAGE}"` in '
            "Kyokan's environment (an analysis without them would group opinions markedly "
            "worse)."
        )
        super().__init__(
            f"{message} ({detail})" if detail else message,
            params={"package": VECTORS_PACKAGE, "detail": detail},
        )


def require_vectors() -> WordVectors:
    """The word vectors, or :class:`WordVectorsMissing` if they are absent or unreadable."""
    try:
        vectors = load_vectors()
    except (OSError, ValueError) as exc:
        raise WordVectorsMissing(f"{type(exc).__name__}: {exc}") from exc
    if vectors is None:
        raise WordVectorsMissing()
    return vectors


def _identity(tokens):
    return tokens


def word_vector(vectors: WordVectors, lemma: str, tokens: TokenizedTexts) -> np.ndarray | None:
    """The unit word vector of ``lemma`` (by its normalised form, then its other spellings),
    or for a compound without a vector of its own the normalised mean of its mode-A parts'
    vectors (マイナンバーカード → マイナンバー + カード); ``None`` when nothing has one."""
    row = vectors.row(lemma, *tokens.alternatives.get(lemma, ()))
    if row is not None:
        vector = vectors.table[row].astype(np.float32)
    else:
        rows = [vectors.row(part) for part in tokens.parts.get(lemma, ())]
        rows = [r for r in rows if r is not None]
        if not rows:
            return None
        found = vectors.table[rows].astype(np.float32)
        norms = np.linalg.norm(found, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        vector = (found / norms).mean(axis=0)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else None


#: A row shorter than this is rounding noise, not a direction, and is set to zero by
#: :func:`_l2`. The rows it sees are at most of unit length (a TF-IDF row's projection on the
#: LSA components, a mean of unit word vectors with the common direction removed); an answer
#: whose words all lie outside the 40 LSA components projects to about 1e-16, and scaling
#: that to unit length gave it a random direction that differed from one CPU to the next
#: (found when the held-out figures differed between AVX2 and AVX-512 machines).
NOISE_NORM = 1e-6


def _l2(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, in place; rows shorter than :data:`NOISE_NORM` become
    zero (zero rows stay zero)."""
    norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))[:, np.newaxis]
    noise = norms[:, 0] < NOISE_NORM
    norms[noise] = 1.0
    matrix /= norms
    matrix[noise] = 0.0
    return matrix


@dataclass
class Embedder:
    """Fitted on the unique answers; :meth:`transform` embeds other texts (a reference).

    ``vectors`` must be the loaded word vectors: with ``None`` (what :func:`load_vectors`
    returns when the package is missing) :meth:`fit_transform` raises
    :class:`WordVectorsMissing` before doing any work."""

    vectors: WordVectors | None = None
    lexical_weight: float = LEXICAL_WEIGHT
    lsa_dim: int = LSA_DIM
    random_state: int = 0

    def fit_transform(self, tokens: TokenizedTexts) -> np.ndarray:
        if self.vectors is None:
            raise WordVectorsMissing()
        n = len(tokens.features)
        self._tfidf = TfidfVectorizer(
            analyzer=_identity,
            sublinear_tf=True,
            min_df=2 if n >= 5000 else 1,
            # Double precision for the SVD: ARPACK on float32 converges only to float32's
            # precision, and its components then depend on the CPU's arithmetic kernels.
            dtype=np.float64,
        )
        has_features = any(tokens.features)
        self._svd = None
        if has_features:
            tfidf = self._tfidf.fit_transform(tokens.features)
            k = min(self.lsa_dim, tfidf.shape[1] - 1, n - 1)
            if k >= 2:
                exact = min(n, FIT_SAMPLE) <= EXACT_SVD_ROWS
                self._svd = TruncatedSVD(
                    n_components=k,
                    algorithm="arpack" if exact else "randomized",
                    n_iter=7,
                    random_state=self.random_state,
                )
                self._svd.fit(tfidf[self._sample(n)])
                lexical = self._project(tfidf)
            else:
                lexical = tfidf.toarray()
            del tfidf
        else:
            self._tfidf = None
            lexical = np.zeros((n, 1), dtype=np.float32)
        lexical = _l2(np.asarray(lexical, dtype=np.float32))
        self._lemma_index: dict[str, int] = {}
        # The combined matrix is allocated once and the parts written into it.
        width = lexical.shape[1]
        out = np.empty((n, width + self.vectors.dim), dtype=np.float32)
        out[:, :width] = lexical
        del lexical
        out[:, width:] = self._fit_semantic(tokens)
        return self._weigh(out, width)

    def _sample(self, n: int) -> np.ndarray:
        """Rows used to fit the SVDs: all, or a fixed random :data:`FIT_SAMPLE` of them."""
        if n <= FIT_SAMPLE:
            return np.arange(n)
        rng = np.random.RandomState(self.random_state)
        return np.sort(rng.choice(n, FIT_SAMPLE, replace=False))

    def _project(self, tfidf) -> np.ndarray:
        components = self._svd.components_.astype(np.float32).T
        return np.asarray(tfidf @ components, dtype=np.float32)

    # -- part (b) -----------------------------------------------------------------------
    def _doc_lemma_matrix(self, lemma_lists: list[list[str]], grow: bool) -> sparse.csr_matrix:
        indptr, indices = [0], []
        for lemmas in lemma_lists:
            for lemma in lemmas:
                j = self._lemma_index.get(lemma)
                if j is None and grow:
                    j = self._lemma_index[lemma] = len(self._lemma_index)
                if j is not None:
                    indices.append(j)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        shape = (len(lemma_lists), max(1, len(self._lemma_index)))
        matrix = sparse.csr_matrix((data, indices, indptr), shape=shape)
        matrix.sum_duplicates()
        return matrix

    def _fit_semantic(self, tokens: TokenizedTexts) -> np.ndarray:
        counts = self._doc_lemma_matrix(tokens.lemmas, grow=True)
        vocabulary = sorted(self._lemma_index, key=self._lemma_index.get)
        word_matrix = np.zeros((max(1, len(vocabulary)), self.vectors.dim), dtype=np.float32)
        found = np.zeros(word_matrix.shape[0], dtype=bool)
        for j, lemma in enumerate(vocabulary):
            vector = word_vector(self.vectors, lemma, tokens)
            if vector is not None:
                word_matrix[j] = vector
                found[j] = True
        n_docs = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
        self._idf = (np.log((1 + n_docs) / (1 + df)) + 1).astype(np.float32) * found
        self._word_matrix = word_matrix
        semantic = self._semantic(counts)
        self._common = None
        sample = semantic[self._sample(semantic.shape[0])]
        sample = sample[np.linalg.norm(sample, axis=1) > 0]
        # (Rows all alike have no common direction to remove but themselves.)
        if sample.shape[0] >= 3 and np.ptp(sample, axis=0).any():
            svd = TruncatedSVD(n_components=1, random_state=self.random_state)
            svd.fit(sample)
            self._common = svd.components_[0].astype(np.float32)
            semantic = self._remove_common(semantic)
        return semantic

    def _semantic(self, counts: sparse.csr_matrix) -> np.ndarray:
        weights = counts.multiply(self._idf[np.newaxis, :]).tocsr()
        return _l2(np.asarray(weights @ self._word_matrix, dtype=np.float32))

    def _remove_common(self, semantic: np.ndarray) -> np.ndarray:
        if self._common is None:
            return semantic
        zero = np.einsum("ij,ij->i", semantic, semantic) == 0
        for start in range(0, semantic.shape[0], 20_000):
            block = semantic[start : start + 20_000]
            block -= np.outer(block @ self._common, self._common)
        semantic[zero] = 0.0
        return _l2(semantic)

    # -- combination --------------------------------------------------------------------
    def _weigh(self, out: np.ndarray, width: int) -> np.ndarray:
        out[:, :width] *= np.float32(np.sqrt(self.lexical_weight))
        out[:, width:] *= np.float32(np.sqrt(1.0 - self.lexical_weight))
        return _l2(out)

    def transform(self, tokens: TokenizedTexts) -> np.ndarray:
        n = len(tokens.features)
        if self._tfidf is not None:
            tfidf = self._tfidf.transform(tokens.features)
            lexical = self._project(tfidf) if self._svd is not None else tfidf.toarray()
        else:
            lexical = np.zeros((n, 1), dtype=np.float32)
        lexical = _l2(np.asarray(lexical, dtype=np.float32))
        semantic = self._remove_common(self._semantic_direct(tokens))
        return self._weigh(np.hstack([lexical, semantic]), lexical.shape[1])

    def _semantic_direct(self, tokens: TokenizedTexts) -> np.ndarray:
        """Part (b) for new texts: words unseen at fit time still count (with the largest
        IDF, as the rarest words), so a reference text's own vocabulary is not lost."""
        out = np.zeros((len(tokens.lemmas), self.vectors.dim), dtype=np.float32)
        top_idf = float(self._idf.max()) if self._idf.size else 1.0
        for i, lemmas in enumerate(tokens.lemmas):
            for lemma in lemmas:
                j = self._lemma_index.get(lemma)
                if j is not None:
                    out[i] += self._idf[j] * self._word_matrix[j]
                    continue
                vector = word_vector(self.vectors, lemma, tokens)
                if vector is not None:
                    out[i] += top_idf * vector
        return _l2(out)


def word_bag(embedder: Embedder, lemmas: list[str], tokens: TokenizedTexts) -> tuple:
    """``(unit vectors, IDF weights, lemmas)`` of the content words of one text that have a
    word vector (words unseen when the embedder was fitted get the largest IDF; ``tokens``
    gives their other spellings and compound parts, see :func:`word_vector`)."""
    vectors, weights, kept = [], [], []
    top_idf = float(embedder._idf.max()) if embedder._idf.size else 1.0
    for lemma in dict.fromkeys(lemmas):
        j = embedder._lemma_index.get(lemma)
        if j is not None and embedder._idf[j] > 0:
            vectors.append(embedder._word_matrix[j])
            weights.append(float(embedder._idf[j]))
            kept.append(lemma)
            continue
        vector = word_vector(embedder.vectors, lemma, tokens)
        if vector is not None:
            vectors.append(vector)
            weights.append(top_idf)
            kept.append(lemma)
    return vectors, np.array(weights, dtype=np.float64), kept
