"""URLs of the portfolio app: each views module owns its ``urlpatterns``."""

from .views import initiatives, io, overview, progress

app_name = "portfolio"

urlpatterns = [
    *overview.urlpatterns,
    *io.urlpatterns,
    *progress.urlpatterns,
    *initiatives.urlpatterns,
]
