"""What the analysis library says, in the user's language.

The library (``kyokan.textanalysis``) writes English for its command line. Every input problem
it raises carries a ``code`` and ``params`` (``kyokan.textanalysis.io.CODES``); its progress
steps and the explanations in a result are fixed English texts. This module is where the
web app turns each of them into a translated text (gettext with the parameters), evaluated
when the page is drawn, so that each person reads them in their own language.
"""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kyokan import textanalysis
from kyokan.apps.core.csvfiles import DECODING_ERRORS
from kyokan.textanalysis import duplicates

#: One translated message per code of ``kyokan.textanalysis.io.CODES`` (same parameters).
INPUT_ERRORS = {
    "invalid_input": _("The input cannot be analysed."),
    **DECODING_ERRORS,
    "unreadable": _("The file cannot be read: %(reason)s."),
    "bad_source": _("The file cannot be read."),
    "empty": _("The file is empty."),
    "header_unreadable": _("The first line (the column names) cannot be read: %(error)s."),
    "missing_columns": _(
        "Columns missing: %(missing)s. The first line must name the columns comment-id and "
        "comment-body (any other columns are attributes); found: %(found)s."
    ),
    "duplicate_columns": _("Columns named twice: %(columns)s."),
    "too_many_columns": _("The file has %(count)s columns; at most %(limit)s can be read."),
    "too_many_comments": _("The file has more than %(limit)s comments."),
    "empty_id": _("Line %(line)s: the comment-id is empty."),
    "duplicate_id": _(
        "Line %(line)s: the comment-id “%(id)s” was already used on line %(first_line)s; "
        "each comment needs its own id."
    ),
    "malformed": _("Line %(line)s: the CSV is malformed (%(error)s)."),
    "no_rows": _("The file has the column names but no comments."),
    "bad_cluster_count": _("The number of groups must be a positive whole number."),
    "no_comments": _("There are no comments to analyse."),
    "ids_mismatch": _("There must be exactly one id per comment."),
    "ids_not_unique": _("The ids of the comments must be unique."),
    "attribute_length": _("The attribute “%(name)s” must have one value per comment."),
    "coarse_above_fine": _("There cannot be more coarse groups than fine groups."),
    "nothing_to_analyse": _("No comment has any text to analyse."),
    "reference_empty": _(
        "The reference text (the adopted DX definition) has no words to compare with."
    ),
    "vectors_missing": _(
        "The analysis cannot run: the word vectors (the package %(package)s) are not "
        "installed on the server. The system administrator installs them as the "
        "installation guide says; without them opinions would be grouped markedly worse."
    ),
}


def input_error_text(code: str, params: dict | None = None) -> str:
    """The translated message of a library input error (an unknown code gets the
    general one)."""
    message = INPUT_ERRORS.get(code) or INPUT_ERRORS["invalid_input"]
    values = {name: "" for name in textanalysis.io.CODES.get(code, ())}
    values.update(params or {})
    try:
        return str(message) % values
    except (KeyError, TypeError, ValueError):
        return str(INPUT_ERRORS["invalid_input"])


def input_error(exc: textanalysis.AnalysisInputError) -> str:
    return input_error_text(exc.code, exc.params)


#: The library's progress steps (``kyokan.textanalysis.analysis.analyze``).
PROGRESS = {
    "Preparing": _("Preparing"),
    "Reading the file": _("Reading the file"),
    "Finding duplicates": _("Finding duplicates"),
    "Morphological analysis": _("Morphological analysis"),
    "Embedding": _("Computing the meaning of the answers"),
    "Clustering": _("Grouping the answers"),
    "Describing clusters": _("Describing the groups"),
    "Map and statistics": _("Drawing the map and computing the statistics"),
    "Done": _("Done"),
}


def progress_text(message: str) -> str:
    """A progress step in the user's language ("" for a step the app does not know)."""
    known = PROGRESS.get(message)
    return str(known) if known is not None else ""


def _constant(module, name: str):
    """A constant of the library, or None if it has been renamed (the text then leaves the
    number out instead of quoting a wrong one)."""
    return getattr(module, name, None)


def _number(value, digits: int = 2) -> str:
    try:
        return f"{float(value):.{digits}f}"
    except (TypeError, ValueError):
        return "—"


