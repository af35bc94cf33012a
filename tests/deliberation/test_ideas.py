"""Ideas: proposal, similar ideas, the status path (reason required, 事業化 creates the
initiative), comments, supports, follows and their notifications, my work."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent, Notification
from kyokan.apps.deliberation import selectors, services
from kyokan.apps.deliberation.models import Follow, Idea, StatusChange, Support

from .conftest import FY, idea_fields

pytestmark = pytest.mark.django_db


def test_a_staff_idea_names_its_author_and_department_and_is_audited(make_idea, people):
    idea = make_idea()
    assert idea.author == people["staff"]
    assert idea.department == people["staff"].department
    assert idea.bureau == people["staff"].department.parent
    assert Follow.objects.filter(idea=idea, person=people["staff"]).exists()
    assert AuditEvent.objects.filter(target_type="deliberation.idea", target_id=str(idea.pk))
    assert idea.terms  # Sudachi terms for the similarity


def test_similar_ideas_are_found_by_japanese_words_not_spaces(make_idea):
    make_idea()
    make_idea(title="公園の清掃", problem="ごみが多い", proposal="清掃の回数を増やす")
    found = selectors.similar_ideas(
        title="来庁予約をスマホで", texts=("窓口がいつも混雑している", "オンラインで窓口を予約する")
    )
    assert [f["idea"].title for f in found][:1] == ["窓口予約のオンライン化"]
    assert all(f["idea"].title != "公園の清掃" for f in found)


def test_the_form_without_javascript_shows_similar_ideas_then_proposes(client_as, make_idea):
    make_idea()
    client = client_as("promoter")
    data = idea_fields(title="窓口の予約をオンラインで")
    page = client.post(reverse("deliberation:idea_create"), data)
    assert page.status_code == 200
    assert "窓口予約のオンライン化" in page.content.decode()
    assert 'name="similar_seen"' in page.content.decode()
    assert Idea.objects.count() == 1
    done = client.post(reverse("deliberation:idea_create"), {**data, "similar_seen": "on"})
    assert done.status_code == 302
    assert Idea.objects.count() == 2


def test_the_similar_fragment_answers_htmx(client_as, make_idea):
    make_idea()
    response = client_as("staff").get(
        reverse("deliberation:similar"), {"title": "窓口のオンライン予約"}, HTTP_HX_REQUEST="true"
    )
    assert "窓口予約のオンライン化" in response.content.decode()


def test_the_status_path_and_the_reason_for_rejection(make_idea, people):
    secretariat = people["secretariat"]
    idea = make_idea()
    with pytest.raises(ValidationError):
        services.idea_set_status(actor=secretariat, idea=idea, status="adopted")
    services.idea_set_status(actor=secretariat, idea=idea, status="reviewing")
    with pytest.raises(ValidationError) as exc:
        services.idea_set_status(actor=secretariat, idea=idea, status="rejected", reason=" ")
    assert "reason" in exc.value.message_dict
    services.idea_set_status(actor=secretariat, idea=idea, status="rejected", reason="予算がない")
    idea.refresh_from_db()
    assert idea.status == "rejected"
    assert list(StatusChange.objects.values_list("new", flat=True)) == ["reviewing", "rejected"]
    # the author is told, in their notifications
    assert (
        Notification.objects.filter(
            recipient=people["staff"], kind="deliberation.status_changed"
        ).count()
        == 2
    )


def test_launch_creates_the_initiative_prefilled_from_the_idea(make_idea, people, years):
    from kyokan.apps.portfolio.models import InitiativeLink

    secretariat = people["secretariat"]
    idea = make_idea()
    for status in ("reviewing", "adopted"):
        services.idea_set_status(actor=secretariat, idea=idea, status=status)
    with pytest.raises(ValidationError):
        services.idea_set_status(actor=secretariat, idea=idea, status="launched")
    bureau = people["staff"].department.parent
    initiative = services.idea_launch(
        actor=secretariat,
        idea=idea,
        bureau=bureau,
        fiscal_year_start=FY,
        fiscal_year_end=FY + 1,
        scope="henkaku",
        dx="X",
    )
    idea.refresh_from_db()
    assert idea.status == "launched" and idea.initiative == initiative
    assert initiative.title == idea.title
    assert initiative.value_pain == idea.problem
    assert initiative.value_change == idea.citizen_value
    assert initiative.summary == idea.proposal
    assert InitiativeLink.objects.filter(initiative=initiative, target_type="deliberation.idea")
    with pytest.raises(ValidationError):  # 事業化 happens once
        services.idea_launch(
            actor=secretariat,
            idea=idea,
            bureau=bureau,
            fiscal_year_start=FY,
            fiscal_year_end=FY,
            scope="kaizen",
            dx="D",
        )


def test_the_launch_page_shows_the_new_initiative(client_as, make_idea, people, years):
    idea = make_idea()
    for status in ("reviewing", "adopted"):
        services.idea_set_status(actor=people["secretariat"], idea=idea, status=status)
    client = client_as("secretariat")
    response = client.post(
        reverse("deliberation:idea_launch", args=[idea.pk]),
        {
            "bureau": people["staff"].department.parent.pk,
            "fiscal_year_start": FY,
            "fiscal_year_end": FY + 1,
            "scope": "kaizen",
            "dx": "X",
            "rule_kind": "none",
            "organisation_kind": "none",
            "budget_kind": "none",
        },
    )
    idea.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:detail", args=[idea.initiative_id])
    bad = client.post(reverse("deliberation:idea_launch", args=[idea.pk]), {})
    assert bad.status_code == 302  # already launched: back to the idea with the refusal


def test_comments_thread_and_followers_are_told(make_idea, people):
    idea = make_idea()
    first = services.comment_add(actor=people["promoter"], idea=idea, body="良い案です")
    reply = services.comment_add(actor=people["hq_member"], idea=idea, body="同感", parent=first)
    assert reply.parent == first
    kinds = set(
        Notification.objects.filter(recipient=people["staff"]).values_list("kind", flat=True)
    )
    assert "deliberation.commented" in kinds
    # the promoter follows after commenting and is told of the reply
    assert Notification.objects.filter(
        recipient=people["promoter"], kind="deliberation.commented"
    ).exists()
    services.comment_add(actor=people["secretariat"], idea=idea, body="検討します", is_answer=True)
    assert Notification.objects.filter(
        recipient=people["staff"], kind="deliberation.answered"
    ).exists()
    tree = selectors.comment_tree(idea, show_hidden=False)
    assert [n["comment"].body for n in tree] == ["良い案です", "検討します"]
    assert tree[0]["replies"][0]["comment"] == reply
    with pytest.raises(ValidationError):
        services.comment_add(actor=people["staff"], idea=idea, body="  ")


def test_a_long_chain_of_replies_is_shown_in_order(client_as, make_idea, people):
    # 1,200 replies each to the one before: the thread was built recursively, and the idea's
    # page was a server error (RecursionError) for everyone from about 500 on.
    from kyokan.apps.deliberation.models import Comment

    idea = make_idea()
    parent = None
    for n in range(1200):
        parent = Comment.objects.create(
            idea=idea, parent=parent, author=people["staff"], body=f"返信{n}"
        )
    side = Comment.objects.create(idea=idea, author=people["staff"], body="別の意見")
    shown = selectors.flatten(selectors.comment_tree(idea, show_hidden=False))
    assert [n["comment"].body for n in shown] == [*(f"返信{n}" for n in range(1200)), side.body]
    assert [n["depth"] for n in shown[:6]] == [0, 1, 2, 3, 4, 4] and shown[-1]["depth"] == 0
    page = client_as("staff").get(reverse("deliberation:idea", args=[idea.pk]))
    assert page.status_code == 200 and "返信1199" in page.content.decode()


def test_one_support_per_person(client_as, make_idea, people):
    idea = make_idea()
    client = client_as("promoter")
    for _ in range(3):
        client.post(reverse("deliberation:idea_support", args=[idea.pk]))
    assert Support.objects.filter(idea=idea).count() == 1
    client.post(reverse("deliberation:idea_support", args=[idea.pk]), {"support": "0"})
    assert Support.objects.filter(idea=idea).count() == 0


def test_the_public_form_takes_an_idea_without_an_account(client, people):
    data = {
        **idea_fields(),
        "author_name": "ひかり野の住民",
        "author_email": "a@example.jp",
        "agree": "on",
        "similar_seen": "on",
    }
    response = client.post(reverse("deliberation:public_create"), data)
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deliberation:public_track", args=[idea.token])
    assert idea.origin == "citizen" and idea.author is None and not idea.is_public
    page = client.get(response["Location"]).content.decode()
    assert idea.title in page
    # the secretariat is told of the new idea
    assert Notification.objects.filter(
        recipient=people["secretariat"], kind="deliberation.proposed"
    )
    # and the citizen is e-mailed when its status changes
    from kyokan.apps.core.models import OutgoingEmail

    services.idea_set_status(actor=people["secretariat"], idea=idea, status="reviewing")
    assert OutgoingEmail.objects.filter(to="a@example.jp").exists()


def test_the_public_form_refuses_robots_and_keeps_what_was_typed(client):
    data = {**idea_fields(), "agree": "on", "website": "http://spam.example", "similar_seen": "on"}
    response = client.post(reverse("deliberation:public_create"), data)
    assert response.status_code == 200
    assert "窓口予約のオンライン化" in response.content.decode()
    assert not Idea.objects.exists()


def test_the_robot_trap_is_hidden_with_its_label(client):
    # The trap's label 「この欄は空のままにしてください」 was shown to every citizen above the
    # consent box, with no box of its own to leave empty.
    import re

    page = client.get(reverse("deliberation:public_create")).content.decode()
    wrapper = re.search(r'<div class="([^"]*)">\s*<label for="id_website">', page)
    assert wrapper is not None and "visually-hidden" in wrapper.group(1).split()


def test_the_public_form_is_rate_limited_per_address(client, settings):
    data = {**idea_fields(), "agree": "on", "similar_seen": "on"}
    for n in range(7):
        client.post(reverse("deliberation:public_create"), {**data, "title": f"案{n}の窓口改善"})
    assert Idea.objects.count() == 5


def _public_idea(make_idea, people, **overrides):
    idea = make_idea(**overrides)
    services.idea_publish(actor=people["secretariat"], idea=idea, public=True)
    return idea


CHECK_DATA = {
    "title": "窓口の予約をスマホで",
    "problem": "市民課の窓口がいつも混雑していて、長く待たされる。",
    "proposal": "オンラインで窓口の来庁を予約できるようにする。",
    "who": "",
    "citizen_value": "待たずに手続ができる",
    "author_name": "ひかり野の住民",
    "author_email": "hikari@example.jp",
    "agree": "on",
    "check_similar": "1",
}


def test_the_public_form_checks_similar_ideas_without_sending(client, make_idea, people):
    """「似た提案を確認する」: the similar public ideas listed, everything typed kept, nothing
    created, no error for what is still missing."""
    shown = _public_idea(make_idea, people)
    internal = make_idea(title="窓口予約の職員向け手順", proposal="窓口予約の手順を共有する。")
    page = client.get(reverse("deliberation:public_create")).content.decode()
    button = re.search(r'<button[^>]*name="check_similar"[^>]*>([^<]*)</button>', page)
    assert button and button.group(1) == "似た提案を確認する"
    assert 'type="submit"' in button.group(0) and 'aria-describedby="check-similar-help"' in (
        button.group(0)
    )
    assert 'id="check-similar-help"' in page
    before = (Idea.objects.count(), AuditEvent.objects.count(), Notification.objects.count())

    response = client.post(reverse("deliberation:public_create"), CHECK_DATA)
    assert response.status_code == 200
    page = response.content.decode()
    after = (Idea.objects.count(), AuditEvent.objects.count(), Notification.objects.count())
    assert after == before
    # the similar public idea, linked to its public page; never an internal one
    assert "すでにある似た提案" in page
    assert reverse("deliberation:public_idea", args=[shown.pk]) in page
    assert internal.title not in page
    assert reverse("deliberation:idea", args=[shown.pk]) + '"' not in page
    # everything typed is back in the form; the agreement stays ticked
    for name in ("title", "author_name", "author_email"):
        assert f'name="{name}" value="{CHECK_DATA[name]}"' in page, name
    for name in ("problem", "proposal", "citizen_value"):
        assert f">\n{CHECK_DATA[name]}</textarea>" in page, name
    assert re.search(r'<input type="checkbox" name="agree"[^>]*checked', page)
    # nothing is refused yet: a check is not a submission
    assert "form-errors" not in page and "errorlist" not in page
    # having seen the similar ideas, sending proposes at once (no second round)
    assert 'name="similar_seen" value="on"' in page
    sent = client.post(
        reverse("deliberation:public_create"),
        {k: v for k, v in CHECK_DATA.items() if k != "check_similar"} | {"similar_seen": "on"},
    )
    assert sent.status_code == 302
    assert Idea.objects.filter(title=CHECK_DATA["title"], origin="citizen").count() == 1


def test_the_public_check_says_when_nothing_similar_is_found(client, make_idea, people):
    _public_idea(make_idea, people)
    data = {"title": "公園の遊具を増やす", "problem": "遊具が少ない", "check_similar": "1"}
    page = client.post(reverse("deliberation:public_create"), data).content.decode()
    assert "いまのところ似た提案はありません" in page and "すでにある似た提案" not in page
    assert 'name="title" value="公園の遊具を増やす"' in page
    assert 'name="similar_seen" value="on"' not in page
    assert not Idea.objects.filter(title="公園の遊具を増やす").exists()


def test_checking_does_not_count_against_the_limit_of_ideas_sent(
    client, make_idea, people, monkeypatch
):
    from kyokan.apps.deliberation import limits

    _public_idea(make_idea, people)
    monkeypatch.setitem(limits.LIMITS, "public_idea", (1, 3600))
    for _n in range(5):
        assert client.post(reverse("deliberation:public_create"), CHECK_DATA).status_code == 200
    data = {k: v for k, v in CHECK_DATA.items() if k != "check_similar"} | {"similar_seen": "on"}
    assert client.post(reverse("deliberation:public_create"), data).status_code == 302
    assert Idea.objects.filter(origin="citizen").count() == 1
    # the check has a limit of its own: past it, the form comes back with the text kept
    monkeypatch.setitem(limits.LIMITS, "similar", (0, 3600))
    page = client.post(reverse("deliberation:public_create"), CHECK_DATA).content.decode()
    assert "送信が多すぎます" in page and CHECK_DATA["proposal"] in page
    assert Idea.objects.filter(origin="citizen").count() == 1


def test_the_public_check_is_csrf_protected():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("deliberation:public_create")
    assert client.post(url, CHECK_DATA).status_code == 403
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(url, {**CHECK_DATA, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert 'name="title" value="窓口の予約をスマホで"' in response.content.decode()
    assert not Idea.objects.exists()


def test_too_long_and_nul_texts_are_refused_with_the_text_kept(client_as):
    client = client_as("staff")
    data = {**idea_fields(), "title": "長" * 201, "similar_seen": "on"}
    page = client.post(reverse("deliberation:idea_create"), data).content.decode()
    assert "長" * 201 in page and not Idea.objects.exists()
    data = {**idea_fields(), "proposal": "a\x00b", "similar_seen": "on"}
    assert client.post(reverse("deliberation:idea_create"), data).status_code == 200
    assert not Idea.objects.exists()


def test_attachments_are_checked(make_idea, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    idea = make_idea()
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=people["staff"], idea=idea, upload=SimpleUploadedFile("a.exe", b"MZ")
        )
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=people["staff"], idea=idea, upload=SimpleUploadedFile("a.pdf", b"not a pdf")
        )
    ok = services.attachment_add(
        actor=people["staff"], idea=idea, upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nxx")
    )
    assert ok.size == 10


def test_my_work_shows_ideas_to_decide_and_the_author_what_became_of_it(make_idea, people):
    from kyokan.apps.core.mywork import work_for

    idea = make_idea()
    groups = {g["key"]: g for g in work_for(people["secretariat"])}
    assert idea.title in [i.title for i in groups["deliberation.decide"]["items"]]
    services.idea_set_status(actor=people["secretariat"], idea=idea, status="reviewing")
    mine = {g["key"]: g for g in work_for(people["staff"])}
    assert [i.title for i in mine["deliberation.my_ideas"]["items"]] == [idea.title]


def test_contributions_by_bureau_and_the_dashboard_panel(client_as, make_idea, people, years):
    idea = make_idea()
    for status in ("reviewing", "adopted"):
        services.idea_set_status(actor=people["secretariat"], idea=idea, status=status)
    services.idea_launch(
        actor=people["secretariat"],
        idea=idea,
        bureau=people["staff"].department.parent,
        fiscal_year_start=FY,
        fiscal_year_end=FY,
        scope="kaizen",
        dx="X",
    )
    rows = selectors.contributions()
    assert rows[0]["bureau"] == people["staff"].department.parent and rows[0]["total"] == 1
    home = client_as("hq_chief").get(reverse("core:home")).content.decode()
    assert "窓口予約のオンライン化" in home


@pytest.mark.parametrize("body", ["   ", "長" * 2001, "a\x00b"])
def test_a_refused_comment_comes_back_as_typed(client_as, make_idea, body):
    """A comment refused (blank, too long, a NUL) is shown again on the idea's page with the
    error under it; it redirected to the idea and the text was lost."""
    idea = make_idea()  # comments have at most 2,000 characters (COMMENT_MAX)
    response = client_as("promoter").post(
        reverse("deliberation:idea_comment", args=[idea.pk]), {"body": body}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="errorlist' in page
    if body.strip() and "\x00" not in body:
        assert body in page
    assert not idea.comments.exists()


def test_a_comment_over_the_rate_limit_comes_back_as_typed(client_as, make_idea, monkeypatch):
    from kyokan.apps.deliberation import limits

    idea = make_idea()
    monkeypatch.setitem(limits.LIMITS, "comment", (0, 3600))
    response = client_as("promoter").post(
        reverse("deliberation:idea_comment", args=[idea.pk]), {"body": "とても良い案です"}
    )
    assert response.status_code == 429
    assert "とても良い案です" in response.content.decode()
    assert not idea.comments.exists()
