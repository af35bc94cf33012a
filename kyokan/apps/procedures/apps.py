from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "kyokan.apps.procedures"
    label = "procedures"
    verbose_name = _("Procedure inventory")

    def ready(self) -> None:
        from . import panels

        panels.register()
