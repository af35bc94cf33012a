"""Long sections: a section holds at most 30,000 characters (forms, Word import, services;
a clear message and nothing typed lost), and the diff of two long sections is fast and
still exact."""

import io
import random
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from kyokan.apps.core.roles import Role
from kyokan.apps.documents import bench, diff, selectors, services
from kyokan.apps.documents import io as docio
from kyokan.apps.documents.models import SECTION_BODY_MAX_LENGTH
from kyokan.apps.documents.services import SectionData
from tests.documents.adoption import adopt


@pytest.fixture
def client_as(client_as):
    """The pages in English: these tests read the English messages (the Japanese ones are
    checked complete by tests/core/test_translations.py)."""

    def make(who):
        client = client_as(who)
        client.cookies["django_language"] = "en"
        return client

    return make


LIMIT = SECTION_BODY_MAX_LENGTH


def _rebuilds(old: str, new: str, ops: list[tuple]) -> None:
    """The opcodes cover both texts in order, and applying them to ``old`` gives ``new``."""
    i = j = 0
    rebuilt_old, rebuilt_new = [], []
    for op, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j), "opcodes must be contiguous"
        if op == "equal":
            assert old[i1:i2] == new[j1:j2]
            rebuilt_new.append(old[i1:i2])
        elif op == "delete":
            assert j1 == j2 and i2 > i1
        else:
            assert op == "insert" and i1 == i2 and j2 > j1
            rebuilt_new.append(new[j1:j2])
        rebuilt_old.append(old[i1:i2])
        i, j = i2, j2
    assert (i, j) == (len(old), len(new))
    assert "".join(rebuilt_old) == old
    assert "".join(rebuilt_new) == new


def _spans_rebuild(old: str, new: str, spans) -> None:
    assert "".join(s.text for s in spans if s.op != "insert") == old
    assert "".join(s.text for s in spans if s.op != "delete") == new


_rng = random.Random(8)


def _random(alphabet: str, n: int) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


