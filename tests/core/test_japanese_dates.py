"""Tests for kyokan.apps.core.japanese_dates (pure Python, no database)."""

from datetime import date, datetime, timedelta

import jpholiday
import pytest

from kyokan.apps.core import japanese_dates as jd
from kyokan.apps.core.japanese_dates import (
    DEFAULT_YEAR_END_CLOSURE,
    ERAS,
    WEEKDAYS_JA,
    Era,
    business_days,
    closed_days_in_range,
    closure_reason,
    era_of,
    era_year,
    fiscal_year_era,
    fiscal_year_label,
    fiscal_year_of,
    fiscal_year_range,
    format_date_with_weekday,
    format_era_year,
    holiday_name,
    is_business_day,
    parse_date_ja,
    wareki_date,
    weekday_ja,
)

MEIJI, TAISHO, SHOWA, HEISEI, REIWA = (Era(*row) for row in ERAS)


def _days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


# --- Eras -----------------------------------------------------------------


def test_eras_table():
    assert [(ja, en) for ja, en, _ in ERAS] == [
        ("明治", "Meiji"),
        ("大正", "Taisho"),
        ("昭和", "Showa"),
        ("平成", "Heisei"),
        ("令和", "Reiwa"),
    ]
    assert [start for *_, start in ERAS] == [
        date(1868, 10, 23),
        date(1912, 7, 30),
        date(1926, 12, 25),
        date(1989, 1, 8),
        date(2019, 5, 1),
    ]


def test_era_is_frozen():
    with pytest.raises(AttributeError):
        REIWA.name_ja = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("d", "era", "year"),
    [
        (date(1868, 10, 23), MEIJI, 1),
        (date(1912, 7, 29), MEIJI, 45),
        (date(1912, 7, 30), TAISHO, 1),
        (date(1926, 12, 24), TAISHO, 15),
        (date(1926, 12, 25), SHOWA, 1),
        (date(1989, 1, 7), SHOWA, 64),
        (date(1989, 1, 8), HEISEI, 1),
        (date(2019, 4, 30), HEISEI, 31),
        (date(2019, 5, 1), REIWA, 1),
        (date(2023, 4, 1), REIWA, 5),
    ],
)
def test_era_boundaries(d, era, year):
    assert era_of(d) == era
    assert era_year(d) == (era, year)


def test_era_of_accepts_datetime():
    assert era_year(datetime(2019, 5, 1, 9, 30)) == (REIWA, 1)


def test_era_of_before_meiji():
    with pytest.raises(ValueError):
        era_of(date(1868, 10, 22))


def test_format_era_year():
    assert format_era_year(REIWA, 5) == "令和5年"
    assert format_era_year(REIWA, 1) == "令和元年"
    assert format_era_year(SHOWA, 64) == "昭和64年"
    assert format_era_year(REIWA, 5, lang="en") == "Reiwa 5"
    assert format_era_year(REIWA, 1, lang="en") == "Reiwa 1"
    with pytest.raises(ValueError):
        format_era_year(REIWA, 0)
    with pytest.raises(ValueError):
        format_era_year(REIWA, 5, lang="fr")


def test_wareki_date():
    assert wareki_date(date(2023, 4, 1)) == "令和5年（2023年）4月1日"
    assert wareki_date(date(2023, 4, 1), with_western=False) == "令和5年4月1日"
    assert wareki_date(date(2019, 5, 1)) == "令和元年（2019年）5月1日"
    assert wareki_date(date(2019, 4, 30), with_western=False) == "平成31年4月30日"
    assert wareki_date(date(1989, 1, 8), with_western=False) == "平成元年1月8日"
    assert wareki_date(date(2023, 4, 1), lang="en") == "1 April 2023 (Reiwa 5)"
    assert wareki_date(date(2023, 4, 1), lang="en", with_western=False) == "1 April 2023 (Reiwa 5)"
    assert wareki_date(date(2019, 5, 1), lang="en") == "1 May 2019 (Reiwa 1)"


# --- Fiscal years -----------------------------------------------------------


def test_fiscal_year_of():
    assert fiscal_year_of(date(2024, 3, 31)) == 2023
    assert fiscal_year_of(date(2024, 4, 1)) == 2024
    assert fiscal_year_of(date(2024, 1, 1)) == 2023
    assert fiscal_year_of(date(2023, 12, 31)) == 2023


def test_fiscal_year_range():
    assert fiscal_year_range(2023) == (date(2023, 4, 1), date(2024, 3, 31))
    start, end = fiscal_year_range(2023)
    assert fiscal_year_of(start) == fiscal_year_of(end) == 2023
    assert fiscal_year_of(start - timedelta(days=1)) == 2022
    assert fiscal_year_of(end + timedelta(days=1)) == 2024


