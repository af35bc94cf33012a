"""The acceptance journey of the documents module, in a real browser, through the real forms:
"A revision can be drafted, compared with the adopted version, commented, endorsed, checked
for terms, adopted at a meeting, exported to Word and PDF, and published, all in the browser."

The journey runs on a NEW document (a document allows one revision in progress only, and the
demo's strategy already has one). Then: an edit conflict between two browsers, and the import
of a Word file (after a file that only pretends to be one is refused).

Links and fields are found by their href and name, not by their labels, so the tests hold in
either language; texts that are checked are computed with the Japanese catalogue (the app's
default language), as the server renders them.
"""

import io
from datetime import timedelta
from pathlib import Path

import docx
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from kyokan.apps.core.japanese_dates import wareki_date
from kyokan.apps.documents import diff, selectors
from kyokan.apps.documents.models import (
    Comment,
    Document,
    DocumentKind,
    Endorsement,
    GlossaryTerm,
    Section,
    Version,
)
from kyokan.apps.meetings import services as meetings
from kyokan.apps.meetings.models import Decision, Meeting, MeetingKind, MeetingSeries
from tests.browser.conftest import login
from tests.browser.journey import download, follow, ja, logout, path_of, submit, switch_user
from tests.documents.adoption import meeting_with

TITLE = "デジタル活用支援の考え方"
DESCRIPTION = "高齢者等のデジタル活用を地域で支える取組の考え方。"
FIRST_LABEL = "令和6年度版"
REVISION_LABEL = "令和7年度改定案"
ADOPTED_LABEL = "令和7年度改定"  # the adoption form's title: without 案
COMMITTEE = "デジタル活用支援推進委員会"

# The first version: three sections, one of them a subsection.
BASICS = "基本的な考え方"
BASICS_BODY = "ICTを活用して情報化を進める。"
BASICS_UNIFIED = "デジタル技術を活用してデジタル化を進める。"
LOCAL = "地域での支援"
LOCAL_BODY = "地区センターでスマートフォン相談会を開く。"
SETUP = "推進体制"
SETUP_BODY = "担当課が年度ごとに取組を進める。"
# The revision: 推進体制 is revised, 地域での支援 removed, 評価と見直し added.
SETUP_REVISED = "全庁で年度ごとに取組を進める。"
REVIEW = "評価と見直し"
REVIEW_BODY = "毎年度、取組の成果を評価し、次年度の取組に反映する。"

COMMENT = "「全庁で」の範囲に出先機関も含むか明記してほしい。"
OBJECTION = "推進体制の役割分担が読み取れない。"
ANSWER = "出先機関を含む旨を注記します。"
OBJECTION_ANSWER = "役割分担は別表で示すため、本文は現行どおりとします。"


# --- driving the pages ------------------------------------------------------------------------


def expect_message(page, message: str):
    expect(page.locator("main .messages")).to_contain_text(ja(message))


def version_url(version) -> str:
    return reverse("documents:version", args=[version.pk])


def section_block(page, section):
    return page.locator(f"main section#section-{section.pk}")


def add_section(page, version, heading: str, body: str, *, parent=None):
    url = reverse("documents:section_new", args=[version.pk])
    follow(page, f"{url}?parent={parent.pk}" if parent else url)
    form = page.locator("main form[method=post]")
    if parent:
        expect(form.locator('select[name="parent"]')).to_have_value(str(parent.pk))
    else:
        expect(form.locator('select[name="parent"]')).to_have_value("")
    form.locator('input[name="heading"]').fill(heading)
    form.locator('textarea[name="body"]').fill(body)
    submit(page)
    assert path_of(page) == version_url(version)
    section = version.sections.get(heading=heading)
    expect(section_block(page, section)).to_contain_text(body)
    return section


def edit_section(page, section, body: str):
    follow(page, reverse("documents:section_edit", args=[section.pk]))
    page.locator('main textarea[name="body"]').fill(body)
    submit(page)
    expect_message(page, "The section was saved.")


def adoption_refused(page, adopted_on, message: str):
    """Send the adoption form with ``adopted_on``; it comes back with ``message``."""
    page.locator('main input[name="adopted_on"]').fill(adopted_on.isoformat())
    with page.expect_navigation():
        page.locator('main form[method=post] button[type="submit"]').click()
    expect(page.locator("main .errorlist")).to_contain_text(message)


