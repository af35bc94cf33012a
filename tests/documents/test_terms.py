"""The terminology check: matching across width, case and kana with positions in the
original text, word boundaries, replacements, and the check page with its replace actions."""

import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.documents import services, terms
from kyokan.apps.documents.models import GlossaryTerm, Section
from kyokan.apps.documents.services import SectionData
from kyokan.apps.documents.terms import (
    Occurrence,
    check_text,
    check_version,
    compile_terms,
    normalise,
    replace_all,
    replace_one,
)
from tests.documents.adoption import adopt

CITY_STAFF = [
    Role.SECRETARIAT,
    Role.HQ_CHIEF,
    Role.HQ_DEPUTY,
    Role.HQ_MEMBER,
    Role.PROMOTER,
    Role.STAFF,
    Role.SYSADMIN,
]


def _term(pk, preferred, *variants) -> GlossaryTerm:
    return GlossaryTerm(pk=pk, preferred=preferred, variants="\n".join(variants))


DIGITAL = _term(1, "デジタル化", "情報化", "IT化", "ICT化")
DX = _term(2, "DX")
ELECTRONIC = _term(3, "デジタル", "電子")


def _check(text, *glossary):
    return check_text(text, compile_terms(glossary or (DIGITAL, DX)), section_id=7)


def _found(text, *glossary):
    return [(o.matched, o.preferred) for o in _check(text, *glossary)]


# --- normalisation --------------------------------------------------------------------------


def test_width_case_and_kana_variants_normalise_alike():
    assert normalise("ＤＸ") == normalise("ｄｘ") == normalise("DX") == normalise("dx")
    assert normalise("ﾃﾞｼﾞﾀﾙ化") == normalise("デジタル化") == normalise("でじたる化")
    assert normalise("ｶﾞﾊﾞﾅﾝｽ") == normalise("ガバナンス")
    assert normalise("ﾊﾟﾌﾞﾘｯｸ") == normalise("パブリック")


@pytest.mark.parametrize("written", ["ＤＸ", "ｄｘ", "dx", "Dx"])
def test_width_and_case_forms_of_a_latin_term_are_found(written):
    text = f"本市の{written}を進める。"
    [occurrence] = _check(text)
    assert occurrence.matched == written
    assert occurrence.preferred == "DX"
    assert occurrence.variant == "DX"
    assert text[occurrence.start : occurrence.end] == written


@pytest.mark.parametrize("written", ["ﾃﾞｼﾞﾀﾙ化", "でじたる化", "ﾃﾞｼﾞﾀﾙ化"])
def test_width_and_kana_forms_of_the_preferred_term_are_found(written):
    text = f"行政の{written}を推進する。"
    [occurrence] = _check(text)
    assert occurrence.matched == written
    assert occurrence.preferred == "デジタル化"
    assert (occurrence.start, occurrence.end) == (3, 3 + len(written))


def test_listed_variants_are_found_in_any_width_or_case():
    found = _found("ＩＣＴ化と ict化 とIT化と情報化を進める。")
    assert found == [
        ("ＩＣＴ化", "デジタル化"),
        ("ict化", "デジタル化"),
        ("IT化", "デジタル化"),
        ("情報化", "デジタル化"),
    ]


def test_the_exact_preferred_spelling_is_not_an_occurrence():
    assert _check("デジタル化とDXを推進する。") == []


def test_a_variant_inside_the_exact_preferred_term_is_not_reported():
    # 「デジタル」 is a variant-bearing term of its own, but inside a correctly written
    # 「デジタル化」 the longer (correct) spelling wins.
    assert _check("デジタル化を進める。", DIGITAL, ELECTRONIC) == []


def test_enclosed_characters_do_not_shift_positions():
    # NFKC makes ㈱ three characters and ① one: the positions must still be the original's.
    text = "㈱①②情報化、㈲ＤＸ"
    occurrences = _check(text)
    assert [(o.matched, o.start, o.end) for o in occurrences] == [("情報化", 3, 6), ("ＤＸ", 8, 10)]
    for o in occurrences:
        assert text[o.start : o.end] == o.matched


