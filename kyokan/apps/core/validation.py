"""Validation at the boundary, shared by every form, import and API: dates within a sane
range and fiscal years the municipality has.

A stored date of 0001-01-01 or a fiscal year 9999 breaks pages for everyone (和暦 and
calendar arithmetic fail), so nothing outside 1900–2100 is ever accepted.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

#: Django's own Japanese catalogue renders this message of its ProhibitNullCharactersValidator
#: (every form text field has it) as 「何か文字を入力してください。」 — "type some text", the
#: opposite of what is wrong with a pasted NUL. Kyokan's catalogue, searched before Django's,
#: says what it is; the marker keeps the entry when the catalogue is extracted again.
gettext_noop("Null characters are not allowed.")

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year

DATE_RANGE_MESSAGE = _("Enter a date between 1900-01-01 and 2100-12-31.")
YEAR_RANGE_MESSAGE = _("Enter a year between 1900 and 2100.")


def validate_sane_date(value) -> None:
    """A date (or the date of a datetime) within 1900-01-01 … 2100-12-31."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


validate_sane_datetime = validate_sane_date


def validate_sane_year(value) -> None:
    if value is not None and not YEAR_MIN <= int(value) <= YEAR_MAX:
        raise ValidationError(YEAR_RANGE_MESSAGE, code="year_range")


def validate_fiscal_year(value) -> None:
    """A fiscal year (Western year of its April) that the municipality has registered."""
    from .models import FiscalYear

    if value is None:
        return
    validate_sane_year(value)
    if not FiscalYear.objects.filter(year=int(value)).exists():
        raise ValidationError(
            _("%(year)s is not one of the municipality's fiscal years (年度・閉庁日)."),
            code="unknown_fiscal_year",
            params={"year": value},
        )
