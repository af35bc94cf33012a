"""Template filters of the portfolio: yen with separators, the working's fractions."""

from fractions import Fraction

from django import template

from .. import costvalue

register = template.Library()


@register.filter
def yen(value) -> str:
    """1234567 → 「1,234,567」; a fraction is rounded half up to whole yen first."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Fraction):
        value = costvalue.yen(value)
    return f"{int(value):,}"


@register.filter
def num(value, places: int = 2) -> str:
    """A fraction or a number with separators and ``places`` decimals (trailing zeros kept)."""
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        value = costvalue.decimal(value, int(places))
    return f"{value:,.{int(places)}f}" if not isinstance(value, int) else f"{value:,}"


@register.filter
def ratio(value) -> str:
    return "—" if value is None else f"{costvalue.ratio(value):,}"


@register.filter
def payback(value) -> str:
    return "—" if value is None else f"{costvalue.payback(value):,}"


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:.0%}"
