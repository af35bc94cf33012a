"""Value that other modules add to an initiative (a registry, so that the portfolio imports
none of them): each source gives, for a list of initiative ids, the citizen time its records
save — e.g. the procedures app's redesigns (cases per year × citizen minutes saved per case)
of the procedures linked to the initiative. The portfolio adds these minutes to the citizens'
time in the cost-value working, and lists each one as an input with its source."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Contribution:
    label: str  # what saves the time (e.g. a procedure's name)
    url: str  # its page
    cases: int  # per year
    minutes: int  # citizen minutes saved per case

    @property
    def citizen_minutes(self) -> int:
        return self.cases * self.minutes


# key → fn(initiative ids) → {initiative id: [{"label", "url", "cases", "minutes"}, …]}
_SOURCES: dict[str, Callable[[list[int]], dict[int, list[dict]]]] = {}


def register_citizen_time(key: str, source: Callable[[list[int]], dict[int, list[dict]]]) -> None:
    _SOURCES[key] = source


def contributions_of(initiative_ids: Iterable[int]) -> dict[int, list[Contribution]]:
    ids = list(initiative_ids)
    result: dict[int, list[Contribution]] = {}
    if not ids:
        return result
    for _key, source in sorted(_SOURCES.items()):
        for initiative_id, rows in source(ids).items():
            result.setdefault(initiative_id, []).extend(Contribution(**row) for row in rows)
    return result


def attach(initiatives: list) -> list:
    """Set ``value_contributions`` and ``contributed_citizen_minutes`` on each initiative."""
    found = contributions_of(i.pk for i in initiatives)
    for initiative in initiatives:
        initiative.value_contributions = found.get(initiative.pk, [])
        initiative.contributed_citizen_minutes = sum(
            c.citizen_minutes for c in initiative.value_contributions
        )
    return initiatives
