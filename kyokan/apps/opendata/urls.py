"""URLs of the opendata app."""

app_name = "opendata"

urlpatterns: list = []
