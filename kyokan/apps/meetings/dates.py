"""How meetings write dates and times for people: always in Japan time, through core's
japanese_dates (the one 和暦 formatter), in the reader's language.

- :func:`slot_label`: a candidate date or a meeting's time, "2月4日(金) 14:00–15:30", with
  the 和暦 year when the reader needs it ("令和9年1月4日(月) 14:00–15:30").
- :func:`moment_label`: one moment, "令和8年（2026年）12月1日 17:23".
- :func:`day_label`: one day, "令和8年（2026年）12月1日".
"""

from datetime import date, datetime

from django.utils import timezone, translation

from kyokan.apps.core import japanese_dates


def reader_lang() -> str:
    """The language people read now ("ja" or "en"): the active one, Japanese by default."""
    return "en" if (translation.get_language() or "ja").startswith("en") else "ja"


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def day_with_weekday(day: date, *, with_year: bool = False, lang: str | None = None) -> str:
    """ "2月4日(金)" / "令和9年1月4日(月)" (ja) or "Fri 4 Feb" / "Mon 4 Jan 2027" (en)."""
    lang = lang or reader_lang()
    if lang == "en":
        text = japanese_dates.format_date_with_weekday(day, lang="en")
        return f"{text} {day.year}" if with_year else text
    if with_year:
        return (
            f"{japanese_dates.wareki_date(day, with_western=False)}"
            f"({japanese_dates.weekday_ja(day)})"
        )
    return japanese_dates.format_date_with_weekday(day)


def slot_label(
    starts_at: datetime,
    ends_at: datetime | None = None,
    *,
    with_year: bool = False,
    lang: str | None = None,
) -> str:
    """A time slot in Japan time: "2月4日(金) 14:00–15:30" (the end's date is written only
    when it differs)."""
    start = _local(starts_at)
    text = f"{day_with_weekday(start.date(), with_year=with_year, lang=lang)} {start:%H:%M}"
    if ends_at:
        end = _local(ends_at)
        if end.date() == start.date():
            text += f"–{end:%H:%M}"
        else:
            text += f"–{day_with_weekday(end.date(), with_year=with_year, lang=lang)} {end:%H:%M}"
    return text


def needs_year(moments, *, today: date | None = None) -> bool:
    """Whether dates must carry their year to be read right: they span years, or they are
    not in the current year."""
    years = {_local(m).year for m in moments}
    if not years:
        return False
    this_year = (today or timezone.localdate()).year
    return len(years) > 1 or years != {this_year}


def moment_label(moment: datetime, *, lang: str | None = None) -> str:
    """ "令和8年（2026年）12月1日 17:23" (ja) or "1 December 2026 (Reiwa 8) 17:23" (en)."""
    return japanese_dates.wareki_datetime(_local(moment), lang=lang or reader_lang())


def day_label(day: date, *, lang: str | None = None, with_western: bool = True) -> str:
    """ "令和8年（2026年）12月1日" (ja) or "1 December 2026 (Reiwa 8)" (en)."""
    return japanese_dates.wareki_date(day, lang=lang or reader_lang(), with_western=with_western)


def paper_date(day: date) -> str:
    """A date as printed in the city's papers (packet, minutes, generated tables): short
    和暦, "令和4年2月4日" (Japanese whatever the reader's language)."""
    return japanese_dates.wareki_date(day, lang="ja", with_western=False)
