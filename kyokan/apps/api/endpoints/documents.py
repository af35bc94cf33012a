"""Public reads of the documents: adopted versions and their history (documents.public).

Documents are read-only in the API: an adopted version never changes, and drafts are not
public. Any write method on these paths is answered 405 in the one error form.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router

from kyokan.apps.documents import public

from ..pagination import page, reject_unknown
from ..schemas import DocumentFilters, DocumentOut, Page, PathId, VersionDetailOut
from . import READ_ERRORS

router = Router(tags=["documents"])


def _document_dict(document) -> dict:
    data = public.document_dict(document)
    data["versions"] = [public.version_dict(v) for v in document.public_versions]
    return data


@router.get("/documents", response={200: Page[DocumentOut], **READ_ERRORS}, url_name="documents")
def list_documents(request, filters: Query[DocumentFilters]):
    """Documents with an adopted version (DX definition, strategy, guidelines…)."""
    qs = public.documents()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return page(request, qs, filters, _document_dict)


@router.get(
    "/documents/{document_id}", response={200: DocumentOut, **READ_ERRORS}, url_name="document"
)
def get_document(request, document_id: PathId):
    reject_unknown(request)
    document = public.document(document_id)
    if document is None:
        raise Http404
    return _document_dict(document)


@router.get(
    "/versions/{version_id}",
    response={200: VersionDetailOut, **READ_ERRORS},
    url_name="version",
)
def get_version(request, version_id: PathId):
    """One public version with its sections in reading order."""
    reject_unknown(request)
    version = public.version(version_id)
    if version is None:
        raise Http404
    data = public.version_dict(version)
    data["sections"] = [public.section_dict(s) for s in public.sections(version)]
    return data
