from .views import analyses

app_name = "analyses"

urlpatterns = [*analyses.urlpatterns]
