from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "kyokan.apps.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from . import decisions, generators, panels, reminders, search_index

        panels.register()
        search_index.register()
        generators.register()
        decisions.register()
        reminders.register()
