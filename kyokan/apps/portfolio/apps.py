from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "kyokan.apps.portfolio"
    label = "portfolio"
    verbose_name = _("Initiative portfolio")

    def ready(self) -> None:
        from . import panels

        panels.register()
