"""Site search: one service over everything a person may see, a backend per database engine.

Modules register what they index (``register_search_kind``) and keep their entries up to
date from their services (``index_put`` / ``index_remove``); ``kyokan search-reindex``
rebuilds everything from the registered sources. An entry stores the title, a text
excerpt and a *folded* copy (``kyokan.textanalysis.normalize.fold``: NFKC, case and kana folded,
no spaces), so that ＤＸ and dx, デジタル and でじたる find the same things; Japanese has no
spaces between words, so matching is by substring, never by whitespace-separated words.

- **PostgreSQL**: a trigram GIN index (pg_trgm, created by a migration) serves
  ``folded LIKE '%…%'``.
- **SQLite**: an FTS5 table with the trigram tokenizer (external content, kept in step by
  triggers) serves queries of three characters or more; shorter ones scan the table.

Results are permission-filtered twice: a kind is searched only by people with its
permission, and each hit is checked by the kind's ``visible(user, ids)`` when the
permission alone does not decide (an expert finds only the meetings they are invited to).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from kyokan.textanalysis.normalize import fold

MAX_QUERY = 100
BODY_MAX = 20_000
EXCERPT = 160
CANDIDATES = 60  # hits read per kind before the per-object permission check


@dataclass(frozen=True)
class SearchKind:
    key: str  # "documents.section"
    label: object  # the group's heading (lazy translation)
    perm: str  # needed to search this kind at all
    # ids → the subset this user may see; None when ``perm`` decides alone
    visible: Callable[[object, list[str]], set[str]] | None = None
    # (id, title, body, url) of every object, for kyokan search-reindex
    source: Callable[[], Iterable[tuple[str, str, str, str]]] | None = None
    order: int = 100


_KINDS: dict[str, SearchKind] = {}


def register_search_kind(kind: SearchKind) -> None:
    _KINDS[kind.key] = kind


def search_kinds() -> list[SearchKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.key))


# --- keeping the index ----------------------------------------------------------------------


def index_put(*, kind: str, object_id, title: str, body: str, url: str) -> None:
    """Add or replace one object's entry (call it from the service that wrote the object)."""
    from .exports import clean_text
    from .models import SearchEntry

    title = clean_text(str(title))[:300]
    body = clean_text(str(body))[:BODY_MAX]
    SearchEntry.objects.update_or_create(
        kind=kind,
        object_id=str(object_id),
        defaults={
            "title": title,
            "body": body,
            "url": url[:300],
            "title_folded": fold(title),
            "folded": fold(f"{title}\n{body}"),
        },
    )


def index_remove(*, kind: str, object_id) -> None:
    from .models import SearchEntry

    SearchEntry.objects.filter(kind=kind, object_id=str(object_id)).delete()


@transaction.atomic
def index_rebuild(*, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the entries of ``kinds`` (all registered kinds by default) from their sources."""
    from .exports import clean_text
    from .models import SearchEntry

    counts = {}
    for kind in search_kinds():
        if (kinds is not None and kind.key not in kinds) or kind.source is None:
            continue
        SearchEntry.objects.filter(kind=kind.key).delete()
        batch = []
        for object_id, title, body, url in kind.source():
            title, body = clean_text(str(title))[:300], clean_text(str(body))[:BODY_MAX]
            batch.append(
                SearchEntry(
                    kind=kind.key,
                    object_id=str(object_id),
                    title=title,
                    body=body,
                    url=url[:300],
                    title_folded=fold(title),
                    folded=fold(f"{title}\n{body}"),
                )
            )
        SearchEntry.objects.bulk_create(batch, batch_size=1000)
        counts[kind.key] = len(batch)
    return counts


# --- searching ------------------------------------------------------------------------------


@dataclass
class Hit:
    title: str
    url: str
    excerpt: str


@dataclass
class Group:
    key: str
    label: object
    hits: list[Hit]
    more: bool  # more hits than shown


def _matching_ids(kind: str, needle: str, limit: int) -> list[int]:
    """Entry ids of ``kind`` whose folded text contains ``needle``, title matches first."""
    from .models import SearchEntry

    if connection.vendor == "sqlite" and len(needle) >= 3:
        quoted = '"' + needle.replace('"', '""') + '"'
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.id FROM core_search_fts f JOIN core_searchentry e ON e.id = f.rowid "
                "WHERE core_search_fts MATCH %s AND e.kind = %s "
                "ORDER BY instr(e.title_folded, %s) = 0, e.id DESC LIMIT %s",
                [quoted, kind, needle, limit],
            )
            return [row[0] for row in cursor.fetchall()]
    from django.db.models import Case, IntegerField, Value, When

    qs = SearchEntry.objects.filter(kind=kind, folded__contains=needle).annotate(
        in_title=Case(
            When(title_folded__contains=needle, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    return list(qs.order_by("in_title", "-id").values_list("id", flat=True)[:limit])


def _excerpt(body: str, needle: str) -> str:
    """A stretch of the original body around the first match of the folded ``needle``."""
    if not body:
        return ""
    body = body[:BODY_MAX]
    pieces = [fold(c) for c in body]
    starts, pos = [], 0
    for piece in pieces:
        starts.append(pos)
        pos += len(piece)
    at = "".join(pieces).find(needle)
    if at < 0:
        return body[:EXCERPT] + ("…" if len(body) > EXCERPT else "")
    index = bisect.bisect_left(starts, at)
    begin = max(index - EXCERPT // 3, 0)
    text = body[begin : begin + EXCERPT]
    return ("…" if begin else "") + text + ("…" if begin + EXCERPT < len(body) else "")


def site_search(user, query: str, *, per_kind: int = 10) -> list[Group]:
    """What ``user`` may see that matches ``query``, grouped by kind (empty groups left
    out). A query is folded like the index; under one character it finds nothing."""
    from .models import SearchEntry

    needle = fold(query[:MAX_QUERY])
    if not needle:
        return []
    groups = []
    for kind in search_kinds():
        if not user.has_perm(kind.perm):
            continue
        ids = _matching_ids(kind.key, needle, CANDIDATES if kind.visible else per_kind + 1)
        if not ids:
            continue
        entries = SearchEntry.objects.in_bulk(ids)
        ordered = [entries[i] for i in ids if i in entries]
        if kind.visible is not None:
            allowed = kind.visible(user, [e.object_id for e in ordered])
            ordered = [e for e in ordered if e.object_id in allowed]
        if not ordered:
            continue
        hits = [
            Hit(title=e.title, url=e.url, excerpt=_excerpt(e.body, needle))
            for e in ordered[:per_kind]
        ]
        groups.append(
            Group(key=kind.key, label=kind.label, hits=hits, more=len(ordered) > per_kind)
        )
    return groups
