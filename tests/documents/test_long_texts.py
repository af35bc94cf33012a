"""Every text a documents form takes has a length limit: 1,000,000 characters were stored in
a document's description, a comment and its answer, a 賛同/異議 note and its answer, and a
glossary term's definition, variants and notes, and then drawn on the version's page, the
comments and the glossary for everyone (the glossary's variants are also folded into the
terminology check of every section). Too long a text is refused with the form redisplayed
(what was typed kept); nothing is stored."""

import pytest
from django.urls import reverse

from kyokan.apps.core.roles import Role
from kyokan.apps.documents import services
from kyokan.apps.documents.models import Comment, Endorsement, GlossaryTerm

HUGE = "長" * 1_000_000


@pytest.fixture
def consulting(people, revision, deadline):
    services.version_open_consultation(
        actor=people[Role.SECRETARIAT], version=revision, deadline=deadline
    )
    return revision


def _refused(response, kept: str = ""):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert 'class="errorlist' in page
    if kept:
        assert kept in page


def test_a_huge_description_is_refused(client_as, strategy):
    client = client_as(Role.SECRETARIAT)
    data = {"kind": strategy.kind, "title": "戦略の新しい名前", "description": HUGE}
    _refused(client.post(reverse("documents:edit", args=[strategy.pk]), data), "戦略の新しい名前")
    strategy.refresh_from_db()
    assert strategy.description == "" and strategy.title == "デジタル強靱化戦略"
    data = {"kind": "guideline", "title": "新しい指針", "description": HUGE}
    _refused(client.post(reverse("documents:create"), data), "新しい指針")


def test_a_huge_comment_and_answer_are_refused(client_as, people, consulting):
    section = consulting.sections.order_by("path").first()
    url = reverse("documents:section_comments", args=[section.pk])
    _refused(client_as(Role.STAFF).post(url, {"body": HUGE}))
    assert not Comment.objects.exists()
    comment = services.comment_add(actor=people[Role.STAFF], section=section, body="意見です")
    answer = reverse("documents:comment_answer", args=[comment.pk])
    data = {"resolution": Comment.Resolution.DECLINED, "resolution_note": HUGE}
    _refused(client_as(Role.SECRETARIAT).post(answer, data))
    comment.refresh_from_db()
    assert comment.resolution == Comment.Resolution.OPEN and comment.resolution_note == ""


def test_a_huge_objection_and_its_answer_are_refused(client_as, people, consulting):
    url = reverse("documents:endorse", args=[consulting.pk])
    _refused(client_as(Role.STAFF).post(url, {"section": "", "stance": "object", "note": HUGE}))
    assert not Endorsement.objects.exists()
    objection = services.endorsement_set(
        actor=people[Role.HQ_MEMBER], version=consulting, stance="object", note="役割が不明確"
    )
    answer = reverse("documents:objection_answer", args=[objection.pk])
    data = {"resolution": Comment.Resolution.DECLINED, "resolution_note": HUGE}
    _refused(client_as(Role.SECRETARIAT).post(answer, data))
    objection.refresh_from_db()
    assert objection.resolution_note == ""


@pytest.mark.parametrize("field", ["definition", "variants", "notes"])
def test_a_huge_glossary_text_is_refused(client_as, sysadmin, field):
    term = services.term_create(actor=sysadmin, preferred="DX", reading="でぃーえっくす")
    client = client_as(Role.SECRETARIAT)
    data = {"preferred": "DX", "reading": "でぃーえっくす", field: HUGE}
    _refused(client.post(reverse("documents:term_edit", args=[term.pk]), data), "でぃーえっくす")
    term.refresh_from_db()
    assert getattr(term, field) == ""
    data = {"preferred": "オープンデータ", "reading": "おーぷんでーた", field: HUGE}
    _refused(client.post(reverse("documents:term_create"), data), "おーぷんでーた")
    assert GlossaryTerm.objects.count() == 1
