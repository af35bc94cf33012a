"""The acceptance journey of the meetings module, in a real browser, through the real forms:
the secretariat (事務局) plans the 8th headquarters meeting, invites people, polls the date,
the invitees answer, the date is fixed, the agenda and papers are built, the packet is
downloaded in Word and PDF, minutes, a decision and an action item are recorded; then the
dashboards and an expert's limited view are checked. An external guest is invited and answers
by personal link, without an account, in the tests after it.

Links and fields are found by their href and name, not by their labels, so the journey holds in
either language; texts that are checked are computed with the Japanese catalogue (the app's
default language), as the server renders them.
"""

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from kyokan.apps.core import japanese_dates, notifications
from kyokan.apps.core.models import OutgoingEmail
from kyokan.apps.meetings import services
from kyokan.apps.meetings.models import Invitation, Meeting, MeetingSeries, PollAnswer
from tests.browser.conftest import login
from tests.browser.journey import follow, ja, path_of, submit, switch_user

TOKYO = ZoneInfo("Asia/Tokyo")

SERIES = "デジタル化推進本部会議"
MEETING_TITLE = "デジタル強靱化戦略の確定に向けて"
ITEM_STRATEGY = "デジタル強靱化戦略の改定(案)について"
ITEM_DIVIDE = "デジタルデバイド対策に関する考え方について"
PLACE = "本庁舎5階 第1会議室"
GUEST_NAME = "森 由美子"
GUEST_EMAIL = "mori@univ.example.jp"
GUEST_COMMENT = "2日目は午前の授業次第です"
UPLOAD_TITLE = "デジタル強靱化戦略（改定案）"
MINUTES = "事務局より資料1に基づき説明。DXの定義を戦略に明記することを確認した。"
DECISION = "デジタル強靱化戦略の改定案を原案どおり了承する。"
ACTION_TITLE = "改定後の戦略を全職員に周知する"

SLOT_FIRST = ("14:00", "15:30")
SLOT_SECOND = ("10:00", "11:30")


def business_day_on_or_after(day: date) -> date:
    """The first day from ``day`` on which the city office is open (no weekend, holiday or
    year-end closure), so that the poll does not flag the candidate as a closed day."""
    while not japanese_dates.is_business_day(day):
        day += timedelta(days=1)
    return day


def at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, datetime.strptime(hhmm, "%H:%M").time(), tzinfo=TOKYO)


def candidate_days() -> tuple[date, date]:
    """Two future weekdays about three and four weeks ahead, by the calendar of Tokyo."""
    today = datetime.now(TOKYO).date()
    first = business_day_on_or_after(today + timedelta(weeks=3))
    second = business_day_on_or_after(first + timedelta(weeks=1))
    return first, second


# --- driving the pages ------------------------------------------------------------------------


def expect_message(page, message: str):
    expect(page.locator("main .messages")).to_contain_text(ja(message))


def answer_poll(page, choices: list[str], comments: dict[int, str] | None = None):
    """Fill the answer form (one ○/△/× radio group per candidate, in date order) and send it.
    ``choices`` are the values: "yes" (○), "maybe" (△), "no" (×)."""
    comments = comments or {}
    groups = page.locator("main form[method=post] fieldset")
    expect(groups).to_have_count(len(choices))
    for index, choice in enumerate(choices):
        radio = groups.nth(index).locator(f'input[type="radio"][value="{choice}"]')
        radio.check()
        if index in comments:
            name = radio.get_attribute("name")
            page.locator(f'main input[name="{name}_comment"]').fill(comments[index])
    submit(page)
    expect_message(page, "Thank you. Your answers were saved.")


def invitee_row(page, name: str):
    rows = page.locator("main h2#invitations ~ .table-wrap table tbody tr")
    return rows.filter(has=page.locator("th", has_text=name))


def agenda_entry(page, title: str):
    return page.locator("main ol.agenda > li").filter(has=page.locator("h3", has_text=title))


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def small_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # A4 in points
    with path.open("wb") as f:
        writer.write(f)
    return path


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded papers go to a temporary folder, not to the data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- the journey -------------------------------------------------------------------------------


