"""Consensus conversations for citizens on the portal, without an account: the secretariat's
flag (audited), the public pages (404 unless public and open; one statement at a time,
voted with plain forms; a second vote replaces the first; statements go to the moderator),
one browser = one participant by a signed cookie, rate limits per address, CSRF, hidden
statements refused and never shown, the analysis counting citizens like staff, the portal's
``public_conversations()``, the published results, and query counts that do not grow."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.deliberation import limits, selectors, services, visitors
from kyokan.apps.deliberation import public as public_selectors
from kyokan.apps.deliberation.models import Conversation, Participant, Statement, Vote
from kyokan.apps.deliberation.views import public_conversations as views

from .test_conversations import SEEDS, _two_camps

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_conversation(make_conversation, people):
    conversation = make_conversation(seeds=SEEDS[:4])
    services.conversation_update(
        actor=people["secretariat"], conversation=conversation, is_public=True
    )
    return conversation


def _page(client, conversation) -> str:
    response = client.get(reverse("deliberation:public_conversation", args=[conversation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _shown_statement(client, conversation) -> Statement:
    page = _page(client, conversation)
    pk = int(re.search(r'name="statement" value="(\d+)"', page).group(1))
    return Statement.objects.get(pk=pk)


def _vote(client, conversation, statement, value="1", **extra):
    return client.post(
        reverse("deliberation:public_vote", args=[conversation.pk]),
        {"statement": statement.pk, "value": value},
        **extra,
    )


def _messages(client, conversation) -> str:
    """The page after a redirect, where the messages are shown."""
    return _page(client, conversation)


# --- the flag ------------------------------------------------------------------------------


def test_the_secretariat_opens_a_conversation_to_citizens_and_it_is_audited(
    client_as, make_conversation, people
):
    conversation = make_conversation()
    assert not conversation.is_public and not conversation.results_public
    client = client_as("secretariat")
    edit = reverse("deliberation:conversation_edit", args=[conversation.pk])
    page = client.get(edit).content.decode()
    assert 'name="is_public"' in page and 'name="results_public"' in page
    response = client.post(
        edit,
        {
            "title": conversation.title,
            "question": conversation.question,
            "allow_statements": "on",
            "premoderate": "on",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.is_public and not conversation.results_public
    event = AuditEvent.objects.filter(
        target_type="deliberation.conversation", target_id=str(conversation.pk), action="update"
    ).latest("id")
    assert event.actor == people["secretariat"]
    assert event.before == {"is_public": False} and event.after == {"is_public": True}
    # the staff page says it and links the citizens' page
    staff_page = client.get(conversation.get_absolute_url()).content.decode()
    assert conversation.public_url in staff_page


def test_only_the_secretariat_may_change_the_flag(client_as, make_conversation):
    conversation = make_conversation()
    edit = reverse("deliberation:conversation_edit", args=[conversation.pk])
    assert client_as("staff").post(edit, {"is_public": "on"}).status_code == 403
    conversation.refresh_from_db()
    assert not conversation.is_public


# --- nothing internal leaks ----------------------------------------------------------------


def _public_urls(conversation) -> list[tuple[str, str]]:
    pk = conversation.pk
    return [
        ("get", reverse("deliberation:public_conversation", args=[pk])),
        ("get", reverse("deliberation:public_conversation_report", args=[pk])),
        ("post", reverse("deliberation:public_vote", args=[pk])),
        ("post", reverse("deliberation:public_statement", args=[pk])),
    ]


@pytest.mark.parametrize("case", ["not public", "draft", "closed unpublished"])
def test_a_conversation_citizens_may_not_read_is_not_found_on_any_public_url(
    client, make_conversation, people, case
):
    """Not public, a draft, or ended without published results: 404 everywhere."""
    secretariat = people["secretariat"]
    conversation = make_conversation(
        state="draft" if case == "draft" else "open",
        is_public=case != "not public",
        results_public=case != "closed unpublished",
    )
    if case.startswith("closed"):
        services.conversation_set_state(
            actor=secretariat, conversation=conversation, state="closed"
        )
    statement = conversation.statements.first()
    for method, url in _public_urls(conversation):
        data = {"statement": statement.pk, "value": "1", "text": "市民の意見を書きます"}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 404, (case, url)
    listed = client.get(reverse("deliberation:public_conversations")).content.decode()
    assert conversation.title not in listed
    assert not Vote.objects.exists() and conversation.statements.count() == 2
    assert list(public_selectors.public_conversations()) == []
    assert list(public_selectors.public_conversations(include_closed=True)) == []


def _closed_with_results(conversation, people, n=40, *, before_closing=None):
    """Votes of two camps (they replace every vote so far), an analysis, the results
    published, ``before_closing()``, then the conversation closed; returns the run."""
    secretariat = people["secretariat"]
    _two_camps(conversation, n=n)
    run = services.analysis_execute(
        run_id=services.analysis_start(actor=secretariat, conversation=conversation).pk
    )
    assert run.status == "done", run.error
    services.conversation_update(actor=secretariat, conversation=conversation, results_public=True)
    if before_closing is not None:
        before_closing()
    services.conversation_set_state(actor=secretariat, conversation=conversation, state="closed")
    return run


def test_a_closed_conversation_keeps_its_published_results_readable(
    client, public_conversation, people
):
    conversation = public_conversation
    run = _closed_with_results(conversation, people)
    agreed = conversation.statements.get(number=int(run.result["consensus"][0]["statement"]))
    hidden = conversation.statements.exclude(pk=agreed.pk).order_by("number").first()
    services.moderation_decide(actor=people["secretariat"], target=hidden, keep=False)
    shown = [s for g in run.result["groups"] for s in g["representative"]]
    grouped = {int(s["statement"]) for s in shown + run.result["consensus"]}
    assert hidden.number in grouped, "the hidden statement is in the stored result"

    # the results: readable, said to be final, the hidden statement left out
    report_url = reverse("deliberation:public_conversation_report", args=[conversation.pk])
    response = client.get(report_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "この対話は終了し" in page and "その後の回答は次の分析で数えます" not in page
    assert agreed.text in page and "グループ A" in page
    assert hidden.text not in page

    # the conversation's page: ended, no vote or statement form, a link to the results
    page = _page(client, conversation)
    assert "この対話は終了しました" in page and report_url in page
    assert 'name="statement"' not in page and 'name="text"' not in page
    assert hidden.text not in page

    # the list shows it as 終了, after the open ones; the portal's open list leaves it out
    open_one = services.conversation_create(
        actor=people["secretariat"], title="受付中の対話", question="問いです。",
        seeds=["受付中の意見です"], is_public=True,
    )  # fmt: skip
    services.conversation_set_state(
        actor=people["secretariat"], conversation=open_one, state="open"
    )
    rows = list(public_selectors.public_conversations(include_closed=True))
    assert [(r.pk, r.ended) for r in rows] == [(open_one.pk, False), (conversation.pk, True)]
    assert [r.pk for r in public_selectors.public_conversations()] == [open_one.pk]
    listed = client.get(reverse("deliberation:public_conversations")).content.decode()
    card = listed[listed.index(conversation.title) :]
    assert '<span class="badge">終了</span>' in card[:300]
    assert report_url in card
    assert '<span class="badge">終了</span>' not in listed[: listed.index(conversation.title)]


def test_a_closed_conversation_refuses_votes_and_statements_with_a_clear_message(
    client, public_conversation, people
):
    conversation = public_conversation
    statement = conversation.statements.first()
    _closed_with_results(
        conversation,
        people,
        n=20,
        before_closing=lambda: _vote(client, conversation, statement, "1"),  # while open
    )
    before = (Vote.objects.count(), conversation.statements.count(), Participant.objects.count())
    response = _vote(client, conversation, statement, "-1")
    assert response.status_code == 302
    assert "終了したため、回答や意見の追加は受け付けていません" in _messages(client, conversation)
    add = reverse("deliberation:public_statement", args=[conversation.pk])
    response = client.post(add, {"text": "終了後に書いた市民の意見です"})
    assert response.status_code == 302
    assert "終了したため" in _messages(client, conversation)
    # a new browser is not made a participant either
    _vote(Client(), conversation, statement, "1")
    after = (Vote.objects.count(), conversation.statements.count(), Participant.objects.count())
    assert after == before
    mine = Vote.objects.exclude(participant__visitor="").get(statement=statement)
    assert mine.value == 1


def test_hidden_and_pending_statements_are_never_shown(client, public_conversation, people):
    secretariat = people["secretariat"]
    hidden, *rest = list(public_conversation.statements.order_by("number"))
    services.moderation_decide(actor=secretariat, target=hidden, keep=False)
    pending = services.statement_add(
        actor=people["staff"], conversation=public_conversation, text="確認待ちの職員の意見です"
    )
    assert pending.visibility == "pending"
    seen = set()
    for _n in range(len(rest) + 1):
        page = _page(client, public_conversation)
        assert hidden.text not in page and pending.text not in page
        match = re.search(r'name="statement" value="(\d+)"', page)
        if match is None:
            break
        seen.add(int(match.group(1)))
        _vote(client, public_conversation, Statement.objects.get(pk=int(match.group(1))))
    assert seen == {s.pk for s in rest}
    assert "すべての意見に回答しました" in _page(client, public_conversation)


# --- voting --------------------------------------------------------------------------------


def test_a_citizen_votes_one_statement_at_a_time_without_javascript(client, public_conversation):
    page = _page(client, public_conversation)
    # plain forms: no htmx attribute, no script; Japanese first; the portal's layout
    assert "hx-" not in page and "<script" not in page
    assert "賛成" in page and "反対" in page and "パス" in page
    assert 'class="portal' in page and "市民ポータル" in page
    first = _shown_statement(client, public_conversation)
    response = _vote(client, public_conversation, first, "1")
    assert response.status_code == 302
    assert response["Location"].startswith(public_conversation.public_url)
    cookie = response.cookies[visitors.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    vote = Vote.objects.get()
    assert vote.value == 1 and vote.statement == first
    participant = vote.participant
    assert participant.person is None and len(participant.visitor) == 64
    # the cookie holds a random token, the database only its hash
    token = client.cookies[visitors.COOKIE].value
    assert participant.visitor not in token
    second = _shown_statement(client, public_conversation)
    assert second != first
    page = _page(client, public_conversation)
    assert "直前の回答" in page and first.text in page
    _vote(client, public_conversation, second, "-1")
    assert Vote.objects.filter(participant=participant).count() == 2
    assert Participant.objects.exclude(visitor="").count() == 1


def test_a_second_vote_replaces_the_first(client, public_conversation):
    statement = _shown_statement(client, public_conversation)
    _vote(client, public_conversation, statement, "1")
    _vote(client, public_conversation, statement, "-1")
    _vote(client, public_conversation, statement, "0")
    assert list(Vote.objects.values_list("statement", "value")) == [(statement.pk, 0)]
    assert Participant.objects.exclude(visitor="").count() == 1
    bad = _vote(client, public_conversation, statement, "yes")
    assert bad.status_code == 302 and Vote.objects.get().value == 0
    assert "賛成・反対・パス" in _messages(client, public_conversation)


def test_each_browser_is_one_participant_and_a_forged_cookie_is_not_anyone(
    public_conversation,
):
    one, two = Client(), Client()
    statement = public_conversation.statements.first()
    _vote(one, public_conversation, statement, "1")
    _vote(two, public_conversation, statement, "-1")
    assert Participant.objects.exclude(visitor="").count() == 2
    assert sorted(Vote.objects.values_list("value", flat=True)) == [-1, 1]
    # a cookie that this server did not sign is ignored: a new participant, nobody replaced
    three = Client()
    three.cookies[visitors.COOKIE] = one.cookies[visitors.COOKIE].value.split(":")[0]
    _vote(three, public_conversation, statement, "0")
    assert Participant.objects.exclude(visitor="").count() == 3
    assert sorted(Vote.objects.values_list("value", flat=True)) == [-1, 0, 1]


def test_votes_on_hidden_or_pending_statements_are_refused_with_a_clear_message(
    client, public_conversation, people
):
    statement = public_conversation.statements.first()
    services.moderation_decide(actor=people["secretariat"], target=statement, keep=False)
    assert _vote(client, public_conversation, statement).status_code == 302
    assert not Vote.objects.exists()
    assert "事務局が非表示にしたため、投票できません" in _messages(client, public_conversation)
    pending = services.statement_add(
        actor=people["staff"], conversation=public_conversation, text="確認待ちの職員の意見です"
    )
    _vote(client, public_conversation, pending)
    assert not Vote.objects.exists()
    assert "確認待ちのため、まだ投票できません" in _messages(client, public_conversation)
    # a statement of another conversation is not part of this one
    foreign = services.conversation_create(
        actor=people["secretariat"], title="別の対話", question="別の問い", seeds=["別の意見です"]
    ).statements.get()
    _vote(client, public_conversation, foreign)
    assert not Vote.objects.exists()
    assert "この対話のものではありません" in _messages(client, public_conversation)


def test_the_services_refuse_visitors_outside_public_conversations(make_conversation):
    conversation = make_conversation()
    key = visitors.key_of(visitors.new_token())
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(
            actor=None, statement=conversation.statements.first(), value=1, visitor=key
        )
    assert "公開されていません" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        services.statement_add(
            actor=None, conversation=conversation, text="市民の意見を書きます", visitor=key
        )
    with pytest.raises(ValueError):  # neither a person nor a visitor
        services.vote_cast(actor=None, statement=conversation.statements.first(), value=1)
    assert not Vote.objects.exists() and not Participant.objects.exclude(visitor="").exists()


def test_votes_are_rate_limited_per_address(client, public_conversation, monkeypatch):
    monkeypatch.setitem(limits.LIMITS, "public_vote", (2, 3600))
    statements = list(public_conversation.statements.order_by("number"))
    for statement in statements[:3]:
        _vote(client, public_conversation, statement)
    assert Vote.objects.count() == 2
    assert "送信が多すぎます" in _messages(client, public_conversation)


def test_new_participants_are_rate_limited_per_address(public_conversation, monkeypatch):
    """Clearing the cookie makes a new participant: a few per address and hour only; a
    browser already taking part goes on voting."""
    monkeypatch.setitem(limits.LIMITS, "public_participant", (2, 3600))
    first, second = list(public_conversation.statements.order_by("number"))[:2]
    known = Client()
    _vote(known, public_conversation, first)
    for _n in range(3):
        _vote(Client(), public_conversation, first)
    citizens = Participant.objects.exclude(visitor="")
    assert citizens.count() == 2 and Vote.objects.count() == 2
    _vote(known, public_conversation, second)
    assert citizens.count() == 2 and Vote.objects.count() == 3


def test_csrf_is_checked_on_the_public_forms(public_conversation):
    for view in (views.public_vote, views.public_statement):
        assert not getattr(view, "csrf_exempt", False)
    client = Client(enforce_csrf_checks=True)
    statement = public_conversation.statements.first()
    assert _vote(client, public_conversation, statement).status_code == 403
    add = reverse("deliberation:public_statement", args=[public_conversation.pk])
    assert client.post(add, {"text": "市民の意見を書きます"}).status_code == 403
    assert not Vote.objects.exists()
    page = _page(client, public_conversation)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("deliberation:public_vote", args=[public_conversation.pk]),
        {"statement": statement.pk, "value": "1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and Vote.objects.count() == 1


# --- staff signed in on the public page ------------------------------------------------------


def test_signed_in_staff_take_part_as_their_staff_participant(public_conversation, people):
    """A member of staff on the citizens' page is not a second participant: their answers
    are their staff participation, on either page, and no visitor cookie is given."""
    conversation = public_conversation
    staff = client_for(people["staff"])
    first, second, *_rest = list(conversation.statements.order_by("number"))
    # one answer on the staff page, one on the public page
    staff.post(
        reverse("deliberation:vote", args=[conversation.pk]),
        {"statement": first.pk, "value": "1"},
    )
    page = _page(staff, conversation)
    assert "職員としてログインしているため" in page
    assert conversation.get_absolute_url() in page
    # what they answered on the staff page counts here: the next statement, their last answer
    assert _shown_statement(staff, conversation) != first
    assert "4件の意見のうち1件に回答しました" in page
    assert "直前の回答" in page and first.text in page
    response = _vote(staff, conversation, second, "-1")
    assert response.status_code == 302 and visitors.COOKIE not in response.cookies
    # (the secretariat is a participant as the author of the seed statements)
    participants = list(conversation.participants.exclude(person=people["secretariat"]))
    assert len(participants) == 1 and participants[0].person == people["staff"]
    assert participants[0].visitor == ""
    assert sorted(Vote.objects.values_list("statement", "value")) == sorted(
        [(first.pk, 1), (second.pk, -1)]
    )
    # the staff page knows the answer given on the public page
    staff_page = staff.get(conversation.get_absolute_url()).content.decode()
    assert f'name="statement" value="{second.pk}"' not in staff_page
    # a second answer replaces the first, as anywhere
    _vote(staff, conversation, second, "0")
    assert Vote.objects.get(statement=second).value == 0
    # a statement is the staff participant's, under the staff rules (checked first here)
    add = reverse("deliberation:public_statement", args=[conversation.pk])
    response = staff.post(add, {"text": "職員として公開ページから書いた意見"})
    assert response.status_code == 302
    written = Statement.objects.get(text="職員として公開ページから書いた意見")
    assert written.author == participants[0] and written.visibility == "pending"
    assert conversation.participants.count() == 2
    assert AuditEvent.objects.filter(
        actor=people["staff"], target_type="deliberation.vote"
    ).exists()


def test_the_secretariat_on_the_public_page_adds_statements_shown_at_once(
    public_conversation, people
):
    secretariat = client_for(people["secretariat"])
    add = reverse("deliberation:public_statement", args=[public_conversation.pk])
    secretariat.post(add, {"text": "事務局が公開ページから書いた意見"})
    written = Statement.objects.get(text="事務局が公開ページから書いた意見")
    assert written.visibility == "visible" and written.author.person == people["secretariat"]
    assert not Participant.objects.exclude(visitor="").exists()


def test_staff_on_the_public_page_have_the_staff_limits(public_conversation, people, monkeypatch):
    monkeypatch.setitem(limits.LIMITS, "vote", (1, 3600))
    monkeypatch.setitem(limits.LIMITS, "public_vote", (0, 3600))  # not theirs
    staff = client_for(people["staff"])
    first, second, *_rest = list(public_conversation.statements.order_by("number"))
    _vote(staff, public_conversation, first)
    _vote(staff, public_conversation, second)
    assert Vote.objects.count() == 1
    assert "送信が多すぎます" in _messages(staff, public_conversation)


@pytest.mark.parametrize("role", ["citizen", "expert"])
def test_other_signed_in_accounts_take_part_as_visitors(public_conversation, people, role):
    client = client_for(people[role])
    page = _page(client, public_conversation)
    assert "職員としてログインしているため" not in page
    statement = _shown_statement(client, public_conversation)
    response = _vote(client, public_conversation, statement)
    assert visitors.COOKIE in response.cookies
    vote = Vote.objects.get()
    assert vote.participant.person is None and len(vote.participant.visitor) == 64


# --- statements ------------------------------------------------------------------------------


def test_a_citizens_statement_waits_for_the_moderator(client, public_conversation, people):
    services.conversation_update(
        actor=people["secretariat"], conversation=public_conversation, premoderate=False
    )
    add = reverse("deliberation:public_statement", args=[public_conversation.pk])
    response = client.post(add, {"text": "図書館の予約もネットでできるようにしてほしい"})
    assert response.status_code == 302
    statement = Statement.objects.get(text="図書館の予約もネットでできるようにしてほしい")
    # checked first even where staff statements are shown at once
    assert statement.visibility == "pending" and statement.author.visitor
    page = _page(client, public_conversation)
    assert "事務局が確認してから" in page and statement.text not in page.split("h-add")[0]
    queue = selectors.moderation_queue()["statements"]
    assert statement in queue
    moderator = client_for(people["secretariat"])
    rows = moderator.get(
        reverse("deliberation:statements", args=[public_conversation.pk])
    ).content.decode()
    assert "ポータルの市民から" in rows
    services.statement_moderate(actor=people["secretariat"], statement=statement, approve=True)
    # the same browser wrote it and is the same participant when it votes
    _vote(client, public_conversation, public_conversation.statements.first())
    assert Vote.objects.get().participant == statement.author


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_bad_statements_are_refused_with_the_text_kept(client, public_conversation):
    add = reverse("deliberation:public_statement", args=[public_conversation.pk])
    for text, message in (("短い", "5文字以上"), ("あ" * 141, "140文字まで"), ("", "必須")):
        response = client.post(add, {"text": text})
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page, text
        if text:
            assert text in page
    duplicate = client.post(add, {"text": SEEDS[0] + "！"}).content.decode()
    assert "同じ意見" in duplicate
    assert public_conversation.statements.count() == 4


def test_statements_are_rate_limited_and_refused_when_the_conversation_takes_none(
    client, public_conversation, people, monkeypatch
):
    monkeypatch.setitem(limits.LIMITS, "public_statement", (2, 3600))
    add = reverse("deliberation:public_statement", args=[public_conversation.pk])
    for n in range(3):
        client.post(add, {"text": f"市民の意見その{n}を書きます"})
    assert public_conversation.statements.filter(is_seed=False).count() == 2
    services.conversation_update(
        actor=people["secretariat"], conversation=public_conversation, allow_statements=False
    )
    monkeypatch.setitem(limits.LIMITS, "public_statement", (20, 3600))
    client.post(add, {"text": "もう一つの市民の意見です"})
    assert public_conversation.statements.filter(is_seed=False).count() == 2
    assert 'name="text"' not in _page(client, public_conversation)


# --- analysis, the portal, the results -------------------------------------------------------


def test_the_analysis_counts_citizens_like_staff(public_conversation, people):
    conversation = public_conversation
    _two_camps(conversation, n=30)
    staff_numbers = set(conversation.participants.values_list("number", flat=True))
    citizens = [Client() for _n in range(6)]
    for client in citizens:
        for statement in conversation.statements.order_by("number"):
            _vote(client, conversation, statement, "1" if statement.number % 2 else "-1")
    citizen_numbers = set(
        conversation.participants.exclude(visitor="").values_list("number", flat=True)
    )
    assert len(citizen_numbers) == 6 and not citizen_numbers & staff_numbers
    run = services.analysis_start(actor=people["secretariat"], conversation=conversation)
    run = services.analysis_execute(run_id=run.pk)
    assert run.status == "done", run.error
    assert run.participants == 36
    grouped = {str(p["id"]) for p in run.result["participants"] if p.get("group") is not None}
    assert {str(n) for n in citizen_numbers} <= grouped


def test_public_conversations_lists_the_open_public_ones_with_their_counts(
    make_conversation, people, client
):
    secretariat = people["secretariat"]
    shown = make_conversation(is_public=True)
    make_conversation(is_public=False)
    make_conversation(is_public=True, state="draft")
    services.moderation_decide(
        actor=secretariat, target=shown.statements.first(), keep=False
    )  # a hidden statement is not counted
    _vote(client, shown, shown.statements.last())
    rows = list(public_selectors.public_conversations())
    assert [r.pk for r in rows] == [shown.pk]
    row = rows[0]
    assert row.title == shown.title and row.question == shown.question
    assert row.public_url == reverse("deliberation:public_conversation", args=[shown.pk])
    # one visible statement; one participant who voted (not the secretariat, who wrote the
    # seed statements)
    assert (row.statement_count, row.participant_count) == (1, 1)
    # the portal lists it as soon as the function exists
    page = client.get(reverse("portal:participation")).content.decode()
    assert shown.public_url in page and shown.title in page
    listed = client.get(reverse("deliberation:public_conversations")).content.decode()
    assert shown.title in listed and "意見1件・参加者1人" in listed
    assert "意見1件・参加者1人" in _page(client, shown)


def test_the_results_are_shown_only_when_published_and_without_hidden_statements(
    client, public_conversation, people
):
    secretariat = people["secretariat"]
    report_url = reverse("deliberation:public_conversation_report", args=[public_conversation.pk])
    _two_camps(public_conversation, n=40)
    run = services.analysis_start(actor=secretariat, conversation=public_conversation)
    run = services.analysis_execute(run_id=run.pk)
    consensus = run.result["consensus"]
    assert consensus, "the two camps agree on the first statement"
    agreed = public_conversation.statements.get(number=int(consensus[0]["statement"]))

    page = client.get(report_url).content.decode()
    assert "結果をまだ公開していません" in page and agreed.text not in page
    assert report_url not in _page(client, public_conversation)

    services.conversation_update(
        actor=secretariat, conversation=public_conversation, results_public=True
    )
    page = client.get(report_url).content.decode()
    assert agreed.text in page and "グループ A" in page
    assert report_url in _page(client, public_conversation)

    services.moderation_decide(actor=secretariat, target=agreed, keep=False)
    page = client.get(report_url).content.decode()
    assert agreed.text not in page and "グループ A" in page


def test_the_results_page_says_when_nothing_was_analysed_yet(client, make_conversation):
    conversation = make_conversation(is_public=True, results_public=True)
    url = reverse("deliberation:public_conversation_report", args=[conversation.pk])
    page = client.get(url).content.decode()
    assert "まだ分析されていません" in page


# --- query counts ------------------------------------------------------------------------------


def _grow(people, n: int, offset: int) -> Conversation:
    secretariat = people["secretariat"]
    latest = None
    for i in range(n):
        k = offset + i
        conversation = services.conversation_create(
            actor=secretariat,
            title=f"市民の対話{k}",
            question=f"問い{k}は何でしょうか。",
            seeds=[f"市民の意見{k}の一", f"市民の意見{k}の二", f"市民の意見{k}の三"],
            is_public=True,
            results_public=True,
        )
        services.conversation_set_state(actor=secretariat, conversation=conversation, state="open")
        for _c in range(2):
            client = Client()
            for statement in conversation.statements.all():
                _vote(client, conversation, statement)
        latest = conversation
    return latest


def test_the_public_pages_do_not_grow_in_queries_with_the_data(people, client):
    conversation = _grow(people, 2, 0)
    _two_camps(conversation, n=20)

    def counts() -> dict:
        result = {}
        for name, args in (
            ("deliberation:public_conversations", []),
            ("deliberation:public_conversation", [conversation.pk]),
            ("deliberation:public_conversation_report", [conversation.pk]),
            ("portal:participation", []),
        ):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse(name, args=args))
            assert response.status_code == 200, name
            result[name] = len(ctx.captured_queries)
        return result

    services.analysis_execute(
        run_id=services.analysis_start(actor=people["secretariat"], conversation=conversation).pk
    )
    small = counts()
    _grow(people, 8, 2)
    _two_camps(conversation, n=60)
    services.analysis_execute(
        run_id=services.analysis_start(actor=people["secretariat"], conversation=conversation).pk
    )
    large = counts()
    assert large == small
