"""Deciders: the modules whose meetings decide things (決定) that other modules record.

A document is adopted (決定) at a meeting; documents may not import meetings (links run one
way), so the meeting side registers itself here, as link types do in ``core.links``:
``register_decider(provider)`` from its AppConfig.ready(). A provider offers

- ``candidates(target_type, target_id)`` → the meetings that may have decided the target:
  held, deciding meetings whose agenda links it, as :class:`Candidate` (newest first);
- ``record(actor=..., meeting_id=..., target=..., text=...)`` → records the decision among
  that meeting's decisions, linked to the target, inside the caller's transaction, and
  returns it.

The module that adopts (documents) asks :func:`candidates`, checks the date against the one
it is given, changes its own object and calls :func:`record` — one transaction, one act with
both sides linked. Core imports no module.
"""

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class Target:
    """The object decided: its link type (``"documents.version"``), id and a label."""

    type: str
    id: str
    label: str


@dataclass(frozen=True)
class Candidate:
    """A meeting that may record the decision; ``key`` is "<provider key>:<meeting id>"."""

    provider: str  # the provider's key, e.g. "meetings.meeting"
    meeting_id: str
    label: str  # e.g. 「第6回デジタル化推進本部会議」
    date: date  # the day it was held (Japan time)

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.meeting_id}"


class Decider(Protocol):
    key: str  # the link type of its meetings, e.g. "meetings.meeting"

    def candidates(self, target_type: str, target_id: str) -> list[Candidate]: ...

    def record(self, *, actor, meeting_id: str, target: Target, text: str) -> object: ...


_deciders: dict[str, Decider] = {}


def register_decider(provider: Decider) -> None:
    _deciders[provider.key] = provider


def deciders() -> list[Decider]:
    return [_deciders[k] for k in sorted(_deciders)]


def candidates(target_type: str, target_id: str) -> list[Candidate]:
    """Every meeting (of every provider) that may decide the target, newest first."""
    found = [c for d in deciders() for c in d.candidates(target_type, str(target_id))]
    return sorted(found, key=lambda c: (c.date, c.key), reverse=True)


def candidate(key: str, target_type: str, target_id: str) -> Candidate | None:
    """The candidate with ``key`` ("<provider>:<meeting id>") if it may decide the target."""
    provider, _, meeting_id = str(key).partition(":")
    decider = _deciders.get(provider)
    if decider is None or not meeting_id:
        return None
    for found in decider.candidates(target_type, str(target_id)):
        if found.meeting_id == meeting_id:
            return found
    return None


def record(*, actor, candidate: Candidate, target: Target, text: str) -> object:
    """Record the decision at the candidate's meeting (in the caller's transaction)."""
    return _deciders[candidate.provider].record(
        actor=actor, meeting_id=candidate.meeting_id, target=target, text=text
    )
