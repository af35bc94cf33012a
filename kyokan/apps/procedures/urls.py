"""URLs of the procedures app: each views module owns its ``urlpatterns``."""

from .views import analysis, imports, inventory, redesign

app_name = "procedures"

urlpatterns = [
    *analysis.urlpatterns,
    *imports.urlpatterns,
    *redesign.urlpatterns,
    *inventory.urlpatterns,
]