def test_no_match_starts_inside_an_expanded_character():
    # ㈱ normalises to "(株)"; a term 「株」 must not match half of it.
    assert _check("㈱テスト", _term(9, "株式会社", "株")) == []


def test_the_original_text_is_never_normalised():
    text = "㈱①ﾃﾞｼﾞﾀﾙ化"
    [occurrence] = _check(text)
    assert occurrence.matched == "ﾃﾞｼﾞﾀﾙ化"
    assert replace_one(text, occurrence, "デジタル化") == "㈱①デジタル化"


def test_overlapping_matches_keep_the_longest():
    glossary = (_term(1, "デジタル化", "情報化"), _term(2, "情報技術", "情報"))
    assert _found("情報化を進め、情報を集める。", *glossary) == [
        ("情報化", "デジタル化"),
        ("情報", "情報技術"),
    ]


def test_context_is_at_most_twenty_characters_each_side():
    text = "あ" * 30 + "ＤＸ" + "い" * 30
    [occurrence] = _check(text)
    assert occurrence.before == "あ" * 20
    assert occurrence.after == "い" * 20
    short = _check("ＤＸ")[0]
    assert (short.before, short.after) == ("", "")


def test_positions_are_right_in_long_multi_line_text():
    line = "本市は行政サービスの向上に取り組む。" * 300  # longer than one Sudachi chunk
    text = f"{line}\n{line}ＤＸを推進する。\n電子化"
    occurrences = _check(text, DX, ELECTRONIC)
    assert [o.matched for o in occurrences] == ["ＤＸ", "電子"]
    for o in occurrences:
        assert text[o.start : o.end] == o.matched
    assert occurrences[0].inside_word is False
    assert occurrences[1].inside_word is True


# --- word boundaries -----------------------------------------------------------------------


def test_a_variant_inside_a_longer_word_is_flagged():
    occurrences = _check("電子化を進め、電子の署名を使う。", ELECTRONIC)
    assert [(o.matched, o.start, o.inside_word) for o in occurrences] == [
        ("電子", 0, True),  # 「電子化」 is one word
        ("電子", 7, False),
    ]


def test_latin_letters_inside_a_longer_token_are_flagged():
    occurrences = _check("ITSとIT", _term(5, "情報技術", "IT"))
    assert [(o.matched, o.inside_word) for o in occurrences] == [("IT", True), ("IT", False)]


# --- replacing ---------------------------------------------------------------------------------


def test_replace_one():
    text = "情報化とICT化を進める。"
    first, second = _check(text)
    assert replace_one(text, second, "デジタル化") == "情報化とデジタル化を進める。"
    assert replace_one(text, first, "デジタル化") == "デジタル化とICT化を進める。"


def test_replace_all_works_backwards_and_keeps_other_text():
    text = "情報化とＩＣＴ化、そしてでじたる化。ＤＸも。"
    occurrences = [o for o in _check(text) if o.preferred == "デジタル化"]
    assert replace_all(text, occurrences, "デジタル化") == (
        "デジタル化とデジタル化、そしてデジタル化。ＤＸも。"
    )


def test_replace_all_skips_occurrences_inside_a_longer_word():
    text = "電子化を進め、電子の署名を使う。"
    occurrences = _check(text, ELECTRONIC)
    assert replace_all(text, occurrences, "デジタル") == "電子化を進め、デジタルの署名を使う。"


def test_replacing_inside_a_word_needs_confirmation():
    text = "電子化を進める。"
    [occurrence] = _check(text, ELECTRONIC)
    with pytest.raises(ValidationError):
        replace_one(text, occurrence, "デジタル")
    assert (
        replace_one(text, occurrence, "デジタル", confirm_inside_word=True)
        == "デジタル化を進める。"
    )


def test_a_stale_occurrence_is_refused():
    text = "情報化を進める。"
    [occurrence] = _check(text)
    changed = "本市は" + text
    with pytest.raises(ValidationError) as excinfo:
        replace_one(changed, occurrence, "デジタル化")
    assert excinfo.value.code == "stale"
    with pytest.raises(ValidationError):
        replace_all(changed, [occurrence], "デジタル化")