@pytest.mark.parametrize(
    ("fy", "era", "n"),
    [
        (1988, SHOWA, 63),
        (1989, HEISEI, 1),
        (2018, HEISEI, 30),
        (2019, REIWA, 1),
        (2023, REIWA, 5),
    ],
)
def test_fiscal_year_era(fy, era, n):
    assert fiscal_year_era(fy) == (era, n)


def test_fiscal_year_label():
    assert fiscal_year_label(2023) == "令和5年度（2023年度）"
    assert fiscal_year_label(2023, with_western=False) == "令和5年度"
    assert fiscal_year_label(2019) == "令和元年度（2019年度）"
    assert fiscal_year_label(2019, with_western=False) == "令和元年度"
    assert fiscal_year_label(2018) == "平成30年度（2018年度）"
    assert fiscal_year_label(1988) == "昭和63年度（1988年度）"
    assert fiscal_year_label(1989) == "平成元年度（1989年度）"
    assert fiscal_year_label(2023, lang="en") == "FY2023 (Reiwa 5)"
    assert fiscal_year_label(2019, lang="en") == "FY2019 (Reiwa 1)"
    assert fiscal_year_label(1988, lang="en") == "FY1988 (Showa 63)"


# --- Parsing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-04-01", date(2023, 4, 1)),
        ("2023/4/1", date(2023, 4, 1)),
        ("2023.4.1", date(2023, 4, 1)),
        ("2023年4月1日", date(2023, 4, 1)),
        ("令和5年4月1日", date(2023, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("大正15年12月24日", date(1926, 12, 24)),
        ("明治45年7月29日", date(1912, 7, 29)),
        ("R5.4.1", date(2023, 4, 1)),
        ("R05/04/01", date(2023, 4, 1)),
        ("R5-4-1", date(2023, 4, 1)),
        ("r5.4.1", date(2023, 4, 1)),
        ("h31.4.30", date(2019, 4, 30)),
        ("H31.4.30", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("T1.7.30", date(1912, 7, 30)),
        ("M45.7.29", date(1912, 7, 29)),
        ("R元.5.1", date(2019, 5, 1)),
        ("令和５年４月１日", date(2023, 4, 1)),
        ("２０２３／０４／０１", date(2023, 4, 1)),
        ("Ｒ５．４．１", date(2023, 4, 1)),
        ("  令和 5 年 4 月 1 日 ", date(2023, 4, 1)),
        ("令和\u30005年4月1日", date(2023, 4, 1)),
        ("㋿5年4月1日", date(2023, 4, 1)),
        ("㍻31年4月30日", date(2019, 4, 30)),
        ("令和5年（2023年）4月1日", date(2023, 4, 1)),
    ],
)
def test_parse_date_ja_accepts(text, expected):
    assert parse_date_ja(text) == expected


@pytest.mark.parametrize(
    "d", [date(2019, 5, 1), date(2023, 4, 1), date(1989, 1, 7), date(1989, 1, 8)]
)
def test_parse_date_ja_round_trips_wareki_date(d):
    assert parse_date_ja(wareki_date(d)) == d
    assert parse_date_ja(wareki_date(d, with_western=False)) == d


def test_parse_date_ja_does_not_mutate_input():
    text = "令和５年４月１日"
    parse_date_ja(text)
    assert text == "令和５年４月１日"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "2023-13-01",
        "2023-02-30",
        "2023/4-1",
        "2023年4月",
        "23/4/1",
        "X5.4.1",
        "令和5年2月30日",
        "R5.13.1",
        "令和5年(2024年)4月1日",
        "令和五年四月一日",
    ],
)
def test_parse_date_ja_rejects_nonsense(text):
    with pytest.raises(ValueError, match="日付として読み取れません"):
        parse_date_ja(text)


@pytest.mark.parametrize(
    ("text", "era_name"),
    [
        ("平成32年1月1日", "平成"),
        ("平成31年5月1日", "平成"),
        ("令和1年4月1日", "令和"),
        ("令和元年4月30日", "令和"),
        ("昭和64年1月8日", "昭和"),
        ("R0.5.1", "令和"),
        ("H32.1.1", "平成"),
        ("S65.1.1", "昭和"),
        ("明治元年1月1日", "明治"),
    ],
)
def test_parse_date_ja_rejects_outside_era(text, era_name):
    with pytest.raises(ValueError, match=f"^{text}は{era_name}の期間外です$"):
        parse_date_ja(text)


def test_parse_date_ja_messages_are_japanese():
    with pytest.raises(ValueError) as exc:
        parse_date_ja("nonsense")
    assert str(exc.value) == "日付として読み取れません: nonsense"


# --- Holidays and closures --------------------------------------------------


