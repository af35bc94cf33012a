"""Documents tell city staff (consultation opened, version adopted) and are found by the
site search as the documents' rules say (issue 10, items 2 and 4)."""

from datetime import date

import pytest

from kyokan.apps.core.models import Notification
from kyokan.apps.core.roles import Role
from kyokan.apps.core.search import index_rebuild, site_search
from kyokan.apps.documents import services
from kyokan.apps.documents.services import SectionData as S
from tests.documents.adoption import adopt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _hits(user, query, kind):
    return [h for g in site_search(user, query) if g.key == kind for h in g.hits]


def test_a_consultation_tells_city_staff_with_its_deadline_in_wareki(people, revision, deadline):
    english = UserFactory(language="en", roles=[Role.STAFF])
    services.version_open_consultation(
        actor=people["secretariat"], version=revision, deadline=deadline
    )
    told = set(
        Notification.objects.filter(kind="documents.consultation_opened").values_list(
            "recipient__username", flat=True
        )
    )
    assert {f"as-{r}" for r in (Role.STAFF, Role.PROMOTER, Role.HQ_CHIEF)} <= told
    assert "as-expert" not in told and "as-citizen" not in told
    note = Notification.objects.get(kind="documents.consultation_opened", recipient=people["staff"])
    assert "令和" in note.subject and "協議中" in note.body
    assert note.link == f"/versions/{revision.pk}/"
    in_english = Notification.objects.get(kind="documents.consultation_opened", recipient=english)
    assert "Reiwa" in in_english.subject
    # Opened again after going back to draft with the same deadline: nobody told twice.
    services.version_back_to_draft(actor=people["secretariat"], version=revision)
    services.version_open_consultation(
        actor=people["secretariat"], version=revision, deadline=deadline
    )
    assert (
        Notification.objects.filter(
            kind="documents.consultation_opened", recipient=people["staff"]
        ).count()
        == 1
    )


def test_an_adoption_tells_city_staff_the_title_and_the_decision(people, sysadmin, strategy):
    version = services.version_create(
        actor=sysadmin, document=strategy, label="令和8年度改定案", sections=[S("目指す姿", "本文")]
    )
    adopt(version, actor=sysadmin, day=date(2026, 4, 3))
    note = Notification.objects.get(kind="documents.adopted", recipient=people["staff"])
    assert "デジタル強靱化戦略 令和8年度改定" in note.subject
    assert "令和8年4月3日" in note.body and "回デジタル化推進本部会議決定" in note.body
    assert not Notification.objects.filter(
        kind="documents.adopted", recipient=people["citizen"]
    ).exists()


# --- search -------------------------------------------------------------------------------


@pytest.fixture
def draft(sysadmin, strategy):
    return services.version_create(
        actor=sysadmin,
        document=strategy,
        label="改定素案",
        sections=[S("ひかり野市のめざす姿", "すべての手続をおんらいんで完結できるまちをつくる。")],
    )


@pytest.mark.parametrize("query", ["オンライン", "おんらいん", "ｵﾝﾗｲﾝ", "めざす姿", "メザス"])
def test_kana_and_width_variants_find_a_section(people, draft, query):
    hits = _hits(people["staff"], query, "documents.section")
    assert [h.title for h in hits] == ["デジタル強靱化戦略 改定素案 ひかり野市のめざす姿"]
    section = draft.sections.get()
    assert hits[0].url == f"/versions/{draft.pk}/#section-{section.pk}"


def test_drafts_are_for_city_staff_and_adopted_versions_for_everyone(
    people, sysadmin, draft, adopted
):
    assert not site_search(people["citizen"], "完結")  # a draft: nothing internal
    assert not site_search(people["expert"], "完結")
    assert _hits(people["staff"], "完結", "documents.section")
    public = _hits(people["citizen"], "電子申請", "documents.public_section")
    assert [h.title for h in public] == ["デジタル強靱化戦略 令和3年度版 行政手続のオンライン化"]
    assert public[0].url.startswith(f"/public/versions/{adopted.pk}/#h-")
    # City staff find it once, under the sections they may all read.
    staff = site_search(people["staff"], "電子申請")
    assert [g.key for g in staff] == ["documents.section"]


def test_the_index_follows_edits_removals_and_deletion(people, sysadmin, revision):
    section = revision.sections.get(heading="業務のデジタル化")
    services.section_update(
        actor=sysadmin, section=section, expected_revision=section.revision, body="BPRを進める。"
    )
    found = _hits(people["staff"], "bpr", "documents.section")
    assert [h.title for h in found] == ["デジタル強靱化戦略 改定案 業務のデジタル化"]
    services.section_remove(actor=sysadmin, section=section)
    assert not _hits(people["staff"], "bpr", "documents.section")
    section.refresh_from_db()
    services.section_restore(actor=sysadmin, section=section)
    assert _hits(people["staff"], "bpr", "documents.section")
    services.version_delete(actor=sysadmin, version=revision)
    assert not _hits(people["staff"], "bpr", "documents.section")


def test_search_reindex_rebuilds_the_same_entries(people, draft, adopted):
    before = _hits(people["staff"], "おんらいん", "documents.section")
    counts = index_rebuild(kinds=["documents.section", "documents.public_section"])
    assert counts["documents.section"] == 6 and counts["documents.public_section"] == 5
    assert _hits(people["staff"], "おんらいん", "documents.section") == before
