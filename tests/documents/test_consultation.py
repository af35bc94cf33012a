"""The consultation as people meet it: the 新旧対照表 (new text left, old right), what waits
for them in "my work" (consultations to comment, answers to give), the draft definition on
the home page, and dates in 和暦 in messages (issue 9, items 5, 13, 16)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from kyokan.apps.core import mywork
from kyokan.apps.core.japanese_dates import wareki_date
from kyokan.apps.core.roles import Role
from kyokan.apps.documents import services
from kyokan.apps.documents.models import DocumentKind, Endorsement, Version
from kyokan.apps.documents.services import SectionData as S


@pytest.fixture
def consulting(people, revision, deadline):
    secretary = people[Role.SECRETARIAT]
    section = revision.sections.get(heading="基本方針")
    services.section_update(
        actor=secretary,
        section=section,
        expected_revision=section.revision,
        body="市民起点で行政手続のデジタル化を進める。",
    )
    services.version_open_consultation(actor=secretary, version=revision, deadline=deadline)
    return revision


def test_the_comparison_puts_the_new_text_left_and_the_old_right(client_as, adopted, consulting):
    url = reverse("documents:compare", args=[consulting.pk]) + f"?against={adopted.pk}"
    html = client_as(Role.STAFF).get(url).content.decode()
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert head.index("改正後") < head.index("改正前")
    assert head.index(consulting.label) < head.index(adopted.label)
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    assert row.index('class="diff-after"') < row.index('class="diff-before"')
    assert "市民起点で" in row[: row.index('class="diff-before"')]


def test_my_work_lists_the_consultations_open_to_comment(people, consulting, deadline):
    staff = people[Role.STAFF]
    groups = {g["key"]: g for g in mywork.work_for(staff)}
    item = groups["documents.consultations"]["items"][0]
    assert item.deadline == deadline
    assert item.url == reverse("documents:version", args=[consulting.pk])
    # Someone who took part is told so; a past deadline leaves the list.
    services.endorsement_set(actor=staff, version=consulting, stance=Endorsement.Stance.ENDORSE)
    item = {g["key"]: g for g in mywork.work_for(staff)}["documents.consultations"]["items"][0]
    assert "You took part" in item.detail
    Version.objects.filter(pk=consulting.pk).update(
        comment_deadline=timezone.localdate() - timedelta(days=1)
    )
    assert "documents.consultations" not in {g["key"] for g in mywork.work_for(staff)}
    # Citizens and experts are not asked.
    assert "documents.consultations" not in {
        g["key"] for g in mywork.work_for(people[Role.CITIZEN])
    }


def test_my_work_lists_what_the_secretariat_has_to_answer(people, consulting):
    services.comment_add(
        actor=people[Role.STAFF], section=consulting.sections.first(), body="質問です。"
    )
    services.endorsement_set(
        actor=people[Role.HQ_MEMBER],
        version=consulting,
        stance=Endorsement.Stance.OBJECT,
        note="異議あり",
    )
    groups = {g["key"]: g for g in mywork.work_for(people[Role.SECRETARIAT])}
    item = groups["documents.answers"]["items"][0]
    assert item.detail == "Still without an answer: 1 comment, 1 objection."
    assert "documents.answers" not in {g["key"] for g in mywork.work_for(people[Role.STAFF])}


def test_the_home_page_shows_the_draft_definition_as_a_draft(client_as, sysadmin, people):
    document = services.document_create(
        actor=sysadmin, kind=DocumentKind.DX_DEFINITION, title="本市のDXの定義"
    )
    draft = services.version_create(
        actor=sysadmin,
        document=document,
        label="DXの定義（事務局案）",
        sections=[S("DXの定義", "市民起点で変革を続けること。")],
    )
    services.version_open_consultation(
        actor=sysadmin, version=draft, deadline=timezone.localdate() + timedelta(days=10)
    )
    home = client_as(Role.STAFF).get(reverse("core:home")).content.decode()
    assert "市民起点で変革を続けること。" in home
    assert "the draft under consultation" in home or "協議中" in home
    # Citizens do not see drafts.
    assert (
        "市民起点で変革を続けること。"
        not in client_as(Role.CITIZEN).get(reverse("core:home")).content.decode()
    )


def test_the_comment_period_message_gives_the_date_in_wareki(people, consulting):
    past = timezone.localdate() - timedelta(days=2)
    Version.objects.filter(pk=consulting.pk).update(comment_deadline=past)
    consulting.refresh_from_db()
    with pytest.raises(ValidationError) as ended:
        services.comment_add(
            actor=people[Role.STAFF], section=consulting.sections.first(), body="遅い"
        )
    message = ended.value.messages[0]
    with translation.override("en"):
        assert wareki_date(past) in message
    assert past.isoformat() not in message