def test_occurrence_is_a_frozen_value():
    [occurrence] = _check("ＤＸ")
    assert isinstance(occurrence, Occurrence)
    with pytest.raises(AttributeError):
        occurrence.start = 3


# --- check_version ---------------------------------------------------------------------------


@pytest.fixture
def glossary(sysadmin):
    digital = services.term_create(
        actor=sysadmin, preferred="デジタル化", reading="でじたるか", variants="情報化\nICT化"
    )
    electronic = services.term_create(actor=sysadmin, preferred="デジタル", variants="電子")
    return {"digital": digital, "electronic": electronic}


def _version(sysadmin, sections, title="デジタル強靱化戦略"):
    document = services.document_create(actor=sysadmin, kind="strategy", title=title)
    return services.version_create(
        actor=sysadmin,
        document=document,
        label="令和6年度版",
        sections=[SectionData(heading, body) for heading, body in sections],
    )


@pytest.fixture
def draft(sysadmin, glossary):
    return _version(
        sysadmin,
        [
            ("基本方針", "行政の情報化を進め、ＩＣＴ化を図る。"),
            ("施策", "電子化を進め、電子の申請を広げる。"),
            ("目指す姿", "デジタル化された市役所。"),
        ],
    )


def _sections(version) -> list[Section]:
    return list(version.sections.order_by("path"))


def test_check_version_reads_every_section_in_order(draft, glossary):
    first, second, _third = _sections(draft)
    found = [(o.section_id, o.matched, o.inside_word) for o in check_version(draft)]
    assert found == [
        (first.pk, "情報化", False),
        (first.pk, "ＩＣＴ化", False),
        (second.pk, "電子", True),
        (second.pk, "電子", False),
    ]


def test_check_version_skips_removed_sections(draft):
    first = _sections(draft)[0]
    Section.objects.filter(pk=first.pk).update(change=Section.Change.REMOVED)
    assert {o.section_id for o in check_version(draft)} == {_sections(draft)[1].pk}


def test_check_is_quick_for_a_large_version(sysadmin):
    glossary = [
        _term(i, f"用語{i}", f"表記{i}", f"ﾋｮｳｷ{i}", f"ひょうき{i}ご") for i in range(1, 18)
    ] + [DIGITAL, DX, ELECTRONIC]
    paragraph = "本市は情報化を進め、ＩＣＴ化と電子化で市民サービスの向上を図る。表記3も。"
    body = (paragraph * 20)[:600]
    version = _version(sysadmin, [(f"第{i}節", body) for i in range(300)], title="大きな文書")
    terms.tokenizer()
    started = time.perf_counter()
    occurrences = check_version(version, terms=glossary)
    elapsed = time.perf_counter() - started
    assert len(occurrences) > 300 * 10
    assert elapsed < 3  # about 0.3 s in development; generous for slow CI machines


# --- the check page ----------------------------------------------------------------------


