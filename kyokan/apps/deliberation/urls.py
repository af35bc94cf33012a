"""URLs of the deliberation app: each views module owns its ``urlpatterns``."""

from .views import conversations, ideas, moderation, public, public_conversations

app_name = "deliberation"

urlpatterns = [
    *public.urlpatterns,
    *public_conversations.urlpatterns,
    *moderation.urlpatterns,
    *ideas.urlpatterns,
    *conversations.urlpatterns,
]
