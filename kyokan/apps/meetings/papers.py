"""Papers generated from Kyokan data (資料N built at packet time).

A generator turns a meeting into a table; the packet renders it in Word and PDF. Apps may
register their own generators (e.g. a document version, an initiative's cost-value sheet).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class GeneratedTable:
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    numeric_columns: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PaperGenerator:
    key: str
    title: str  # default paper title, in Japanese (it is printed in the packet)
    description: str
    build: Callable[[object], GeneratedTable]  # meeting → table


_generators: dict[str, PaperGenerator] = {}


def register_generator(generator: PaperGenerator) -> None:
    _generators[generator.key] = generator


def generator_get(key: str) -> PaperGenerator | None:
    return _generators.get(key)


def generator_choices() -> list[tuple[str, str]]:
    return [(g.key, g.title) for g in sorted(_generators.values(), key=lambda g: g.key)]
