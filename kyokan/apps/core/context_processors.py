from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import japanese_dates, selectors

# (url name, label, permission). Later apps append their entries here.
NAVIGATION = [
    ("core:home", _("Home"), "core.use_app"),
    ("core:people", _("People"), "core.view_people"),
    ("core:departments", _("Departments"), "core.view_departments"),
    ("core:fiscal_years", _("Calendar"), "core.view_calendar"),
    ("core:municipality", _("Settings"), "core.view_municipality"),
    ("core:audit", _("Audit trail"), "core.view_audit"),
]


def shell(request) -> dict:
    """What the layout needs on every page: the city, the navigation, the current 年度."""
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        path = request.path
        for name, label, perm in NAVIGATION:
            if user.has_perm(perm):
                url = reverse(name)
                current = path == url if url == "/" else path.startswith(url)
                nav.append({"url": url, "label": label, "current": current})
    municipality = selectors.municipality_get()
    lang = "ja" if getattr(request, "LANGUAGE_CODE", "ja") == "ja" else "en"
    return {
        "municipality": municipality,
        "nav_items": nav,
        "current_fiscal_year_label": japanese_dates.fiscal_year_label(
            selectors.current_fiscal_year(), lang=lang
        ),
    }