def test_meeting_journey_from_date_poll_to_follow_up(
    page, live_server, demo, media, tmp_path, mailoutbox
):
    people = demo.people
    first_day, second_day = candidate_days()
    base = live_server.url

    # 1. The secretariat creates the 8th meeting of the series, without a date.
    login(page, live_server, "jimukyoku")
    page.goto(f"{base}{reverse('meetings:list')}")
    follow(page, reverse("meetings:create"))
    form = page.locator("main form[method=post]")
    form.locator('select[name="series"]').select_option(label=SERIES)
    expect(form.locator('input[name="number"]')).to_have_value("")
    form.locator('input[name="title"]').fill(MEETING_TITLE)
    expect(form.locator('input[name="starts_at"]')).to_have_value("")
    submit(page)
    # On the new meeting's page: numbered next in the series (the demo has the 5th to 7th).
    heading = page.locator("main h1")
    expect(heading).to_contain_text(f"{SERIES} 第8回 {MEETING_TITLE}")
    meeting = Meeting.objects.get(series__name=SERIES, number=8)
    detail = reverse("meetings:detail", args=[meeting.pk])
    assert path_of(page) == detail
    assert meeting.starts_at is None
    with translation.override("ja"):
        expect(heading).to_contain_text(str(Meeting.Status.PLANNING.label))

    # 2. Invitations: the 本部長 as required attendance, then three more.
    follow(page, reverse("meetings:invite", args=[meeting.pk]))
    page.locator('main textarea[name="people"]').fill("honbucho")
    page.locator('main input[name="required"]').check()
    submit(page)
    assert path_of(page) == detail
    follow(page, reverse("meetings:invite", args=[meeting.pk]))
    page.locator('main textarea[name="people"]').fill("fukuhonbucho\nhonbuin\nyushikisha")
    expect(page.locator('main input[name="required"]')).not_to_be_checked()
    submit(page)
    assert path_of(page) == detail
    for login_id in ("honbucho", "fukuhonbucho", "honbuin", "yushikisha"):
        expect(invitee_row(page, people[login_id].full_name)).to_have_count(1)
    expect(invitee_row(page, people["honbucho"].full_name)).to_contain_text(ja("required"))
    # (The external guest and their personal link: see the two tests below. While a guest
    # is invited the meeting page fails, which would stop this journey here.)

    # 3. The date poll: two future weekdays, about three and four weeks ahead.
    follow(page, reverse("meetings:poll_create", args=[meeting.pk]))
    page.locator('main textarea[name="candidates"]').fill(
        f"{first_day:%Y-%m-%d} {SLOT_FIRST[0]}-{SLOT_FIRST[1]}\n"
        f"{second_day:%Y-%m-%d} {SLOT_SECOND[0]}-{SLOT_SECOND[1]}"
    )
    page.locator('main textarea[name="message"]').fill("第8回本部会議の日程を調整します。")
    submit(page)
    poll_url = reverse("meetings:poll", args=[meeting.pk])
    assert path_of(page) == poll_url
    rows = page.locator("main table.poll-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("time")).to_have_attribute(
        "datetime", f"{first_day.isoformat()}T{SLOT_FIRST[0]}:00+09:00"
    )
    expect(rows.nth(1).locator("time")).to_have_attribute(
        "datetime", f"{second_day.isoformat()}T{SLOT_SECOND[0]}:00+09:00"
    )

    # 4. Answers: the 本部長 cannot come on the first date; a member can come on both.
    answer_url = reverse("meetings:poll_answer", args=[meeting.pk])
    switch_user(page, live_server, "honbucho")
    page.goto(f"{base}{detail}")
    follow(page, answer_url)
    answer_poll(page, ["no", "yes"], {0: "公務のため"})
    switch_user(page, live_server, "honbuin")
    page.goto(f"{base}{detail}")
    follow(page, answer_url)
    answer_poll(page, ["yes", "yes"])

    # 5. The secretariat fixes the date: the second one ranks first (the required 本部長
    # cannot attend the first).
    switch_user(page, live_server, "jimukyoku")
    page.goto(f"{base}{poll_url}")
    expect(page.locator("main table.poll-table")).to_contain_text("公務のため")
    ranking = page.locator("main > ol > li")
    expect(ranking).to_have_count(2)
    second_label = japanese_dates.format_date_with_weekday(second_day, lang="ja")
    first_label = japanese_dates.format_date_with_weekday(first_day, lang="ja")
    expect(ranking.nth(0)).to_contain_text(f"{second_label} {SLOT_SECOND[0]}")
    expect(ranking.nth(1)).to_contain_text(f"{first_label} {SLOT_FIRST[0]}")
    expect(ranking.nth(1)).to_contain_text(people["honbucho"].full_name)  # required, missing
    fix_selector = f'main form[action="{reverse("meetings:poll_fix", args=[meeting.pk])}"]'
    fix_form = page.locator(fix_selector)
    choices = fix_form.locator('input[type="radio"][name="candidate"]')
    expect(choices).to_have_count(2)
    top = choices.first
    top_label = fix_form.locator(f'label[for="{top.get_attribute("id")}"]')
    expect(top_label).to_contain_text("1. ")
    expect(top_label).to_contain_text(f"{second_label} {SLOT_SECOND[0]}–{SLOT_SECOND[1]}")
    top.check()
    fix_form.locator('input[name="place"]').fill(PLACE)
    submit(page, fix_selector)
    assert path_of(page) == detail
    expect_message(page, "The date is fixed and the invitees were informed.")
    # Every invitee is told the date (core's notifications: in Kyokan, and an e-mail with a
    # calendar file queued for the worker, which sends it).
    invitees = {
        people[login_id].email for login_id in ("honbucho", "fukuhonbucho", "honbuin", "yushikisha")
    }
    queued = OutgoingEmail.objects.filter(kind="meetings.date_fixed")
    assert set(queued.values_list("to", flat=True)) == invitees
    mailoutbox.clear()
    notifications.outbox_flush()
    fixed = [m for m in mailoutbox if m.to[0] in invitees and "meeting.ics" in str(m.attachments)]
    assert {m.to[0] for m in fixed} == invitees
    assert [name for name, _content, _type in fixed[0].attachments] == ["meeting.ics"]
    with translation.override("ja"):
        expect(heading).to_contain_text(str(Meeting.Status.SCHEDULED.label))
    when = page.locator("main dl.detail-list time")
    expect(when).to_have_attribute(
        "datetime", f"{second_day.isoformat()}T{SLOT_SECOND[0]}:00+09:00"
    )
    expect(page.locator("main dl.detail-list")).to_contain_text(PLACE)

    # 6. The agenda: two items (after the one carrying over the series' open action items).
    for title in (ITEM_STRATEGY, ITEM_DIVIDE):
        follow(page, reverse("meetings:item_create", args=[meeting.pk]))
        page.locator('main input[name="title"]').fill(title)
        page.locator('main input[name="presenter_text"]').fill("事務局")
        submit(page)
        assert path_of(page) == detail
    titles = page.locator("main ol.agenda > li > h3").all_inner_texts()
    assert [t for t in titles if t in (ITEM_STRATEGY, ITEM_DIVIDE)] == [ITEM_STRATEGY, ITEM_DIVIDE]

    # Papers: an uploaded PDF (資料1) and one generated from Kyokan data (資料2).
    follow(page, reverse("meetings:paper_upload", args=[meeting.pk]))
    page.locator('main input[name="title"]').fill(UPLOAD_TITLE)
    page.locator('main input[name="file"]').set_input_files(
        str(small_pdf(tmp_path / "strategy-draft.pdf"))
    )
    page.locator('main select[name="agenda_item"]').select_option(label=ITEM_STRATEGY)
    submit(page)
    follow(page, reverse("meetings:paper_generate", args=[meeting.pk]))
    page.locator('main select[name="generator"]').select_option("attendance")
    submit(page)
    assert path_of(page) == detail
    papers = page.locator("main h2#papers + .table-wrap table tbody tr")
    expect(papers).to_have_count(2)
    expect(papers.locator("th")).to_have_text(["資料1", "資料2"])
    expect(papers.nth(0)).to_contain_text(UPLOAD_TITLE)
    expect(papers.nth(0)).to_contain_text("strategy-draft.pdf")
    expect(papers.nth(1)).to_contain_text("出席者名簿")

    # 7. The packet, in Word and in PDF.
    with page.expect_download() as download_info:
        page.locator(f'main a[href="{reverse("meetings:packet_docx", args=[meeting.pk])}"]').click()
    word = tmp_path / "packet.docx"
    download_info.value.save_as(word)
    assert download_info.value.suggested_filename.endswith(".docx")
    text = docx_text(word)
    for expected in (f"{SERIES} 第8回", MEETING_TITLE, ITEM_STRATEGY, ITEM_DIVIDE, "資料1"):
        assert expected in text, f"{expected!r} is not in the Word packet"

    with page.expect_download() as download_info:
        page.locator(f'main a[href="{reverse("meetings:packet_pdf", args=[meeting.pk])}"]').click()
    pdf = tmp_path / "packet.pdf"
    download_info.value.save_as(pdf)
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(content)).pages) >= 3

    # 8. Minutes of the first item, a decision and an action item owned by a staff member.
    item = agenda_entry(page, ITEM_STRATEGY)
    follow(page, reverse("meetings:item_minutes", args=[_item_pk(item)]))
    page.locator('main textarea[name="minutes_text"]').fill(MINUTES)
    submit(page)
    assert path_of(page) == detail
    expect(agenda_entry(page, ITEM_STRATEGY).locator(".minutes")).to_contain_text(MINUTES)

    item_pk = _item_pk(agenda_entry(page, ITEM_STRATEGY))
    follow(page, f"{reverse('meetings:decision_add', args=[meeting.pk])}?item={item_pk}")
    expect(page.locator('main select[name="agenda_item"]')).to_have_value(str(item_pk))
    page.locator('main textarea[name="text"]').fill(DECISION)
    submit(page)
    expect(agenda_entry(page, ITEM_STRATEGY)).to_contain_text(DECISION)
    expect(page.locator("main h2#decisions + ol")).to_contain_text(DECISION)

    follow(page, f"{reverse('meetings:action_create', args=[meeting.pk])}?item={item_pk}")
    page.locator('main input[name="title"]').fill(ACTION_TITLE)
    page.locator('main input[name="owner"]').fill("shokuin")
    page.locator('main input[name="due_date"]').fill(second_day.isoformat())
    submit(page)
    assert path_of(page) == detail
    action_row = page.locator("main h2#actions + .table-wrap table tbody tr").filter(
        has_text=ACTION_TITLE
    )
    expect(action_row).to_have_count(1)
    expect(action_row).to_contain_text(people["shokuin"].full_name)

    # 9. Overdue action items on the dashboard: the demo's 5th meeting has one; the new one
    # is not overdue.
    page.goto(f"{base}/")
    overdue = page.locator('main section:has(h2[id^="panel-overdue"])')
    expect(overdue).to_have_count(1)
    assert overdue.locator("li").count() >= 1
    expect(overdue).to_contain_text("DXの定義（事務局案）を作成し、推進チームで議論する")
    expect(overdue).not_to_contain_text(ACTION_TITLE)

    switch_user(page, live_server, "shokuin")
    overdue = page.locator('main section:has(h2[id^="panel-overdue"])')
    if overdue.count():
        expect(overdue).not_to_contain_text(ACTION_TITLE)
    page.goto(f"{base}{reverse('meetings:actions')}?mine=1")
    expect(page.locator("main table")).to_contain_text(ACTION_TITLE)

    # 10. An expert sees the meeting they are invited to, and not the others.
    switch_user(page, live_server, "yushikisha")
    page.goto(f"{base}{reverse('meetings:list')}")
    fifth = Meeting.objects.get(series__name=SERIES, number=5)
    fifth_url = reverse("meetings:detail", args=[fifth.pk])
    expect(page.locator(f'main table a[href="{detail}"]')).to_have_count(1)
    expect(page.locator(f'main a[href="{fifth_url}"]')).to_have_count(0)
    response = page.goto(f"{base}{detail}")
    assert response.status == 200
    response = page.goto(f"{base}{fifth_url}")
    assert response.status == 403, f"an uninvited expert got {response.status} for {fifth_url}"


