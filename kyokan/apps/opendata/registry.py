"""The open data catalogue's registry: every dataset, its metadata and its rows.

A dataset is registered once (``register``) with its columns and a function giving its rows
from the app's ``public.py`` selectors — the one place each app decides what is public.
This app registers the portfolio's, documents', meetings' and surveys' datasets in
:mod:`.datasets`; another app adds its own from a module ``opendata.py`` of its package
(discovered at start-up, see :func:`autodiscover`), e.g. procedures and their online status.

Every cell goes through :func:`cell`, which applies the machine-readability rules
(デジタル庁「行政データにおける機械可読性に関するルール」, 総務省 チェックリスト): numbers as plain
digits (no units, no thousands separators), dates in ISO 8601 (和暦 only in a column of its
own), codes with their code table, text without platform-dependent characters (NFKC where
the meaning is kept: half-width kana, ㈱, ㍻, full-width digits; circled numbers become
(1)) and without line breaks inside a cell.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps

# Column types; the checker in tests/opendata applies each one's rule to every cell.
STRING, INTEGER, DECIMAL, DATE, DATETIME, CODE, BOOLEAN = (
    "string", "integer", "decimal", "date", "datetime", "code", "boolean",
)  # fmt: skip
TYPES = frozenset({STRING, INTEGER, DECIMAL, DATE, DATETIME, CODE, BOOLEAN})
XSD = {
    STRING: "xsd:string", INTEGER: "xsd:integer", DECIMAL: "xsd:decimal", DATE: "xsd:date",
    DATETIME: "xsd:dateTime", CODE: "xsd:string", BOOLEAN: "xsd:boolean",
}  # fmt: skip


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key and the column's identifier (ASCII)
    header: object  # the CSV header (Japanese; a lazy translation)
    description: object
    type: str = STRING
    codes: str = ""  # slug of the code table of a CODE column
    unit: str = ""  # the unit of a number column (in the metadata, never in a cell)

    @property
    def csv_header(self) -> str:
        return text(str(self.header))

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(self.type)
        if (self.type == CODE) != bool(self.codes):
            raise ValueError(f"{self.key}: a code column names its code table, and only it")


@dataclass(frozen=True)
class CodeTable:
    slug: str
    title: object
    entries: Callable[[], Sequence[tuple[str, object]]]  # (code, label)

    def rows(self) -> list[tuple[str, str]]:
        return [(str(code), text(str(label))) for code, label in self.entries()]


@dataclass
class Dataset:
    slug: str
    title: object
    description: object
    frequency: object  # 更新頻度
    columns: Sequence[Column]
    rows: Callable[[], Iterable[Sequence]]  # raw values, in the columns' order, streamed
    count: Callable[[], int]
    modified: Callable[[], dt.date | None]
    keywords: Sequence[object] = field(default_factory=tuple)
    order: int = 100

    @property
    def headers(self) -> list[str]:
        """The CSV headers, normalised as every cell is (（円） → (円))."""
        return [text(str(c.header)) for c in self.columns]

    def code_tables(self) -> list[CodeTable]:
        seen, tables = set(), []
        for column in self.columns:
            if column.codes and column.codes not in seen:
                seen.add(column.codes)
                tables.append(code_table(column.codes))
        return tables

    def cells(self) -> Iterable[list]:
        """The rows with every cell made machine-readable (see :func:`cell`)."""
        converters = [_CONVERTERS[c.type] for c in self.columns]
        width = len(converters)
        for row in self.rows():
            if len(row) != width:
                raise ValueError(f"{self.slug}: a row has {len(row)} cells, not {width}")
            yield [
                None if value is None or value == "" else convert(value)
                for convert, value in zip(converters, row, strict=True)
            ]


_DATASETS: dict[str, Dataset] = {}
_CODES: dict[str, CodeTable] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.slug in _DATASETS:
        raise ValueError(f"dataset {dataset.slug} is registered twice")
    if not re.fullmatch(r"[a-z][a-z0-9-]{1,60}", dataset.slug):
        raise ValueError(f"bad dataset slug {dataset.slug!r}")
    _DATASETS[dataset.slug] = dataset
    return dataset


def register_codes(table: CodeTable) -> CodeTable:
    _CODES.setdefault(table.slug, table)
    return _CODES[table.slug]


def datasets() -> list[Dataset]:
    autodiscover()
    return sorted(_DATASETS.values(), key=lambda d: (d.order, d.slug))


def dataset(slug: str) -> Dataset | None:
    autodiscover()
    return _DATASETS.get(slug)


def code_table(slug: str) -> CodeTable:
    autodiscover()
    return _CODES[slug]


def code_tables() -> list[CodeTable]:
    autodiscover()
    return sorted(_CODES.values(), key=lambda t: t.slug)


_DISCOVERED = False


def autodiscover() -> None:
    """Import this app's datasets and every app's ``opendata`` module, once."""
    global _DISCOVERED
    if _DISCOVERED:
        return
    _DISCOVERED = True
    importlib.import_module("kyokan.apps.opendata.datasets")
    for config in apps.get_app_configs():
        if not config.name.startswith("kyokan.apps.") or config.name.endswith(".opendata"):
            continue
        try:
            importlib.import_module(f"{config.name}.opendata")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.opendata":
                raise


# --- the cells --------------------------------------------------------------------------------

_CIRCLED = {
    **{chr(0x2460 + n): f"({n + 1})" for n in range(20)},  # ①..⑳
    **{chr(0x3251 + n): f"({n + 21})" for n in range(15)},  # ㉑..㉟
    **{chr(0x32B1 + n): f"({n + 36})" for n in range(15)},  # ㊱..㊿
    "⓪": "(0)",
}
_CIRCLED_RE = re.compile("[" + "".join(_CIRCLED) + "]")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]+")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t]+")


@functools.lru_cache(maxsize=8192)
def text(value: str) -> str:
    """Text for a machine-readable cell: circled numbers as (1), NFKC (half-width kana to
    full width, ㈱ to (株), ㍻ to 平成, full-width letters and digits to ASCII), no control
    characters, line breaks and runs of spaces as one space. Cached: names, units and
    labels repeat from row to row."""
    value = _CIRCLED_RE.sub(lambda m: _CIRCLED[m.group()], value)
    value = unicodedata.normalize("NFKC", value)
    value = _CONTROL.sub("", _LINE_BREAKS.sub(" ", value))
    return _SPACES.sub(" ", value).strip()


def _integer(value):
    return value if type(value) is int else int(value)


def _decimal(value):
    number = value if isinstance(value, Decimal) else Decimal(value)
    return format(number.normalize() if number == number.to_integral() else number, "f")


def _date(value):
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def _datetime(value):
    from django.utils import timezone

    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value):
    return text(value if type(value) is str else str(value))


_CONVERTERS = {
    INTEGER: _integer, DECIMAL: _decimal, BOOLEAN: lambda v: 1 if v else 0, DATE: _date,
    DATETIME: _datetime, STRING: _text, CODE: _text,
}  # fmt: skip


def cell(value, kind: str):
    """One cell's value, by its column's type (None stays None: an empty cell)."""
    if value is None or value == "":
        return None
    return _CONVERTERS[kind](value)
