"""The Polis export format, through the library (:mod:`kyokan.consensus.polis`): a
conversation written as an export (ZIP of comments.csv, votes.csv, participants-votes.csv),
and an uploaded export (the files, or one ZIP) read into rows for the import service. The
library checks everything (files, columns, values, statements) before anything is stored."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from django.utils import translation

from .models import Conversation, Visibility, Vote

KNOWN = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
MAX_UNZIPPED = 300 * 1024 * 1024
#: Most votes an upload imports. The import runs in the request (about 45 µs a vote, in the
#: database with its audit): 300,000 votes in a 570 KB ZIP kept it 14 s, and the library's
#: own limit (25 million, for the analysis) would have kept it for hours. The largest of the
#: six shared Polis conversations has 50,000 votes.
IMPORT_MAX_VOTES = 100_000


class UploadError(ValueError):
    """An uploaded export that cannot be read; ``message`` is for the person."""


def error_text(exc) -> str:
    """A library input problem in the reader's language."""
    language = translation.get_language() or "ja"
    return exc.message_ja if language.startswith("ja") else str(exc)


def _write_uploads(files, directory: Path) -> None:
    from django.utils.translation import gettext as _

    for upload in files:
        name = Path(upload.name or "").name.lower()
        if name.endswith(".zip"):
            try:
                archive = zipfile.ZipFile(upload)
            except zipfile.BadZipFile as exc:
                raise UploadError(_("%(name)s is not a ZIP file.") % {"name": upload.name}) from exc
            with archive:
                members = [i for i in archive.infolist() if Path(i.filename).name in KNOWN]
                if sum(i.file_size for i in members) > MAX_UNZIPPED:
                    raise UploadError(_("The ZIP file is too large once unpacked."))
                for info in members:
                    (directory / Path(info.filename).name).write_bytes(archive.read(info))
        elif name in KNOWN:
            with open(directory / name, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        else:
            raise UploadError(
                _(
                    "%(name)s is not part of a Polis export (comments.csv, votes.csv, "
                    "participants-votes.csv or a ZIP of them)."
                )
                % {"name": upload.name}
            )


def read_uploaded(files):
    """The PolisExport of the uploaded files (raises UploadError or ConsensusInputError)."""
    from kyokan.consensus.polis import read_export

    with tempfile.TemporaryDirectory(prefix="kyokan-polis-") as tmp:
        _write_uploads(files, Path(tmp))
        return read_export(tmp, max_votes=IMPORT_MAX_VOTES)


def _numbers(ids: list[str]) -> dict[str, int]:
    """Polis ids as numbers: the ids themselves when they are all small whole numbers, else
    1, 2, 3 … in order."""
    if all(i.isascii() and i.isdigit() and len(i) < 9 for i in ids):
        return {i: int(i) for i in ids}
    return {i: n for n, i in enumerate(ids, start=1)}


def import_rows(export) -> tuple[list[tuple[int, str, bool]], list[tuple[int, int, int]]]:
    """(statements as (number, text, visible), votes as (participant no., statement no.,
    value) in time order, so that a later vote replaces an earlier one)."""
    statement_no = _numbers([c.id for c in export.comments])
    participants = list(dict.fromkeys(v.participant for v in export.votes))
    participant_no = _numbers(participants)
    statements = [(statement_no[c.id], c.body, c.moderated != -1) for c in export.comments]
    ordered = sorted(enumerate(export.votes), key=lambda nv: (nv[1].timestamp or 0, nv[0]))
    votes = [
        (participant_no[v.participant], statement_no[v.statement], int(v.vote)) for _n, v in ordered
    ]
    return statements, votes


def export_of(conversation: Conversation):
    """The conversation as a PolisExport (pending statements left out; removed ones marked
    moderated out, as Polis does)."""
    from kyokan.consensus.polis import PolisComment, PolisExport, PolisVote

    moderated = {Visibility.VISIBLE: 1, Visibility.HIDDEN: -1, Visibility.REMOVED: -1}
    comments = [
        PolisComment(
            id=str(s.number),
            body=s.text,
            author=str(s.author.number) if s.author_id else "",
            moderated=moderated[s.visibility],
            timestamp=int(s.created_at.timestamp() * 1000),
        )
        for s in conversation.statements.exclude(visibility=Visibility.PENDING).select_related(
            "author"
        )
    ]
    kept = {c.id for c in comments}
    votes = [
        PolisVote(
            participant=str(p), statement=str(s), vote=v, timestamp=int(at.timestamp() * 1000)
        )
        for p, s, v, at in Vote.objects.filter(statement__conversation=conversation)
        .order_by("voted_at", "id")
        .values_list("participant__number", "statement__number", "value", "voted_at")
        if str(s) in kept
    ]
    return PolisExport(comments=comments, votes=votes)


def export_zip(conversation: Conversation, result: dict | None) -> bytes:
    """The Polis export as a ZIP (group-id from the latest analysis when there is one)."""
    from kyokan.consensus.polis import export_files

    files = export_files(export_of(conversation), result)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
