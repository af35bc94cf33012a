"""Reading and writing Polis exports (``comments.csv``, ``votes.csv``,
``participants-votes.csv``; ``summary.csv`` is read when present).

:func:`read_export` checks everything before returning (missing files or columns, encodings,
bad values, votes on unknown comments, empty, over-long or duplicate statements) and raises
:class:`ConsensusInputError` on the first problem. Polis's own groups (``group-id`` of
``participants-votes.csv``) are kept in ``PolisExport.polis_groups`` for the evaluation only;
:meth:`PolisExport.to_votes` never looks at them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kyokan import atomicfile
from kyokan.textanalysis.io import AnalysisInputError, decode_bytes

from .errors import ConsensusInputError
from .result import ConsensusResult
from .votes import MAX_ID_CHARS, MAX_VOTES, Votes

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS = "participants-votes.csv"
SUMMARY = "summary.csv"

COMMENT_COLUMNS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
REQUIRED_COMMENT_COLUMNS = ("comment-id", "comment-body")
REQUIRED_VOTE_COLUMNS = ("comment-id", "voter-id", "vote")
REQUIRED_PARTICIPANT_COLUMNS = ("participant", "group-id")

#: Longest statement (characters). Polis's own comment box stops at 1,000 characters; the
#: longest statement of the six shared conversations has 311.
MAX_STATEMENT_CHARS = 1000
#: Most comments an export may hold (Polis's ``max-cmts`` is 10,000).
MAX_COMMENTS = 10_000
#: Largest file read (bytes); the largest shared votes.csv is 2.6 MB.
MAX_FILE_BYTES = 512 * 1024 * 1024

_SPACES = re.compile(r"\s+")


@dataclass
class PolisComment:
    id: str
    body: str
    author: str = ""
    #: Polis's moderation: 1 accepted, 0 not moderated yet, -1 moderated out (hidden).
    moderated: int = 1
    timestamp: int | None = None
    agrees: int | None = None
    disagrees: int | None = None


@dataclass
class PolisVote:
    participant: str
    statement: str
    vote: int
    timestamp: int | None = None


@dataclass
class PolisExport:
    comments: list[PolisComment]
    votes: list[PolisVote]
    #: Polis's groups from participants-votes.csv (participant → group id or None), for the
    #: evaluation only: the analysis never reads them.
    polis_groups: dict[str, int | None] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)

    @property
    def hidden(self) -> set[str]:
        return {c.id for c in self.comments if c.moderated == -1}

    def to_votes(self, *, refuse_hidden: bool = False) -> Votes:
        """The vote matrix (latest vote per pair by timestamp; hidden comments kept out of the
        analysis, or refused with ``refuse_hidden``)."""
        timed = all(v.timestamp is not None for v in self.votes)
        if timed:
            triples = ((v.participant, v.statement, v.vote, v.timestamp) for v in self.votes)
        else:
            triples = ((v.participant, v.statement, v.vote) for v in self.votes)
        return Votes.from_triples(
            triples,
            statements=[c.id for c in self.comments],
            hidden=self.hidden,
            refuse_hidden=refuse_hidden,
        )


def normalized_statement(text: str) -> str:
    """The form in which two statements count as the same (NFKC, spaces collapsed, case
    folded)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def check_statements(texts: Iterable[str]) -> None:
    """Refuse empty, over-long (MAX_STATEMENT_CHARS) and duplicate statements; ``line`` in
    the error is the 1-based position."""
    first: dict[str, int] = {}
    for line, text in enumerate(texts, 1):
        if not isinstance(text, str) or not text.strip():
            raise ConsensusInputError(
                f"Statement {line} is empty.", code="statement_empty", params={"line": line}
            )
        if len(text) > MAX_STATEMENT_CHARS:
            raise ConsensusInputError(
                f"Statement {line} has {len(text)} characters; at most "
                f"{MAX_STATEMENT_CHARS} are allowed.",
                code="statement_too_long",
                params={"line": line, "length": len(text), "limit": MAX_STATEMENT_CHARS},
            )
        if "\x00" in text:
            raise ConsensusInputError(
                f"Statement {line} contains a NUL character.",
                code="binary",
                params={"file": f"statement {line}"},
            )
        key = normalized_statement(text)
        if key in first:
            raise ConsensusInputError(
                f"Statement {line} is the same as statement {first[key]}.",
                code="statement_duplicate",
                params={"line": line, "first_line": first[key]},
            )
        first[key] = line


