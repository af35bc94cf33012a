"""URLs of the procedures app."""

app_name = "procedures"

urlpatterns: list = []
