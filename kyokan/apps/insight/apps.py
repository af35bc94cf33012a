from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    """The thin Django layer around the plain ``kyokan.insight`` library."""

    name = "kyokan.apps.insight"
    label = "insight"
    verbose_name = _("Analysis of free text")

    def ready(self) -> None:
        from . import checks, panels

        panels.register()
        checks.register()
