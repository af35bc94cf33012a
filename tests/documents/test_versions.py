"""Versions: revision as a copy with change marks, adoption, immutability, edit conflicts,
comments and endorsements, and the diff on Japanese text."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.documents import diff, selectors, services
from kyokan.apps.documents.models import Comment, Endorsement, Section, Version
from tests.documents.adoption import adopt


def _by_heading(version) -> dict[str, Section]:
    return {s.heading: s for s in version.sections.all()}


def test_the_tree_is_numbered_in_reading_order(adopted):
    numbered = [(n.number, n.section.heading) for n in selectors.numbered_sections(adopted)]
    assert numbered == [
        ("1", "目指す姿"),
        ("2", "基本方針"),
        ("3", "施策の柱"),
        ("3.1", "行政手続のオンライン化"),
        ("3.2", "業務のデジタル化"),
    ]


def test_a_revision_starts_as_a_copy_and_marks_each_change(people, adopted, revision):
    secretary = people[Role.SECRETARIAT]
    assert revision.based_on == adopted and revision.state == Version.State.DRAFT
    parts = _by_heading(revision)
    assert {s.change for s in parts.values()} == {Section.Change.UNCHANGED}
    vision = parts["目指す姿"]
    services.section_update(
        actor=secretary, section=vision, expected_revision=vision.revision,
        body="DXにより、市民一人ひとりが新しい価値を実感できるまち。",
    )  # fmt: skip
    services.section_remove(actor=secretary, section=parts["業務のデジタル化"])
    services.section_create(
        actor=secretary, version=revision, heading="職員の行動指針", body="挑戦する。"
    )
    counts = selectors.change_counts(revision)
    assert counts == {"unchanged": 3, "revised": 1, "added": 1, "removed": 1}
    # Writing the original text back makes the section unchanged again.
    vision.refresh_from_db()
    original = _by_heading(adopted)["目指す姿"].body
    services.section_update(
        actor=secretary, section=vision, expected_revision=vision.revision, body=original
    )
    vision.refresh_from_db()
    assert vision.change == Section.Change.UNCHANGED
    # The adopted version is untouched.
    assert _by_heading(adopted)["業務のデジタル化"].change == Section.Change.UNCHANGED


def test_an_adopted_version_never_changes(people, adopted):
    section = adopted.sections.first()
    with pytest.raises(ValidationError, match="Only a draft"):
        services.section_update(
            actor=people[Role.SECRETARIAT], section=section,
            expected_revision=section.revision, body="変更",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.section_create(actor=people[Role.SECRETARIAT], version=adopted, heading="追加")


def test_only_one_revision_at_a_time(people, adopted, revision):
    with pytest.raises(ValidationError, match="already has a revision"):
        services.version_revise(actor=people[Role.SECRETARIAT], version=adopted, label="二つ目")


def test_adoption_supersedes_the_previous_version(people, adopted, revision, deadline):
    secretary = people[Role.SECRETARIAT]
    services.version_open_consultation(actor=secretary, version=revision, deadline=deadline)
    meeting = adopt(revision, actor=secretary, title="令和4年度改定版")
    adopted.refresh_from_db()
    assert adopted.state == Version.State.SUPERSEDED
    assert revision.state == Version.State.ADOPTED
    assert revision.adopted_by_label == f"第{meeting.number}回デジタル化推進本部会議"
    assert revision.label == "令和4年度改定版"


def test_adoption_waits_for_answers_to_comments(people, revision, deadline):
    secretary = people[Role.SECRETARIAT]
    services.version_open_consultation(actor=secretary, version=revision, deadline=deadline)
    comment = services.comment_add(
        actor=people[Role.HQ_MEMBER], section=revision.sections.first(), body="意見です。"
    )
    with pytest.raises(ValidationError, match="no response yet"):
        adopt(revision, actor=secretary)
    with pytest.raises(ValidationError, match="reason"):
        services.comment_answer(
            actor=secretary, comment=comment, resolution=Comment.Resolution.DECLINED
        )
    services.comment_answer(
        actor=secretary, comment=comment, resolution=Comment.Resolution.DECLINED, note="理由"
    )
    adopt(revision, actor=secretary)
    assert revision.state == Version.State.ADOPTED


def test_comments_only_during_consultation(people, adopted, revision):
    with pytest.raises(ValidationError, match="open for comments"):
        services.comment_add(
            actor=people[Role.HQ_MEMBER], section=adopted.sections.first(), body="遅い意見"
        )
    with pytest.raises(ValidationError, match="open for comments"):
        services.comment_add(
            actor=people[Role.HQ_MEMBER], section=revision.sections.first(), body="早い意見"
        )
    assert not Comment.objects.exists()


def test_comment_on_an_adopted_version_through_the_page_is_refused(client_as, adopted):
    client = client_as(Role.HQ_MEMBER)
    client.cookies["django_language"] = "en"
    section = adopted.sections.first()
    response = client.post(reverse("documents:section_comments", args=[section.pk]),
                           {"body": "意見"})  # fmt: skip
    assert response.status_code == 200
    assert "open for comments" in response.content.decode()
    assert not Comment.objects.exists()


def test_endorsements_and_sharing_by_bureau_and_role(people, revision, deadline):
    services.version_open_consultation(
        actor=people[Role.SECRETARIAT], version=revision, deadline=deadline
    )
    services.endorsement_set(actor=people[Role.HQ_CHIEF], version=revision, stance="endorse")
    services.endorsement_set(actor=people[Role.HQ_MEMBER], version=revision, stance="endorse")
    with pytest.raises(ValidationError, match="object to"):
        services.endorsement_set(actor=people[Role.STAFF], version=revision, stance="object")
    services.endorsement_set(
        actor=people[Role.STAFF], version=revision, stance="object", note="表現を再検討"
    )
    # Changing one's mind replaces the earlier position.
    services.endorsement_set(actor=people[Role.HQ_MEMBER], version=revision, stance="object",
                             note="やはり反対")  # fmt: skip
    assert Endorsement.objects.count() == 3
    stats = selectors.sharing_stats(revision)
    assert (stats["endorse"], stats["object"]) == (1, 2)
    by_role = dict(stats["by_role"])
    assert by_role[Role.HQ_CHIEF.label]["endorse"] == 1
    assert by_role[Role.HQ_MEMBER.label]["object"] == 1
    bureau = people[Role.STAFF].department.parent.name
    assert dict(stats["by_bureau"])[bureau]["object"] == 1


def test_edit_conflict_keeps_both_texts(client_as, people, revision):
    section = _by_heading(revision)["基本方針"]
    opened_at = section.revision
    # Someone else saves first.
    services.section_update(
        actor=people[Role.SECRETARIAT], section=section, expected_revision=opened_at,
        body="他の人が先に保存した文章。",
    )  # fmt: skip
    client = client_as(Role.SECRETARIAT)
    url = reverse("documents:section_edit", args=[section.pk])
    mine = {
        "heading": "基本方針",
        "kind": "free",
        "body": "私が書いた文章。",
        "revision": opened_at,
    }
    response = client.post(url, mine)
    body = response.content.decode()
    assert response.status_code == 409
    assert "他の人が先に保存した文章。" in body and "私が書いた文章。" in body
    section.refresh_from_db()
    assert section.body == "他の人が先に保存した文章。"
    # Saving again, knowingly, keeps the user's text.
    again = client.post(url, {**mine, "revision": section.revision})
    assert again.status_code == 302
    section.refresh_from_db()
    assert section.body == "私が書いた文章。"


def test_the_diff_works_on_characters_not_words():
    old = "情報化の推進により、行政手続のデジタル化を進める。"
    new = "DXの推進により、行政手続のオンライン化を進める。"
    spans = diff.char_diff(old, new)
    assert "".join(s.text for s in spans if s.op != "insert") == old
    assert "".join(s.text for s in spans if s.op != "delete") == new
    deleted = {s.text for s in spans if s.op == "delete"}
    inserted = {s.text for s in spans if s.op == "insert"}
    assert "情報化" in deleted and "DX" in inserted
    assert "デジタル" in deleted and "オンライン" in inserted
    assert any(s.op == "equal" and "の推進により、行政手続の" in s.text for s in spans)


def test_compare_versions_summarises_added_removed_revised(people, adopted, revision):
    secretary = people[Role.SECRETARIAT]
    parts = _by_heading(revision)
    basic = parts["基本方針"]
    services.section_update(actor=secretary, section=basic, expected_revision=basic.revision,
                            body="DXの推進により、行政手続のオンライン化を進める。")  # fmt: skip
    services.section_remove(actor=secretary, section=parts["業務のデジタル化"])
    services.section_create(actor=secretary, version=revision, heading="DXの定義", body="定義")
    result = selectors.compare_versions(adopted, revision)
    assert result["counts"] == {"added": 1, "removed": 1, "revised": 1, "unchanged": 3}
    statuses = {r.status: r for r in result["rows"]}
    assert {s.op for s in statuses["revised"].body_inline} == {"equal", "delete", "insert"}


def test_every_write_is_audited(people, revision):
    count = AuditEvent.objects.count()
    section = revision.sections.first()
    services.section_update(actor=people[Role.SECRETARIAT], section=section,
                            expected_revision=section.revision, body="新しい本文")  # fmt: skip
    event = AuditEvent.objects.order_by("id").last()
    assert AuditEvent.objects.count() == count + 1
    assert event.target_type == "documents.section" and event.after["body"] == "新しい本文"


def test_a_subsection_is_added_through_the_form(client_as, revision):
    parent = _by_heading(revision)["施策の柱"]
    response = client_as(Role.SECRETARIAT).post(
        reverse("documents:section_new", args=[revision.pk]) + f"?parent={parent.pk}",
        {"parent": parent.pk, "heading": "窓口改革", "kind": "measure", "body": "本文"},
    )
    assert response.status_code == 302
    child = revision.sections.get(heading="窓口改革")
    assert child.parent == parent and child.depth == 1 and child.change == Section.Change.ADDED
