"""The vote matrix: participants × statements, sparse.

Votes are 1 (agree), -1 (disagree) and 0 (pass); the latest vote of a participant on a
statement is the one that counts (latest by timestamp when the votes carry one, else the later
in the input). The matrix stores ``vote + 2`` (1 disagree, 2 pass, 3 agree) so that "not voted"
is the sparse zero and a pass is still a stored entry.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from .errors import ConsensusInputError

#: Longest participant or statement id (characters); ids are keys, not texts.
MAX_ID_CHARS = 200
#: Most votes one analysis accepts (a guard against a runaway input, 25× the benchmark's
#: 10,000 participants × 2,000 statements at 5 %; the matrix is then about 60 MB).
MAX_VOTES = 25_000_000
#: Polis's threshold: a participant is grouped after voting on 7 statements (or on all of
#: them while there are fewer); see polismath conversation.clj, ``in-conv``.
MIN_VOTES = 7
#: Polis's ``greedy-n``: while fewer than this many are grouped, the most active participants
#: are grouped too (and, once in, stay in).
GREEDY_N = 15


def _check_id(value, line: int, code: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | numbers.Integral):
        raise ConsensusInputError(
            f"Vote {line}: the id {value!r} is neither text nor a whole number.",
            code=code,
            params={"line": line, "value": repr(value)[:50]},
        )
    text = str(value)
    if not text.strip() or len(text) > MAX_ID_CHARS or any(ord(ch) < 32 for ch in text):
        raise ConsensusInputError(
            f"Vote {line}: the id {text[:50]!r} is empty, longer than {MAX_ID_CHARS} "
            "characters or holds control characters.",
            code=code,
            params={"line": line, "value": text[:50]},
        )
    return text


def _check_vote(value, line: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or int(value) not in (-1, 0, 1)
    ):
        raise ConsensusInputError(
            f"Vote {line}: {value!r} is not a vote (1 agree, -1 disagree, 0 pass).",
            code="bad_vote",
            params={"line": line, "value": repr(value)[:50]},
        )
    return int(value)


@dataclass(frozen=True, eq=False)
class Votes:
    """Participants × statements (see module docstring); build it with :meth:`from_triples`."""

    participants: tuple[str, ...]
    statements: tuple[str, ...]
    #: csr_matrix of int8, ``vote + 2`` where voted, 0 where not.
    codes: sparse.csr_matrix
    #: Statements that are hidden (moderated out): their votes are kept but not analysed.
    hidden: frozenset[str] = frozenset()
    #: Participants who reached the grouping threshold at some moment of the conversation
    #: (known only when the votes carry timestamps; Polis keeps them grouped from then on).
    admitted: frozenset[str] = frozenset()

    @classmethod
    def from_triples(
        cls,
        triples: Iterable,
        *,
        statements: Iterable[str] | None = None,
        hidden: Iterable[str] = (),
        refuse_hidden: bool = False,
        min_votes: int = MIN_VOTES,
    ) -> Votes:
        """Votes from ``(participant_id, statement_id, vote)`` items, or
        ``(participant_id, statement_id, vote, timestamp)``.

        ``statements``: the ids of every statement of the conversation, in display order
        (statements without votes are kept; a vote on any other id is refused). ``hidden``:
        ids of hidden statements; their votes are refused when ``refuse_hidden``, otherwise
        kept and left out of the analysis (as Polis does with moderated-out comments).
        Raises :class:`ConsensusInputError` on the first bad item; nothing is returned then."""
        statement_index: dict[str, int] = {}
        known = None
        if statements is not None:
            for position, statement in enumerate(statements, 1):
                statement = _check_id(statement, position, "bad_statement")
                statement_index.setdefault(statement, len(statement_index))
            known = set(statement_index)
        hidden_ids = frozenset(str(h) for h in hidden)
        participant_index: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        values: list[int] = []
        times: list[float] = []
        timed = None
        # Ids already checked map straight to their row / column (the fast path: a million
        # votes carry only some thousands of distinct ids).
        row_of = participant_index.get
        col_of = statement_index.get
        refused = hidden_ids if refuse_hidden else frozenset()
        line = 0
        for line, item in enumerate(triples, 1):
            if line > MAX_VOTES:
                raise ConsensusInputError(
                    f"More than {MAX_VOTES} votes.",
                    code="too_large",
                    params={"what": "votes", "count": line, "limit": MAX_VOTES},
                )
            try:
                size = len(item)
            except TypeError:
                size = -1
            if size != 3 and size != 4:
                raise ConsensusInputError(
                    f"Vote {line}: expected (participant, statement, vote[, timestamp]).",
                    code="bad_vote",
                    params={"line": line, "value": repr(item)[:50]},
                )
            participant, statement, vote = item[0], item[1], item[2]
            row = row_of(participant) if type(participant) is str else None
            if row is None:
                participant = _check_id(participant, line, "bad_participant")
                row = participant_index.setdefault(participant, len(participant_index))
            col = col_of(statement) if type(statement) is str else None
            if col is None:
                statement = _check_id(statement, line, "bad_statement")
                if known is not None and statement not in known:
                    raise ConsensusInputError(
                        f"Vote {line}: there is no statement {statement!r}.",
                        code="unknown_statement",
                        params={"line": line, "statement": statement},
                    )
                col = statement_index.setdefault(statement, len(statement_index))
            if refused and statement in refused:
                raise ConsensusInputError(
                    f"Vote {line}: the statement {statement!r} is hidden.",
                    code="hidden_statement",
                    params={"line": line, "statement": statement},
                )
            if type(vote) is not int or not -1 <= vote <= 1:
                vote = _check_vote(vote, line)
            stamp = item[3] if size == 4 else None
            if timed is None:
                timed = stamp is not None
            elif timed != (stamp is not None):
                raise ConsensusInputError(
                    f"Vote {line}: either every vote has a timestamp or none has.",
                    code="bad_vote",
                    params={"line": line, "value": repr(item)[:50]},
                )
            if timed:
                if (
                    isinstance(stamp, bool)
                    or not isinstance(stamp, numbers.Real)
                    or not math.isfinite(stamp)
                ):
                    raise ConsensusInputError(
                        f"Vote {line}: the timestamp {stamp!r} is not a number.",
                        code="bad_vote",
                        params={"line": line, "value": repr(stamp)[:50]},
                    )
                times.append(stamp)
            rows.append(row)
            cols.append(col)
            values.append(vote)
        return cls._build(
            participant_index,
            statement_index,
            np.asarray(rows, dtype=np.int64),
            np.asarray(cols, dtype=np.int64),
            np.asarray(values, dtype=np.int8),
            np.asarray(times, dtype=np.float64) if timed else None,
            hidden_ids & set(statement_index),
            min_votes,
        )

    @classmethod
    def _build(
        cls, participant_index, statement_index, rows, cols, values, times, hidden, min_votes
    ):
        n_p, n_s = len(participant_index), len(statement_index)
        order = np.arange(len(rows))
        # Sort by (participant, statement, time, input order); the last of each pair counts.
        keys = (order,) if times is None else (order, times)
        ordering = np.lexsort((*keys, cols, rows))
        rows, cols, values = rows[ordering], cols[ordering], values[ordering]
        if len(rows):
            last = np.ones(len(rows), dtype=bool)
            last[:-1] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        else:
            last = np.zeros(0, dtype=bool)
        codes = sparse.csr_matrix(
            ((values[last] + 2).astype(np.int8), (rows[last], cols[last])), shape=(n_p, n_s)
        )
        participants = tuple(participant_index)
        statements = tuple(statement_index)
        admitted = frozenset()
        if times is not None and len(rows):
            admitted = _admitted_over_time(rows, cols, times[ordering], participants, min_votes)
        return cls(participants, statements, codes, frozenset(hidden), admitted)

    # -- views ---------------------------------------------------------------------------
    @cached_property
    def participant_rows(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.participants)}

    @cached_property
    def statement_columns(self) -> dict[str, int]:
        return {s: j for j, s in enumerate(self.statements)}

    @property
    def n_votes(self) -> int:
        return int(self.codes.nnz)

    def vote_of(self, participant: str, statement: str) -> int | None:
        """The counted vote of a participant on a statement (None when not voted)."""
        row = self.participant_rows.get(participant)
        col = self.statement_columns.get(statement)
        if row is None or col is None:
            return None
        code = int(self.codes[row, col])
        return code - 2 if code else None

    def triples(self):
        """The counted votes as ``(participant, statement, vote)``."""
        coo = self.codes.tocoo()
        for row, col, code in zip(coo.row, coo.col, coo.data, strict=True):
            yield self.participants[row], self.statements[col], int(code) - 2


def _admitted_over_time(rows, cols, times, participants, min_votes) -> frozenset[str]:
    """Participants who, at the moment of one of their votes, had voted on at least
    ``min(min_votes, statements voted on so far by anyone)`` distinct statements, or who
    voted while fewer than ``GREEDY_N`` were in — Polis's ``in-conv`` rule and its
    ``greedy-n`` fill, applied as the conversation grew (once in, always in)."""
    order = np.lexsort((np.arange(len(times)), times))
    seen_statements: set[int] = set()
    counted: dict[int, set[int]] = {}
    admitted: set[int] = set()
    for i in order:
        row, col = int(rows[i]), int(cols[i])
        seen_statements.add(col)
        if row in admitted:
            continue
        mine = counted.setdefault(row, set())
        mine.add(col)
        if len(admitted) < GREEDY_N or len(mine) >= min(min_votes, len(seen_statements)):
            admitted.add(row)
            del counted[row]
    return frozenset(participants[row] for row in admitted)
