"""The public face of adopted documents: anyone may read adopted versions and their history."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from kyokan.apps.core.access import public

from .. import selectors
from ..models import Version


@public
def public_list(request):
    return render(
        request, "documents/public_list.html", {"documents": selectors.public_documents()}
    )


@public
def public_document(request, pk: int):
    document = get_object_or_404(selectors.public_documents(), pk=pk)
    return render(request, "documents/public_document.html", {"document": document})


@public
def public_version(request, pk: int):
    version = get_object_or_404(Version.objects.select_related("document"), pk=pk)
    if not selectors.is_public(version):
        raise Http404
    return render(
        request,
        "documents/public_version.html",
        {
            "version": version,
            "document": version.document,
            "sections": selectors.numbered_sections(version, include_removed=False),
        },
    )


urlpatterns = [
    path("public/documents/", public_list, name="public_list"),
    path("public/documents/<int:pk>/", public_document, name="public_document"),
    path("public/versions/<int:pk>/", public_version, name="public_version"),
]
