from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kyokan.apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import panels, search_index

        panels.register()
        search_index.register()
