"""The acceptance journey of issue 10 in a real browser, on the demo city: the secretariat
invites a guest and the e-mail with the personal link is in the outbox; the mayor sees the
open poll of the 6th meeting in "my work" and in the bell; a survey opens and its audience
is told; the reminder reaches only those who have not answered; the site search finds a
section of the strategy by a kana variant.

E-mails leave through the worker: the tests run what it does (core.notifications
outbox_flush) and read pytest-django's mail outbox (the locmem backend).
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from kyokan.apps.core import notifications
from kyokan.apps.core.models import Notification, OutgoingEmail
from kyokan.apps.meetings.models import Invitation, Meeting
from kyokan.apps.surveys import services as surveys
from kyokan.apps.surveys.models import Survey
from tests.browser.conftest import login
from tests.browser.journey import follow, path_of, submit, switch_user

HQ = "デジタル化推進本部会議"
GUEST_NAME = "森 由美子"
GUEST_EMAIL = "mori@univ.example.jp"


def _bell(page):
    return page.locator("header a.site-bell")


def test_a_guest_invited_by_the_secretariat_gets_the_personal_link_by_email(
    page, new_page, live_server, demo, mailoutbox
):
    sixth = Meeting.objects.get(series__name=HQ, number=6)
    detail = reverse("meetings:detail", args=[sixth.pk])
    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{detail}")
    follow(page, reverse("meetings:guest_add", args=[sixth.pk]))
    page.locator('main input[name="name"]').fill(GUEST_NAME)
    page.locator('main input[name="email"]').fill(GUEST_EMAIL)
    page.locator('main input[name="affiliation"]').fill("ひかり野大学 情報学部")
    submit(page)
    assert path_of(page) == detail

    guest = Invitation.objects.get(meeting=sixth, email=GUEST_EMAIL)
    personal = reverse("meetings:poll_link", args=[guest.token])
    queued = OutgoingEmail.objects.get(kind="meetings.invited", to=GUEST_EMAIL)
    assert queued.recipient_id is None  # a guest: e-mail only
    mailoutbox.clear()
    notifications.outbox_flush()  # what the worker does
    [mail] = [m for m in mailoutbox if m.to == [GUEST_EMAIL]]
    assert str(sixth) in mail.subject
    assert personal in mail.body  # the personal link, not the staff-only meeting page
    assert detail not in mail.body
    queued.refresh_from_db()
    assert queued.status == OutgoingEmail.Status.SENT

    # The link in the e-mail opens the date poll without an account.
    visitor = new_page()
    response = visitor.goto(f"{live_server.url}{personal}")
    assert response.status == 200
    expect(visitor.locator("main h1")).to_contain_text(f"{HQ} 第6回")
    expect(visitor.locator("main form[method=post]")).to_have_count(1)
    # Inviting again with the same address is refused: nobody is e-mailed twice.
    page.goto(f"{live_server.url}{reverse('meetings:guest_add', args=[sixth.pk])}")
    page.locator('main input[name="name"]').fill(GUEST_NAME)
    page.locator('main input[name="email"]').fill(GUEST_EMAIL)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("main .errorlist, main .form-errors").first).to_be_visible()
    assert OutgoingEmail.objects.filter(kind="meetings.invited", to=GUEST_EMAIL).count() == 1


def test_the_mayor_sees_the_open_poll_in_my_work_and_the_bell(page, live_server, demo):
    sixth = Meeting.objects.get(series__name=HQ, number=6)
    mayor = demo.people["honbucho"]
    unread = Notification.objects.filter(recipient=mayor, read_at__isnull=True)
    # The poll opened three weeks ago: the demo counts that notification as read (old news,
    # core.demo), while the poll itself waits in My work until it is answered.
    told = Notification.objects.filter(recipient=mayor, kind="meetings.poll_opened")
    assert told.filter(target_id=str(sixth.pk)).exists()
    assert unread.exists()
    login(page, live_server, "honbucho")
    expect(_bell(page).locator(".badge--count")).to_contain_text(str(unread.count()))
    answer = reverse("meetings:poll_answer", args=[sixth.pk])
    expect(page.locator(f'main a[href="{answer}"]').first).to_be_visible()  # home: my work
    page.goto(f"{live_server.url}{reverse('core:my_work')}")
    expect(page.locator(f'main a[href="{answer}"]').first).to_be_visible()

    # The bell leads to the notifications, the poll among them, and reading them clears it.
    with page.expect_navigation():
        _bell(page).click()
    assert path_of(page) == reverse("core:notifications")
    expect(page.locator("main")).to_contain_text(str(sixth))
    with page.expect_navigation():
        read = reverse("core:notification_read")
        page.locator(f'main form[action="{read}"]:not(:has(input[name="id"])) button').click()
    expect(_bell(page).locator(".badge--count")).to_have_count(0)


def test_a_survey_opens_its_audience_is_told_and_the_reminder_reaches_only_non_respondents(
    page, live_server, demo
):
    people = demo.people
    secretary = people["jimukyoku"]
    today = timezone.localdate()
    survey = surveys.survey_create(
        actor=secretary,
        title="本部員の意識調査",
        opens_on=today,
        closes_on=today + timedelta(days=14),
        audience=Survey.Audience.HQ,
        anonymous=False,
    )
    question = surveys.question_create(
        actor=secretary, survey=survey, kind="single", text="DXの目的は共有されているか",
        choices=["はい", "いいえ"],
    )  # fmt: skip
    detail = reverse("surveys:detail", args=[survey.pk])

    # The secretariat opens it from its page (with a confirmation).
    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{detail}")
    follow(page, reverse("surveys:state", args=[survey.pk, "open"]))
    submit(page)
    survey.refresh_from_db()
    assert survey.state == Survey.State.OPEN
    told = Notification.objects.filter(kind="surveys.opened", target_id=str(survey.pk))
    members = {people["honbucho"], people["fukuhonbucho"], people["honbuin"]}
    assert members <= {n.recipient for n in told.select_related("recipient")}
    assert not told.filter(recipient=people["shokuin"]).exists()  # not in the audience

    # A member of the headquarters sees it in the bell and answers; another does not.
    switch_user(page, live_server, "honbuin")
    expect(_bell(page).locator(".badge--count")).to_be_visible()
    page.goto(f"{live_server.url}{reverse('core:notifications')}")
    expect(page.locator("main")).to_contain_text(survey.title)
    surveys.response_save(survey=survey, user=people["honbuin"], answers={question.pk: 0})

    # The reminder, sent from the survey's page, reaches only those who have not answered.
    switch_user(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{detail}")
    follow(page, reverse("surveys:remind", args=[survey.pk]))
    submit(page)
    reminded = {
        n.recipient
        for n in Notification.objects.filter(
            kind="surveys.reminder", target_id=str(survey.pk)
        ).select_related("recipient")
    }
    assert people["honbucho"] in reminded and people["fukuhonbucho"] in reminded
    assert people["honbuin"] not in reminded
    switch_user(page, live_server, "honbucho")
    page.goto(f"{live_server.url}{reverse('core:notifications')}")
    expect(page.locator("main")).to_contain_text(survey.title)


def test_the_site_search_finds_a_strategy_section_by_a_kana_variant(page, live_server, demo):
    login(page, live_server, "shokuin")
    box = page.locator("header form.site-search input[name=q]")
    box.fill("実現するマチ")  # the text says 「…実現するまち。」 in hiragana
    with page.expect_navigation():
        box.press("Enter")
    assert path_of(page) == reverse("core:search")
    hit = page.locator('main a[href*="#section-"]').filter(has_text="デジタル強靱化戦略").first
    expect(hit).to_be_visible()
    expect(page.locator("main")).to_contain_text("実現するまち")
    with page.expect_navigation():
        hit.click()
    assert path_of(page).startswith("/versions/")

    # A citizen finds only the adopted version, on its public page; an expert no draft.
    switch_user(page, live_server, "shimin")
    page.goto(f"{live_server.url}{reverse('core:search')}?q=実現するマチ")
    expect(page.locator('main a[href*="/public/versions/"]').first).to_be_visible()
    expect(page.locator('main a[href*="#section-"]')).to_have_count(0)
