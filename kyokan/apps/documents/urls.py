"""URLs of the documents app: each views module owns its ``urlpatterns``."""

from .views import documents, exports, glossary, public, terms

app_name = "documents"

urlpatterns = [
    *documents.urlpatterns,
    *exports.urlpatterns,
    *glossary.urlpatterns,
    *terms.urlpatterns,
    *public.urlpatterns,
]
