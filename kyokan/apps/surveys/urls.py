"""URLs of the surveys app: each views module owns its ``urlpatterns``."""

from .views import imports, results, surveys

app_name = "surveys"

urlpatterns = [*surveys.urlpatterns, *results.urlpatterns, *imports.urlpatterns]
