from django.shortcuts import get_object_or_404
from django.urls import reverse

from ..models import Document, Section, Version


def document_obj(pk: int, **_kwargs) -> Document:
    return get_object_or_404(Document, pk=pk)


def version_obj(pk: int, **_kwargs) -> Version:
    return get_object_or_404(
        Version.objects.select_related("document", "based_on", "created_by"), pk=pk
    )


def section_obj(pk: int, **_kwargs) -> Section:
    return get_object_or_404(
        Section.objects.select_related("version__document", "version__based_on", "parent"), pk=pk
    )


def version_url(version, anchor: str = "") -> str:
    url = reverse("documents:version", args=[version.pk])
    return f"{url}#{anchor}" if anchor else url
