"""URLs of the meetings app: each views module owns its ``urlpatterns``."""

from .views import agenda, calendar, knowledge, meetings, poll, training

app_name = "meetings"

urlpatterns = [
    *meetings.urlpatterns,
    *poll.urlpatterns,
    *agenda.urlpatterns,
    *knowledge.urlpatterns,
    *training.urlpatterns,
    *calendar.urlpatterns,
]
