from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "kyokan.apps.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from . import exporting, panels, reminders, search_index  # noqa: F401  (exporting: its builder)

        panels.register()
        reminders.register()
        search_index.register()