# -- reading -----------------------------------------------------------------------------
def _read_text(path: Path) -> str:
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ConsensusInputError(
                f"{name} is larger than {MAX_FILE_BYTES} bytes.",
                code="too_large",
                params={"what": name, "count": size, "limit": MAX_FILE_BYTES},
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConsensusInputError(
            f"The Polis export has no {name}.", code="missing_file", params={"file": name}
        ) from None
    except OSError as error:
        raise ConsensusInputError(
            f"{name} cannot be read: {error.strerror}.",
            code="unreadable",
            params={"file": name, "reason": error.strerror or ""},
        ) from None
    try:
        text, _encoding = decode_bytes(data)
    except AnalysisInputError as error:
        raise ConsensusInputError(
            f"{name}: {error}", code=error.code, params={"file": name, **error.params}
        ) from None
    if not text.strip():
        raise ConsensusInputError(f"{name} is empty.", code="empty_file", params={"file": name})
    return text


def _rows(path: Path, required: tuple[str, ...], *, columns=None, limit: int | None = None):
    """``(header, [(line, {column: value})])`` of a CSV file, checked for the columns. Only
    ``columns`` (if given) are kept of each row: participants-votes.csv has a column per
    statement, and a dict of every cell of every participant was gigabytes for an export
    of 10,000 participants × 2,000 statements. More than ``limit`` rows are refused while
    reading, before the rest of the file is parsed."""
    name = path.name
    text = _read_text(path)
    # strict: an unclosed quote is an error, not a statement swallowing the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        header = [h.strip() for h in next(reader)]
        missing = [c for c in required if c not in header]
        if missing:
            found = ", ".join(header[:12])
            raise ConsensusInputError(
                f"{name} lacks the column(s) {', '.join(missing)} (found: {found or 'none'}).",
                code="missing_columns",
                params={"file": name, "missing": ", ".join(missing), "found": found},
            )
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise ConsensusInputError(
                    f"{name}, line {reader.line_num}: more cells than columns.",
                    code="malformed",
                    params={"file": name, "line": reader.line_num, "error": "too many cells"},
                )
            if limit is not None and len(rows) >= limit:
                raise ConsensusInputError(
                    f"{name} has more than {limit} rows.",
                    code="too_large",
                    params={"what": name, "count": f">{limit:,}", "limit": f"{limit:,}"},
                )
            cells = zip(header, row, strict=False)
            if columns is not None:
                cells = ((column, value) for column, value in cells if column in columns)
            rows.append((reader.line_num, dict(cells)))
    except csv.Error as error:
        raise ConsensusInputError(
            f"{name}, line {reader.line_num}: the CSV is malformed ({error}).",
            code="malformed",
            params={"file": name, "line": reader.line_num, "error": str(error)},
        ) from None
    return header, rows


def _integer(value, name, line, column, *, allowed=None, empty=None, required=False):
    text = (value or "").strip()
    if not text and not required:
        return empty
    number = None
    if re.fullmatch(r"-?\d{1,18}(\.0+)?", text):
        number = int(text.split(".")[0])
    if number is None or (allowed is not None and number not in allowed):
        raise ConsensusInputError(
            f"{name}, line {line}: {column} {text[:50]!r} is not valid.",
            code="bad_value",
            params={"file": name, "line": line, "column": column, "value": text[:50]},
        )
    return number


def _identifier(value: str | None, name: str, line: int, column: str) -> str:
    text = (value or "").strip()
    if not text or len(text) > MAX_ID_CHARS or any(ord(ch) < 32 for ch in text):
        raise ConsensusInputError(
            f"{name}, line {line}: {column} {text[:50]!r} is not valid.",
            code="bad_value",
            params={"file": name, "line": line, "column": column, "value": text[:50]},
        )
    return text


def read_export(path_or_dir, *, max_votes: int = MAX_VOTES) -> PolisExport:
    """Read a Polis export from its directory (or the path of one of its files); more than
    ``max_votes`` votes are refused while reading (a caller that imports them in a request
    passes fewer than the analysis takes)."""
    path = Path(path_or_dir)
    if path.is_file():
        path = path.parent
    if not path.is_dir():
        raise ConsensusInputError(
            f"{path} is not a directory holding a Polis export.",
            code="not_a_directory",
            params={"path": str(path)},
        )
    for name in (COMMENTS, VOTES):
        if not (path / name).is_file():
            raise ConsensusInputError(
                f"The Polis export has no {name}.", code="missing_file", params={"file": name}
            )
    _, comment_rows = _rows(
        path / COMMENTS, REQUIRED_COMMENT_COLUMNS, columns=COMMENT_COLUMNS, limit=MAX_COMMENTS
    )
    comments: list[PolisComment] = []
    seen: dict[str, int] = {}
    texts: list[str] = []
    for line, row in comment_rows:
        cid = _identifier(row.get("comment-id"), COMMENTS, line, "comment-id")
        if cid in seen:
            raise ConsensusInputError(
                f"{COMMENTS}, line {line}: comment-id {cid!r} was already on line {seen[cid]}.",
                code="duplicate_statement_id",
                params={"file": COMMENTS, "line": line, "id": cid},
            )
        seen[cid] = line
        body = row.get("comment-body") or ""
        texts.append(body)
        comments.append(
            PolisComment(
                id=cid,
                body=body,
                author=(row.get("author-id") or "").strip()[:MAX_ID_CHARS],
                moderated=_integer(
                    row.get("moderated"), COMMENTS, line, "moderated", allowed=(-1, 0, 1), empty=1
                ),
                timestamp=_integer(row.get("timestamp"), COMMENTS, line, "timestamp"),
                agrees=_integer(row.get("agrees"), COMMENTS, line, "agrees"),
                disagrees=_integer(row.get("disagrees"), COMMENTS, line, "disagrees"),
            )
        )
    try:
        check_statements(texts)
    except ConsensusInputError as error:
        # Report the file's line rather than the statement's position.
        position = int(error.params.get("line", 1))
        line = comment_rows[position - 1][0]
        params = dict(error.params, line=line)
        if "first_line" in params:
            params["first_line"] = comment_rows[int(params["first_line"]) - 1][0]
        raise ConsensusInputError(
            f"{COMMENTS}, line {line}: {error}", code=error.code, params=params
        ) from None

    _, vote_rows = _rows(path / VOTES, REQUIRED_VOTE_COLUMNS, columns=VOTE_COLUMNS, limit=max_votes)
    votes: list[PolisVote] = []
    for line, row in vote_rows:
        cid = _identifier(row.get("comment-id"), VOTES, line, "comment-id")
        if cid not in seen:
            raise ConsensusInputError(
                f"{VOTES}, line {line}: a vote on comment {cid!r}, which {COMMENTS} lacks.",
                code="unknown_statement",
                params={"line": line, "statement": cid},
            )
        votes.append(
            PolisVote(
                participant=_identifier(row.get("voter-id"), VOTES, line, "voter-id"),
                statement=cid,
                vote=_integer(
                    row.get("vote"), VOTES, line, "vote", allowed=(-1, 0, 1), required=True
                ),
                timestamp=_integer(row.get("timestamp"), VOTES, line, "timestamp"),
            )
        )

    polis_groups: dict[str, int | None] = {}
    if (path / PARTICIPANTS).exists():
        _, participant_rows = _rows(
            path / PARTICIPANTS,
            REQUIRED_PARTICIPANT_COLUMNS,
            columns=REQUIRED_PARTICIPANT_COLUMNS,
            limit=max_votes,
        )
        for line, row in participant_rows:
            pid = _identifier(row.get("participant"), PARTICIPANTS, line, "participant")
            polis_groups[pid] = _integer(row.get("group-id"), PARTICIPANTS, line, "group-id")
    summary: dict[str, str] = {}
    if (path / SUMMARY).exists():
        text = _read_text(path / SUMMARY)
        try:
            for row in csv.reader(io.StringIO(text, newline="")):
                if len(row) >= 2 and row[0].strip():
                    summary[row[0].strip()] = row[1]
        except csv.Error:
            summary = {}  # the summary is informative only
    export = PolisExport(comments, votes, polis_groups, summary)
    export.to_votes()  # every vote checked now: nothing half-read is ever returned
    return export


# -- writing -----------------------------------------------------------------------------
def _polis_datetime(timestamp: int | None) -> str:
    if timestamp is None:
        return ""
    moment = datetime.fromtimestamp(timestamp / 1000, tz=UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def _csv(header, rows) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue().encode("utf-8")


def export_files(export: PolisExport, result: ConsensusResult | dict | None = None) -> dict:
    """The three files of a Polis export as ``{name: bytes}`` (UTF-8). ``group-id`` of
    participants-votes.csv comes from ``result`` (a ConsensusResult or its to_json()) when
    given, else from the export's own Polis groups."""
    check_statements([c.body for c in export.comments])
    votes = export.to_votes()
    latest = {(p, s): v for p, s, v in votes.triples()}
    agrees: dict[str, int] = {}
    disagrees: dict[str, int] = {}
    for (_p, s), v in latest.items():
        if v == 1:
            agrees[s] = agrees.get(s, 0) + 1
        elif v == -1:
            disagrees[s] = disagrees.get(s, 0) + 1
    comments = _csv(
        COMMENT_COLUMNS,
        (
            (
                "" if c.timestamp is None else c.timestamp,
                _polis_datetime(c.timestamp),
                c.id,
                c.author,
                agrees.get(c.id, 0),
                disagrees.get(c.id, 0),
                c.moderated,
                c.body,
            )
            for c in export.comments
        ),
    )
    vote_rows = (
        (
            "" if v.timestamp is None else v.timestamp,
            _polis_datetime(v.timestamp),
            v.statement,
            v.participant,
            v.vote,
        )
        for v in export.votes
    )
    votes_csv = _csv(VOTE_COLUMNS, vote_rows)
    if result is not None:
        data = result.to_json() if isinstance(result, ConsensusResult) else result
        groups = {str(p["id"]): p.get("group") for p in data.get("participants", [])}
    else:
        groups = dict(export.polis_groups)
    authored: dict[str, int] = {}
    for c in export.comments:
        if c.author:
            authored[c.author] = authored.get(c.author, 0) + 1
    comment_ids = [c.id for c in export.comments]
    rows = []
    for pid in votes.participants:
        mine = {s: latest[(pid, s)] for s in comment_ids if (pid, s) in latest}
        group = groups.get(pid)
        rows.append(
            [
                pid,
                "" if group is None else group,
                authored.get(pid, 0),
                len(mine),
                sum(1 for v in mine.values() if v == 1),
                sum(1 for v in mine.values() if v == -1),
                *(mine.get(s, "") for s in comment_ids),
            ]
        )
    participants = _csv(
        ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *comment_ids),
        rows,
    )
    return {COMMENTS: comments, VOTES: votes_csv, PARTICIPANTS: participants}


def write_export(
    export: PolisExport, directory, result: ConsensusResult | dict | None = None
) -> list[Path]:
    """Write :func:`export_files` into ``directory`` (created if needed); every file is
    checked and built before the first one is written, each written atomically."""
    files = export_files(export, result)
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        atomicfile.write_bytes(target / name, data)
        written.append(target / name)
    return written