def test_holiday_name():
    assert holiday_name(date(2023, 1, 1)) == "元日"
    assert "振替休日" in holiday_name(date(2023, 1, 2))
    assert holiday_name(date(2023, 1, 2)) == jpholiday.is_holiday_name(date(2023, 1, 2))
    assert holiday_name(date(2019, 5, 1)) == "天皇の即位の日"
    assert holiday_name(date(2023, 4, 3)) is None


def test_holiday_name_matches_jpholiday_for_a_year():
    for d in _days(date(2023, 1, 1), date(2023, 12, 31)):
        assert holiday_name(d) == jpholiday.is_holiday_name(d)


def test_default_year_end_closure():
    expected = {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}
    assert isinstance(DEFAULT_YEAR_END_CLOSURE, frozenset)
    assert set(DEFAULT_YEAR_END_CLOSURE) == expected


def test_closure_reason_weekend_and_open():
    assert closure_reason(date(2023, 4, 1)) == "土曜日"
    assert closure_reason(date(2023, 4, 2)) == "日曜日"
    assert closure_reason(date(2023, 4, 3)) is None
    assert is_business_day(date(2023, 4, 3))
    assert not is_business_day(date(2023, 4, 1))


def test_closure_reason_holiday():
    assert closure_reason(date(2023, 11, 3)) == "文化の日"
    assert closure_reason(date(2023, 1, 1)) == "元日"  # holiday beats year-end and Sunday
    assert not is_business_day(date(2023, 11, 3))


def test_closure_reason_year_end():
    assert closure_reason(date(2023, 12, 29)) == "年末年始（閉庁日）"  # Friday
    assert closure_reason(date(2024, 1, 3)) == "年末年始（閉庁日）"  # Wednesday
    assert closure_reason(date(2023, 12, 30)) == "年末年始（閉庁日）"  # Saturday
    assert closure_reason(date(2023, 12, 28)) is None
    assert closure_reason(date(2024, 1, 4)) is None
    assert closure_reason(date(2023, 12, 29), year_end_closure=False) is None
    assert closure_reason(date(2023, 12, 30), year_end_closure=False) == "土曜日"
    assert is_business_day(date(2024, 1, 3), year_end_closure=False)


def test_closure_reason_extra_closed_takes_precedence():
    extra = {date(2023, 6, 15): "市民の日", date(2023, 11, 3): "庁舎点検"}
    assert closure_reason(date(2023, 6, 15), extra_closed=extra) == "市民の日"
    assert closure_reason(date(2023, 11, 3), extra_closed=extra) == "庁舎点検"
    assert closure_reason(date(2023, 6, 16), extra_closed=extra) is None
    assert not is_business_day(date(2023, 6, 15), extra_closed=extra)
    assert closure_reason(date(2023, 6, 15), extra_closed={date(2023, 6, 15): ""}) == "閉庁日"


def _brute_force_business_days(start, end, extra=(), year_end=True):
    count = 0
    for d in _days(start, end):
        if d.weekday() >= 5 or jpholiday.is_holiday(d) or d in extra:
            continue
        if year_end and ((d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)):
            continue
        count += 1
    return count


def test_business_days_fiscal_year_2023_matches_brute_force():
    start, end = fiscal_year_range(2023)
    expected = _brute_force_business_days(start, end)
    assert business_days(start, end) == expected
    assert business_days(start, end) == sum(is_business_day(d) for d in _days(start, end))
    no_year_end = _brute_force_business_days(start, end, year_end=False)
    assert business_days(start, end, year_end_closure=False) == no_year_end
    # 12/29 (Fri) and 1/2–1/3 (Tue, Wed) are weekdays that are not national holidays.
    assert no_year_end - expected == 3


def test_business_days_across_year_end():
    start, end = date(2023, 12, 25), date(2024, 1, 12)
    # Open: 12/25-28 (4), 1/4-5 (2), 1/9-12 (4); 1/8 is 成人の日.
    assert business_days(start, end) == 10
    assert business_days(start, end) == _brute_force_business_days(start, end)


def test_business_days_with_extra_closed():
    extra = {
        date(2023, 6, 15): "市民の日",  # Thursday: counts
        date(2023, 6, 17): "土曜閉庁",  # Saturday: already closed
        date(2023, 12, 29): "御用納め後",  # already a year-end closure
        date(2030, 1, 1): "out of range",
    }
    start, end = fiscal_year_range(2023)
    assert business_days(start, end, extra_closed=extra) == business_days(start, end) - 1
    assert business_days(start, end, extra_closed=extra) == _brute_force_business_days(
        start, end, extra=extra
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2023, 4, 3), date(2023, 4, 3)),
        (date(2023, 4, 1), date(2023, 4, 2)),
        (date(2023, 4, 1), date(2023, 4, 9)),
        (date(2019, 4, 26), date(2019, 5, 7)),
        (date(2020, 12, 20), date(2022, 1, 10)),
    ],
)
def test_business_days_small_ranges(start, end):
    assert business_days(start, end) == _brute_force_business_days(start, end)


