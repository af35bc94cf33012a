"""Hostile text in a document's title, headings and sections: the Markdown and HTML
exports carry no live link, remote image or raw HTML, and the Word export opens whatever
control characters the text holds."""

import io
import re

import pytest
from docx import Document

from kyokan.apps.documents import io as docio
from kyokan.apps.documents import services
from kyokan.apps.documents.services import SectionData

# What XML 1.0 (so Word) cannot hold: C0 controls but tab, line feed and carriage return.
# NUL is left out of what is stored: PostgreSQL refuses it in text columns, and forms refuse
# it before any service runs (Django's ProhibitNullCharactersValidator).
CONTROLS = "".join(chr(c) for c in range(1, 0x20) if chr(c) not in "\t\n\r")
HOSTILE_LINES = [
    "[詳しくはこちら](javascript:alert(document.cookie))",
    "![](http://tracker.example/pixel.png?u=1)",
    "![地図](https://example.com/map.png)",
    "[参照]: javascript:alert(1)",
    "[参照][ref] と <javascript:alert(2)> と &#106;avascript:alert(3)",
    '<a href="javascript:alert(4)">リンク</a><img src="http://evil.example/x.png">',
]


@pytest.fixture
def hostile(sysadmin, city):
    document = services.document_create(
        actor=sysadmin, kind="other", title="文書[題](javascript:alert(0))\x01\x1f"
    )
    return services.version_create(
        actor=sysadmin,
        document=document,
        label="版![](http://evil.example/label.png)\x08",
        sections=[
            SectionData("見出し[x](javascript:alert(5))", "\n".join(HOSTILE_LINES)),
            SectionData(f"制御{CONTROLS}文字", f"本文{CONTROLS}の行\n二行目\x0b\x0c終わり"),
        ],
    )


# A Markdown link or image starts with an unescaped "[" (or "![") somewhere; an autolink
# or raw HTML with an unescaped "<"; a character reference with an unescaped "&".
_UNESCAPED = re.compile(r"(?<!\\)(?:\\\\)*[\[<&]")


def test_markdown_export_has_no_live_link_image_or_html(hostile):
    text = docio.export_markdown(hostile)
    for line in text.splitlines():
        assert not _UNESCAPED.search(line), line
    assert "javascript:alert(document.cookie)" in text  # shown as text, not dropped
    assert "\\[詳しくはこちら\\](javascript:alert(document.cookie))" in text
    assert "!\\[\\](http://tracker.example/pixel.png?u=1)" in text
    assert "\\&#106;avascript:alert(3)" in text
    assert text.splitlines()[0].startswith("# 文書\\[題\\](javascript:alert(0))")


def test_html_export_has_no_link_image_or_remote_resource(hostile):
    html = docio.export_html(hostile)
    body = html.split("<body>", 1)[1]
    assert "<a " not in body and "<img" not in body
    assert "&lt;a href=&quot;javascript:alert(4)&quot;&gt;" in body
    assert not re.search(r"<[^>]*\s(?:src|href)=", html)
    # Even opened from disk, the page may load nothing from elsewhere.
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in html


def test_word_export_opens_with_control_characters_everywhere(hostile):
    data = docio.export_docx(hostile, show_changes=True)
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert "文書[題](javascript:alert(0))" in texts
    assert any(t.endswith("制御文字") for t in texts)
    assert "本文の行" in texts and "二行目終わり" in texts
    assert doc.core_properties.title.startswith("文書[題]")
    for text in texts:
        assert not any(c in text for c in CONTROLS), repr(text)


def test_every_format_drops_control_characters(hostile):
    context = docio.export_context(hostile)
    texts = [context["title"], context["label"]]
    texts += [s.heading for s in context["sections"]]
    texts += [line for s in context["sections"] for line in s.lines]
    assert not any(c in text for text in texts for c in CONTROLS + "\x7f")
    assert "本文の行" in texts and "二行目終わり" in texts
    assert not any(c in docio.export_markdown(hostile) for c in CONTROLS + "\x7f")


def test_pdf_export_builds_from_hostile_text(hostile):
    try:
        data = docio.export_pdf(hostile)
    except docio.ExportUnavailable:  # pragma: no cover - no WeasyPrint on this machine
        pytest.skip("WeasyPrint cannot run here")
    assert data.startswith(b"%PDF")
