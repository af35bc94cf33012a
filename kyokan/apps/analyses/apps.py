from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysesConfig(AppConfig):
    """The thin Django layer around the plain ``kyokan.textanalysis`` library."""

    name = "kyokan.apps.analyses"
    label = "analyses"
    verbose_name = _("Analysis of free text")

    def ready(self) -> None:
        from . import checks, panels

        panels.register()
        checks.register()
