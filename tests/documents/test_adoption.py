"""Adoption must be true (issue 9, item 1 and 3): a held deciding meeting that had the
version on its agenda decides it, on its date, not in the future; the meeting records the
decision among its own, linked to the version; the adopted title drops 案; the version is
shown as 「令和○年○月○日 第○回…会議決定」."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kyokan.apps.core import decisions
from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.documents import selectors, services
from kyokan.apps.documents.models import Comment, Endorsement, Version
from kyokan.apps.meetings.models import Decision, Meeting, MeetingKind
from tests.documents.adoption import adopt, meeting_with


def _key(meeting) -> str:
    return f"meetings.meeting:{meeting.pk}"


def _adopt(version, meeting, *, actor, on=None, title="令和4年度版"):
    return services.version_adopt(
        actor=actor,
        version=version,
        adopted_on=on or timezone.localtime(meeting.starts_at).date(),
        meeting=_key(meeting),
        title=title,
    )


# --- which meetings may decide ---------------------------------------------------------------


def test_only_held_deciding_meetings_with_the_version_on_their_agenda_are_candidates(
    sysadmin, revision
):
    held = meeting_with(revision, actor=sysadmin)
    meeting_with(revision, actor=sysadmin, held=False)  # scheduled, not held
    meeting_with(revision, actor=sysadmin, linked=False)  # held, another agenda
    meeting_with(  # an expert exchange is held and discusses it, but does not decide
        revision, actor=sysadmin, kind=MeetingKind.EXCHANGE, name="意見交換会"
    )
    future = meeting_with(revision, actor=sysadmin, day=timezone.localdate() + timedelta(days=7))
    Meeting.objects.filter(pk=future.pk).update(status=Meeting.Status.HELD)  # marked held early
    team = meeting_with(
        revision, actor=sysadmin, kind=MeetingKind.TEAM, name="推進チーム会議", decides=True
    )
    found = selectors.adoption_candidates(revision)
    assert {c.meeting_id for c in found} == {str(held.pk), str(team.pk)}
    candidate = next(c for c in found if c.meeting_id == str(held.pk))
    assert candidate.label == f"第{held.number}回デジタル化推進本部会議"
    assert candidate.date == timezone.localdate() - timedelta(days=1)
    assert decisions.candidate("meetings.meeting:abc", "documents.version", revision.pk) is None
    assert decisions.candidate("nothing:1", "documents.version", revision.pk) is None


def test_adoption_records_one_act_on_both_sides(people, sysadmin, revision):
    secretary = people[Role.SECRETARIAT]
    meeting = meeting_with(revision, actor=sysadmin, day=date(2022, 3, 22))
    _adopt(revision, meeting, actor=secretary, title="令和4年度改定版")
    revision.refresh_from_db()
    assert revision.state == Version.State.ADOPTED
    assert revision.label == "令和4年度改定版"
    assert revision.adopted_on == date(2022, 3, 22)
    assert (revision.adopted_by_type, revision.adopted_by_id) == (
        "meetings.meeting",
        str(meeting.pk),
    )
    assert revision.adopted_by_label == f"第{meeting.number}回デジタル化推進本部会議"
    decision = Decision.objects.get(meeting=meeting)
    assert (decision.target_type, decision.target_id) == ("documents.version", str(revision.pk))
    assert decision.text == "「デジタル強靱化戦略」（令和4年度改定版）を決定した。"
    assert decision.agenda_item == meeting.agenda_items.get()
    assert decision.target_url == reverse("documents:version", args=[revision.pk])
    # Both writes are in the audit trail.
    assert AuditEvent.objects.filter(target_type="meetings.decision").exists()
    assert AuditEvent.objects.filter(
        target_type="documents.version", target_id=str(revision.pk), summary__contains="Adopted"
    ).exists()
    from django.utils import translation

    with translation.override("ja"):
        assert revision.decision_caption() == (
            f"令和4年3月22日 第{meeting.number}回デジタル化推進本部会議決定"
        )


@pytest.mark.parametrize(
    ("case", "field"),
    [("future", "adopted_on"), ("other day", "adopted_on"), ("not a candidate", "meeting")],
)
def test_an_untrue_adoption_is_refused(case, field, sysadmin, revision):
    meeting = meeting_with(revision, actor=sysadmin)
    on = timezone.localtime(meeting.starts_at).date()
    key = _key(meeting)
    if case == "future":
        on = timezone.localdate() + timedelta(days=21)
    elif case == "other day":
        on -= timedelta(days=3)
    else:
        key = _key(
            meeting_with(revision, actor=sysadmin, kind=MeetingKind.EXCHANGE, name="意見交換会")
        )
    with pytest.raises(ValidationError) as refused:
        services.version_adopt(
            actor=sysadmin, version=revision, adopted_on=on, meeting=key, title="版"
        )
    assert field in refused.value.error_dict
    revision.refresh_from_db()
    assert revision.state == Version.State.DRAFT
    assert not Decision.objects.filter(target_id=str(revision.pk)).exists()


def test_a_decision_that_fails_leaves_nothing_behind(sysadmin, revision, monkeypatch):
    """One act: if the meeting side cannot record, the version is not adopted either."""
    meeting = meeting_with(revision, actor=sysadmin)

    def broken(**kwargs):
        raise RuntimeError("meetings refused")

    monkeypatch.setattr(decisions, "record", broken)
    with pytest.raises(RuntimeError):
        _adopt(revision, meeting, actor=sysadmin)
    revision.refresh_from_db()
    assert revision.state == Version.State.DRAFT and revision.adopted_on is None


@pytest.mark.parametrize(
    ("label", "title"),
    [
        ("令和8年度改定案", "令和8年度改定"),
        ("DXの定義（案）", "DXの定義"),
        ("DXの定義(案)", "DXの定義"),
        ("DXの定義【素案】", "DXの定義"),
        ("DXの定義（事務局案）", "DXの定義"),
        ("DXの定義（第6回本部会議提出案）", "DXの定義"),
        ("DXの定義（第6回本部会議）", "DXの定義（第6回本部会議）"),
        ("行動指針素案", "行動指針"),
        ("改定案（第6回本部会議）", "改定（第6回本部会議）"),
        ("市民提案の取扱い", "市民提案の取扱い"),
        ("案", "案"),
    ],
)
def test_the_adopted_title_drops_the_marks_of_a_draft(label, title):
    assert selectors.adopted_title(label) == title


# --- the adoption form -------------------------------------------------------------------------


def test_without_a_held_deciding_meeting_the_form_says_so(client_as, sysadmin, revision):
    meeting_with(revision, actor=sysadmin, held=False)
    client = client_as(Role.SECRETARIAT)
    client.cookies["django_language"] = "en"  # the message is read in English here
    page = client.get(reverse("documents:version_adopt", args=[revision.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "No held deciding meeting has this version on its agenda." in html
    assert 'name="meeting"' not in html
    response = client_as(Role.SECRETARIAT).post(
        reverse("documents:version_adopt", args=[revision.pk]),
        {"meeting": "meetings.meeting:1", "adopted_on": "2022-03-22", "title": "版"},
    )
    assert response.status_code == 200
    revision.refresh_from_db()
    assert revision.state == Version.State.DRAFT


def test_the_form_offers_only_valid_meetings_and_prefills_date_and_title(
    client_as, sysadmin, revision
):
    Version.objects.filter(pk=revision.pk).update(label="令和4年度改定案")
    held = meeting_with(revision, actor=sysadmin, day=date(2022, 3, 22))
    exchange = meeting_with(revision, actor=sysadmin, kind=MeetingKind.EXCHANGE, name="交換会")
    client = client_as(Role.SECRETARIAT)
    client.cookies["django_language"] = "en"  # the messages are read in English here
    url = reverse("documents:version_adopt", args=[revision.pk])
    html = client.get(url).content.decode()
    select = re.search(r'<select name="meeting".*?</select>', html, re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"', select)
    assert options == [_key(held)]
    assert _key(exchange) not in html
    assert 'value="令和4年度改定"' in html  # the title without 案
    assert "2022-03-22" in html or "令和4年3月22日" in html
    # A future date and a forged meeting are refused on the form.
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    page = client.post(url, {"meeting": _key(held), "adopted_on": future, "title": "令和4年度版"})
    assert page.status_code == 200 and "in the future" in page.content.decode()
    page = client.post(
        url, {"meeting": _key(exchange), "adopted_on": "2022-03-22", "title": "令和4年度版"}
    )
    assert page.status_code == 200
    revision.refresh_from_db()
    assert revision.state == Version.State.DRAFT
    done = client.post(
        url, {"meeting": _key(held), "adopted_on": "2022-03-22", "title": "令和4年度版"}
    )
    assert done.status_code == 302
    revision.refresh_from_db()
    assert revision.state == Version.State.ADOPTED and revision.label == "令和4年度版"


def test_the_version_pages_show_the_decision_caption(client_as, sysadmin, adopted):
    from django.utils import translation

    with translation.override("ja"):
        caption = adopted.decision_caption()
    assert "第1回デジタル化推進本部会議" in caption
    client = client_as(Role.STAFF)
    for url in (
        reverse("documents:version", args=[adopted.pk]),
        reverse("documents:detail", args=[adopted.document_id]),
        reverse("documents:public_version", args=[adopted.pk]),
        reverse("documents:public_document", args=[adopted.document_id]),
    ):
        assert caption in client.get(url).content.decode(), url


# --- objections (item 2) -------------------------------------------------------------------------


@pytest.fixture
def consulting(people, revision, deadline):
    services.version_open_consultation(
        actor=people[Role.SECRETARIAT], version=revision, deadline=deadline
    )
    return revision


def test_an_unanswered_objection_blocks_adoption_until_answered(people, sysadmin, consulting):
    member = people[Role.HQ_MEMBER]
    objection = services.endorsement_set(
        actor=member, version=consulting, stance=Endorsement.Stance.OBJECT, note="反対の理由"
    )
    with pytest.raises(ValidationError, match="objections have no response"):
        adopt(consulting, actor=sysadmin)
    secretary = people[Role.SECRETARIAT]
    with pytest.raises(ValidationError):
        services.objection_answer(
            actor=secretary, objection=objection, resolution=Comment.Resolution.DECLINED
        )
    with pytest.raises(ValidationError):
        services.objection_answer(
            actor=secretary, objection=objection, resolution=Comment.Resolution.OPEN
        )
    services.objection_answer(
        actor=secretary,
        objection=objection,
        resolution=Comment.Resolution.DECLINED,
        note="現行の表現を維持します。",
    )
    objection.refresh_from_db()
    assert (objection.resolution, objection.resolved_by) == (Comment.Resolution.DECLINED, secretary)
    # The objector is told, in Kyokan.
    from kyokan.apps.core.models import Notification

    told = Notification.objects.get(recipient=member, kind="documents.answered")
    assert "#sharing" in told.link
    adopt(consulting, actor=sysadmin)
    assert consulting.state == Version.State.ADOPTED


def test_an_endorsement_needs_no_answer_and_a_changed_objection_waits_again(people, consulting):
    member = people[Role.HQ_MEMBER]
    secretary = people[Role.SECRETARIAT]
    endorsement = services.endorsement_set(
        actor=people[Role.STAFF], version=consulting, stance=Endorsement.Stance.ENDORSE
    )
    with pytest.raises(ValidationError):
        services.objection_answer(
            actor=secretary, objection=endorsement, resolution=Comment.Resolution.ADDRESSED
        )
    objection = services.endorsement_set(
        actor=member, version=consulting, stance=Endorsement.Stance.OBJECT, note="一点目"
    )
    services.objection_answer(
        actor=secretary, objection=objection, resolution=Comment.Resolution.ADDRESSED, note="済"
    )
    assert consulting.objections_open_count() == 0
    services.endorsement_set(
        actor=member, version=consulting, stance=Endorsement.Stance.OBJECT, note="二点目"
    )
    assert consulting.objections_open_count() == 1


def test_the_objector_sees_the_answer_and_the_secretariat_answers_from_the_page(
    client_as, people, consulting
):
    member = people[Role.HQ_MEMBER]
    objection = services.endorsement_set(
        actor=member, version=consulting, stance=Endorsement.Stance.OBJECT, note="役割が不明確"
    )
    secretariat = client_as(Role.SECRETARIAT)
    page = secretariat.get(reverse("documents:version", args=[consulting.pk])).content.decode()
    answer_url = reverse("documents:objection_answer", args=[objection.pk])
    assert answer_url in page
    response = secretariat.post(
        answer_url, {"resolution": Comment.Resolution.REFLECTED, "resolution_note": "追記します。"}
    )
    assert response.status_code == 302
    page = client_as(Role.HQ_MEMBER).get(reverse("documents:version", args=[consulting.pk]))
    html = page.content.decode()
    assert "追記します。" in html and 'class="my-positions"' in html
    # Only the secretariat answers.
    assert client_as(Role.HQ_MEMBER).get(answer_url).status_code == 403


# --- endorsement per section, and the form (item 5) ---------------------------------------


def test_positions_per_section_and_no_preselected_stance(client_as, people, consulting):
    section = consulting.sections.order_by("path").first()
    client = client_as(Role.STAFF)
    url = reverse("documents:endorse", args=[consulting.pk])
    html = client.get(f"{url}?section={section.pk}").content.decode()
    radios = re.findall(r'<input type="radio"[^>]*>', html)
    assert len(radios) == 2  # 賛同, 異議: no blank choice
    assert not any("checked" in r for r in radios)
    assert f'<option value="{section.pk}" selected>' in html
    assert client.post(url, {"section": str(section.pk), "stance": "endorse"}).status_code == 302
    assert client.post(url, {"section": "", "stance": "object"}).status_code == 200  # no note
    assert (
        client.post(url, {"section": "", "stance": "object", "note": "全体に異議"}).status_code
        == 302
    )
    mine = {
        (e.section_id, e.stance) for e in consulting.endorsements.filter(person=people[Role.STAFF])
    }
    assert mine == {(section.pk, "endorse"), (None, "object")}
    page = client.get(reverse("documents:version", args=[consulting.pk])).content.decode()
    assert 'class="section-positions"' in page


# --- back to draft (item 4) ------------------------------------------------------------------


def test_back_to_draft_asks_with_the_open_counts_and_records_them(client_as, people, consulting):
    services.comment_add(
        actor=people[Role.STAFF], section=consulting.sections.first(), body="未回答の意見"
    )
    client = client_as(Role.SECRETARIAT)
    url = reverse("documents:version_to_draft", args=[consulting.pk])
    page = client.get(url).content.decode()
    from django.utils import translation

    from kyokan.apps.documents import selectors

    with translation.override("ja"):
        assert (
            translation.gettext("Still without an answer: %(waiting)s.")
            % {"waiting": selectors.waiting_phrase(1, 0)}
            in page
        )
    assert client.post(url, {}).status_code == 200  # not confirmed
    consulting.refresh_from_db()
    assert consulting.state == Version.State.CONSULTATION
    assert client.post(url, {"confirm": "on"}).status_code == 302
    consulting.refresh_from_db()
    assert consulting.state == Version.State.DRAFT
    event = AuditEvent.objects.filter(
        target_type="documents.version", target_id=str(consulting.pk)
    ).latest("pk")
    # Written in the language of the person who did it (Japanese here).
    assert "未回答の意見1件" in event.summary and "異議0件" in event.summary


# --- 廃止 (item 19) -----------------------------------------------------------------------------


def test_abolishing_is_reachable_and_confirmed(client_as, people, adopted):
    client = client_as(Role.SECRETARIAT)
    url = reverse("documents:version_abolish", args=[adopted.pk])
    assert url in client.get(reverse("documents:version", args=[adopted.pk])).content.decode()
    assert client.get(url).status_code == 200
    adopted.refresh_from_db()
    assert adopted.state == Version.State.ADOPTED
    assert client.post(url).status_code == 302
    adopted.refresh_from_db()
    assert adopted.state == Version.State.ABOLISHED
    assert client_as(Role.STAFF).post(url).status_code == 403


def test_abolishing_waits_for_a_revision_in_progress(people, adopted, revision):
    with pytest.raises(ValidationError, match="revision"):
        services.version_abolish(actor=people[Role.SECRETARIAT], version=adopted)


# --- the meeting side stays true ------------------------------------------------------------


def test_the_meeting_that_decided_stays_held_on_its_day(sysadmin, revision):
    from datetime import datetime, time

    from kyokan.apps.meetings import services as meetings

    meeting = meeting_with(revision, actor=sysadmin, day=date(2022, 3, 22))
    other = meeting_with(revision, actor=sysadmin, day=date(2022, 3, 23))
    _adopt(revision, meeting, actor=sysadmin)
    decision = Decision.objects.get(meeting=meeting, target_id=str(revision.pk))
    with pytest.raises(ValidationError, match="cannot be deleted"):
        meetings.decision_delete(actor=sysadmin, decision=decision)
    with pytest.raises(ValidationError, match="stays held"):
        meetings.meeting_set_status(
            actor=sysadmin, meeting=meeting, status=Meeting.Status.SCHEDULED
        )
    moved = timezone.make_aware(datetime.combine(date(2022, 3, 24), time(10)))
    with pytest.raises(ValidationError, match="stays held"):
        meetings.meeting_update(actor=sysadmin, meeting=meeting, starts_at=moved)
    # Another hour of the same day, and meetings that decided nothing, change as before.
    later = timezone.make_aware(datetime.combine(date(2022, 3, 22), time(9)))
    assert meetings.meeting_update(actor=sysadmin, meeting=meeting, starts_at=later)
    meetings.meeting_set_status(actor=sysadmin, meeting=other, status=Meeting.Status.SCHEDULED)
    plain = meetings.decision_add(actor=sysadmin, meeting=meeting, text="別の決定")
    meetings.decision_delete(actor=sysadmin, decision=plain)
