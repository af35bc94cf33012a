"""Import from Word (.docx → sections) and export to Word, HTML, Markdown and PDF, and the
download and import views."""

import io
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfReader

from kyokan.apps.documents import io as docio
from kyokan.apps.documents import services
from kyokan.apps.documents.models import Section, Version
from kyokan.apps.documents.services import SectionData
from tests.documents.adoption import adopt

TITLE = "デジタル強靱化戦略"
LABEL = "令和3年度版"
ADOPTED_ON = date(2022, 3, 25)
MEETING = "第1回デジタル化推進本部会議"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

NOT_DOCX = "This file is not a Word document (.docx)."
LEGACY = (
    "The file is encrypted or in the old .doc format; save it as an unprotected .docx and "
    "try again."
)
NO_HEADINGS = (
    "The document has no headings: apply Word's heading styles (Heading 1, Heading 2 …; "
    "見出し 1, 見出し 2 … in Japanese Word) so it can be split into sections."
)

# Depth 0–2 with Japanese bodies; a body of several lines, one with characters that HTML
# and Markdown must escape.
SECTIONS = [
    SectionData("目指す姿", "市民一人ひとりがデジタル化の恩恵を実感できるまち。", 0),
    SectionData("基本方針", "誰一人取り残さない。\n　行政サービスを利便性の高いものにする。", 0),
    SectionData("施策の柱", "", 0),
    SectionData("行政手続のオンライン化", "申請手続をオンライン化する。", 1),
    SectionData("電子申請システムの導入", "令和4年度に導入する。\n# 見出しではない行", 2),
    SectionData("キャッシュレス決済", "窓口での支払を<script>alert(1)</script>対応する。", 1),
    SectionData("推進体制", "1. 本部会議\n2. 推進員", 0),
]


@pytest.fixture(autouse=True)
def english_messages():
    """Messages raised outside a request are compared in English here (the Japanese
    catalogue is checked complete by tests/core/test_translations.py)."""
    with translation.override("en"):
        yield


