"""What the public may see of the documents app: the ONE place that decides it.

The portal, the open data and the public API read documents only through this module.
A version is public once it has been adopted (決定), and stays public when it is later
superseded (改定済) or abolished (廃止); drafts and versions in consultation never are, nor
are comments, endorsements, the glossary's internal notes or who wrote what.

Each ``*_dict`` function lists the public fields of a row explicitly: a consumer that
serialises a row uses it rather than the model's fields.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from . import selectors
from .models import Document, DocumentKind, Section, Version

PUBLIC_STATES = (Version.State.ADOPTED, Version.State.SUPERSEDED, Version.State.ABOLISHED)


def is_public(version: Version) -> bool:
    return version.state in PUBLIC_STATES


def versions() -> QuerySet[Version]:
    """Every public version, with its document, newest document kind order then number."""
    return (
        Version.objects.filter(state__in=PUBLIC_STATES)
        .select_related("document")
        .only(*(f"document__{f}" for f in DOCUMENT_FIELDS), *VERSION_FIELDS, "document")
        .order_by("document__kind", "document__title", "-number")
    )


def documents() -> QuerySet[Document]:
    """Documents with at least one public version; each carries ``public_versions``
    (newest first)."""
    return (
        Document.objects.filter(versions__state__in=PUBLIC_STATES)
        .distinct()
        .only(*DOCUMENT_FIELDS)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=Version.objects.filter(state__in=PUBLIC_STATES)
                .only(*VERSION_FIELDS, "document")
                .order_by("-number"),
                to_attr="public_versions",
            )
        )
        .order_by("kind", "title")
    )


def document(pk: int) -> Document | None:
    return documents().filter(pk=pk).first()


def version(pk: int) -> Version | None:
    return versions().filter(pk=pk).first()


def adopted(kind: str) -> Version | None:
    """The version of ``kind`` in force (決定, the latest adopted)."""
    return (
        versions()
        .filter(document__kind=kind, state=Version.State.ADOPTED)
        .order_by("-adopted_on", "-number")
        .first()
    )


def definition() -> Version | None:
    return adopted(DocumentKind.DX_DEFINITION)


def strategy() -> Version | None:
    return adopted(DocumentKind.STRATEGY)


def history(document: Document) -> list[Version]:
    """The public versions of a document, newest first (its adoption history)."""
    return list(
        Version.objects.filter(document=document, state__in=PUBLIC_STATES)
        .only(*VERSION_FIELDS, "document")
        .order_by("-number")
    )


def sections(version: Version) -> list[selectors.NumberedSection]:
    """The sections of a public version in reading order, numbered (removed ones left out).
    Refuses a version that is not public."""
    if not is_public(version):
        raise ValueError("not a public version")
    return selectors.numbered_sections(version, include_removed=False)


def sections_of_versions(version_ids) -> QuerySet[Section]:
    """The sections (public fields) of these versions, public ones only, for exports."""
    return (
        Section.objects.filter(version_id__in=list(version_ids), version__state__in=PUBLIC_STATES)
        .exclude(change=Section.Change.REMOVED)
        .only(*SECTION_FIELDS)
        .order_by("version_id", "path")
    )


# --- the public fields ------------------------------------------------------------------------

DOCUMENT_FIELDS = ("id", "kind", "title", "description", "easy_japanese_summary")
VERSION_FIELDS = (
    "id", "number", "label", "state", "based_on_id", "adopted_on", "adopted_by_label", "summary",
)  # fmt: skip
SECTION_FIELDS = ("id", "version_id", "path", "depth", "kind", "heading", "body", "change")


def document_dict(document: Document) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": str(document.get_kind_display()),
        "title": document.title,
        "description": document.description,
        "easy_japanese_summary": document.easy_japanese_summary,
    }


def version_dict(version: Version) -> dict:
    return {
        "id": version.pk,
        "document_id": version.document_id,
        "number": version.number,
        "label": version.label,
        "state": version.state,
        "state_label": str(version.get_state_display()),
        "based_on_id": version.based_on_id,
        "adopted_on": version.adopted_on,
        "adopted_at": version.adopted_by_label,
        "decision_caption": version.decision_caption(),
        "summary": version.summary,
    }


def section_dict(numbered: selectors.NumberedSection) -> dict:
    section = numbered.section
    return {
        "id": section.pk,
        "number": numbered.number,
        "depth": section.depth,
        "kind": section.kind,
        "heading": section.heading,
        "body": section.body,
        "change": section.change,
    }
