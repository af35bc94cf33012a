"""``insight``: offline analysis of Japanese free-text answers (plain Python, no Django).

Public API::

    analyze(texts, ids=None, attributes=None, reference=None, coarse=None, fine=None,
            progress=None, random_state=0) -> AnalysisResult
    analyze_csv(path_or_file, *, reference=None, progress=None, coarse=None, fine=None) -> dict
    result_to_json(result) -> dict
    read_comments_csv(path_or_file) -> Comments
    compare_alignment(before_json, after_json, attribute=None) -> dict
    require_vectors() -> WordVectors
    InsightInputError (English message, plus ``code`` and ``params`` for a translated one;
    every code is in ``io.CODES``), WordVectorsMissing (an InsightInputError with code
    "vectors_missing")

``progress(fraction, message)`` is called with strictly increasing fractions from 0 to 1.

What it does (each step is documented in its module):

1. :mod:`.normalize` — an analysis copy of each answer (tags dropped, NFKC, truncated to
   ``MAX_ANALYSIS_CHARS``); the original text is never altered.
2. :mod:`.duplicates` — identical / near-identical answers are grouped; only one
   representative per group is analysed, the others inherit its clusters, position and
   alignment (``duplicate_of``); large groups are flagged as bulk submissions.
3. :mod:`.tokenize` — SudachiPy (mode C + A parts), content words, normalised forms and
   synonym group ids.
4. :mod:`.embed` — TF-IDF/LSA of lemmas and synonym groups ⊕ GiNZA word vectors (read
   from the installed ja-ginza package's files by :mod:`.vectors`, no spaCy pipeline).
   Without the vectors the analysis refuses to run (:class:`WordVectorsMissing`, code
   ``vectors_missing``) rather than silently give poorer groups; :func:`require_vectors`
   checks for them up front.
5. :mod:`.cluster` — fine k-means, coarse Ward merge of the fine centroids (a tree),
   numbers chosen automatically unless given; c-TF-IDF keywords, labels, representatives.
6. :mod:`.metrics` — divergence index, alignment with a reference text, breakdowns.

JSON format (:func:`result_to_json`, :func:`analyze_csv`)::

    {"items": [{"id", "clusters": [coarse_id, fine_id], "x", "y", "duplicate_of",
                "alignment" (only with a reference)}],          # one per input row
     "clusters": [{"id", "level" (1 coarse, 2 fine), "parent", "label", "keywords",
                   "size" (distinct answers), "representatives" (item ids)}],
     "stats": {"divergence", "divergence_parts": {"distance", "spread"},
               "divergence_explanation", "divergence_explanation_ja",
               "items", "analysed", "empty", "distinct", "duplicates", "duplicate_groups",
               "bulk": [{"representative", "count", "items"}], "bulk_rule",
               "clusters": {"coarse", "fine", "total"}, "truncated", "max_analysis_chars",
               "word_vectors",
               "groups": {attribute: {value: {"items", "distinct", "divergence",
                                              "distance", "spread",
                                              "alignment" (with a reference)}}},
               "breakdown": {cluster_id: {attribute: {value: rows}}},
               "cluster_rows": {cluster_id: rows},
               "alignment": {"mean", "clusters": {cluster_id: mean}, "explanation"}
                            (only with a reference)}}

Cluster ids are ``"C1"``, ``"C2"`` … (coarse, largest first) and ``"C1.1"``, ``"C1.2"`` …
(fine, within their parent). Answers with nothing to analyse (empty, or only punctuation
or emoji) keep their item with ``clusters`` ``[null, null]`` and ``x``/``y`` ``null``.

Items and clusters have exactly the fields above; everything else (bulk flags, per-group
divergence and alignment, breakdowns by attribute, row counts) is under ``stats``.
Breakdowns count input rows (duplicates included: two departments sending the same text
both count); ``size``, divergence and alignment count distinct answers.

Large inputs: duplicates via MinHash/LSH, k-means and the SVDs fitted on fixed samples of
at most 20,000 distinct answers (all answers then assigned/projected), divergence exact in
O(n); 100,000 answers take about half a minute and under 1 GB on two cores.

Edge cases: a single comment, or comments that are all the same, give a trivial result
(one coarse and one fine cluster, divergence 0); no analysable comment at all raises
:class:`InsightInputError`, as do the input problems listed in :mod:`.io`.
"""

from .analysis import (
    AnalysisResult,
    Cluster,
    Item,
    analyze,
    analyze_csv,
    analyze_rounds,
    result_to_json,
)
from .embed import WordVectorsMissing, require_vectors
from .io import Comments, InsightInputError, read_comments_csv
from .metrics import compare_alignment

__all__ = [
    "AnalysisResult",
    "Cluster",
    "Comments",
    "InsightInputError",
    "Item",
    "WordVectorsMissing",
    "analyze",
    "analyze_csv",
    "analyze_rounds",
    "compare_alignment",
    "read_comments_csv",
    "require_vectors",
    "result_to_json",
]