def _english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("role", CITY_STAFF)
def test_city_staff_see_the_check(role, client_as, draft):
    response = client_as(role).get(reverse("documents:terms", args=[draft.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    first, second, _third = _sections(draft)
    assert "<mark>ＩＣＴ化</mark>" in body
    assert "行政の<mark>情報化</mark>" in body
    assert f"{reverse('documents:version', args=[draft.pk])}#section-{first.pk}" in body
    assert f"#section-{second.pk}" in body
    assert "基本方針" in body


@pytest.mark.parametrize("role", [Role.EXPERT, Role.CITIZEN])
def test_experts_and_citizens_may_not_see_the_check(role, client_as, draft):
    assert client_as(role).get(reverse("documents:terms", args=[draft.pk])).status_code == 403


def test_anonymous_goes_to_login(client_as, draft):
    response = client_as("anonymous").get(reverse("documents:terms", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_shows_counts_and_the_inside_word_badge(client_as, draft):
    body = _english(client_as(Role.STAFF)).get(reverse("documents:terms", args=[draft.pk]))
    text = body.content.decode()
    assert "inside a longer word" in text
    assert "2 occurrences" in text
    assert "4 spellings to unify" in text


def test_only_the_secretariat_gets_replace_forms_on_a_draft(client_as, draft):
    url = reverse("documents:terms", args=[draft.pk])
    replace_url = reverse("documents:terms_replace", args=[draft.pk])
    assert replace_url in client_as(Role.SECRETARIAT).get(url).content.decode()
    for role in [Role.HQ_CHIEF, Role.STAFF, Role.SYSADMIN]:
        assert replace_url not in client_as(role).get(url).content.decode()


def test_a_consistent_version_shows_the_empty_state(sysadmin, client_as, glossary):
    version = _version(sysadmin, [("方針", "デジタル化を進める。")])
    body = _english(client_as(Role.STAFF)).get(reverse("documents:terms", args=[version.pk]))
    assert 'class="empty-state"' in body.content.decode()
    assert "The terms are consistent" in body.content.decode()


# --- replacing from the page -------------------------------------------------------------


def _form(section, occurrence, **extra):
    return {
        "section": section.pk,
        "term": occurrence.term_id,
        "start": occurrence.start,
        "end": occurrence.end,
        "matched": occurrence.matched,
        "revision": section.revision,
        **extra,
    }


def _occurrence(version, matched, *, inside=None):
    return next(
        o
        for o in check_version(version)
        if o.matched == matched and (inside is None or o.inside_word == inside)
    )


def _section_events(section):
    return AuditEvent.objects.filter(
        target_type="documents.section",
        target_id=str(section.pk),
        action=AuditEvent.Action.UPDATE,
    )


def test_replace_one_occurrence(client_as, draft):
    section = _sections(draft)[0]
    occurrence = _occurrence(draft, "ＩＣＴ化")
    response = client_as(Role.SECRETARIAT).post(
        reverse("documents:terms_replace", args=[draft.pk]), _form(section, occurrence)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:terms", args=[draft.pk])
    section.refresh_from_db()
    assert section.body == "行政の情報化を進め、デジタル化を図る。"
    assert section.revision == 2
    [event] = _section_events(section)
    assert "「ＩＣＴ化」" in event.summary and "「デジタル化」" in event.summary
    assert event.after["body"] == section.body


def test_replacing_inside_a_word_needs_the_confirmation_box(client_as, draft):
    section = _sections(draft)[1]
    occurrence = _occurrence(draft, "電子", inside=True)
    client = client_as(Role.SECRETARIAT)
    url = reverse("documents:terms_replace", args=[draft.pk])
    client.post(url, _form(section, occurrence))
    section.refresh_from_db()
    assert section.body == "電子化を進め、電子の申請を広げる。"
    assert section.revision == 1
    # The form carries no inside-word flag to forge: the server finds the occurrence again
    # in the current text. With the box ticked it is replaced.
    client.post(url, _form(section, occurrence, confirm="1"))
    section.refresh_from_db()
    assert section.body == "デジタル化を進め、電子の申請を広げる。"
    assert section.revision == 2


def test_a_stale_replace_is_refused(client_as, draft):
    section = _sections(draft)[0]
    occurrence = _occurrence(draft, "ＩＣＴ化")
    form = _form(section, occurrence)
    services.section_update(
        actor=section.updated_by,
        section=section,
        expected_revision=1,
        body="本市は" + section.body,
    )
    client = _english(client_as(Role.SECRETARIAT))
    response = client.post(reverse("documents:terms_replace", args=[draft.pk]), form, follow=True)
    assert "The text changed since the check" in response.content.decode()
    section.refresh_from_db()
    assert section.body == "本市は行政の情報化を進め、ＩＣＴ化を図る。"
    assert section.revision == 2


def test_a_changed_offset_is_refused(client_as, draft):
    section = _sections(draft)[0]
    occurrence = _occurrence(draft, "ＩＣＴ化")
    form = _form(section, occurrence, start=occurrence.start - 1)
    client_as(Role.SECRETARIAT).post(reverse("documents:terms_replace", args=[draft.pk]), form)
    section.refresh_from_db()
    assert section.revision == 1


def test_replace_all_asks_first_then_replaces_in_every_section(client_as, draft, glossary):
    client = client_as(Role.SECRETARIAT)
    url = reverse("documents:terms_replace_all", args=[draft.pk, glossary["digital"].pk])
    first, second, _third = _sections(draft)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "<form" in confirm.content.decode()
    first.refresh_from_db()
    assert first.revision == 1
    response = client.post(url)
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.body == "行政のデジタル化を進め、デジタル化を図る。"
    assert first.revision == 2
    assert _section_events(first).count() == 1  # one audited edit for the section
    second.refresh_from_db()
    assert second.revision == 1  # another term's variants are untouched


def test_replace_all_leaves_words_that_contain_the_variant(client_as, draft, glossary):
    url = reverse("documents:terms_replace_all", args=[draft.pk, glossary["electronic"].pk])
    client_as(Role.SECRETARIAT).post(url)
    second = _sections(draft)[1]
    assert second.body == "電子化を進め、デジタルの申請を広げる。"
    assert second.revision == 2


def test_replace_is_refused_on_an_adopted_version(sysadmin, client_as, draft, glossary):
    adopt(draft, actor=sysadmin, day=date(2024, 4, 1))
    section = _sections(draft)[0]
    occurrence = _occurrence(draft, "ＩＣＴ化")
    client = _english(client_as(Role.SECRETARIAT))
    page = client.get(reverse("documents:terms", args=[draft.pk])).content.decode()
    assert reverse("documents:terms_replace", args=[draft.pk]) not in page
    response = client.post(
        reverse("documents:terms_replace", args=[draft.pk]),
        _form(section, occurrence),
        follow=True,
    )
    assert "Only a draft can be edited" in response.content.decode()
    url = reverse("documents:terms_replace_all", args=[draft.pk, glossary["digital"].pk])
    client.post(url)
    section.refresh_from_db()
    assert section.revision == 1
    assert section.body == "行政の情報化を進め、ＩＣＴ化を図る。"


@pytest.mark.parametrize("role", [Role.HQ_CHIEF, Role.STAFF, Role.SYSADMIN, Role.EXPERT])
def test_only_the_secretariat_may_replace(role, client_as, draft, glossary):
    section = _sections(draft)[0]
    occurrence = _occurrence(draft, "ＩＣＴ化")
    client = client_as(role)
    assert (
        client.post(
            reverse("documents:terms_replace", args=[draft.pk]), _form(section, occurrence)
        ).status_code
        == 403
    )
    url = reverse("documents:terms_replace_all", args=[draft.pk, glossary["digital"].pk])
    assert client.post(url).status_code == 403
    section.refresh_from_db()
    assert section.revision == 1


# --- replace all is a service (issue 9, item 19) ------------------------------------------------


def test_replace_all_is_one_service_call_all_or_nothing(sysadmin, glossary, monkeypatch):
    version = _version(
        sysadmin, [("一", "情報化を進める。"), ("二", "ICT化を図る。"), ("三", "情報化の推進。")]
    )
    real = services.section_update
    calls = []

    def conflict_on_the_second(**kwargs):
        calls.append(kwargs["section"].heading)
        if len(calls) == 2:
            raise services.EditConflict(kwargs["section"])
        return real(**kwargs)

    monkeypatch.setattr(services, "section_update", conflict_on_the_second)
    with pytest.raises(services.EditConflict):
        services.terms_replace_all(actor=sysadmin, version=version, term=glossary["digital"])
    assert [s.body for s in _sections(version)] == [
        "情報化を進める。",
        "ICT化を図る。",
        "情報化の推進。",
    ]
    monkeypatch.setattr(services, "section_update", real)
    plan = services.terms_replace_all(actor=sysadmin, version=version, term=glossary["digital"])
    assert (len(plan.replaceable), len(plan.by_section)) == (3, 3)
    assert [s.body for s in _sections(version)] == [
        "デジタル化を進める。",
        "デジタル化を図る。",
        "デジタル化の推進。",
    ]


def test_the_replace_all_view_holds_no_transaction():
    """The view calls the service; it does not open a transaction of its own."""
    import inspect

    from kyokan.apps.documents.views import terms as views

    source = inspect.getsource(views)
    assert "transaction" not in source
    assert "services.terms_replace_all(" in source
