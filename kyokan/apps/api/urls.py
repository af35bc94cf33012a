"""URLs of the api app: the JSON API under /api/ and the system accounts' pages."""

from django.urls import include, path, re_path

from . import views
from .api import ninja_patterns

app_name = "api"

urlpatterns = [
    path("api/accounts/", views.account_list, name="accounts"),
    path("api/accounts/new/", views.account_create, name="account_create"),
    path("api/accounts/<int:pk>/revoke/", views.account_revoke, name="account_revoke"),
    path("api/accounts/<int:pk>/rotate/", views.account_rotate, name="account_rotate"),
    path("api/", include(ninja_patterns())),
    # Anything else under /api/ is a JSON 404, never an HTML page.
    re_path(r"^api/", views.api_not_found),
]
