""" "My work" (わたしのタスク): what waits for the signed-in person across modules.

Each module registers a source from its AppConfig.ready() (through its panels.py), as it
registers dashboard panels: ``register_work(WorkSource(key, label, perm, items))`` where
``items(user, limit)`` reads through the module's selectors and returns ``WorkItem``\\ s.
Core imports no module; the home page shows the first items, /my-work/ all of them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    what: str  # what to do, e.g. 「日程の回答」「アンケートに回答」「意見募集」「宿題」
    deadline: dt.date | None = None  # by when it must be done; or, for an event, its day
    detail: str = ""
    is_event: bool = False  # the date is the day something happens (a meeting), not a deadline


@dataclass(frozen=True)
class WorkSource:
    key: str
    label: object  # the group's heading (lazy translation)
    perm: str
    items: Callable[..., list[WorkItem]]  # items(user, limit) -> the person's items
    order: int = 100


_sources: dict[str, WorkSource] = {}


def register_work(source: WorkSource) -> None:
    _sources[source.key] = source


def work_for(user, *, limit: int = 50) -> list[dict]:
    """The person's work, grouped by source: [{"key", "label", "items"}] (empty groups
    left out). Each source answers in a bounded number of queries."""
    groups = []
    for source in sorted(_sources.values(), key=lambda s: (s.order, s.key)):
        if not user.has_perm(source.perm):
            continue
        items = source.items(user, limit)
        if items:
            groups.append({"key": source.key, "label": source.label, "items": items})
    return groups


def next_items(user, *, limit: int = 6) -> list[WorkItem]:
    """The most urgent items of all sources: those with the nearest deadline first."""
    items = [i for g in work_for(user, limit=limit) for i in g["items"]]
    far = dt.date.max
    return sorted(items, key=lambda i: (i.deadline or far, i.title))[:limit]