def divergence_explanation() -> str:
    """What the divergence index is (the library's ``DIVERGENCE_EXPLANATION``)."""
    return gettext(
        "Divergence (0 to 1) is 1 minus the average cosine similarity of the meaning vectors "
        "of the answers over every pair of respondents: 0 when everyone says the same thing, "
        "close to 1 when no two answers share words or meaning. People who wrote the same "
        "text count as agreeing; a bulk submission or a campaign counts as one respondent; "
        "answers without content words are left out. Rounds are compared with all their "
        "answers placed in one shared space."
    )


def divergence_detail(detail: dict | None) -> str:
    """The run's own numbers (``stats.divergence_detail``): what was computed, translated
    from its code and parameters; "" for a code the app does not know."""
    if not detail or detail.get("code") != "divergence_mean_similarity":
        return ""
    params = detail.get("params") or {}
    try:
        values = {
            "divergence": _number(params.get("divergence")),
            "similarity": _number(params.get("mean_similarity")),
            "respondents": int(params.get("respondents", 0)),
            "distinct": int(params.get("distinct", 0)),
            "once": int(params.get("counted_once", 0)),
        }
    except (TypeError, ValueError):
        return ""
    if float(params.get("mean_similarity", 0)) < 0:
        # 1 − a negative similarity exceeds 1: the index stops at its largest value.
        return (
            gettext(
                "Here: divergence %(divergence)s, its largest value: the average similarity "
                "over every pair of the %(respondents)s respondents is %(similarity)s, below "
                "0 (%(distinct)s distinct answers; %(once)s bulk submissions or campaigns "
                "counted once each)."
            )
            % values
        )
    return (
        gettext(
            "Here: divergence %(divergence)s = 1 − %(similarity)s, where %(similarity)s is the "
            "average similarity over every pair of the %(respondents)s respondents "
            "(%(distinct)s distinct answers; %(once)s bulk submissions or campaigns counted once "
            "each)."
        )
        % values
    )


def spread_explanation(spread) -> str:
    return gettext(
        "For reference: the spread over the fine groups is %(spread)s (the entropy of the "
        "groups' shares over its largest possible value). It is not part of the index, "
        "because it jumps when a group boundary moves."
    ) % {"spread": _number(spread)}


def selection_text(selection: dict | None, coarse: int) -> str:
    """How the number of coarse groups was chosen (``stats.selection``), with its numbers."""
    selection = selection or {}
    rule = selection.get("rule")
    chosen = selection.get("chosen", coarse)
    if rule == "given" or selection.get("given"):
        return gettext(
            "%(n)s coarse groups: the number was set by the person who started the analysis."
        ) % {"n": chosen}
    if rule == "trivial" and chosen == 1:
        return gettext(
            "Too few different answers to form groups: all of them are in one coarse group."
        )
    if rule == "trivial":
        return gettext(
            "Only %(n)s different positions among the answers, too few for a criterion: "
            "each is a coarse group of its own."
        ) % {"n": chosen}
    scores = [s for s in selection.get("scores") or [] if "k" in s and "modularity" in s]
    if rule == "modularity" and scores:
        ranked = sorted(scores, key=lambda s: -float(s["modularity"]))
        best = next((s for s in scores if s["k"] == chosen), ranked[0])
        text = gettext(
            "%(n)s coarse groups, chosen by a criterion: every number from %(low)s to "
            "%(high)s was tried and scored by the modularity Q of the graph that links each "
            "answer to its most similar answers (the share of links that fall inside the "
            "groups minus the share expected by chance; 0 means no structure, higher means "
            "groups that hold together). %(n)s groups had the highest Q, %(q)s."
        ) % {
            "n": chosen,
            "low": min(s["k"] for s in scores),
            "high": max(s["k"] for s in scores),
            "q": _number(best["modularity"], 3),
        }
        runner = next((s for s in ranked if s["k"] != chosen), None)
        if runner is not None:
            text += " " + gettext("Next best: %(k)s groups (Q = %(q)s).") % {
                "k": runner["k"],
                "q": _number(runner["modularity"], 3),
            }
        if coarse and coarse != chosen:
            text += " " + gettext(
                "The answers could be cut into only %(actual)s coarse groups."
            ) % {"actual": coarse}
        return text
    return gettext("%(n)s coarse groups.") % {"n": chosen}


