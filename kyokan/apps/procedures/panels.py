"""The inventory's dashboard panel (online rate, its trend, the top of the BPR list), its
navigation entry and its search kind."""

from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.context_processors import register_nav
from kyokan.apps.core.dashboard import Panel, register_panel

from . import search_index, selectors


def _panel(user) -> dict:
    return selectors.dashboard(top=5)


def register() -> None:
    register_nav(27, "procedures:list", _("Procedures"), "procedures.view_procedures")
    register_panel(
        Panel("procedures.online", "procedures/panels/online.html", "procedures.view_procedures",
              _panel, 24)
    )  # fmt: skip
    search_index.register()
    from kyokan.apps.portfolio.contributions import register_citizen_time

    register_citizen_time("procedures.redesign", selectors.citizen_minutes_by_initiative)
