"""Template filters of the portfolio: yen with separators, the working's fractions; the
roadmap table's rows."""

from fractions import Fraction

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from kyokan.apps.core import japanese_dates

from .. import costvalue
from ..models import Status

register = template.Library()


def _lang() -> str:
    return "ja" if (translation.get_language() or "ja").startswith("ja") else "en"


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


@register.simple_tag
def roadmap_rows(items, reached_label, planned_label) -> str:
    """The rows of one pillar's roadmap table, built in one pass: a thousand initiatives
    through the template engine took most of the page's time. Every value is escaped."""
    lang = _lang()
    years: dict[int, str] = {}
    statuses = {value: str(label) for value, label in Status.choices}
    before, after = reverse("portfolio:detail", args=[0]).rsplit("0", 1)

    def year(fy: int) -> str:
        if fy not in years:
            years[fy] = japanese_dates.fiscal_year_label(fy, lang=lang)
        return years[fy]

    def milestones(item):
        marks = [
            format_html(
                "<li>{} {}（{}）</li>",
                japanese_dates.wareki_date(m.due_on, lang=lang),
                m.title,
                reached_label if m.done else planned_label,
            )
            for m in getattr(item, "roadmap_milestones", ())
        ]
        return format_html("<ul>{}</ul>", mark_safe("".join(marks))) if marks else "—"

    return format_html_join(
        "",
        '<tr><th scope="row"><a href="{}{}{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td>'
        "<td>{}</td></tr>",
        (
            (before, item.pk, after, item.title, year(item.fiscal_year_start),
             year(item.fiscal_year_end), statuses.get(item.status, item.status),
             milestones(item))
            for item in items
        ),
    )  # fmt: skip
