"""The acceptance journey of deliberation (issue 13), in a real browser, through the real forms,
on the demo city.

Ideas: a citizen without an account sends an idea through the public form and keeps the page
that follows it; the 推進員 (suishinin) writes an idea and sees the similar ideas appear while
typing (htmx), is asked once more on sending (the form keeps what was typed) and proposes it
anyway; a staff member (shokuin) comments and supports it; the secretariat (jimukyoku) moves it
提案 → 検討中 → 採用 → 事業化 and lands on the new initiative of the portfolio, which the
idea's page then links to; the author finds the initiative on the idea.

Conversation: on the demo's 「本市が目指すDXとは」, three people in three browser contexts vote
statement by statement (one form per statement) and one adds a statement; the secretariat runs
the analysis (the background worker runs in the test process), and the report shows the groups
and the consensus statements with their numbers.

Set KYOKAN_SHOTS=<dir> to keep a screenshot of each step (to look at the pages).
"""

import os
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from kyokan.apps.deliberation.models import Conversation, Idea, Statement, Vote
from kyokan.apps.portfolio.models import Initiative
from tests.browser.conftest import login
from tests.browser.journey import follow, ja, path_of, run_worker, submit, switch_user

SHOTS = os.environ.get("KYOKAN_SHOTS")

CITIZEN_TITLE = "図書館の本をオンラインで予約したい"
TITLE = "窓口の来庁予約をオンラインで受け付ける"
PROBLEM = "転入や転出の手続の日は窓口が混み、1時間以上待つことがある。"
PROPOSAL = "スマートフォンから窓口の来庁予約をし、予約の時間に手続ができるようにする。"
COMMENT = "市民課でも同じ声を聞きます。予約枠の数を試行で確かめてはどうでしょうか。"
STATEMENT = "手続のオンライン化の効果を毎年市民に公表すべきだ"