def _docx_bytes(build, *, title: str = "") -> bytes:
    doc = Document()
    if title:
        doc.core_properties.title = title
    build(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _upload(data: bytes, name: str = "senryaku.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=DOCX_TYPE)


def _rows(sections: list[SectionData]) -> list[tuple[str, str, int]]:
    return [(s.heading, s.body, s.depth) for s in sections]


def _strategy(doc) -> None:
    doc.add_paragraph("本書は市のデジタル化の方向性を示すものである。")
    doc.add_paragraph("")
    doc.add_heading("はじめに", level=1)
    doc.add_paragraph("デジタル化を推進する。")
    doc.add_paragraph("   ")
    doc.add_paragraph("　全庁で取り組む。")
    doc.add_heading("背景", level=2)
    doc.add_paragraph("人口減少が進んでいる。")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate([("年度", "目標", "実績"), ("令和3年度", "50件", ""), ("", "", "")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.add_paragraph("表の後の段落。")
    doc.add_heading("国の動向", level=3)
    doc.add_paragraph("自治体DX推進計画が策定された。")
    doc.add_heading("施策", level=1)
    doc.add_paragraph("ＤＸ推進員を各課に置く（ﾃﾞｼﾞﾀﾙ）。")


# --- import ----------------------------------------------------------------------------------


def test_import_splits_at_headings_with_depths_bodies_and_tables():
    sections = docio.docx_to_sections(_upload(_docx_bytes(_strategy, title=TITLE)))
    assert _rows(sections) == [
        (TITLE, "本書は市のデジタル化の方向性を示すものである。", 0),
        ("はじめに", "デジタル化を推進する。\n　全庁で取り組む。", 0),
        (
            "背景",
            "人口減少が進んでいる。\n年度 | 目標 | 実績\n令和3年度 | 50件 | \n表の後の段落。",
            1,
        ),
        ("国の動向", "自治体DX推進計画が策定された。", 2),
        # Text is kept exactly as written: full-width Latin and half-width kana stay.
        ("施策", "ＤＸ推進員を各課に置く（ﾃﾞｼﾞﾀﾙ）。", 0),
    ]


def test_text_before_the_first_heading_is_the_preamble_without_a_title():
    sections = docio.docx_to_sections(io.BytesIO(_docx_bytes(_strategy)))
    assert sections[0] == SectionData("前文", "本書は市のデジタル化の方向性を示すものである。", 0)


def test_japanese_style_names_outline_levels_title_and_normalised_depths():
    def build(doc):
        for name in ("見出し 2", "見出し３"):  # as Japanese tools name them, any width
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
        doc.add_paragraph("計画の名称", style="Title")
        doc.add_paragraph("第1章の前の本文")
        doc.add_paragraph("第1章 総論", style="見出し 2")
        doc.add_paragraph("総論の本文")
        doc.add_paragraph("計画期間", style="見出し３")
        doc.add_paragraph("5年間とする。")
        outlined = doc.add_paragraph("見出しスタイルのない見出し")  # outline level 2 → depth 1
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "2")
        outlined._p.get_or_add_pPr().append(outline)
        doc.add_paragraph("アウトラインレベルで見出しになる。")
        body = doc.add_paragraph("本文レベルの段落", style="Heading 2")  # outline: body text
        level9 = OxmlElement("w:outlineLvl")
        level9.set(qn("w:val"), "9")
        body._p.get_or_add_pPr().append(level9)

    sections = docio.docx_to_sections(_upload(_docx_bytes(build)))
    assert _rows(sections) == [
        ("計画の名称", "第1章の前の本文", 0),
        # A manual "第1章" is the heading's own text: only "1.2 "-style numbers are dropped.
        ("第1章 総論", "総論の本文", 0),
        ("計画期間", "5年間とする。", 1),
        ("見出しスタイルのない見出し", "アウトラインレベルで見出しになる。\n本文レベルの段落", 1),
    ]


def test_the_shallowest_heading_level_used_becomes_depth_zero():
    def build(doc):
        doc.add_heading("第二階層", level=2)
        doc.add_heading("第四階層（第三を飛ばす）", level=4)
        doc.add_heading("次の第二階層", level=2)

    sections = docio.docx_to_sections(_upload(_docx_bytes(build)))
    assert [(s.heading, s.depth) for s in sections] == [
        ("第二階層", 0),
        ("第四階層（第三を飛ばす）", 1),  # no skipped level
        ("次の第二階層", 0),
    ]


def test_leading_section_numbers_are_dropped_from_headings():
    def build(doc):
        doc.add_heading("1 はじめに", level=1)
        doc.add_heading("1.2　全角スペースの後", level=2)
        doc.add_heading("【改定】2.1.3 変更の印", level=3)
        doc.add_heading("2030年の姿", level=1)
        doc.add_heading("3", level=1)

    headings = [s.heading for s in docio.docx_to_sections(_upload(_docx_bytes(build)))]
    assert headings == ["はじめに", "全角スペースの後", "変更の印", "2030年の姿", "3"]


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _no_headings(doc):
    doc.add_paragraph("見出しのない文書です。")
    doc.add_paragraph("本文だけが続きます。")


def _many_headings(doc):
    for n in range(5):
        doc.add_heading(f"項目{n}", level=1)


# name → (file name, bytes, the message's start, limits to lower)
BAD_FILES = {
    "text renamed .docx": ("senryaku.docx", "ただのテキストです。".encode(), NOT_DOCX, {}),
    "zip without word/document.xml": (
        "senryaku.docx",
        _zip({"[Content_Types].xml": b"<Types/>", "word/other.xml": b"<x/>"}),
        NOT_DOCX,
        {},
    ),
    "damaged document.xml": (
        "senryaku.docx",
        _zip({"word/document.xml": b"<not-closed"}),
        NOT_DOCX,
        {},
    ),
    "OLE2 (encrypted or .doc)": (
        "senryaku.docx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        LEGACY,
        {},
    ),
    "too large": (
        "senryaku.docx",
        _docx_bytes(_strategy),
        "The file is too large (",
        {"MAX_IMPORT_BYTES": 2000},
    ),
    "zip bomb": (
        "senryaku.docx",
        _docx_bytes(_strategy),
        "The document is too large once unpacked (",
        {"MAX_UNCOMPRESSED_BYTES": 5000},
    ),
    "too many paragraphs": (
        "senryaku.docx",
        _docx_bytes(_strategy),
        "The document has more than 5 paragraphs",
        {"MAX_IMPORT_PARAGRAPHS": 5},
    ),
    "too many sections": (
        "senryaku.docx",
        _docx_bytes(_many_headings),
        "The document has more than 3 sections",
        {"MAX_IMPORT_SECTIONS": 3},
    ),
    "no headings": ("senryaku.docx", _docx_bytes(_no_headings), NO_HEADINGS, {}),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_are_refused_with_a_message(case, monkeypatch):
    name, data, message, limits = BAD_FILES[case]
    for attr, value in limits.items():
        monkeypatch.setattr(docio, attr, value)
    with pytest.raises(ValidationError) as exc:
        docio.docx_to_sections(_upload(data, name))
    assert exc.value.messages[0].startswith(message)


def test_the_size_message_gives_the_size_and_the_limit(monkeypatch):
    monkeypatch.setattr(docio, "MAX_IMPORT_BYTES", 1024)
    with pytest.raises(ValidationError) as exc:
        docio.docx_to_sections(_upload(b"x" * 4096))
    assert exc.value.messages == ["The file is too large (4.0\xa0KB); the limit is 1.0\xa0KB."]


def test_a_real_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/bomb.bin", "w", force_zip64=True) as bomb:
            chunk = b"\0" * (1 << 20)
            for _ in range(101):
                bomb.write(chunk)
    data = out.getvalue()
    assert len(data) < docio.MAX_IMPORT_BYTES
    with pytest.raises(ValidationError, match="too large once unpacked"):
        docio.docx_to_sections(_upload(data))


# --- export ----------------------------------------------------------------------------------


@pytest.fixture
def draft(sysadmin, city):
    document = services.document_create(actor=sysadmin, kind="strategy", title=TITLE)
    return services.version_create(
        actor=sysadmin, document=document, label=LABEL, sections=SECTIONS
    )


@pytest.fixture
def adopted_version(draft, sysadmin):
    adopt(draft, actor=sysadmin, day=ADOPTED_ON)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def revised(adopted_version, sysadmin):
    """令和4年度版: one section revised, one added, one (with its child) removed."""
    version = services.version_revise(actor=sysadmin, version=adopted_version, label="令和4年度版")
    by_heading = {s.heading: s for s in version.sections.all()}
    services.section_update(
        actor=sysadmin,
        section=by_heading["基本方針"],
        expected_revision=by_heading["基本方針"].revision,
        body="誰一人取り残さない、人にやさしいデジタル化。",
    )
    services.section_create(
        actor=sysadmin, version=version, heading="デジタルデバイド対策", body="講習会を開く。"
    )
    services.section_remove(actor=sysadmin, section=by_heading["行政手続のオンライン化"])
    return version


def test_export_docx_round_trips_through_the_import(draft):
    data = docio.export_docx(draft)
    assert _rows(docio.docx_to_sections(io.BytesIO(data))) == _rows(SECTIONS)


def test_export_docx_layout(adopted_version):
    doc = Document(io.BytesIO(docio.export_docx(adopted_version)))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "游明朝"
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "游ゴシック"
    assert 'w:instr="PAGE"' in section.footer._element.xml
    texts = [(p.style.name, p.text) for p in doc.paragraphs]
    assert texts[:5] == [
        ("Kyokan Title", TITLE),
        ("Kyokan Version", LABEL),
        ("Kyokan Info", "状態：決定"),
        ("Kyokan Info", f"令和4年3月25日 {MEETING}決定"),
        ("Kyokan Info", "デジタル化推進本部事務局"),
    ]
    headings = [(style, text) for style, text in texts if style.startswith("Heading")]
    assert headings == [
        ("Heading 1", "1 目指す姿"),
        ("Heading 1", "2 基本方針"),
        ("Heading 1", "3 施策の柱"),
        ("Heading 2", "3.1 行政手続のオンライン化"),
        ("Heading 3", "3.1.1 電子申請システムの導入"),
        ("Heading 2", "3.2 キャッシュレス決済"),
        ("Heading 1", "4 推進体制"),
    ]
    body = [text for style, text in texts if style == "Normal"]
    assert body[1:3] == ["誰一人取り残さない。", "　行政サービスを利便性の高いものにする。"]
    assert doc.core_properties.title == f"{TITLE} {LABEL}"


def test_export_docx_with_changes_marks_them_and_still_imports_as_the_sections(revised):
    doc = Document(io.BytesIO(docio.export_docx(revised, show_changes=True)))
    texts = [(p.style.name, p.text) for p in doc.paragraphs]
    headings = [text for style, text in texts if style.startswith("Heading")]
    assert headings == [
        "1 目指す姿",
        "【改定】2 基本方針",
        "3 施策の柱",
        "3.1 キャッシュレス決済",
        "4 推進体制",
        "【追加】5 デジタルデバイド対策",
    ]
    assert texts[-6:] == [
        ("Kyokan Removed Heading", "削除した項目"),
        ("Kyokan Removed", "行政手続のオンライン化"),
        ("Kyokan Removed", "申請手続をオンライン化する。"),
        ("Kyokan Removed", "電子申請システムの導入"),
        ("Kyokan Removed", "令和4年度に導入する。"),
        ("Kyokan Removed", "# 見出しではない行"),
    ]
    assert doc.styles["Kyokan Removed"].font.strike is True
    # 見え消し: in a revised section, deleted characters are struck through and inserted
    # ones underlined (Word character styles), not only marked 【改定】.
    runs = {
        (r.text, r.style.name) for p in doc.paragraphs if p.style.name == "Normal" for r in p.runs
    }
    assert ("。 \u3000行政サービスを利便性の高いものにする", "Kyokan Deleted") in runs
    assert ("、人にやさしいデジタル化", "Kyokan Inserted") in runs
    assert ("講習会を開く。", "Kyokan Inserted") in runs  # an added section: all underlined
    assert doc.styles["Kyokan Deleted"].font.strike is True
    assert doc.styles["Kyokan Inserted"].font.underline is True
    plain = Document(io.BytesIO(docio.export_docx(revised)))
    assert "【改定】" not in "".join(p.text for p in plain.paragraphs)
    assert "削除した項目" not in "".join(p.text for p in plain.paragraphs)

    imported = docio.docx_to_sections(io.BytesIO(docio.export_docx(revised, show_changes=True)))
    # The struck-through (deleted) text is not imported: the bodies are the revised text.
    assert imported[1].body == "誰一人取り残さない、人にやさしいデジタル化。"
    assert [(s.heading, s.depth) for s in imported] == [
        ("目指す姿", 0),
        ("基本方針", 0),
        ("施策の柱", 0),
        ("キャッシュレス決済", 1),
        ("推進体制", 0),
        ("デジタルデバイド対策", 0),
    ]


def test_export_markdown(adopted_version):
    text = docio.export_markdown(adopted_version)
    lines = text.splitlines()
    assert lines[0] == f"# {TITLE}"
    for heading in (
        "## 1 目指す姿",
        "## 3 施策の柱",
        "### 3.1 行政手続のオンライン化",
        "#### 3.1.1 電子申請システムの導入",
        "## 4 推進体制",
    ):
        assert heading in lines
    assert f"令和4年3月25日 {MEETING}決定" in lines
    # Body lines that would be Markdown syntax are escaped; no raw HTML.
    assert "\\# 見出しではない行" in lines
    assert "1\\. 本部会議" in lines
    assert "窓口での支払を\\<script>alert(1)\\</script>対応する。" in lines
    assert "　行政サービスを利便性の高いものにする。" in lines


def test_export_html_is_semantic_escaped_and_self_contained(adopted_version):
    html = docio.export_html(adopted_version)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ja">' in html
    assert f"<h1>{TITLE}</h1>" in html
    assert '<h2><span class="number">1</span> 目指す姿</h2>' in html
    assert '<h3><span class="number">3.1</span> 行政手続のオンライン化</h3>' in html
    assert '<h4><span class="number">3.1.1</span> 電子申請システムの導入</h4>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "@media print" in html and "@page" in html
    for external in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert external not in html
    fragment = docio.export_html(adopted_version, standalone=False)
    assert fragment.lstrip().startswith("<article") and "<html" not in fragment


def test_export_filename(draft):
    assert docio.export_filename(draft, "docx") == f"{TITLE}_{LABEL}.docx"
    draft.label = 'A/B:C*?"<>| 案'
    assert docio.export_filename(draft, "md") == f"{TITLE}_A_B_C_案.md"


def _has_japanese_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    result = subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


def test_export_pdf(adopted_version):
    try:
        data = docio.export_pdf(adopted_version)
    except docio.ExportUnavailable as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"WeasyPrint cannot run here: {exc}")
    assert data.startswith(b"%PDF")
    if not _has_japanese_font():  # pragma: no cover - depends on the machine
        pytest.skip("No Japanese font installed (`fc-list :lang=ja` is empty): no text checks")
    text = "".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert TITLE in text
    assert "3.1.1電子申請システムの導入" in text


def test_export_pdf_unavailable_when_weasyprint_cannot_be_imported(adopted_version, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(docio.ExportUnavailable) as exc:
        docio.export_pdf(adopted_version)
    assert isinstance(exc.value, RuntimeError)
    assert "Pango" in str(exc.value) and "CJK" in str(exc.value) and "README" in str(exc.value)


# --- views -----------------------------------------------------------------------------------


def _disposition(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name, safe='')}"


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("docx", DOCX_TYPE, b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("md", "text/markdown; charset=utf-8", f"# {TITLE}".encode()),
    ],
)
def test_staff_download_each_format(fmt, content_type, start, client_as, draft):
    response = client_as("staff").get(reverse("documents:export", args=[draft.pk, fmt]))
    if fmt == "pdf" and response.status_code == 302:  # pragma: no cover - no WeasyPrint
        pytest.skip("WeasyPrint cannot run here")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == _disposition(f"{TITLE}_{LABEL}.{fmt}")
    assert response.content.startswith(start)


def test_download_with_changes_and_refusals(client_as, revised):
    client = client_as("secretariat")
    url = reverse("documents:export", args=[revised.pk, "docx"])
    doc = Document(io.BytesIO(client.get(url + "?changes=1").content))
    assert any(p.text.startswith("【改定】") for p in doc.paragraphs)
    assert client.get(reverse("documents:export", args=[revised.pk, "rtf"])).status_code == 404
    assert client.get(reverse("documents:export", args=[99999, "docx"])).status_code == 404
    assert client_as("citizen").get(url).status_code == 403
    assert client_as("anonymous").get(url).status_code == 302


def test_pdf_download_unavailable_shows_the_message_on_the_version_page(
    client_as, draft, monkeypatch
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    client = client_as("staff")
    response = client.get(reverse("documents:export", args=[draft.pk, "pdf"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:version", args=[draft.pk])
    messages = [str(m) for m in response.wsgi_request._messages]
    assert len(messages) == 1 and "README" in messages[0]


def test_a_version_too_long_for_a_pdf_is_refused_before_the_layout(
    client, draft, sysadmin, monkeypatch
):
    # 2,000 sections from a 3.7 MB Word file (4.3 million characters, within the import's
    # limits) kept the public PDF download 130 s and 1.5 GB; the layout is not started.
    adopt(draft, actor=sysadmin, day=ADOPTED_ON)
    size = sum(len(s.heading) + len(s.body) for s in draft.sections.all())
    monkeypatch.setattr(docio, "PDF_MAX_CHARS", size - 1)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # never reached
    response = client.get(reverse("documents:public_export", args=[draft.pk, "pdf"]))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        f"この版は長すぎるため、ここではPDFにできません（{size:,}文字。PDFにできるのは"
        f"{size - 1:,}文字までです）。Word（.docx）でダウンロードし、WordでPDFにしてください。"
    ]
    docx = client.get(reverse("documents:public_export", args=[draft.pk, "docx"]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_public_export_only_for_public_versions(client_as, draft, sysadmin):
    client = client_as("anonymous")
    url = reverse("documents:public_export", args=[draft.pk, "html"])
    assert client.get(url).status_code == 404  # a draft
    adopt(draft, actor=sysadmin, day=ADOPTED_ON)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == _disposition(f"{TITLE}_{LABEL}.html")
    md = client.get(reverse("documents:public_export", args=[draft.pk, "md"]))
    assert md.status_code == 200
    bad = reverse("documents:public_export", args=[draft.pk, "exe"])
    assert client.get(bad).status_code == 404


def test_import_view_refuses_a_bad_file_and_keeps_the_label(client_as, draft):
    client = client_as("secretariat")
    client.cookies["django_language"] = "en"
    url = reverse("documents:import", args=[draft.document.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"label": "令和5年度版（素案）", "file": _upload(_docx_bytes(_no_headings))},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["file"] == [NO_HEADINGS]
    assert 'value="令和5年度版（素案）"' in response.content.decode()
    assert Version.objects.count() == 1

    response = client.post(url, {"label": "テキスト", "file": _upload(b"plain text", "memo.txt")})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert Version.objects.count() == 1
    assert client_as("staff").get(url).status_code == 403


@pytest.mark.parametrize("case", BAD_FILES)
def test_import_view_creates_no_version_from_a_bad_file(case, client_as, draft, monkeypatch):
    name, data, message, limits = BAD_FILES[case]
    for attr, value in limits.items():
        monkeypatch.setattr(docio, attr, value)
    client = client_as("secretariat")
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("documents:import", args=[draft.document.pk]),
        {"label": "取込", "file": _upload(data, name)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith(message)
    assert list(Version.objects.values_list("label", flat=True)) == [LABEL]


def test_import_view_creates_a_version_from_a_good_file(client_as, draft):
    client = client_as("secretariat")
    response = client.post(
        reverse("documents:import", args=[draft.document.pk]),
        {"label": "令和5年度版（素案）", "file": _upload(_docx_bytes(_strategy, title=TITLE))},
    )
    version = Version.objects.get(label="令和5年度版（素案）")
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:version", args=[version.pk])
    assert version.number == 2 and version.state == Version.State.DRAFT
    assert version.created_by.username == "as-secretariat"
    rows = list(version.sections.order_by("path").values_list("heading", "depth", "change"))
    assert rows == [
        (TITLE, 0, Section.Change.UNCHANGED),
        ("はじめに", 0, Section.Change.UNCHANGED),
        ("背景", 1, Section.Change.UNCHANGED),
        ("国の動向", 2, Section.Change.UNCHANGED),
        ("施策", 0, Section.Change.UNCHANGED),
    ]


def _bomb_docx(document_xml_size: int) -> bytes:
    """A real .docx whose document.xml is ``document_xml_size`` bytes of one paragraph
    repeated (it packs about 300 to 1: the probe's 283 KB file unpacked to 85 MB)."""
    base = zipfile.ZipFile(io.BytesIO(_docx_bytes(_strategy)))
    out = io.BytesIO()
    paragraph = "<w:p><w:r><w:t>市民起点のDXを進める。</w:t></w:r></w:p>".encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in base.infolist():
            if item.filename != "word/document.xml":
                archive.writestr(item, base.read(item.filename))
                continue
            xml = base.read(item.filename).decode()
            head, tail = xml.split("<w:body>", 1)
            with archive.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(f"{head}<w:body>".encode())
                written = 0
                while written < document_xml_size:
                    member.write(paragraph * 1000)
                    written += len(paragraph) * 1000
                member.write(tail.encode())
    return out.getvalue()


def test_the_probes_zip_bomb_is_refused_from_its_directory_without_unpacking():
    import tracemalloc

    data = _bomb_docx(85 * 1024 * 1024)
    assert len(data) < 400 * 1024  # a few hundred KB that unpack to 85 MB
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="too large once unpacked"):
            docio.docx_to_sections(_upload(data))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024  # nothing was unpacked


def test_a_part_packed_suspiciously_tightly_is_refused_under_the_size_limits():
    data = _bomb_docx(12 * 1024 * 1024)  # within every size limit, but packed ~300:1
    with pytest.raises(ValidationError, match="more than 100 times its packed size"):
        docio.docx_to_sections(_upload(data))


def test_too_much_xml_is_refused_even_when_the_whole_is_within_the_limit(monkeypatch):
    monkeypatch.setattr(docio, "MAX_COMPRESSION_RATIO", 10_000)
    data = _bomb_docx(30 * 1024 * 1024)
    with pytest.raises(ValidationError, match=r"too large once unpacked \(30"):
        docio.docx_to_sections(_upload(data))


def test_an_ordinary_long_document_is_within_the_limits():
    def build(doc):
        for n in range(300):
            doc.add_heading(f"第{n + 1}項 施策の柱と取組", level=2)
            doc.add_paragraph("市民起点で行政サービスと業務のあり方を見直す。" * 20)

    sections = docio.docx_to_sections(_upload(_docx_bytes(build)))
    assert len(sections) == 300


@pytest.mark.parametrize(
    ("referer", "back"),
    [
        ("abc", None),
        ("999999", None),
        ("https://evil.example/page", None),
        ("http://testserver/public/documents/", "/public/documents/"),
    ],
)
def test_a_public_pdf_that_cannot_be_made_goes_back_only_within_the_site(
    client, draft, sysadmin, monkeypatch, referer, back
):
    """The public PDF, when it cannot be made, goes back to the page the link was on: a
    Referer that is a bare word ("abc", "999999") was tried as a view name (a server
    error)."""
    adopt(draft, actor=sysadmin, day=ADOPTED_ON)
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    url = reverse("documents:public_export", args=[draft.pk, "pdf"])
    response = client.get(url, headers={"referer": referer})
    assert response.status_code == 302
    assert response["Location"] == (back or reverse("documents:public_version", args=[draft.pk]))