def test_business_days_empty_range():
    assert business_days(date(2023, 4, 2), date(2023, 4, 1)) == 0


def test_count_weekdays_brute_force():
    base = date(2023, 1, 1)
    for offset in range(7):
        for length in range(-1, 22):
            s = base + timedelta(days=offset)
            e = s + timedelta(days=length)
            expected = sum(1 for d in _days(s, e) if d.weekday() < 5)
            assert jd._count_weekdays(s, e) == expected


def test_closed_days_in_range_year_end():
    result = closed_days_in_range(date(2023, 12, 25), date(2024, 1, 10))
    assert result == [
        (date(2023, 12, 29), "年末年始（閉庁日）"),
        (date(2023, 12, 30), "年末年始（閉庁日）"),
        (date(2023, 12, 31), "年末年始（閉庁日）"),
        (date(2024, 1, 1), "元日"),
        (date(2024, 1, 2), "年末年始（閉庁日）"),
        (date(2024, 1, 3), "年末年始（閉庁日）"),
        (date(2024, 1, 8), "成人の日"),
    ]


def test_closed_days_in_range_includes_weekend_holidays_and_extra():
    extra = {date(2023, 11, 2): "庁舎点検"}
    result = closed_days_in_range(date(2023, 10, 30), date(2023, 11, 5), extra_closed=extra)
    assert result == [(date(2023, 11, 2), "庁舎点検"), (date(2023, 11, 3), "文化の日")]
    # 2023-09-23 秋分の日 is a Saturday: still listed as a holiday.
    assert closed_days_in_range(date(2023, 9, 22), date(2023, 9, 24)) == [
        (date(2023, 9, 23), "秋分の日")
    ]


def test_closed_days_in_range_with_weekends():
    result = closed_days_in_range(date(2023, 9, 22), date(2023, 9, 25), include_weekends=True)
    assert result == [(date(2023, 9, 23), "秋分の日"), (date(2023, 9, 24), "日曜日")]
    result = closed_days_in_range(date(2023, 4, 2), date(2023, 4, 8), include_weekends=True)
    assert result == [(date(2023, 4, 2), "日曜日"), (date(2023, 4, 8), "土曜日")]


def test_closed_days_in_range_consistent_with_business_days():
    start, end = fiscal_year_range(2023)
    closed = closed_days_in_range(start, end, include_weekends=True)
    total = (end - start).days + 1
    assert total - len(closed) == business_days(start, end)
    assert all(closure_reason(d) == reason for d, reason in closed)
    assert closed_days_in_range(end, start) == []


def test_closed_days_without_year_end():
    result = closed_days_in_range(date(2023, 12, 28), date(2024, 1, 4), year_end_closure=False)
    assert result == [(date(2024, 1, 1), "元日")]


# --- Weekdays ---------------------------------------------------------------


def test_weekday_ja():
    assert WEEKDAYS_JA == "月火水木金土日"
    assert weekday_ja(date(2022, 2, 4)) == "金"
    assert weekday_ja(date(2022, 2, 6)) == "日"
    assert weekday_ja(date(2022, 2, 7)) == "月"


@pytest.mark.parametrize(
    ("d", "ja", "en"),
    [
        (date(2022, 2, 4), "2月4日(金)", "Fri 4 Feb"),
        (date(2022, 2, 8), "2月8日(火)", "Tue 8 Feb"),
        (date(2022, 3, 22), "3月22日(火)", "Tue 22 Mar"),
        (date(2023, 12, 31), "12月31日(日)", "Sun 31 Dec"),
    ],
)
def test_format_date_with_weekday(d, ja, en):
    assert format_date_with_weekday(d) == ja
    assert format_date_with_weekday(d, lang="ja") == ja
    assert format_date_with_weekday(d, lang="en") == en


def test_a_moment_is_shown_in_japan_time_whatever_its_zone():
    from datetime import UTC, datetime

    from kyokan.apps.core.japanese_dates import wareki_datetime

    moment = datetime(2026, 12, 1, 8, 23, tzinfo=UTC)
    assert wareki_datetime(moment) == "令和8年（2026年）12月1日 17:23"
    assert wareki_datetime(moment, lang="en") == "1 December 2026 (Reiwa 8) 17:23"
    late = datetime(2026, 3, 31, 16, 30, tzinfo=UTC)  # already 1 April in Tokyo
    assert wareki_datetime(late).startswith("令和8年（2026年）4月1日 01:30")
