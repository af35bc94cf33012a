"""URLs of the portal app: the citizen portal under /portal/ (the site's front page for
anonymous visitors), and the secretariat's reading dictionary."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/documents/", views.documents, name="documents"),
    path("portal/documents/<int:pk>/", views.document, name="document"),
    path("portal/versions/<int:pk>/", views.version, name="version"),
    path("portal/initiatives/", views.initiatives, name="initiatives"),
    path("portal/initiatives/<int:pk>/", views.initiative, name="initiative"),
    path("portal/surveys/", views.surveys, name="surveys"),
    path("portal/surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("portal/meetings/", views.meetings, name="meetings"),
    path("portal/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("portal/procedures/", views.procedures, name="procedures"),
    path("portal/participation/", views.participation, name="participation"),
    path("portal/accessibility/", views.accessibility, name="accessibility"),
    path("portal/reading/", views.reading_help, name="reading_help"),
    path("portal/reading/switch/", views.reading_switch, name="reading_switch"),
    path("portal/readings/", views.readings, name="readings"),
    path("portal/readings/new/", views.reading_create, name="reading_create"),
    path("portal/readings/<int:pk>/edit/", views.reading_edit, name="reading_edit"),
    path("portal/readings/<int:pk>/delete/", views.reading_delete, name="reading_delete"),
]