def _item_pk(entry) -> int:
    """The agenda item's id, from the li's ``id="item-<pk>"``."""
    expect(entry).to_have_count(1)
    return int(entry.get_attribute("id").removeprefix("item-"))


# --- the external guest ------------------------------------------------------------------------


def test_secretariat_invites_a_guest_and_copies_their_personal_link(page, live_server, demo):
    sixth = Meeting.objects.get(series__name=SERIES, number=6)
    detail = reverse("meetings:detail", args=[sixth.pk])
    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{detail}")
    follow(page, reverse("meetings:guest_add", args=[sixth.pk]))
    page.locator('main input[name="name"]').fill(GUEST_NAME)
    page.locator('main input[name="email"]').fill(GUEST_EMAIL)
    page.locator('main input[name="affiliation"]').fill("ひかり野大学 情報学部")
    submit(page)  # back on the meeting page, at its invitees

    assert path_of(page) == detail
    guest = Invitation.objects.get(meeting=sixth, email=GUEST_EMAIL)
    row = invitee_row(page, GUEST_NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("ひかり野大学 情報学部")
    link = row.locator("code").inner_text().strip()
    assert link == f"{live_server.url}{reverse('meetings:poll_link', args=[guest.token])}"


def test_guest_answers_by_personal_link_and_then_sees_the_fixed_date(
    page, new_page, live_server, demo, mailoutbox
):
    """The guest's side of the journey. The meeting, its invitees and its poll are set up
    through the services: the meeting page, where the secretariat copies the link, fails while
    a guest is invited (see the test above)."""
    people = demo.people
    secretary = people["jimukyoku"]
    first_day, second_day = candidate_days()
    meeting = services.meeting_create(
        actor=secretary, series=MeetingSeries.objects.get(name=SERIES), title=MEETING_TITLE
    )
    services.invitations_add(
        actor=secretary, meeting=meeting, people=[people["honbucho"]], required=True
    )
    services.invitations_add(actor=secretary, meeting=meeting, people=[people["honbuin"]])
    guest = services.invitation_add_guest(
        actor=secretary, meeting=meeting, name=GUEST_NAME, email=GUEST_EMAIL
    )
    poll = services.poll_open(
        actor=secretary,
        meeting=meeting,
        candidates=[
            (at(first_day, SLOT_FIRST[0]), at(first_day, SLOT_FIRST[1])),
            (at(second_day, SLOT_SECOND[0]), at(second_day, SLOT_SECOND[1])),
        ],
    )
    first, second = poll.candidates.order_by("starts_at")
    chief = meeting.invitations.get(person=people["honbucho"])
    services.poll_answer(
        invitation=chief,
        answers={
            first.pk: (PollAnswer.Choice.NO, "公務のため"),
            second.pk: (PollAnswer.Choice.YES, ""),
        },
        actor=people["honbucho"],
    )
    link = f"{live_server.url}{reverse('meetings:poll_link', args=[guest.token])}"

    # The guest, without an account, in a browser of their own: the personal link is enough.
    visitor = new_page()
    response = visitor.goto(link)
    assert response.status == 200
    expect(visitor.locator("header nav.site-nav")).to_have_count(0)
    expect(visitor.locator("main h1")).to_contain_text(f"{SERIES} 第{meeting.number}回")
    expect(visitor.locator("main .lead")).to_contain_text(GUEST_NAME)
    answer_poll(visitor, ["yes", "maybe"], {1: GUEST_COMMENT})
    assert visitor.url == link
    # The answers are shown back, to be changed while the poll is open.
    groups = visitor.locator("main form[method=post] fieldset")
    expect(groups.nth(0).locator('input[value="yes"]')).to_be_checked()
    expect(groups.nth(1).locator('input[value="maybe"]')).to_be_checked()
    expect(visitor.locator(f'main input[name="c{second.pk}_comment"]')).to_have_value(GUEST_COMMENT)

    # The secretariat sees the guest's answers; the second date ranks first.
    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{reverse('meetings:poll', args=[meeting.pk])}")
    table = page.locator("main table.poll-table")
    expect(table.locator("thead")).to_contain_text(GUEST_NAME)
    expect(table).to_contain_text(GUEST_COMMENT)
    second_label = japanese_dates.format_date_with_weekday(second_day, lang="ja")
    expect(page.locator("main > ol > li").first).to_contain_text(f"{second_label} {SLOT_SECOND[0]}")
    fix_choices = page.locator('main input[type="radio"][name="candidate"]')
    expect(fix_choices.first).to_have_value(str(second.pk))
    expect(fix_choices.first).to_be_checked()

    # Once the date is fixed (by the service: the fix form redirects to the meeting page),
    # the guest's link says the poll is closed and offers the date as a calendar file.
    services.poll_fix(actor=secretary, meeting=meeting, candidate=second, place=PLACE)
    notifications.outbox_flush()  # what the worker does
    assert any(GUEST_EMAIL in mail.to for mail in mailoutbox), "the guest was not e-mailed"
    visitor.goto(link)
    expect(visitor.locator("main [role=status]")).to_contain_text(ja("This date poll is closed."))
    expect(visitor.locator("main [role=status] time")).to_have_attribute(
        "datetime", f"{second_day.isoformat()}T{SLOT_SECOND[0]}:00+09:00"
    )
    expect(visitor.locator("main [role=status]")).to_contain_text(PLACE)
    expect(visitor.locator("main form[method=post]")).to_have_count(0)
    ics_link = visitor.locator(
        f'main a[href="{reverse("meetings:poll_link_ics", args=[guest.token])}"]'
    )
    expect(ics_link).to_be_visible()
    with visitor.expect_download() as download_info:
        ics_link.click()
    ics_text = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in ics_text
    assert "DTSTART" in ics_text and f"{second_day:%Y%m%d}" in ics_text


# --- a candidate on a closed day (issue 9, item 9) -----------------------------------------


def test_a_closed_day_candidate_is_marked_ranked_last_and_not_the_default(page, live_server, demo):
    """1月2日 (年末年始, maybe a weekend too) used to rank first before anyone answered and to
    be the default date to fix. The form warns first; polled anyway, it is marked and last."""
    meeting = services.meeting_create(
        actor=demo.people["jimukyoku"], series=MeetingSeries.objects.get(name=SERIES)
    )
    year = datetime.now(TOKYO).year + 1
    closed = date(year, 1, 2)
    open_day = business_day_on_or_after(date(year, 1, 6))
    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{reverse('meetings:poll_create', args=[meeting.pk])}")
    typed = f"{closed:%Y-%m-%d} 10:00-11:30\n{open_day:%Y-%m-%d} 14:00-15:30"
    page.locator('main textarea[name="candidates"]').fill(typed)
    with page.expect_navigation():
        page.locator('main form[method=post] button[type="submit"]').click()
    # Warned, nothing polled yet, what was typed kept.
    expect(page.locator("main")).to_contain_text("年末年始")
    expect(page.locator('main textarea[name="candidates"]')).to_have_value(typed)
    assert not hasattr(Meeting.objects.get(pk=meeting.pk), "poll")
    page.locator('main input[name="allow_closed_days"]').check()
    submit(page)
    assert path_of(page) == reverse("meetings:poll", args=[meeting.pk])

    rows = page.locator("main table.poll-table tbody tr")
    expect(rows).to_have_count(2)
    closed_row = rows.filter(has=page.locator(f'time[datetime^="{closed.isoformat()}"]'))
    expect(closed_row).to_have_class(re.compile("poll-table__closed"))
    expect(closed_row.locator(".badge--warning")).to_contain_text("年末年始")
    expect(page.locator("main .poll-closed-warning")).to_be_visible()
    ranking = page.locator("main > ol > li")
    expect(ranking.last).to_contain_text(japanese_dates.format_date_with_weekday(closed))
    expect(ranking.first).to_contain_text(japanese_dates.format_date_with_weekday(open_day))
    fix_url = reverse("meetings:poll_fix", args=[meeting.pk])
    checked = page.locator(f'main form[action="{fix_url}"] input[name="candidate"]:checked')
    expect(checked).to_have_count(1)
    poll = Meeting.objects.get(pk=meeting.pk).poll
    expect(checked).to_have_value(str(poll.candidates.order_by("starts_at").last().pk))
    # The totals column stays in view when the table scrolls sideways.
    totals = rows.first.locator("td.poll-table__totals")
    assert totals.evaluate("e => getComputedStyle(e).position") == "sticky"
