"""Value that other modules add to an initiative (a registry, so that the portfolio imports
none of them): each source gives, for a list of initiative ids, the citizen time its records
save — e.g. the procedures app's redesigns (cases per year × citizen minutes saved per case)
of the procedures linked to the initiative. The portfolio adds these minutes to the citizens'
time in the cost-value working, and lists each one as an input with its source.

Counting the same time twice is avoided by one rule: when the initiative has its own figure
(cases per year and citizen minutes saved per case, both set), that figure stands, and a
contribution is added to it only when its source says it is separate from it (``separate``:
e.g. a linked procedure that the initiative's own figure does not cover); the others are
listed in the working as included in the own figure, not added. An initiative without its
own figure takes every contribution."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Contribution:
    label: str  # what saves the time (e.g. a procedure's name)
    url: str  # its page
    cases: int  # per year
    minutes: int  # citizen minutes saved per case
    separate: bool = False  # the source says: not part of the initiative's own figure
    counted: bool = True  # set by attach(): added to the initiative's value
    included_note: str = ""  # the source's words (translated) shown when not counted

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
    """Set ``value_contributions`` (each marked ``counted`` or not, by the rule above) and
    ``contributed_citizen_minutes`` (the counted ones) on each initiative."""
    found = contributions_of(i.pk for i in initiatives)
    for initiative in initiatives:
        own = has_own_figure(initiative)
        initiative.value_contributions = [
            replace(c, counted=not own or c.separate) for c in found.get(initiative.pk, [])
        ]
        initiative.contributed_citizen_minutes = sum(
            c.citizen_minutes for c in initiative.value_contributions if c.counted
        )
    return initiatives


def has_own_figure(initiative) -> bool:
    """The initiative states its own citizen time: cases per year and minutes saved per case."""
    return bool(
        getattr(initiative, "cases_per_year", 0)
        and getattr(initiative, "citizen_minutes_saved_per_case", 0)
    )
