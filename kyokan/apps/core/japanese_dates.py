"""Japanese calendar helpers: eras (和暦), fiscal years (年度), holidays and office closures.

Pure Python (plus ``jpholiday``); no Django imports, so it can be used anywhere.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import jpholiday

__all__ = [
    "DEFAULT_YEAR_END_CLOSURE",
    "ERAS",
    "WEEKDAYS_JA",
    "Era",
    "business_days",
    "closed_days_in_range",
    "closure_reason",
    "era_of",
    "era_year",
    "fiscal_year_era",
    "fiscal_year_label",
    "fiscal_year_of",
    "fiscal_year_range",
    "format_date_with_weekday",
    "format_era_year",
    "holiday_name",
    "is_business_day",
    "parse_date_ja",
    "wareki_date",
    "weekday_ja",
]

# ---------------------------------------------------------------------------
# Eras
# ---------------------------------------------------------------------------

ERAS: tuple[tuple[str, str, date], ...] = (
    ("明治", "Meiji", date(1868, 10, 23)),
    ("大正", "Taisho", date(1912, 7, 30)),
    ("昭和", "Showa", date(1926, 12, 25)),
    ("平成", "Heisei", date(1989, 1, 8)),
    ("令和", "Reiwa", date(2019, 5, 1)),
)


@dataclass(frozen=True)
class Era:
    """A Japanese era (元号) and its first day."""

    name_ja: str
    name_en: str
    start: date


_ERAS: tuple[Era, ...] = tuple(Era(ja, en, start) for ja, en, start in ERAS)
_ERA_BY_NAME: dict[str, Era] = {era.name_ja: era for era in _ERAS}
_ERA_LETTERS: dict[str, Era] = dict(zip("MTSHR", _ERAS, strict=True))

_LANGS = ("ja", "en")
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_JA = "月火水木金土日"


def _as_date(d: date) -> date:
    """Accept ``datetime`` too, since it cannot be compared with ``date``."""
    return d.date() if isinstance(d, datetime) else d


def _check_lang(lang: str) -> None:
    if lang not in _LANGS:
        raise ValueError(f"Unsupported lang {lang!r}; expected 'ja' or 'en'")


def _era_end(era: Era) -> date | None:
    """Last day of ``era``, or None for the current era."""
    idx = _ERAS.index(era)
    if idx + 1 < len(_ERAS):
        return _ERAS[idx + 1].start - timedelta(days=1)
    return None


def era_of(d: date) -> Era:
    """Return the era in force on ``d`` (ValueError before Meiji)."""
    d = _as_date(d)
    for era in reversed(_ERAS):
        if d >= era.start:
            return era
    raise ValueError(f"{d.isoformat()} is before the Meiji era")


def era_year(d: date) -> tuple[Era, int]:
    """Return ``(era, year within era)`` for ``d``; the first year is 1."""
    era = era_of(d)
    return era, d.year - era.start.year + 1


def format_era_year(era: Era, n: int, *, lang: str = "ja") -> str:
    """ "令和5年" / "令和元年" (ja) or "Reiwa 5" (en)."""
    _check_lang(lang)
    if n < 1:
        raise ValueError(f"Era year must be >= 1, got {n}")
    if lang == "en":
        return f"{era.name_en} {n}"
    return f"{era.name_ja}{'元' if n == 1 else n}年"


def wareki_date(d: date, *, lang: str = "ja", with_western: bool = True) -> str:
    """ "令和5年（2023年）4月1日" / "令和5年4月1日" (ja) or "1 April 2023 (Reiwa 5)" (en)."""
    _check_lang(lang)
    d = _as_date(d)
    era, n = era_year(d)
    if lang == "en":
        return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year} ({format_era_year(era, n, lang='en')})"
    western = f"（{d.year}年）" if with_western else ""
    return f"{format_era_year(era, n)}{western}{d.month}月{d.day}日"


TOKYO = ZoneInfo("Asia/Tokyo")


def wareki_datetime(moment: datetime, *, lang: str = "ja", with_western: bool = True) -> str:
    """A moment as people in the city read it, in Japan time: "令和8年（2026年）12月1日 17:23"
    (ja) or "1 December 2026 (Reiwa 8) 17:23" (en). Naive values are taken as Japan time."""
    local = moment.astimezone(TOKYO) if moment.tzinfo is not None else moment
    return f"{wareki_date(local.date(), lang=lang, with_western=with_western)} {local:%H:%M}"


# ---------------------------------------------------------------------------
# Fiscal years (April–March)
# ---------------------------------------------------------------------------


def fiscal_year_of(d: date) -> int:
    """Japanese fiscal year (年度) containing ``d``; it starts on 1 April."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_range(fy: int) -> tuple[date, date]:
    """First and last day of fiscal year ``fy``: (1 April fy, 31 March fy+1)."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def fiscal_year_era(fy: int) -> tuple[Era, int]:
    """Era label of a fiscal year: the era in force on 31 December of year ``fy``."""
    return era_year(date(fy, 12, 31))


def fiscal_year_label(fy: int, *, lang: str = "ja", with_western: bool = True) -> str:
    """ "令和5年度（2023年度）" / "令和5年度" (ja) or "FY2023 (Reiwa 5)" (en)."""
    _check_lang(lang)
    era, n = fiscal_year_era(fy)
    if lang == "en":
        return f"FY{fy} ({format_era_year(era, n, lang='en')})"
    western = f"（{fy}年度）" if with_western else ""
    return f"{format_era_year(era, n)}度{western}"


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

_ERA_NAMES_RE = "|".join(era.name_ja for era in _ERAS)
_WESTERN_SEP_RE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_WESTERN_JA_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# The optional "(2023年)" lets the output of wareki_date() be parsed back.
_ERA_JA_RE = re.compile(
    rf"({_ERA_NAMES_RE})(元|\d{{1,2}})年(?:\((\d{{4}})年\))?(\d{{1,2}})月(\d{{1,2}})日"
)
_ERA_LETTER_RE = re.compile(r"([MTSHR])(元|\d{1,2})([-/.])(\d{1,2})\3(\d{1,2})", re.IGNORECASE)


def _unreadable(text: str) -> ValueError:
    return ValueError(f"日付として読み取れません: {text}")


def _make_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _unreadable(text) from None


def _era_date(text: str, era: Era, year_str: str, month: int, day: int) -> date:
    n = 1 if year_str == "元" else int(year_str)
    if n < 1:
        raise ValueError(f"{text}は{era.name_ja}の期間外です")
    d = _make_date(text, era.start.year + n - 1, month, day)
    end = _era_end(era)
    if d < era.start or (end is not None and d > end):
        raise ValueError(f"{text}は{era.name_ja}の期間外です")
    return d


def parse_date_ja(text: str) -> date:
    """Parse a Western or 和暦 date as typed by Japanese users.

    Accepts e.g. "2023-04-01", "2023/4/1", "2023.4.1", "2023年4月1日", "令和5年4月1日",
    "令和元年5月1日", "R5.4.1", "r05/04/01", full-width digits and spaces.
    """
    shown = text.strip()
    s = "".join(unicodedata.normalize("NFKC", text).split())

    if m := _WESTERN_SEP_RE.fullmatch(s):
        return _make_date(shown, int(m[1]), int(m[3]), int(m[4]))
    if m := _WESTERN_JA_RE.fullmatch(s):
        return _make_date(shown, int(m[1]), int(m[2]), int(m[3]))
    if m := _ERA_JA_RE.fullmatch(s):
        d = _era_date(shown, _ERA_BY_NAME[m[1]], m[2], int(m[4]), int(m[5]))
        if m[3] is not None and int(m[3]) != d.year:
            raise _unreadable(shown)
        return d
    if m := _ERA_LETTER_RE.fullmatch(s):
        return _era_date(shown, _ERA_LETTERS[m[1].upper()], m[2], int(m[4]), int(m[5]))
    raise _unreadable(shown)


# ---------------------------------------------------------------------------
# Holidays and office closures
# ---------------------------------------------------------------------------

DEFAULT_YEAR_END_CLOSURE: frozenset[tuple[int, int]] = frozenset(
    {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}
)
_YEAR_END_REASON = "年末年始（閉庁日）"
_EXTRA_CLOSED_DEFAULT_REASON = "閉庁日"


@lru_cache(maxsize=256)
def _year_holidays(year: int) -> Mapping[date, str]:
    """National holidays of ``year`` (one jpholiday call per year, cached)."""
    result: dict[date, str] = {}
    for d, name in jpholiday.year_holidays(year):
        result.setdefault(d, name)
    return MappingProxyType(result)


def holiday_name(d: date) -> str | None:
    """Name of the national holiday on ``d`` (e.g. "元日"), or None."""
    d = _as_date(d)
    return _year_holidays(d.year).get(d)


def _is_year_end(d: date) -> bool:
    return (d.month, d.day) in DEFAULT_YEAR_END_CLOSURE


def closure_reason(
    d: date,
    *,
    extra_closed: Mapping[date, str] | None = None,
    year_end_closure: bool = True,
) -> str | None:
    """Why the city office is closed on ``d`` (Japanese), or None when open.

    Precedence: ``extra_closed`` > national holiday > year-end closure > weekend.
    """
    d = _as_date(d)
    if extra_closed and d in extra_closed:
        return extra_closed[d] or _EXTRA_CLOSED_DEFAULT_REASON
    if (name := holiday_name(d)) is not None:
        return name
    if year_end_closure and _is_year_end(d):
        return _YEAR_END_REASON
    if d.weekday() == 5:
        return "土曜日"
    if d.weekday() == 6:
        return "日曜日"
    return None


def is_business_day(
    d: date,
    *,
    extra_closed: Mapping[date, str] | None = None,
    year_end_closure: bool = True,
) -> bool:
    """True when the city office is open on ``d``."""
    return closure_reason(d, extra_closed=extra_closed, year_end_closure=year_end_closure) is None


def _count_weekdays(start: date, end: date) -> int:
    """Number of Monday–Friday dates in ``[start, end]``."""
    days = (end - start).days + 1
    if days <= 0:
        return 0
    full_weeks, rest = divmod(days, 7)
    first = start.weekday()
    return full_weeks * 5 + sum(1 for i in range(rest) if (first + i) % 7 < 5)


def _special_closed_dates(
    start: date,
    end: date,
    extra_closed: Mapping[date, str] | None,
    year_end_closure: bool,
) -> set[date]:
    """Holidays, year-end closures and extra closed days in ``[start, end]``."""
    candidates: set[date] = set()
    for year in range(start.year, end.year + 1):
        candidates.update(_year_holidays(year))
        if year_end_closure:
            candidates.update(date(year, m, dd) for m, dd in DEFAULT_YEAR_END_CLOSURE)
    if extra_closed:
        candidates.update(extra_closed)
    return {d for d in candidates if start <= d <= end}


def business_days(
    start: date,
    end: date,
    *,
    extra_closed: Mapping[date, str] | None = None,
    year_end_closure: bool = True,
) -> int:
    """Number of office business days in ``[start, end]`` (inclusive; 0 if end < start)."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return 0
    closed = _special_closed_dates(start, end, extra_closed, year_end_closure)
    return _count_weekdays(start, end) - sum(1 for d in closed if d.weekday() < 5)


