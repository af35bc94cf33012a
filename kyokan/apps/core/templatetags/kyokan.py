"""Template filters for Japanese dates: 和暦 with 西暦 beside it, in the page's language."""

import datetime as dt

from django import template
from django.utils import timezone, translation

from .. import japanese_dates

register = template.Library()


def _lang() -> str:
    return "ja" if (translation.get_language() or "ja").startswith("ja") else "en"


def _as_date(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def wareki(value, with_western: bool = True) -> str:
    """2023-04-01 → 令和5年（2023年）4月1日 (ja) / 1 April 2023 (Reiwa 5) (en)."""
    if not value:
        return ""
    return japanese_dates.wareki_date(_as_date(value), lang=_lang(), with_western=with_western)


@register.filter
def wareki_datetime(value) -> str:
    if not value:
        return ""
    return japanese_dates.wareki_datetime(timezone.localtime(value), lang=_lang())


@register.filter
def fiscal_year_label(value, with_western: bool = True) -> str:
    """2023 (or a date in FY2023) → 令和5年度（2023年度）."""
    if value in (None, ""):
        return ""
    year = value if isinstance(value, int) else japanese_dates.fiscal_year_of(_as_date(value))
    return japanese_dates.fiscal_year_label(year, lang=_lang(), with_western=with_western)


@register.filter
def date_with_weekday(value) -> str:
    if not value:
        return ""
    return japanese_dates.format_date_with_weekday(_as_date(value), lang=_lang())


@register.filter
def weekday(value) -> str:
    """The day of the week: 金 (ja) / Fri (en)."""
    if not value:
        return ""
    day = _as_date(value)
    return japanese_dates.weekday_ja(day) if _lang() == "ja" else f"{day:%a}"


@register.filter
def get_item(mapping, key):
    """{{ answers|get_item:invitation.pk }}: a dict lookup by a variable key."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def page_url(context, page_number) -> str:
    """The current URL with ``page`` replaced, keeping the filters."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def filters_query(context) -> str:
    """The current filters for a link to another view of the same data: ``?`` and the query
    without empty values and without ``page``, or nothing when no filter is set."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    for key in list(query):
        values = [v for v in query.getlist(key) if v]
        if values:
            query.setlist(key, values)
        else:
            del query[key]
    return f"?{query.urlencode()}" if query else ""


@register.filter
def object_type(key: str) -> str:
    """An object type key ("documents.version") as people read it (「版」 / "version")."""
    from ..links import object_type_label

    return object_type_label(key) if key else ""


@register.filter
def name_on(department, when) -> str:
    """A department's name as it was on ``when`` (a date or a moment): past meetings,
    documents and answers show the division as it was then (HR import history). For lists,
    read the names in one go with core.hr.department_names_on in the view's selector."""
    if not department:
        return ""
    if not when:
        return department.name
    from ..hr import department_names_on

    day = _as_date(when)
    return department_names_on([department.pk], day).get(department.pk, department.name)
