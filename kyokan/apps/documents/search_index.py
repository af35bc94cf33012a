"""What documents put in the site search (core.search): the sections of every version.

- ``documents.section``: every section of every version (drafts and 協議中 included), for
  city staff (documents.view_documents), linked to the version page at the section.
- ``documents.public_section``: the sections of adopted versions (and of superseded or
  abolished ones: the public history), for everyone signed in who is not city staff —
  adopted versions are public — linked to the public page at the section. City staff find
  them under the first kind (one hit, not two).

The title of an entry is the document's title, the version's label and the section's
heading, so a search for the document finds its sections. Removed sections (削除 in a
revision) are left out. The services call :func:`version_put` / :func:`section_put` after
they write; ``kyokan search-reindex`` rebuilds from :func:`_staff_source` and
:func:`_public_source`.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kyokan.apps.core.search import SearchKind, index_put, index_remove, register_search_kind

from .models import Section, Version

STAFF, PUBLIC = "documents.section", "documents.public_section"
PUBLIC_STATES = (Version.State.ADOPTED, Version.State.SUPERSEDED, Version.State.ABOLISHED)


def _title(version: Version, section: Section) -> str:
    return f"{version.document.title} {version.label} {section.heading}"


def _staff_url(section: Section) -> str:
    return reverse("documents:version", args=[section.version_id]) + f"#section-{section.pk}"


def _public_url(section: Section) -> str:
    return reverse("documents:public_version", args=[section.version_id]) + f"#h-{section.pk}"


def section_put(section: Section, version: Version | None = None) -> None:
    """Index one section as it is now (or take it out if it is removed)."""
    version = version or section.version
    if section.change == Section.Change.REMOVED:
        section_remove(section.pk)
        return
    title = _title(version, section)
    index_put(
        kind=STAFF, object_id=section.pk, title=title, body=section.body, url=_staff_url(section)
    )
    if version.state in PUBLIC_STATES:
        index_put(
            kind=PUBLIC,
            object_id=section.pk,
            title=title,
            body=section.body,
            url=_public_url(section),
        )
    else:
        index_remove(kind=PUBLIC, object_id=section.pk)


def section_remove(section_id) -> None:
    index_remove(kind=STAFF, object_id=section_id)
    index_remove(kind=PUBLIC, object_id=section_id)


def version_put(version: Version) -> None:
    """Index every section of ``version`` (after its label, state or sections changed)."""
    version = Version.objects.select_related("document").get(pk=version.pk)
    for section in version.sections.all():
        section_put(section, version)


def version_remove(section_ids) -> None:
    for pk in section_ids:
        section_remove(pk)


def _sections(states=None):
    qs = Section.objects.exclude(change=Section.Change.REMOVED).select_related("version__document")
    if states is not None:
        qs = qs.filter(version__state__in=states)
    return qs.order_by("pk").iterator(chunk_size=2000)


def _staff_source():
    for s in _sections():
        yield s.pk, _title(s.version, s), s.body, _staff_url(s)


def _public_source():
    for s in _sections(PUBLIC_STATES):
        yield s.pk, _title(s.version, s), s.body, _public_url(s)


def _public_visible(user, ids: list[str]) -> set[str]:
    """City staff find these sections under ``documents.section``; everyone else here."""
    return set() if user.has_perm("documents.view_documents") else set(ids)


def register() -> None:
    register_search_kind(
        SearchKind(
            STAFF,
            _("Document sections"),
            "documents.view_documents",
            source=_staff_source,
            order=10,
        )
    )
    register_search_kind(
        SearchKind(
            PUBLIC,
            _("Adopted documents"),
            "core.use_app",
            visible=_public_visible,
            source=_public_source,
            order=11,
        )
    )
