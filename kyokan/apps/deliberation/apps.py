from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "kyokan.apps.deliberation"
    label = "deliberation"
    verbose_name = _("Ideas and consensus")

    def ready(self) -> None:
        from . import panels, rules  # noqa: F401

        panels.register()
