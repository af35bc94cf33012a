"""The documents pages' query counts do not grow with the number of sections, comments,
endorsements or documents."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kyokan.apps.core.roles import Role
from kyokan.apps.documents import services
from tests.factories import UserFactory


def _grow(people, revision, n: int, start: int = 0) -> None:
    secretary = people[Role.SECRETARIAT]
    for i in range(start, start + n):
        section = services.section_create(
            actor=secretary, version=revision, heading=f"追加{i}", body="ICTを活用する。" * 3
        )
        services.section_create(
            actor=secretary, version=revision, heading=f"小項目{i}", body="本文", parent=section
        )
        services.document_create(actor=secretary, kind="other", title=f"文書{revision.pk}-{i}")
        services.term_create(actor=secretary, preferred=f"用語{revision.pk}-{i}", variants=f"旧{i}")


def _open_and_respond(people, revision, deadline, n: int) -> None:
    section = revision.sections.order_by("path").first()
    for i in range(n):
        person = UserFactory(roles=[Role.HQ_MEMBER])
        services.comment_add(actor=person, section=section, body=f"意見{i}")
        services.endorsement_set(actor=person, version=revision, stance="endorse")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page", ["list", "version", "compare", "comments", "terms", "glossary", "public"]
)
def test_documents_pages_do_not_grow(page, client_as, people, adopted, revision, deadline):
    url = {
        "list": reverse("documents:list"),
        "version": reverse("documents:version", args=[revision.pk]),
        "compare": reverse("documents:compare", args=[revision.pk]),
        "comments": reverse(
            "documents:section_comments", args=[revision.sections.order_by("path").first().pk]
        ),
        "terms": reverse("documents:terms", args=[revision.pk]),
        "glossary": reverse("documents:glossary"),
        "public": reverse("documents:public_version", args=[adopted.pk]),
    }[page]
    client = client_as(Role.SECRETARIAT)
    _grow(people, revision, 2)
    services.version_open_consultation(
        actor=people[Role.SECRETARIAT], version=revision, deadline=deadline
    )
    _open_and_respond(people, revision, deadline, 2)
    small = _count(client, url)
    services.version_back_to_draft(actor=people[Role.SECRETARIAT], version=revision)
    _grow(people, revision, 10, start=100)
    services.version_open_consultation(
        actor=people[Role.SECRETARIAT], version=revision, deadline=deadline
    )
    _open_and_respond(people, revision, deadline, 10)
    large = _count(client, url)
    assert large == small
