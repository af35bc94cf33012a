"""What the analysis library says, in the user's language.

The library (``kyokan.textanalysis``) writes English for its command line. Every input problem
it raises carries a ``code`` and ``params`` (``kyokan.textanalysis.io.CODES``); its progress
steps and the explanations in a result are fixed English texts. This module is where the
web app turns each of them into a translated text (gettext with the parameters), evaluated
when the page is drawn, so that each person reads them in their own language.
"""

from django.utils.translation import gettext
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


def divergence_explanation() -> str:
    return gettext(
        "Divergence (0 to 1) is the average of two parts, each between 0 and 1. (1) "
        "Distance: the average cosine distance (1 − cosine similarity) between the meaning "
        "vectors of every pair of distinct answers. (2) Spread: how evenly the distinct "
        "answers are spread over the fine groups (the entropy of the group shares divided "
        "by its largest possible value). 0 means everyone says the same thing; values near "
        "1 mean the answers share neither words nor meaning and fall into many different "
        "groups. Duplicates count once; answers without content words are left out; fewer "
        "than two distinct answers give 0."
    )


def alignment_explanation() -> str:
    return gettext(
        "Alignment is the cosine similarity between the meaning vector of an answer and "
        "that of the reference text, negative values counted as 0, so it lies between 0 "
        "and 1; the alignment of a group is the mean over its distinct answers."
    )


def bulk_rule() -> str:
    return gettext(
        "A bulk submission is a group of identical or nearly identical answers (the same "
        "letters and digits once width and kana are folded, or a character-bigram Jaccard "
        "similarity of at least %(threshold)s) with at least %(rows)s rows and at least "
        "%(length)s characters."
    ) % {
        "threshold": duplicates.JACCARD_THRESHOLD,
        "rows": duplicates.BULK_MIN_ROWS,
        "length": duplicates.BULK_MIN_LENGTH,
    }
