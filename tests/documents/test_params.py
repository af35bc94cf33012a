"""Every id or text parameter of the documents views, however malformed, gets a page, a
form error or a 404 — never a 500; an unknown document kind lists every document."""

import pytest
from django.urls import reverse

from kyokan.apps.core.roles import Role

BAD = ["abc", "-1", "1.5", "9" * 30, "１", "", "%00", "<x>"]


@pytest.mark.parametrize("bad", BAD)
def test_an_unknown_kind_lists_every_document(bad, client_as, adopted):
    page = client_as(Role.STAFF).get(reverse("documents:list") + f"?kind={bad}")
    assert page.status_code == 200
    assert adopted.document.title in page.content.decode()


@pytest.mark.parametrize("bad", BAD)
def test_query_string_ids_never_fail(bad, client_as, adopted, revision):
    client = client_as(Role.SECRETARIAT)
    for url in (
        reverse("documents:list") + f"?page={bad}",
        reverse("documents:section_new", args=[revision.pk]) + f"?parent={bad}",
        reverse("documents:compare", args=[revision.pk]) + f"?against={bad}&mode={bad}",
        reverse("documents:export", args=[revision.pk, "md"]) + f"?changes={bad}",
        reverse("documents:glossary") + f"?q={bad}&page={bad}",
        reverse("documents:terms", args=[revision.pk]) + f"?page={bad}",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("bad", ["abc", "9" * 30, "-1"])
def test_a_malformed_reply_target_is_a_form_error_or_not_found(bad, client_as, people, revision,
                                                              deadline):  # fmt: skip
    from kyokan.apps.documents import services

    services.version_open_consultation(
        actor=people[Role.SECRETARIAT], version=revision, deadline=deadline
    )
    section = revision.sections.first()
    response = client_as(Role.STAFF).post(
        reverse("documents:section_comments", args=[section.pk]), {"body": "x", "parent": bad}
    )
    assert response.status_code in (200, 404)
    assert not section.comments.exists()
