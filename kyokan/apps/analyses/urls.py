from .views import analyses, groups

app_name = "analyses"

urlpatterns = [*analyses.urlpatterns, *groups.urlpatterns]
