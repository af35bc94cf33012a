from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kyokan.apps.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from kyokan.apps.core.context_processors import register_nav

        register_nav(92, "api:accounts", _("API accounts"), "api.manage_accounts")