def record_adoption(page, version, meeting, *, title: str, refusals=()) -> str:
    """The adoption form offers exactly ``meeting`` (held, deciding, the version on its
    agenda) with its date and the title without 案; each of ``refusals`` (date, message) is
    refused first; then it is sent as offered. Returns the caption the version shows
    (「令和○年○月○日 第○回…決定」)."""
    follow(page, reverse("documents:version_adopt", args=[version.pk]))
    form = page.locator("main form[method=post]")
    held_on = timezone.localtime(meeting.starts_at).date()
    expect(form.locator('select[name="meeting"] option')).to_have_count(1)
    expect(form.locator('select[name="meeting"]')).to_have_value(f"meetings.meeting:{meeting.pk}")
    expect(form.locator('input[name="title"]')).to_have_value(title)
    for day, message in refusals:
        adoption_refused(page, day, message)
        version.refresh_from_db()
        assert version.state not in (Version.State.ADOPTED,)
    page.locator('main input[name="adopted_on"]').fill(held_on.isoformat())
    submit(page)
    assert path_of(page) == version_url(version)
    expect_message(page, "The version is adopted (決定); the previous one is marked 改定済.")
    day = wareki_date(held_on, with_western=False)
    caption = f"{day} 第{meeting.number}回{meeting.series.name}決定"
    expect(page.locator("main dl.detail-list dd.decision-caption")).to_have_text(caption)
    assert Decision.objects.filter(
        meeting=meeting, target_type="documents.version", target_id=str(version.pk)
    ).exists(), "the meeting records the decision among its own"
    return caption


def put_on_agenda(meeting, version, actor):
    """The secretariat links the version to the meeting's agenda (meetings' agenda links)."""
    item = meeting.agenda_items.order_by("order").first()
    meetings.agenda_link_add(
        actor=actor, item=item, target_type="documents.version", target_id=str(version.pk),
        label=str(version),
    )  # fmt: skip


