from django.urls import include, path
from django.views.i18n import set_language

from kyokan.apps.core import views as core_views
from kyokan.apps.core.access import public

urlpatterns = [
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", core_views.logout, name="logout"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("kyokan.apps.core.urls")),
    path("", include("kyokan.apps.documents.urls")),
    path("", include("kyokan.apps.surveys.urls")),
    path("", include("kyokan.apps.analyses.urls")),
    path("", include("kyokan.apps.meetings.urls")),
    path("", include("kyokan.apps.portfolio.urls")),
    path("", include("kyokan.apps.deliberation.urls")),
    path("", include("kyokan.apps.procedures.urls")),
    path("", include("kyokan.apps.portal.urls")),
    path("", include("kyokan.apps.opendata.urls")),
    path("", include("kyokan.apps.api.urls")),
]

handler403 = core_views.forbidden
handler404 = core_views.not_found
