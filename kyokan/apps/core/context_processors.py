from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import japanese_dates, selectors

# (order, url name, label, permission). Apps add theirs with register_nav() from ready().
NAVIGATION = [
    (0, "core:home", _("Home"), "core.use_app"),
    (80, "core:people", _("People"), "core.view_people"),
    (81, "core:departments", _("Departments"), "core.view_departments"),
    (82, "core:fiscal_years", _("Fiscal years"), "core.view_calendar"),
    (90, "core:municipality", _("Settings"), "core.view_municipality"),
    (91, "core:audit", _("Audit trail"), "core.view_audit"),
]


def register_nav(order: int, url_name: str, label, perm: str) -> None:
    if not any(entry[1] == url_name for entry in NAVIGATION):
        NAVIGATION.append((order, url_name, label, perm))
        NAVIGATION.sort(key=lambda entry: entry[0])


def shell(request) -> dict:
    """What the layout needs on every page: the city, the navigation, the current 年度."""
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        path = request.path
        for _order, name, label, perm in NAVIGATION:
            if user.has_perm(perm):
                url = reverse(name)
                current = path == url if url == "/" else path.startswith(url)
                nav.append({"url": url, "label": label, "current": current})
    municipality = selectors.municipality_get()
    lang = "ja" if getattr(request, "LANGUAGE_CODE", "ja") == "ja" else "en"
    from .notifications import unread_count

    return {
        "unread_notifications": unread_count(user) if user is not None else 0,
        "municipality": municipality,
        "nav_items": nav,
        "current_fiscal_year_label": japanese_dates.fiscal_year_label(
            selectors.current_fiscal_year(), lang=lang
        ),
    }
