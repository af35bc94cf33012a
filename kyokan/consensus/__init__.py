"""``consensus``: Polis-style analysis of agree / disagree / pass votes (plain Python, no
Django).

Public API::

    from kyokan.consensus import Votes, analyze, ConsensusResult, ConsensusInputError
    from kyokan.consensus.polis import read_export, write_export, PolisExport

    votes = Votes.from_triples(triples)      # (participant_id, statement_id, vote[, timestamp])
    result = analyze(votes, previous=None)   # previous: an earlier result.to_json()
    result.to_json() -> {"participants", "groups", "consensus", "divisive", "stats"}

Every input problem raises :class:`ConsensusInputError` (English message, ``code`` and
``params``; ``message_ja`` in Japanese; the codes are in ``errors.CODES``) before anything is
returned. The method is described in :mod:`.analysis` and docs/consensus.md.
"""

from .analysis import analyze
from .errors import CODES, ConsensusInputError, message_ja
from .result import ConsensusResult
from .votes import MIN_VOTES, Votes

__all__ = [
    "CODES",
    "MIN_VOTES",
    "ConsensusInputError",
    "ConsensusResult",
    "Votes",
    "analyze",
    "message_ja",
]
