"""A citizen's journey through a public consensus conversation (issue 13), in a real browser
with JavaScript turned off, on the demo city.

An anonymous citizen opens the citizen portal, finds the conversation open to citizens
(「これからの市役所の手続」) on the ideas-and-conversations page, votes on a few statements one
at a time (agree, disagree, pass: each a plain form, the page coming back with the next
statement), changes the last answer, adds a statement of their own, which waits for the
secretariat, and reads the published results. A second browser context is a second citizen:
a participant of its own, who does not see the first one's statement while it waits.

Set KYOKAN_SHOTS=<dir> to keep a screenshot of each step.
"""

import os
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from kyokan.apps.deliberation.models import Conversation, Participant, Statement, Vote
from tests.browser.journey import follow, ja, path_of
from tests.browser.test_accessibility import check

SHOTS = os.environ.get("KYOKAN_SHOTS")
STATEMENT = "図書館の本の予約もスマートフォンでできるようにしてほしい"


def shot(page, name: str):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _shown(page) -> int:
    """The pk of the statement the page asks about."""
    return int(page.locator('#vote .vote-card input[name="statement"]').get_attribute("value"))


def _answer(page, value: str) -> int:
    pk = _shown(page)
    with page.expect_navigation() as navigation:
        page.locator(f'#vote .vote-card button[name="value"][value="{value}"]').click()
    assert navigation.value is not None and navigation.value.status == 200
    return pk


def test_citizens_take_part_in_a_public_conversation_without_javascript(
    new_page, live_server, demo
):
    conversation = Conversation.objects.get(title="これからの市役所の手続")
    assert conversation.is_public and conversation.results_public
    before = Vote.objects.filter(statement__conversation=conversation).count()

    # --- the first citizen finds the conversation on the portal ----------------------------
    citizen = new_page(java_script_enabled=False)
    citizen.goto(f"{live_server.url}{reverse('portal:home')}")
    follow(citizen, reverse("portal:participation"), within="header")
    shot(citizen, "40-participation")
    follow(citizen, conversation.public_url)
    assert path_of(citizen) == conversation.public_url
    main = citizen.locator("main")
    expect(main.locator("h1")).to_have_text(conversation.title)
    expect(main).to_contain_text(conversation.question)
    shot(citizen, "41-conversation")

    # --- votes one statement at a time: agree, disagree, pass ---------------------------------
    answered = []
    for value in ("1", "-1", "0"):
        pk = _answer(citizen, value)
        answered.append((pk, int(value)))
        assert _shown(citizen) not in [p for p, _v in answered]
    expect(citizen.locator("#vote")).to_contain_text(
        ja("You have answered %(v)s of %(t)s statements.")
        % {"v": 3, "t": conversation.statements.filter(visibility="visible").count()}
    )
    shot(citizen, "42-voted")
    participant = Participant.objects.get(
        conversation=conversation, visitor__gt="", votes__statement=answered[0][0]
    )
    assert participant.person is None and participant.visitor
    assert sorted(participant.votes.values_list("statement", "value")) == sorted(answered)

    # the last answer (pass) can be changed: it becomes agree, still one vote
    last = Statement.objects.get(pk=answered[-1][0])
    change = citizen.locator("#vote .card").filter(has_text=last.text)
    with citizen.expect_navigation():
        change.locator('button[name="value"][value="1"]').click()
    assert participant.votes.get(statement=last).value == 1
    assert participant.votes.count() == 3

    # --- adds a statement: it waits for the secretariat ---------------------------------------
    add = citizen.locator(
        f'main form[action="{reverse("deliberation:public_statement", args=[conversation.pk])}"]'
    )
    add.locator('[name="text"]').fill(STATEMENT)
    with citizen.expect_navigation():
        add.locator('button[type="submit"]').click()
    expect(citizen.locator("main .messages")).to_contain_text(
        ja(
            "Thank you: your statement was sent. It is shown to everyone once the secretariat "
            "has checked it."
        )
    )
    added = Statement.objects.get(conversation=conversation, text=STATEMENT)
    assert added.visibility == "pending" and added.author == participant
    shot(citizen, "43-statement-sent")

    # --- a second citizen, in another browser, is another participant --------------------------
    second = new_page(java_script_enabled=False)
    second.goto(f"{live_server.url}{conversation.public_url}")
    expect(second.locator("#vote")).to_contain_text(
        ja("You have answered %(v)s of %(t)s statements.")
        % {"v": 0, "t": conversation.statements.filter(visibility="visible").count()}
    )
    for value in ("-1", "1"):
        _answer(second, value)
    expect(second.locator("main")).not_to_contain_text(STATEMENT)
    citizens = Participant.objects.filter(conversation=conversation).exclude(visitor="")
    assert citizens.count() == 2
    assert Vote.objects.filter(statement__conversation=conversation).count() == before + 5
    other = citizens.exclude(pk=participant.pk).get()
    assert other.votes.count() == 2 and participant.votes.count() == 3

    # --- the published results --------------------------------------------------------------
    report = reverse("deliberation:public_conversation_report", args=[conversation.pk])
    follow(second, report)
    main = second.locator("main")
    expect(main.locator("h1")).to_contain_text(ja("Results so far"))
    run = conversation.runs.filter(status="done").latest("id")
    for group in run.result["groups"]:
        expect(main).to_contain_text(
            ja("Group %(name)s (%(n)s participants)")
            % {"name": chr(ord("A") + int(group["id"])), "n": group["size"]}
        )
    assert run.result["consensus"], "the demo's citizens agree on some statements"
    texts = dict(conversation.statements.values_list("number", "text"))
    for item in run.result["consensus"]:
        expect(main).to_contain_text(texts[int(item["statement"])])
    expect(main).not_to_contain_text(STATEMENT)
    shot(second, "44-results")

    # --- the public pages are accessible (axe-core runs as a script: JavaScript on) ----------
    reader = new_page()
    for url in (reverse("deliberation:public_conversations"), conversation.public_url, report):
        response = reader.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        check(reader, f"{url} (logged out)")