def fine_rule_text(*, fine: int, distinct: int, given: bool) -> str:
    """How the number of fine groups was set."""
    if given:
        return gettext(
            "%(n)s fine groups: the number was set by the person who started the analysis."
        ) % {"n": fine}
    from kyokan.textanalysis import cluster

    rule = _constant(cluster, "default_fine_k")
    factor, largest = _constant(cluster, "FINE_FACTOR"), _constant(cluster, "MAX_FINE")
    try:
        follows = rule is not None and int(rule(distinct)) == fine
    except (TypeError, ValueError):
        follows = False
    if follows and factor is not None and largest is not None:
        return gettext(
            "%(n)s fine groups: the number follows the number of different answers, "
            "%(factor)s × √%(distinct)s rounded (at most %(max)s). Each fine group lies inside "
            "one coarse group."
        ) % {"n": fine, "factor": factor, "distinct": distinct, "max": largest}
    return gettext(
        "%(n)s fine groups, chosen from the number of different answers. Each fine group lies "
        "inside one coarse group."
    ) % {"n": fine}


def alignment_explanation() -> str:
    """What the alignment is (the library's ``ALIGNMENT_EXPLANATION``)."""
    return gettext(
        "Alignment (0 to 1) says how closely an answer restates a part of the definition. "
        "The definition is cut into parts (sentences, and clauses at 、). For each part, "
        "every word of the part is matched with the most similar word of the answer (the same "
        "word scores 1) and the other way round; the weighted averages are combined into one "
        "score for the part. An answer's alignment is the score of its best part, and that "
        "part is shown beside it; a group's is the mean over its different answers."
    )


def near_duplicate_rule() -> str:
    threshold = _constant(duplicates, "JACCARD_THRESHOLD")
    overlap = _constant(duplicates, "OVERLAP_THRESHOLD")
    rows, length = _constant(duplicates, "BULK_MIN_ROWS"), _constant(duplicates, "BULK_MIN_LENGTH")
    if None in (threshold, overlap, rows, length):
        return gettext(
            "Near-duplicates are the same text with small edits; each group is analysed as "
            "one answer."
        )
    return gettext(
        "Near-duplicates are the same text with small edits: the same letters and digits once "
        "width and kana are folded, or a character-bigram Jaccard similarity of at least "
        "%(threshold)s with an overlap of at least %(overlap)s. Each group is analysed as one "
        "answer. A group of at least %(rows)s answers of at least %(length)s characters is "
        "marked as a bulk submission and counts as one respondent."
    ) % {"threshold": threshold, "overlap": overlap, "rows": rows, "length": length}


def campaign_rule() -> str:
    jaccard = _constant(duplicates, "CAMPAIGN_JACCARD")
    size = _constant(duplicates, "CAMPAIGN_MIN_SIZE")
    length = _constant(duplicates, "CAMPAIGN_MIN_LENGTH")
    if None in (jaccard, size, length):
        return gettext(
            "A campaign (organised identical or similar opinions) is a family of rewordings "
            "of one text; it is analysed as one opinion."
        )
    return gettext(
        "A campaign (organised identical or similar opinions) is a family of rewordings of "
        "one text: different answers of at least %(length)s characters linked when their "
        "character-bigram Jaccard similarity is at least %(jaccard)s, %(size)s or more answers "
        "in a family (near-duplicates included). It is analysed as one opinion."
    ) % {"jaccard": jaccard, "size": size, "length": length}


def answers_count(rows, size) -> str:
    """「215件（異なる回答27件）」: the answers of a group and how many different texts they
    hold (near-duplicates and a campaign's rewordings counted once)."""
    rows, size = int(rows or 0), int(size or 0)
    return ngettext(
        "%(rows)s answer (%(size)s different)",
        "%(rows)s answers (%(size)s different)",
        rows,
    ) % {"rows": rows, "size": size}


def attribute_name(name: str) -> str:
    """The heading of an attribute: the survey's bureau and role, or an imported column's
    own name."""
    known = {"department": gettext("bureau"), "role": gettext("role")}
    return known.get(name, name)