def shot(page, name: str):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_idea_journey(page, new_page, live_server, demo):
    # --- a citizen, without an account, sends an idea through the public form ------------------
    citizen = new_page()
    citizen.goto(f"{live_server.url}{reverse('deliberation:public_ideas')}")
    shot(citizen, "01-public-list")
    follow(citizen, reverse("deliberation:public_create"))
    form = citizen.locator("main form[method=post]")
    form.locator('[name="title"]').fill(CITIZEN_TITLE)
    form.locator('[name="problem"]').fill("開館時間に行けないと、借りたい本が借りられない。")
    form.locator('[name="proposal"]').fill("図書館の本をホームページから予約できるようにする。")
    form.locator('[name="author_name"]').fill("ひかり野の読書好き")
    form.locator('[name="agree"]').check()
    shot(citizen, "02-public-form")
    # the portal loads no JavaScript: 「似た提案を確認する」 (from the keyboard) shows the similar
    # ideas with everything typed kept, and sends nothing
    check = form.locator('button[name="check_similar"]')
    expect(check).to_have_text("似た提案を確認する")
    check.focus()
    with citizen.expect_navigation():
        citizen.keyboard.press("Enter")
    assert path_of(citizen) == reverse("deliberation:public_create")
    expect(form.locator('[name="title"]')).to_have_value(CITIZEN_TITLE)
    expect(form.locator('[name="author_name"]')).to_have_value("ひかり野の読書好き")
    expect(form.locator('[name="agree"]')).to_be_checked()
    expect(citizen.locator("#similar-ideas")).to_contain_text("似た提案")
    assert not Idea.objects.filter(title=CITIZEN_TITLE).exists()
    shot(citizen, "02b-public-similar")
    with citizen.expect_navigation():
        form.locator('button[type="submit"]:not([name])').click()
    sent = Idea.objects.get(title=CITIZEN_TITLE)
    assert path_of(citizen) == reverse("deliberation:public_track", args=[sent.token])
    assert sent.origin == "citizen" and sent.author is None
    expect(citizen.locator("main h1")).to_have_text(CITIZEN_TITLE)
    shot(citizen, "03-public-track")

    # --- the 推進員 writes an idea and sees the similar ones while typing ------------------------
    login(page, live_server, "suishinin")
    page.goto(f"{live_server.url}{reverse('deliberation:ideas')}")
    shot(page, "04-ideas-promoter")
    follow(page, reverse("deliberation:idea_create"))
    form = page.locator("main form[method=post]")
    form.locator('[name="title"]').fill(TITLE)
    form.locator('[name="problem"]').fill(PROBLEM)
    form.locator('[name="proposal"]').fill(PROPOSAL)
    similar = page.locator("#similar-ideas")
    demo_idea = Idea.objects.get(title="窓口予約のオンライン化")
    expect(similar.locator(f'a[href="{demo_idea.get_absolute_url()}"]')).to_be_visible()
    shot(page, "05-similar-while-typing")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    # The form comes back once with everything typed and the similar ideas, then proposes.
    form = page.locator("main form[method=post]")
    expect(form.locator('[name="title"]')).to_have_value(TITLE)
    expect(page.locator(f'#similar-ideas a[href="{demo_idea.get_absolute_url()}"]')).to_be_visible()
    expect(form.locator('button[type="submit"]')).to_have_text(ja("Propose anyway"))
    shot(page, "06-similar-on-submit")
    submit(page)
    idea = Idea.objects.get(title=TITLE)
    assert path_of(page) == idea.get_absolute_url()
    assert idea.status == "proposed" and idea.author.username == "suishinin"
    shot(page, "07-idea-proposed")

    # --- a staff member comments and supports it ----------------------------------------------
    switch_user(page, live_server, "shokuin")
    page.goto(f"{live_server.url}{idea.get_absolute_url()}")
    comment_form = page.locator(
        f'main form[action="{reverse("deliberation:idea_comment", args=[idea.pk])}"]'
    ).last
    comment_form.locator('textarea[name="body"]').fill(COMMENT)
    with page.expect_navigation():
        comment_form.locator('button[type="submit"]').click()
    expect(page.locator("#comments")).to_contain_text(COMMENT)
    support = page.locator(
        f'main form[action="{reverse("deliberation:idea_support", args=[idea.pk])}"] button'
    )
    expect(support).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation():
        support.click()
    expect(support).to_have_attribute("aria-pressed", "true")
    assert idea.supports.count() == 1 and idea.comments.count() == 1
    shot(page, "08-idea-commented-supported")

    # --- the secretariat moves it 提案 → 検討中 → 採用 → 事業化 -----------------------------------
    switch_user(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{idea.get_absolute_url()}")
    for status in ("reviewing", "adopted"):
        follow(page, reverse("deliberation:idea_status", args=[idea.pk]))
        form = page.locator("main form[method=post]")
        form.locator('[name="status"]').select_option(status)
        if status == "adopted":
            form.locator('[name="reason"]').fill("推進員検討部会で検討し、採用とした。")
        shot(page, f"09-status-{status}")
        submit(page)
        idea.refresh_from_db()
        assert idea.status == status
    follow(page, reverse("deliberation:idea_launch", args=[idea.pk]))
    shot(page, "10-launch-form")
    submit(page)
    idea.refresh_from_db()
    assert idea.status == "launched" and idea.initiative is not None
    initiative = Initiative.objects.get(pk=idea.initiative_id)
    assert path_of(page) == initiative.get_absolute_url()
    assert initiative.title == TITLE
    expect(page.locator("main h1")).to_contain_text(TITLE)
    shot(page, "11-initiative")

    # --- the author sees what became of the idea ----------------------------------------------
    switch_user(page, live_server, "suishinin")
    page.goto(f"{live_server.url}{idea.get_absolute_url()}")
    link = page.locator(f'main a[href="{initiative.get_absolute_url()}"]').first
    expect(link).to_be_visible()
    expect(page.locator("main .timeline")).to_contain_text(ja("事業化"))
    shot(page, "12-author-sees-initiative")
    with page.expect_navigation():
        link.click()
    expect(page.locator("main h1")).to_contain_text(TITLE)


def _vote_all(page, value: str, limit: int = 30) -> int:
    """Vote on the statements one at a time, with the form of each statement; the next
    statement replaces the card (htmx, or the page again without JavaScript)."""
    for n in range(limit):
        current = page.locator('#vote form input[name="statement"]')
        if current.count() == 0:
            return n
        pk = current.get_attribute("value")
        page.locator(f'#vote form button[name="value"][value="{value}"]').click()
        expect(page.locator(f'#vote form input[name="statement"][value="{pk}"]')).to_have_count(0)
    raise AssertionError("more statements than expected")


def test_conversation_journey(new_page, live_server, demo):
    conversation = Conversation.objects.get(title="本市が目指すDXとは")
    before = Vote.objects.filter(statement__conversation=conversation).count()
    url = f"{live_server.url}{conversation.get_absolute_url()}"

    voters = {}
    for username in ("shokuin", "suishinin", "jimukyoku"):
        voters[username] = new_page()
        login(voters[username], live_server, username)
        voters[username].goto(url)
    shot(voters["shokuin"], "20-conversation")

    # the staff member adds a statement of their own, then everyone votes, each their own way
    add = voters["shokuin"].locator(
        f'main form[action="{reverse("deliberation:statement_add", args=[conversation.pk])}"]'
    )
    add.locator('[name="text"]').fill(STATEMENT)
    with voters["shokuin"].expect_navigation():
        add.locator('button[type="submit"]').click()
    added = Statement.objects.get(conversation=conversation, text=STATEMENT)
    # the demo conversation checks new statements first: the secretariat shows it
    assert added.visibility == "pending"
    shot(voters["shokuin"], "20b-statement-pending")
    moderator = voters["jimukyoku"]
    moderator.goto(f"{live_server.url}{reverse('deliberation:statements', args=[conversation.pk])}")
    action = reverse("deliberation:statement_moderate", args=[conversation.pk, added.pk])
    with moderator.expect_navigation():
        moderator.locator(f'main form[action="{action}"] button[value="approve"]').click()
    added.refresh_from_db()
    assert added.visibility == "visible"
    for voter in voters.values():
        voter.goto(url)
    for username, value in (("shokuin", "1"), ("suishinin", "-1"), ("jimukyoku", "0")):
        _vote_all(voters[username], value)
        voters[username].goto(url)
        expect(voters[username].locator("#vote")).to_contain_text(
            ja(
                "You have voted on every statement. Thank you! Add a statement of your own, "
                "or come back later for new ones."
            )
        )
    shot(voters["suishinin"], "21-voted-all")
    shown = conversation.statements.filter(visibility="visible").count()
    after = Vote.objects.filter(statement__conversation=conversation).count()
    assert after > before
    for username in voters:
        mine = Vote.objects.filter(
            participant__conversation=conversation,
            participant__person__username=username,
            statement__visibility="visible",
        )
        assert mine.count() == shown, username

    # the secretariat analyses the votes in the background and reads the report
    page = voters["jimukyoku"]
    page.goto(url)
    with page.expect_navigation():
        page.locator(
            f'main form[action="{reverse("deliberation:analyse", args=[conversation.pk])}"] button'
        ).click()
    shot(page, "22-run-queued")
    # Leave the polling run page while the worker runs (the test database is shared
    # in memory), then follow the conversation's link to the report.
    page.goto(url)
    run_worker()
    page.reload()
    follow(page, reverse("deliberation:report", args=[conversation.pk]))
    run = conversation.runs.order_by("-id").first()
    assert run.status == "done" and run.votes == after, run.error
    result = run.result
    assert result["stats"]["k"] >= 2
    main = page.locator("main")
    expect(main.locator("h1")).to_contain_text(ja("Report: groups and consensus"))
    expect(main.locator("svg title").first).to_be_attached()
    groups = main.locator("table.data-table").first.locator("tbody tr")
    assert groups.count() >= result["stats"]["k"]
    assert result["consensus"], "the demo's votes hold consensus statements"
    texts = dict(conversation.statements.values_list("number", "text"))
    for item in result["consensus"]:
        expect(main).to_contain_text(texts[int(item["statement"])])
    shot(page, "23-report")
