from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "kyokan.apps.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from kyokan.apps.core import once

        from . import panels, search_index
        from .models import SubmittedForm

        panels.register()
        search_index.register()
        once.use_store(SubmittedForm)
