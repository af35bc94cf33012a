from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.context_processors import register_nav


def register() -> None:
    register_nav(31, "analyses:list", _("Analysis"), "analyses.view_analyses")
