"""URLs of the deliberation app."""

app_name = "deliberation"

urlpatterns: list = []