def waiting_ja(comments: int, objections: int) -> str:
    """What waits for an answer, as the Japanese page says it."""
    with translation.override("ja"):
        return selectors.waiting_phrase(comments, objections)


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of each paragraph of a Word file."""
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def label_ja(choice) -> str:
    """The label of a model choice (a state, a change, a response) as shown in Japanese."""
    with translation.override("ja"):
        return str(choice.label)


# --- the journey -------------------------------------------------------------------------------


def test_document_revision_journey_from_draft_to_publication(page, live_server, demo, tmp_path):
    base = live_server.url
    heading = page.locator("main h1")

    # 1. The secretariat creates a document and its first, empty version.
    login(page, live_server, "jimukyoku")
    page.goto(f"{base}{reverse('documents:list')}")
    follow(page, reverse("documents:create"))
    form = page.locator("main form[method=post]")
    form.locator('select[name="kind"]').select_option(DocumentKind.DIGITAL_DIVIDE.value)
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('textarea[name="description"]').fill(DESCRIPTION)
    submit(page)
    document = Document.objects.get(title=TITLE)
    assert path_of(page) == reverse("documents:detail", args=[document.pk])
    expect(heading).to_contain_text(TITLE)

    follow(page, reverse("documents:version_new", args=[document.pk]))
    page.locator('main input[name="label"]').fill(FIRST_LABEL)
    submit(page)
    first = document.versions.get(label=FIRST_LABEL)
    assert path_of(page) == version_url(first)
    expect(heading).to_contain_text(label_ja(Version.State.DRAFT))

    # Three sections through the forms, one of them a subsection.
    basics = add_section(page, first, BASICS, BASICS_BODY)
    local = add_section(page, first, LOCAL, LOCAL_BODY, parent=basics)
    setup = add_section(page, first, SETUP, SETUP_BODY)
    expect(page.locator("main .document-text h3")).to_have_count(3)
    for section, number in ((basics, "1"), (local, "1.1"), (setup, "2")):
        expect(section_block(page, section).locator("h3")).to_contain_text(
            f"{number} {section.heading}"
        )
    expect(section_block(page, local)).to_have_class("doc-section doc-section--unchanged depth-1")

    # 2. Adoption is true (item 1): with no held deciding meeting that had the version on its
    # agenda, the form says so and offers nothing.
    secretary = demo.people["jimukyoku"]
    follow(page, reverse("documents:version_adopt", args=[first.pk]))
    expect(page.locator("main .no-deciding-meeting")).to_contain_text(
        ja("No held deciding meeting has this version on its agenda.")
    )
    expect(page.locator('main select[name="meeting"]')).to_have_count(0)
    # The demo's 5th headquarters meeting (held about three weeks ago) had it on its agenda;
    # so did a held expert exchange and the 7th meeting (planned): neither of those decides
    # it, and they are not offered.
    hq = MeetingSeries.objects.get(name="デジタル化推進本部会議")
    fifth, seventh = hq.meetings.get(number=5), hq.meetings.get(number=7)
    exchange = Meeting.objects.filter(
        series__kind=MeetingKind.EXCHANGE, status=Meeting.Status.HELD
    ).first()
    meetings.agenda_item_create(actor=secretary, meeting=exchange, title=f"{TITLE}について")
    for meeting in (fifth, exchange, seventh):
        put_on_agenda(meeting, first, secretary)
    held_on = timezone.localtime(fifth.starts_at).date()
    page.goto(f"{base}{version_url(first)}")
    record_adoption(
        page,
        first,
        fifth,
        title=FIRST_LABEL,
        refusals=[
            (
                timezone.localdate() + timedelta(days=21),
                ja("The decision date is in the future: a decision is recorded once it is taken."),
            ),
            (
                held_on - timedelta(days=1),
                ja("%(meeting)s was held on %(date)s: the decision date is the day of the meeting.")
                % {"meeting": "第5回デジタル化推進本部会議", "date": wareki_date(held_on)},
            ),
        ],
    )
    expect(heading).to_contain_text(label_ja(Version.State.ADOPTED))
    first.refresh_from_db()
    assert first.state == Version.State.ADOPTED and first.adopted_on == held_on
    assert first.adopted_by_id == str(fifth.pk)

    # 3. A revision starts as a copy of the adopted version.
    follow(page, reverse("documents:version_revise", args=[first.pk]))
    page.locator('main input[name="label"]').fill(REVISION_LABEL)
    submit(page)
    revision = document.versions.get(label=REVISION_LABEL)
    assert revision.based_on_id == first.pk
    assert path_of(page) == version_url(revision)
    copies = {s.heading: s for s in revision.sections.all()}
    assert set(copies) == {BASICS, LOCAL, SETUP}

    # Edit one section (改定), add one (追加), remove one (削除).
    edit_section(page, copies[SETUP], SETUP_REVISED)
    review = add_section(page, revision, REVIEW, REVIEW_BODY)
    follow(page, reverse("documents:section_remove", args=[copies[LOCAL].pk]))
    submit(page)
    expect_message(page, "The section was removed.")

    # 4. The version page marks each change, and counts them.
    page.goto(f"{base}{version_url(revision)}")
    revised_block = section_block(page, copies[SETUP])
    expect(revised_block.locator("h3 .badge").first).to_have_text(label_ja(Section.Change.REVISED))
    expect(revised_block).to_contain_text(SETUP_REVISED)
    expect(section_block(page, review).locator("h3 .badge").first).to_have_text(
        label_ja(Section.Change.ADDED)
    )
    removed_block = section_block(page, copies[LOCAL])
    expect(removed_block.locator("h3 .badge").first).to_have_text(label_ja(Section.Change.REMOVED))
    expect(removed_block.locator("del")).to_contain_text(LOCAL_BODY)
    expect(section_block(page, copies[BASICS]).locator("h3 .badge")).to_have_count(0)
    counts = page.locator("main dl.detail-list dd .badge")
    expect(counts).to_have_text(
        [f"{ja(name)} 1" for name in ("revised", "added", "removed", "unchanged")]
    )

    # 5. Compare with the adopted version: character-level marks and the summary.
    follow(page, reverse("documents:compare", args=[revision.pk]))
    summary = page.locator("main p.lead")
    expect(summary).to_contain_text(f"{FIRST_LABEL} → {REVISION_LABEL}")
    expect(summary.locator(".badge")).to_have_text(
        [f"{ja(name)} 1" for name in ("revised", "added", "removed", "unchanged")]
    )
    rows = page.locator("main section.diff-row")
    expect(rows).to_have_count(3)  # revised, added, removed (unchanged ones are not listed)
    revised_row = rows.filter(has=page.locator("h2", has_text=SETUP))
    spans = diff.char_diff(SETUP_BODY, SETUP_REVISED)
    deleted = [s.text for s in spans if s.op == "delete"]
    inserted = [s.text for s in spans if s.op == "insert"]
    assert deleted == ["担当課が"] and inserted == ["全庁で"]  # the sentence pair is as meant
    expect(revised_row.locator("td.diff-before del")).to_have_text(deleted)
    expect(revised_row.locator("td.diff-after ins")).to_have_text(inserted)
    expect(revised_row.locator("td.diff-before")).to_have_text(SETUP_BODY)
    expect(revised_row.locator("td.diff-after")).to_have_text(SETUP_REVISED)
    added_row = rows.filter(has=page.locator("h2", has_text=REVIEW))
    expect(added_row.locator("h2 ins")).to_have_text(REVIEW)
    expect(added_row.locator("td.diff-after ins")).to_have_text(REVIEW_BODY)
    removed_row = rows.filter(has=page.locator("h2", has_text=LOCAL))
    expect(removed_row.locator("h2 del")).to_have_text(LOCAL)
    expect(removed_row.locator("td.diff-before del")).to_have_text(LOCAL_BODY)
    # The same, inline.
    page.locator('main form.filters select[name="mode"]').select_option("inline")
    with page.expect_navigation():
        page.locator('main form.filters button[type="submit"]').click()
    inline = rows.filter(has=page.locator("h2", has_text=SETUP)).locator("p.diff-inline")
    expect(inline.locator("del")).to_have_text(deleted)
    expect(inline.locator("ins")).to_have_text(inserted)

    # 6. Check terms: ICT (→ デジタル技術) and 情報化 (→ デジタル化) are listed.
    page.goto(f"{base}{version_url(revision)}")
    follow(page, reverse("documents:terms", args=[revision.pk]))
    digital = GlossaryTerm.objects.get(preferred="デジタル化")
    technology = GlossaryTerm.objects.get(preferred="デジタル技術")
    digital_rows = page.locator(f"main section#term-{digital.pk} tbody tr")
    technology_rows = page.locator(f"main section#term-{technology.pk} tbody tr")
    expect(digital_rows).to_have_count(1)
    expect(digital_rows.locator("th")).to_contain_text("情報化")
    expect(digital_rows.locator("mark")).to_have_text("情報化")
    expect(digital_rows).to_contain_text(f"1 {BASICS}")
    expect(technology_rows).to_have_count(1)
    expect(technology_rows.locator("mark")).to_have_text("ICT")

    # Replace one occurrence (情報化 → デジタル化) …
    with page.expect_navigation():
        digital_rows.locator('form button[type="submit"]').click()
    assert path_of(page) == reverse("documents:terms", args=[revision.pk])
    expect(page.locator("main .messages")).to_contain_text("デジタル化")
    expect(page.locator(f"main section#term-{digital.pk}")).to_have_count(0)
    # … then every ICT of the version, after a confirmation page.
    follow(page, reverse("documents:terms_replace_all", args=[revision.pk, technology.pk]))
    expect(page.locator("main p.lead")).to_contain_text("デジタル技術")
    submit(page)
    assert path_of(page) == reverse("documents:terms", args=[revision.pk])
    expect(page.locator("main .messages")).to_contain_text("デジタル技術")
    expect(page.locator("main .empty-state")).to_have_text(
        ja("The terms are consistent: no variant of a glossary term was found.")
    )
    page.goto(f"{base}{version_url(revision)}")
    expect(section_block(page, copies[BASICS])).to_contain_text(BASICS_UNIFIED)
    expect(section_block(page, copies[BASICS])).not_to_contain_text("ICT")
    copies[BASICS].refresh_from_db()
    assert copies[BASICS].body == BASICS_UNIFIED
    assert copies[BASICS].change == Section.Change.REVISED

    # 7. Open for comments until two weeks from now.
    deadline = timezone.localdate() + timedelta(weeks=2)
    follow(page, reverse("documents:version_consultation", args=[revision.pk]))
    page.locator('main input[name="deadline"]').fill(deadline.isoformat())
    submit(page)
    assert path_of(page) == version_url(revision)
    expect(heading).to_contain_text(label_ja(Version.State.CONSULTATION))
    # Drafting is over: no more section editing.
    edit_review = reverse("documents:section_edit", args=[review.pk])
    expect(page.locator(f'main a[href="{edit_review}"]')).to_have_count(0)

    # 8. A headquarters member comments on a section and endorses the text.
    comments_url = reverse("documents:section_comments", args=[copies[SETUP].pk])
    endorse_url = reverse("documents:endorse", args=[revision.pk])
    switch_user(page, live_server, "honbuin")
    page.goto(f"{base}{version_url(revision)}")
    follow(page, comments_url)
    expect(page.locator("main blockquote")).to_contain_text(SETUP_REVISED)
    page.locator('main textarea[name="body"]').fill(COMMENT)
    submit(page)
    assert path_of(page) == comments_url
    expect_message(page, "Your comment was posted.")
    comment_item = page.locator("main ol.comments > li")
    expect(comment_item).to_have_count(1)
    expect(comment_item).to_contain_text(COMMENT)
    expect(comment_item).to_contain_text(demo.people["honbuin"].full_name)
    expect(comment_item.locator(".badge")).to_have_text(label_ja(Comment.Resolution.OPEN))

    page.goto(f"{base}{version_url(revision)}")
    follow(page, endorse_url)
    page.locator('main input[name="stance"][value="endorse"]').check()
    submit(page)
    assert path_of(page) == version_url(revision)
    expect_message(page, "Your position was recorded.")

    # A staff member objects, with a note.
    switch_user(page, live_server, "shokuin")
    page.goto(f"{base}{version_url(revision)}")
    follow(page, endorse_url)
    page.locator('main input[name="stance"][value="object"]').check()
    page.locator('main textarea[name="note"]').fill(OBJECTION)
    submit(page)
    sharing = page.locator("main section#sharing")
    tallies = ("endorsements", "objections", "comments", "awaiting a response")
    expect(sharing.locator("p").first.locator(".badge")).to_have_text(
        [f"{ja(name)} 1" for name in tallies]
    )
    expect(sharing.locator("ul.objections")).to_contain_text(
        f"{demo.people['shokuin'].full_name}: {OBJECTION}"
    )
    assert dict(revision.endorsements.values_list("person__username", "stance")) == {
        "honbuin": Endorsement.Stance.ENDORSE,
        "shokuin": Endorsement.Stance.OBJECT,
    }

    # The form has no preselected stance (item 5), and a position can be on one section.
    follow(page, f"{endorse_url}?section={copies[BASICS].pk}")
    expect(page.locator('main input[name="stance"]')).to_have_count(2)
    for radio in page.locator('main input[name="stance"]').all():
        expect(radio).not_to_be_checked()
    expect(page.locator('main select[name="section"]')).to_have_value(str(copies[BASICS].pk))
    page.locator('main input[name="stance"][value="endorse"]').check()
    submit(page)
    assert revision.endorsements.filter(
        person__username="shokuin", section=copies[BASICS], stance="endorse"
    ).exists()

    # 9. Back to draft asks first (item 4): it would end the consultation with one comment
    # and one objection unanswered. The secretariat cancels.
    switch_user(page, live_server, "jimukyoku")
    page.goto(f"{base}{version_url(revision)}")
    follow(page, reverse("documents:version_to_draft", args=[revision.pk]))
    expect(page.locator("main p.lead")).to_contain_text(
        ja("Still without an answer: %(waiting)s.") % {"waiting": waiting_ja(1, 1)}
    )
    follow(page, version_url(revision))
    revision.refresh_from_db()
    assert revision.state == Version.State.CONSULTATION
    # Adoption waits for the answers (item 2): the adoption page says what is open.
    follow(page, reverse("documents:version_adopt", args=[revision.pk]))
    expect(page.locator("main .message--warning")).to_contain_text(
        ja("Answer them before adoption.")
    )

    # The secretariat responds to the objection, as to a comment (不採用 needs a reason).
    objection = revision.endorsements.get(person__username="shokuin", section__isnull=True)
    page.goto(f"{base}{version_url(revision)}")
    follow(page, reverse("documents:objection_answer", args=[objection.pk]))
    expect(page.locator("main p.lead")).to_contain_text(OBJECTION)
    page.locator('main select[name="resolution"]').select_option(Comment.Resolution.DECLINED)
    with page.expect_navigation():
        page.locator('main form[method=post] button[type="submit"]').click()
    expect(page.locator("main .form-errors")).to_be_visible()
    page.locator('main textarea[name="resolution_note"]').fill(OBJECTION_ANSWER)
    submit(page)
    expect(page.locator(f"main #objection-{objection.pk}")).to_contain_text(OBJECTION_ANSWER)

    # The secretariat responds to the comment (反映, with a note).
    page.goto(f"{base}{comments_url}")
    comment = Comment.objects.get(section=copies[SETUP])
    follow(page, reverse("documents:comment_answer", args=[comment.pk]))
    expect(page.locator("main p.lead")).to_contain_text(COMMENT)
    page.locator('main select[name="resolution"]').select_option(Comment.Resolution.REFLECTED)
    page.locator('main textarea[name="resolution_note"]').fill(ANSWER)
    submit(page)
    assert path_of(page) == comments_url
    comment_item = page.locator("main ol.comments > li")
    expect(comment_item.locator(".badge")).to_have_text(label_ja(Comment.Resolution.REFLECTED))
    expect(comment_item).to_contain_text(ANSWER)

    # The objector sees the answer.
    switch_user(page, live_server, "shokuin")
    page.goto(f"{base}{version_url(revision)}")
    expect(page.locator("main ul.my-positions")).to_contain_text(OBJECTION_ANSWER)

    # 10. Adoption at a meeting of a series the secretariat marks as deciding (a committee),
    # held yesterday with the revision on its agenda; the title drops 案 (item 3).
    switch_user(page, live_server, "jimukyoku")
    page.goto(f"{base}{reverse('meetings:series_create')}")
    form = page.locator("main form[method=post]")
    form.locator('input[name="name"]').fill(COMMITTEE)
    form.locator('select[name="kind"]').select_option(MeetingKind.TEAM.value)
    form.locator('input[name="decides"]').check()
    submit(page)
    assert MeetingSeries.objects.get(name=COMMITTEE).decides
    committee = meeting_with(
        revision, actor=secretary, name=COMMITTEE, kind=MeetingKind.TEAM, held=True
    )
    page.goto(f"{base}{version_url(revision)}")
    meeting_label = record_adoption(page, revision, committee, title=ADOPTED_LABEL)
    expect(heading).to_contain_text(label_ja(Version.State.ADOPTED))
    expect(heading).to_contain_text(ADOPTED_LABEL)
    revision.refresh_from_db()
    first.refresh_from_db()
    assert revision.state == Version.State.ADOPTED and revision.label == ADOPTED_LABEL
    assert revision.adopted_by_type == "meetings.meeting" and revision.adopted_by_label
    assert first.state == Version.State.SUPERSEDED
    page.goto(f"{base}{reverse('documents:detail', args=[document.pk])}")
    versions = page.locator("main table.data-table tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text(label_ja(Version.State.ADOPTED))
    expect(versions.nth(0)).to_contain_text(meeting_label)
    expect(versions.nth(1)).to_contain_text(label_ja(Version.State.SUPERSEDED))

    # 11. Word and PDF.
    page.goto(f"{base}{version_url(revision)}")
    word = download(
        page, reverse("documents:export", args=[revision.pk, "docx"]), tmp_path / "rev.docx"
    )
    paragraphs = docx_paragraphs(word)
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings == [f"1 {BASICS}", f"2 {SETUP}", f"3 {REVIEW}"], headings
    texts = [text for _style, text in paragraphs]
    assert TITLE in texts and ADOPTED_LABEL in texts
    assert BASICS_UNIFIED in texts and SETUP_REVISED in texts
    assert not any("ICT" in text or "情報化" in text for text in texts)
    assert not any(LOCAL in text for text in texts)  # removed

    pdf = download(
        page, reverse("documents:export", args=[revision.pk, "pdf"]), tmp_path / "rev.pdf"
    )
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(content)).pages) >= 1

    # 12. Published: anyone reads the adopted version and its history, not a draft.
    logout(page)
    response = page.goto(f"{base}{reverse('documents:public_list')}")
    assert response.status == 200
    expect(page.locator("header nav.site-nav")).to_have_count(0)
    public_document = reverse("documents:public_document", args=[document.pk])
    expect(page.locator(f'main a[href="{public_document}"]')).to_have_text(TITLE)
    follow(page, public_document)
    history = page.locator("main ol[reversed] > li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text(ADOPTED_LABEL)
    expect(history.nth(0)).to_contain_text(meeting_label)
    expect(history.nth(1)).to_contain_text(FIRST_LABEL)
    expect(history.nth(1)).to_contain_text(label_ja(Version.State.SUPERSEDED))
    follow(page, reverse("documents:public_version", args=[revision.pk]))
    expect(heading).to_contain_text(f"{TITLE} {ADOPTED_LABEL}")
    public_sections = page.locator("main section.doc-section")
    expect(public_sections.locator("h2")).to_have_text([f"1 {BASICS}", f"2 {SETUP}", f"3 {REVIEW}"])
    expect(public_sections.nth(0)).to_contain_text(BASICS_UNIFIED)
    expect(public_sections.nth(1)).to_contain_text(SETUP_REVISED)
    expect(page.locator("main")).not_to_contain_text(LOCAL_BODY)
    # The superseded version is public too, marked as not in force.
    response = page.goto(f"{base}{reverse('documents:public_version', args=[first.pk])}")
    assert response.status == 200
    expect(page.locator("main p[role=status]")).to_have_text(
        ja("This is not the version in force.")
    )
    # Versions not adopted are not: a draft, and the demo's revision open for comments.
    not_adopted = [
        ("オープンデータガイドライン", "改定版（案）"),
        ("デジタル強靱化戦略", "改定案（第6回本部会議）"),
    ]
    for title, label in not_adopted:
        hidden = Version.objects.get(document__title=title, label=label)
        assert hidden.state in (Version.State.DRAFT, Version.State.CONSULTATION)
        response = page.goto(f"{base}{reverse('documents:public_version', args=[hidden.pk])}")
        assert response.status == 404, f"{title} {label}: {response.status}"
        response = page.goto(
            f"{base}{reverse('documents:public_export', args=[hidden.pk, 'docx'])}"
        )
        assert response.status == 404


def test_secretariat_adds_a_subsection_through_the_form(page, live_server, demo):
    parent = Section.objects.get(
        version__document__title="オープンデータガイドライン", heading="公開の原則"
    )
    version = parent.version
    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{version_url(version)}")
    child = add_section(page, version, "ファイル形式", "CSV形式を基本とする。", parent=parent)
    assert child.parent_id == parent.pk and child.depth == 1
    expect(section_block(page, child).locator("h3")).to_contain_text("2.1 ファイル形式")


# --- editing the same section in two browsers --------------------------------------------------


def test_edit_conflict_keeps_the_typed_text_and_saves_it_on_the_second_try(
    new_page, live_server, demo
):
    section = Section.objects.get(
        version__document__title="オープンデータガイドライン", heading="目的"
    )
    version = section.version
    assert version.state == Version.State.DRAFT
    edit_url = f"{live_server.url}{reverse('documents:section_edit', args=[section.pk])}"
    mine_text = "行政データを機械判読可能な形で公開し、市民・事業者・大学の利活用を促す。"
    theirs_text = "行政データをオープンデータとして公開し、地域課題の解決に生かす。"

    first, second = new_page(), new_page()
    for browser_page in (first, second):
        login(browser_page, live_server, "jimukyoku")
        browser_page.goto(edit_url)
        expect(browser_page.locator('main textarea[name="body"]')).to_have_value(section.body)

    # The first browser saves.
    first.locator('main textarea[name="body"]').fill(theirs_text)
    submit(first)
    assert path_of(first) == version_url(version)
    expect(section_block(first, section)).to_contain_text(theirs_text)

    # The second saves from the text it opened: refused, with the other's text shown.
    second.locator('main textarea[name="body"]').fill(mine_text)
    with second.expect_navigation() as navigation:
        second.locator('main form[method=post] button[type="submit"]').click()
    assert navigation.value.status == 409
    assert path_of(second) == reverse("documents:section_edit", args=[section.pk])
    expect(second.locator("main .form-errors[role=alert]")).to_contain_text(
        demo.people["jimukyoku"].full_name
    )
    expect(second.locator("main .diff-before")).to_have_text(theirs_text)
    expect(second.locator("main p.diff-inline")).to_be_visible()
    expect(second.locator("main p.diff-inline ins").first).to_be_visible()
    expect(second.locator('main textarea[name="body"]')).to_have_value(mine_text)
    section.refresh_from_db()
    assert section.body == theirs_text

    # Saving again replaces their text with the typed one.
    submit(second)
    assert path_of(second) == version_url(version)
    expect_message(second, "The section was saved.")
    expect(section_block(second, section)).to_contain_text(mine_text)
    section.refresh_from_db()
    assert section.body == mine_text


# --- import from Word ---------------------------------------------------------------------------


IMPORTED = [
    ("目的", "市民の声を施策に反映する仕組みを整える。"),
    ("進め方", "意見募集の結果を毎月公表し、対応状況を示す。"),
]


def word_file(path: Path) -> Path:
    document = docx.Document()
    for heading, body in IMPORTED:
        document.add_heading(heading, level=1)
        document.add_paragraph(body)
    document.save(str(path))
    return path


def test_import_from_word_refuses_a_non_docx_then_splits_a_docx_at_its_headings(
    page, live_server, demo, tmp_path
):
    title = "市民意見の反映方針"
    label = "令和7年度版（Word取込）"
    login(page, live_server, "jimukyoku")
    page.goto(f"{live_server.url}{reverse('documents:create')}")
    form = page.locator("main form[method=post]")
    form.locator('select[name="kind"]').select_option(DocumentKind.OTHER.value)
    form.locator('input[name="title"]').fill(title)
    submit(page)
    document = Document.objects.get(title=title)
    import_url = reverse("documents:import", args=[document.pk])

    # A text file renamed .docx is refused, under the file field; the label is kept.
    follow(page, import_url)
    fake = tmp_path / "memo.docx"
    fake.write_text("これはWordの文書ではありません。", encoding="utf-8")
    page.locator('main input[name="label"]').fill(label)
    page.locator('main input[name="file"]').set_input_files(str(fake))
    with page.expect_navigation() as navigation:
        page.locator('main form[method=post] button[type="submit"]').click()
    assert navigation.value.status == 200
    assert path_of(page) == import_url
    expect(page.locator("main .form-errors[role=alert]")).to_be_visible()
    file_field = page.locator("main .form-field").filter(has=page.locator('input[name="file"]'))
    expect(file_field.locator(".errorlist")).to_have_text(
        ja("This file is not a Word document (.docx).")
    )
    expect(page.locator('main input[name="label"]')).to_have_value(label)
    assert not document.versions.exists()

    # A real Word file becomes a new draft, one section per heading.
    page.locator('main input[name="file"]').set_input_files(str(word_file(tmp_path / "方針.docx")))
    submit(page)
    version = document.versions.get()
    assert path_of(page) == version_url(version)
    assert version.label == label and version.state == Version.State.DRAFT
    expect_message(page, "The Word document was imported as a new draft.")
    blocks = page.locator("main .document-text section.doc-section")
    expect(blocks.locator("h3")).to_have_text([f"{n} {h}" for n, (h, _b) in enumerate(IMPORTED, 1)])
    for index, (_heading, body) in enumerate(IMPORTED):
        expect(blocks.nth(index)).to_contain_text(body)
    assert list(version.sections.order_by("path").values_list("heading", "body", "depth")) == [
        (h, b, 0) for h, b in IMPORTED
    ]
