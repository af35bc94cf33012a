"""Quarters of the fiscal year (April–March) and when their progress reports are due.

Q1 is April–June, Q2 July–September, Q3 October–December, Q4 January–March. A quarter's
report can be submitted from the quarter's first day until ``REPORT_GRACE_DAYS`` after its
last day (the collection period); after that the quarter is closed.
"""

from datetime import date, timedelta

from django.conf import settings

from kyokan.apps.core.japanese_dates import fiscal_year_of

REPORT_GRACE_DAYS = 31


def grace_days() -> int:
    return int(getattr(settings, "KYOKAN_PORTFOLIO_REPORT_GRACE_DAYS", REPORT_GRACE_DAYS))


def quarter_of(d: date) -> tuple[int, int]:
    """(fiscal year, quarter 1–4) of a day."""
    return fiscal_year_of(d), ((d.month - 4) % 12) // 3 + 1


def quarter_range(fiscal_year: int, quarter: int) -> tuple[date, date]:
    month = 4 + (quarter - 1) * 3
    year = fiscal_year + (1 if month > 12 else 0)
    month = (month - 1) % 12 + 1
    start = date(year, month, 1)
    end_month = month + 3
    end = (
        date(year + 1, end_month - 12, 1) if end_month > 12 else date(year, end_month, 1)
    ) - timedelta(days=1)
    return start, end


def report_deadline(fiscal_year: int, quarter: int) -> date:
    return quarter_range(fiscal_year, quarter)[1] + timedelta(days=grace_days())


def quarter_is_open(fiscal_year: int, quarter: int, today: date) -> bool:
    start, _end = quarter_range(fiscal_year, quarter)
    return start <= today <= report_deadline(fiscal_year, quarter)


def previous_quarter(fiscal_year: int, quarter: int) -> tuple[int, int]:
    return (fiscal_year, quarter - 1) if quarter > 1 else (fiscal_year - 1, 4)


def next_quarter(fiscal_year: int, quarter: int) -> tuple[int, int]:
    return (fiscal_year, quarter + 1) if quarter < 4 else (fiscal_year + 1, 1)


def collecting_quarter(today: date) -> tuple[int, int]:
    """The quarter whose reports are being collected: the one that ended last, while its
    collection period runs; after that the current quarter."""
    current = quarter_of(today)
    previous = previous_quarter(*current)
    if today <= report_deadline(*previous):
        return previous
    return current


def quarter_label(fiscal_year: int, quarter: int) -> str:
    from django.utils import translation
    from django.utils.translation import gettext as _

    from kyokan.apps.core.japanese_dates import fiscal_year_label

    lang = "en" if (translation.get_language() or "ja").startswith("en") else "ja"
    return _("%(year)s Q%(quarter)s") % {
        "year": fiscal_year_label(fiscal_year, lang=lang, with_western=False),
        "quarter": quarter,
    }
