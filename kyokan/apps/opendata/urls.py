"""URLs of the opendata app."""

from django.urls import path, re_path

from . import views

app_name = "opendata"

urlpatterns = [
    path("opendata/", views.catalogue, name="catalogue"),
    path("opendata/catalog.jsonld", views.catalog_jsonld, name="catalog_jsonld"),
    path("opendata/codes/<slug:slug>.csv", views.code_table_csv, name="code_table"),
    re_path(
        r"^opendata/(?P<slug>[a-z][a-z0-9-]{1,60})\.(?P<fmt>csv|json|xlsx)$",
        views.download,
        name="download",
    ),
    path("opendata/<slug:slug>/", views.dataset_page, name="dataset"),
]
