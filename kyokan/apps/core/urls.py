from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/password/", views.password_change, name="password_change"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/roles/", views.person_roles, name="person_roles"),
    path("people/<int:pk>/status/", views.person_active, name="person_active"),
    path("people/<int:pk>/password/", views.person_password, name="person_password"),
    path("departments/", views.departments, name="departments"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", views.department_delete, name="department_delete"),
    path("settings/municipality/", views.municipality, name="municipality"),
    path("settings/municipality/edit/", views.municipality_edit, name="municipality_edit"),
    path("fiscal-years/", views.fiscal_years, name="fiscal_years"),
    path("fiscal-years/new/", views.fiscal_year_create, name="fiscal_year_create"),
    path("fiscal-years/<int:year>/", views.fiscal_year_detail, name="fiscal_year_detail"),
    path("fiscal-years/closed-days/new/", views.closed_day_create, name="closed_day_create"),
    path(
        "calendar/closed-days/<int:pk>/delete/",
        views.closed_day_delete,
        name="closed_day_delete",
    ),
    path("audit/", views.audit, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("audit/<int:pk>/", views.audit_detail, name="audit_detail"),
    path("my-work/", views.my_work, name="my_work"),
    path("search/", views.site_search, name="search"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("notifications/outbox/", views.outbox, name="outbox"),
    path("notifications/outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
    path("exports/<uuid:pk>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:pk>/progress/", views.export_progress, name="export_progress"),
    path("exports/<uuid:pk>/download/", views.export_download, name="export_download"),
]