def closed_days_in_range(
    start: date,
    end: date,
    *,
    extra_closed: Mapping[date, str] | None = None,
    year_end_closure: bool = True,
    include_weekends: bool = False,
) -> list[tuple[date, str]]:
    """Sorted ``(date, reason)`` closures in ``[start, end]``; plain weekends only on request."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return []
    days = _special_closed_dates(start, end, extra_closed, year_end_closure)
    if include_weekends:
        d = start
        while d <= end:
            if d.weekday() >= 5:
                days.add(d)
            d += timedelta(days=1)
    result: list[tuple[date, str]] = []
    for d in sorted(days):
        reason = closure_reason(d, extra_closed=extra_closed, year_end_closure=year_end_closure)
        if reason is not None:
            result.append((d, reason))
    return result


# ---------------------------------------------------------------------------
# Weekdays
# ---------------------------------------------------------------------------


def weekday_ja(d: date) -> str:
    """One-character Japanese weekday, e.g. "金"."""
    return WEEKDAYS_JA[d.weekday()]


def format_date_with_weekday(d: date, *, lang: str = "ja") -> str:
    """ "2月4日(金)" (ja, as in meeting papers) or "Fri 4 Feb" (en)."""
    _check_lang(lang)
    if lang == "en":
        return f"{_WEEKDAYS_EN[d.weekday()]} {d.day} {_MONTHS_EN[d.month - 1][:3]}"
    return f"{d.month}月{d.day}日({weekday_ja(d)})"
