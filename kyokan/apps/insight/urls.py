from .views import analyses

app_name = "insight"

urlpatterns = [*analyses.urlpatterns]
