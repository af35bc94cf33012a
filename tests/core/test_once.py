"""Creation forms are idempotent (kyokan.apps.core.once): the same form sent twice (a double
click, a resent POST) creates once, and the second POST goes where the first went. Tried on
the documents app's forms (meetings' forms are tried in tests/meetings/test_once.py)."""

import re

import pytest
from django.urls import reverse

from kyokan.apps.core.once import AlreadySubmitted, new_key
from kyokan.apps.core.roles import Role
from kyokan.apps.documents import services
from kyokan.apps.documents.models import Comment, Document, GlossaryTerm, RevisionStep, Version
from tests.documents import conftest as documents

# The documents app's fixtures (a strategy, its adopted version and revision, a deadline).
strategy, adopted, revision = documents.strategy, documents.adopted, documents.revision
deadline, english_messages = documents.deadline, documents.english_messages


def _key(page: str) -> str:
    match = re.search(r'name="once" value="([^"]+)"', page)
    assert match, "the form carries a one-time key"
    return match.group(1)


@pytest.fixture
def consulting(people, revision, deadline):
    services.version_open_consultation(
        actor=people[Role.SECRETARIAT], version=revision, deadline=deadline
    )
    return revision


def test_a_comment_posted_twice_is_created_once(client_as, consulting):
    section = consulting.sections.first()
    client = client_as(Role.STAFF)
    url = reverse("documents:section_comments", args=[section.pk])
    key = _key(client.get(url).content.decode())
    first = client.post(url, {"body": "賛成します。", "once": key})
    second = client.post(url, {"body": "賛成します。", "once": key})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Comment.objects.filter(section=section).count() == 1
    # A new page draws a new key: a second, deliberate comment is created.
    again = _key(client.get(url).content.decode())
    assert again != key
    client.post(url, {"body": "もう一つ。", "once": again})
    assert Comment.objects.filter(section=section).count() == 2


def test_a_new_document_sent_twice_is_created_once(client_as, city):
    client = client_as(Role.SECRETARIAT)
    url = reverse("documents:create")
    key = _key(client.get(url).content.decode())
    data = {"kind": "policy", "title": "DX取組方針", "description": "", "once": key}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]  # not "a document with this title exists"
    assert Document.objects.filter(title="DX取組方針").count() == 1


@pytest.mark.parametrize(
    "name,data,model",
    [
        ("documents:version_new", {"label": "原案"}, Version),
        ("documents:step_create", {"title": "事務局案", "status": "planned"}, RevisionStep),
    ],
)
def test_document_creations_sent_twice(name, data, model, client_as, strategy):
    client = client_as(Role.SECRETARIAT)
    url = reverse(name, args=[strategy.pk])
    key = _key(client.get(url).content.decode())
    before = model.objects.count()
    first = client.post(url, {**data, "once": key})
    second = client.post(url, {**data, "once": key})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert model.objects.count() == before + 1


def test_a_revision_and_a_section_sent_twice(client_as, adopted):
    client = client_as(Role.SECRETARIAT)
    url = reverse("documents:version_revise", args=[adopted.pk])
    key = _key(client.get(url).content.decode())
    first = client.post(url, {"label": "改定案", "once": key})
    second = client.post(url, {"label": "改定案", "once": key})
    assert second.status_code == 302 and second["Location"] == first["Location"]
    revision = adopted.document.versions.get(based_on=adopted)
    url = reverse("documents:section_new", args=[revision.pk])
    key = _key(client.get(url).content.decode())
    data = {"heading": "新しい節", "kind": "free", "body": "本文", "once": key}
    first, second = client.post(url, data), client.post(url, data)
    assert second["Location"] == first["Location"]
    assert revision.sections.filter(heading="新しい節").count() == 1


def test_a_glossary_term_sent_twice(client_as, city):
    client = client_as(Role.SECRETARIAT)
    url = reverse("documents:term_create")
    key = _key(client.get(url).content.decode())
    data = {"preferred": "デジタル化", "variants": "IT化", "once": key}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert GlossaryTerm.objects.filter(preferred="デジタル化").count() == 1


def test_the_service_uses_the_key_up(people, consulting):
    staff = people[Role.STAFF]
    section = consulting.sections.first()
    key = new_key()
    comment = services.comment_add(actor=staff, section=section, body="一度だけ", once=key)
    with pytest.raises(AlreadySubmitted) as done:
        services.comment_add(actor=staff, section=section, body="一度だけ", once=key)
    assert done.value.target == comment
    # The key belongs to its user; another person's form is their own.
    other = services.comment_add(
        actor=people[Role.PROMOTER], section=section, body="別の人", once=key
    )
    assert other.pk != comment.pk


def test_a_refused_creation_does_not_use_the_key_up(people, revision, deadline):
    """A form that failed (here: comments are not open) can be corrected and resent."""
    staff = people[Role.STAFF]
    section = revision.sections.first()
    key = new_key()
    with pytest.raises(Exception, match="open for comments"):
        services.comment_add(actor=staff, section=section, body="早すぎた", once=key)
    services.version_open_consultation(
        actor=people[Role.SECRETARIAT], version=revision, deadline=deadline
    )
    assert services.comment_add(actor=staff, section=section, body="早すぎた", once=key)


def test_a_post_without_a_key_still_creates(client_as, consulting):
    section = consulting.sections.first()
    client = client_as(Role.STAFF)
    url = reverse("documents:section_comments", args=[section.pk])
    client.post(url, {"body": "キーなし"})
    client.post(url, {"body": "キーなし"})
    assert Comment.objects.filter(section=section, body="キーなし").count() == 2


def test_old_keys_are_let_go(people, consulting):
    from datetime import timedelta

    from django.utils import timezone

    from kyokan.apps.documents.models import SubmittedForm

    staff = people[Role.STAFF]
    section = consulting.sections.first()
    services.comment_add(actor=staff, section=section, body="古い", once="old-key")
    SubmittedForm.objects.update(created_at=timezone.now() - timedelta(days=8))
    services.comment_add(actor=staff, section=section, body="新しい", once=new_key())
    assert not SubmittedForm.objects.filter(key="old-key").exists()
