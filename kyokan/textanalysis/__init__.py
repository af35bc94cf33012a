"""``textanalysis``: offline analysis of Japanese free-text answers (plain Python, no Django).

Public API::

    analyze(texts, ids=None, attributes=None, reference=None, coarse=None, fine=None,
            progress=None, random_state=0) -> AnalysisResult
    analyze_csv(path_or_file, *, reference=None, progress=None, coarse=None, fine=None) -> dict
    result_to_json(result) -> dict
    read_comments_csv(path_or_file) -> Comments
    compare_alignment(before_json, after_json, attribute=None) -> dict
    require_vectors() -> WordVectors
    AnalysisInputError (English message, plus ``code`` and ``params`` for a translated one;
    every code is in ``io.CODES``), WordVectorsMissing (an AnalysisInputError with code
    "vectors_missing")

``progress(fraction, message)`` is called with strictly increasing fractions from 0 to 1.

What it does (each step is documented in its module):

1. :mod:`.normalize` — an analysis copy of each answer (tags dropped, NFKC, truncated to
   ``MAX_ANALYSIS_CHARS``); the original text is never altered.
2. :mod:`.duplicates` — near-duplicates (the same text with small edits) are grouped and
   **campaigns** (families of rewordings of one text, 組織的な同一・類似意見) found; only
   one answer per group and per campaign is analysed, the others inherit its groups,
   position and alignment (``duplicate_of``, ``campaign``).
3. :mod:`.tokenize` — SudachiPy (mode C, compounds whole, + mode A parts), content words
   without filler, normalised forms and synonym group ids.
4. :mod:`.embed` — TF-IDF/LSA of lemmas and synonym groups ⊕ GiNZA word vectors (compounds
   without a vector of their own get their parts' mean; read by
   :mod:`.vectors` from the installed ja-ginza package's ``.npy`` and a word table converted
   once with spaCy's API by :mod:`.ginza_words`; no spaCy at run time). Without the vectors
   the analysis refuses to run (:class:`WordVectorsMissing`, code ``vectors_missing``);
   :func:`require_vectors` checks for them up front.
5. :mod:`.cluster` — one consensus tree (average linkage on the co-association of an
   ensemble of Louvain partitions of neighbour graphs), cut into fine and coarse groups; the
   number of coarse groups is chosen by the modularity of the graph over a range (the
   scores are returned in ``stats["selection"]``) unless given; c-TF-IDF keywords, labels,
   representatives; ids kept from an earlier run (``previous``).
6. :mod:`.metrics` — divergence (1 − mean similarity of respondents), alignment with the
   best part of a reference text, breakdowns.

:func:`analyze_rounds` compares rounds of one question on one scale (one embedding, one set
of groups).

JSON format (:func:`result_to_json`, :func:`analyze_csv`)::

    {"items": [{"id", "clusters": [coarse_id, fine_id], "x", "y", "duplicate_of",
                "campaign" (campaign id or null),
                "alignment", "alignment_part" (only with a reference)}],   # one per input row
     "clusters": [{"id", "level" (1 coarse, 2 fine), "parent", "label", "keywords",
                   "size" (distinct answers), "rows" (answers), "representatives" (item ids)}],
     "stats": {"divergence", "divergence_parts": {"distance", "spread"},
               "divergence_explanation", "divergence_explanation_ja",
               "divergence_detail": {"code", "params", "text"},
               "items", "analysed", "empty", "distinct", "duplicates", "duplicate_groups",
               "near_duplicates": [{"representative", "text", "count", "items"}],
               "campaigns": [{"id", "representative", "text", "distinct", "count", "items"}],
               "campaign_rule",
               "bulk": [{"representative", "count", "items"}], "bulk_rule",
               "selection": {"rule", "chosen", "given", "scores": [{"k", "modularity"}]},
               "clusters": {"coarse", "fine", "total"}, "truncated", "max_analysis_chars",
               "word_vectors",
               "groups": {attribute: {value: {"items", "distinct", "divergence",
                                              "distance", "spread", "divergence_detail",
                                              "alignment" (with a reference)}}},
               "breakdown": {cluster_id: {attribute: {value: rows}}},
               "cluster_rows": {cluster_id: rows},
               "alignment": {"mean", "clusters": {cluster_id: mean}, "explanation",
                             "parts", "part_counts"} (only with a reference)}}

Cluster ids are ``"C1"``, ``"C2"`` … (coarse, largest first) and ``"C1.1"``, ``"C1.2"`` …
(fine, within their parent); with ``previous`` the groups that still match keep their ids
and new groups are numbered after the earlier ones. Campaign ids are ``"K1"`` …. Answers
with nothing to analyse (empty, or only punctuation or emoji) keep their item with
``clusters`` ``[null, null]`` and ``x``/``y`` ``null``.

Breakdowns count input rows (duplicates included: two departments sending the same text
both count); ``size`` and alignment count distinct answers; divergence counts
respondents, a bulk submission or a campaign once.

Large inputs: duplicates via MinHash/LSH, the neighbour graph and the SVDs on fixed samples
(all answers then assigned/projected), divergence exact in O(n); 100,000 comments of about
100 characters took 48–63 s and 1.2 GB on two shared cores (``make bench-insight``,
2026-12-01).

Edge cases: a single comment, or comments that are all the same (or have the same content
words), give a trivial result (one coarse and one fine cluster, divergence 0); with exactly
two different positions each is a group of its own; no analysable comment at all raises
:class:`AnalysisInputError`, as do the input problems listed in :mod:`.io`.
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
from .io import AnalysisInputError, Comments, read_comments_csv
from .metrics import compare_alignment

__all__ = [
    "AnalysisInputError",
    "AnalysisResult",
    "Cluster",
    "Comments",
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