ORIGINAL = bench.long_text(seed=0)
CASES = {
    "empty": ("", ""),
    "to empty": ("市民起点で。", ""),
    "from empty": ("", "市民起点で。"),
    "same": ("同じ文章。" * 3, "同じ文章。" * 3),
    "one character": ("情報化を進める。", "デジタル化を進める。"),
    "sentence moved": ("一文目。二文目。三文目。", "二文目。一文目。三文目。"),
    "line breaks": ("第一段落。\n第二段落。\n", "第一段落。\n\n新しい段落。\n第二段落。"),
    "spread edits 30k": (ORIGINAL, bench.spread_edits(ORIGINAL)),
    "different 30k": (bench.long_text(seed=2), bench.long_text(seed=3)),
    "no punctuation 30k": (_random("あい", LIMIT), _random("あい", LIMIT)),
    "tiny sentences 30k": (_random("あい。", LIMIT), _random("あい、。\n", LIMIT)),
    "repeated sentence": ("行政を変える。" * 4000, "行政を変える。職員。" * 3000),
    "every sentence edited, no commas": (
        ORIGINAL.replace("、", ""),
        ORIGINAL.replace("、", "").replace("する。", "します。"),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_opcodes_rebuild_both_texts(case):
    old, new = CASES[case]
    _rebuilds(old, new, diff.opcodes(old, new))
    _spans_rebuild(old, new, diff.char_diff(old, new))


def test_a_spent_budget_gives_a_coarser_diff_that_is_still_exact():
    old, new = CASES["spread edits 30k"]
    budget = diff.Budget(seconds=0)
    ops = diff.opcodes(old, new, budget=budget)
    _rebuilds(old, new, ops)
    assert budget.approximate
    assert [op[0] for op in ops] == ["equal", "delete", "insert", "equal"]  # ends kept


@pytest.mark.parametrize("case", ["spread edits 30k", "different 30k"])
def test_two_30000_character_sections_compare_in_under_a_second(case):
    old, new = CASES[case]
    assert len(old) > 29_900 and len(new) > 29_900
    start = time.perf_counter()
    spans = diff.char_diff(old, new)
    elapsed = time.perf_counter() - start
    _spans_rebuild(old, new, spans)
    assert elapsed < 1.0, f"{case}: {elapsed:.2f} s"


@pytest.mark.parametrize("case", [c for c in CASES if c.endswith("30k") or "repeated" in c])
def test_hostile_long_texts_stay_fast(case):
    old, new = CASES[case]
    start = time.perf_counter()
    diff.char_diff(old, new)
    assert time.perf_counter() - start < 1.0


def test_spread_edits_are_still_shown_character_by_character():
    old, new = CASES["spread edits 30k"]
    budget = diff.Budget()
    spans = diff.char_diff(old, new, budget=budget)
    assert not budget.approximate
    common = sum(len(s.text) for s in spans if s.op == "equal")
    assert common > 0.9 * len(old)
    # Small, local changes (the end is cut to stay within the limit: a longer deletion).
    changed = [s for s in spans[:-2] if s.op != "equal"]
    assert len(changed) > 100 and max(len(s.text) for s in changed) < 200


def test_unrelated_sentences_are_not_shown_as_a_scatter_of_common_characters():
    spans = diff.char_diff("市民の利便性を高める。", "職員が研修を受講した。")
    # Both contain を and end with 。: only the common end is kept.
    assert [(s.op, s.text) for s in spans] == [
        ("delete", "市民の利便性を高める"),
        ("insert", "職員が研修を受講した"),
        ("equal", "。"),
    ]


# --- the limit ---------------------------------------------------------------------------


@pytest.fixture
def draft(sysadmin, city):
    document = services.document_create(actor=sysadmin, kind="strategy", title="長い節の文書")
    return services.version_create(
        actor=sysadmin, document=document, label="原案", sections=[SectionData("はじめに", "本文")]
    )


def test_the_edit_form_refuses_a_text_over_the_limit_and_keeps_it(client_as, draft):
    section = draft.sections.get()
    text = "あ" * (LIMIT + 1)
    response = client_as(Role.SECRETARIAT).post(
        reverse("documents:section_edit", args=[section.pk]),
        {"heading": section.heading, "kind": section.kind, "body": text,
         "revision": section.revision},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 30000 characters" in page and "30001" in page
    assert text in page  # what was typed is still in the form
    assert 'maxlength="' not in page.split('name="body"')[1].split(">")[0]
    section.refresh_from_db()
    assert section.body == "本文"


def test_the_edit_form_accepts_a_text_at_the_limit(client_as, draft):
    section = draft.sections.get()
    response = client_as(Role.SECRETARIAT).post(
        reverse("documents:section_edit", args=[section.pk]),
        {"heading": section.heading, "kind": section.kind, "body": "あ" * LIMIT,
         "revision": section.revision},
    )  # fmt: skip
    assert response.status_code == 302
    section.refresh_from_db()
    assert len(section.body) == LIMIT


def test_the_new_section_form_refuses_a_text_over_the_limit(client_as, draft):
    response = client_as(Role.SECRETARIAT).post(
        reverse("documents:section_new", args=[draft.pk]),
        {"heading": "長い節", "kind": "free", "body": "い" * (LIMIT + 1)},
    )
    assert response.status_code == 200
    assert "at most 30000 characters" in response.content.decode()
    assert not draft.sections.filter(heading="長い節").exists()


def test_the_services_refuse_a_text_over_the_limit(sysadmin, draft):
    section = draft.sections.get()
    with pytest.raises(ValidationError, match="at most 30000"):
        services.section_update(
            actor=sysadmin, section=section, expected_revision=section.revision,
            body="う" * (LIMIT + 1),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="at most 30000"):
        services.section_create(actor=sysadmin, version=draft, heading="x", body="え" * (LIMIT + 1))
    with pytest.raises(ValidationError, match="longer than 30,000 characters"):
        services.version_create(
            actor=sysadmin,
            document=draft.document,
            label="一括",
            sections=[SectionData("短い", "本文"), SectionData("長い", "お" * (LIMIT + 1))],
        )
    assert draft.document.versions.count() == 1  # nothing written


def test_a_word_file_with_a_section_over_the_limit_is_refused_by_name():
    doc = Document()
    doc.add_heading("短い節", level=1)
    doc.add_paragraph("本文")
    doc.add_heading("とても長い節", level=1)
    for _ in range(4):
        doc.add_paragraph("か" * 8000)
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(ValidationError) as exc:
        docio.docx_to_sections(SimpleUploadedFile("long.docx", out.getvalue()))
    message = exc.value.messages[0]
    assert "「とても長い節」" in message and "30,000" in message and "短い節" not in message


def test_the_compare_page_of_two_long_sections_is_fast(client_as, sysadmin, draft):
    old, new = CASES["spread edits 30k"]
    section = draft.sections.get()
    services.section_update(
        actor=sysadmin, section=section, expected_revision=section.revision, body=old
    )
    adopt(draft, actor=sysadmin)
    revision = services.version_revise(actor=sysadmin, version=draft, label="改定案")
    copy = revision.sections.get()
    services.section_update(actor=sysadmin, section=copy, expected_revision=copy.revision, body=new)
    result = selectors.compare_versions(draft, revision)
    assert result["counts"]["revised"] == 1 and not result["approximate"]
    client = client_as(Role.STAFF)
    url = reverse("documents:compare", args=[revision.pk]) + f"?against={draft.pk}&mode=inline"
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200
    assert time.perf_counter() - start < 2.0
    assert response.content.decode().count("<ins>") > 50


def test_the_benchmark_data_and_figures(sysadmin, city):
    """`make bench` fills two long sections within the limit and times the diff."""
    bench._fill_long(sysadmin)
    original, revision = bench._long_pks()
    result = selectors.compare_versions(
        services.Version.objects.get(pk=original), services.Version.objects.get(pk=revision)
    )
    assert result["counts"]["revised"] == 2
    figures = {f["page"]: f for f in bench.diff_figures(repeat=1)}
    assert set(figures) == {"documents.diff.30k_edits", "documents.diff.30k_different"}
    assert all(f["median_ms"] < 1000 for f in figures.values())


def test_the_compare_page_says_when_it_compared_coarsely(client_as, sysadmin, draft, monkeypatch):
    old, new = CASES["spread edits 30k"]
    section = draft.sections.get()
    services.section_update(
        actor=sysadmin, section=section, expected_revision=section.revision, body=old
    )
    adopt(draft, actor=sysadmin)
    revision = services.version_revise(actor=sysadmin, version=draft, label="改定案")
    copy = revision.sections.get()
    services.section_update(actor=sysadmin, section=copy, expected_revision=copy.revision, body=new)
    url = reverse("documents:compare", args=[revision.pk]) + f"?against={draft.pk}"
    client = client_as(Role.STAFF)
    assert "To keep the comparison fast" not in client.get(url).content.decode()
    monkeypatch.setattr(selectors, "COMPARE_SECONDS", 0)
    assert "To keep the comparison fast" in client.get(url).content.decode()
