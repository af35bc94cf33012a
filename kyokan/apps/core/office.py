"""Helpers shared by the Word and PDF builders (documents' exports and the meeting packet).

- :func:`a4_document`: a python-docx Document on A4 with 20 mm margins, "- N -" page
  numbers in the footer and one Japanese font for Latin and East Asian text.
- :func:`set_style_font`: the same for a paragraph style (headings carry theme fonts).
- :func:`load_weasyprint`: import WeasyPrint lazily; a missing Pango/GObject becomes the
  caller's "unavailable" error instead of a crash.
- :func:`safe_filename` and :func:`content_disposition` for downloads.
"""

import logging
import re
import unicodedata
from urllib.parse import quote

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

logger = logging.getLogger(__name__)

MINCHO = "游明朝"  # Word's default Japanese body font
GOTHIC = "游ゴシック"  # and its heading font

# The order of w:rPr's children in the schema (Word rejects them out of order).
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip


def insert_rpr_child(rpr, element, tag: str) -> None:
    """Insert ``element`` (a ``tag``) into ``rpr`` at its schema position."""
    successors = RPR_ORDER[RPR_ORDER.index(tag) + 1 :]
    rpr.insert_element_before(element, *successors)


def _set_fonts(rpr, font: str) -> None:
    """Explicit fonts for Latin and East Asian text (theme fonts would otherwise win) and
    Japanese as the East Asian language (Japanese line breaking)."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        insert_rpr_child(rpr, lang, "w:lang")
    lang.set(qn("w:eastAsia"), "ja-JP")


def set_style_font(
    style,
    font: str,
    *,
    size: float | None = None,
    bold: bool | None = None,
    black: bool = True,
) -> None:
    """Japanese font (and optionally size, weight, black text) on a paragraph style."""
    _set_fonts(style.element.get_or_add_rPr(), font)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if black:
        style.font.color.rgb = RGBColor(0, 0, 0)


def _page_number_footer(section) -> None:
    """ "- 3 -" centred in the footer."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_.append(run)
    paragraph._p.append(field_)
    paragraph.add_run(" -")


def a4_document(title: str, *, font: str = MINCHO, size: float = 10.5):
    """A new Word document: A4 portrait, 20 mm margins, page numbers, Japanese font."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.footer_distance = Mm(10)
    _page_number_footer(section)
    for rpr in doc.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr"):
        _set_fonts(rpr, font)
    set_style_font(doc.styles["Normal"], font, size=size, black=False)
    doc.core_properties.title = title
    doc.core_properties.language = "ja-JP"
    return doc


# XML 1.0 forbids most C0 controls; Word refuses a file that contains them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def load_weasyprint(error: type[Exception], message: str):
    """``import weasyprint``, or raise ``error(message)`` when it or its system libraries
    (Pango, GObject) cannot be loaded. Quietens WeasyPrint's per-page progress logging."""
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:  # else one INFO line per step and per page
        progress.setLevel(logging.WARNING)
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango/GObject libraries missing
        logger.warning("WeasyPrint unavailable: %s", exc)
        raise error(message) from exc
    return weasyprint


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_filename(stem: str, ext: str, *, default: str = "document", suffix: str = "") -> str:
    """A file name without path separators, quotes, reserved or control characters (each
    run of them, and of whitespace, becomes one "_"), at most 120 characters before the
    ``suffix`` (a fixed, already safe ending such as "_資料", kept however long the stem)
    and the extension."""
    name = unicodedata.normalize("NFC", stem)
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"[\s_]+", "_", name).strip("._ ")[:120].rstrip("._ ") or default
    ext = re.sub(r"[^A-Za-z0-9]", "", ext).lower() or "bin"
    return f"{name}{suffix}.{ext}"


def content_disposition(filename: str) -> str:
    """ "attachment; filename*=UTF-8''…" (RFC 6266 / RFC 5987), safe for any name."""
    return f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
