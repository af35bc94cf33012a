"""URLs of the deliberation app: each views module owns its ``urlpatterns``."""

from .views import conversations, ideas, moderation, public

app_name = "deliberation"

urlpatterns = [
    *public.urlpatterns,
    *moderation.urlpatterns,
    *ideas.urlpatterns,
    *conversations.urlpatterns,
]
