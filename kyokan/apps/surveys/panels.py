from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.context_processors import register_nav
from kyokan.apps.core.dashboard import Panel, register_panel

from . import selectors


def _open(user) -> dict:
    surveys = selectors.open_for(user)
    return {
        "surveys": surveys,
        "answered": selectors.answered_by(surveys, user),
    }


def register() -> None:
    register_nav(30, "surveys:list", _("Surveys"), "surveys.view_surveys")
    register_panel(
        Panel("surveys.open", "surveys/panels/open.html", "surveys.view_surveys", _open, 8)
    )
