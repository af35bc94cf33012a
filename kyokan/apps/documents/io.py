"""Import from Word and export to Word, HTML, Markdown and PDF.

Import (:func:`docx_to_sections`) splits a .docx into sections at its headings: Word's
heading styles ("Heading 1".."Heading 9", as Japanese Word names them "見出し 1"..), any
paragraph with an outline level, and "Title" (as a top-level heading). The shallowest
level used becomes depth 0. Text is kept as written (no width or kana normalisation); a
leading section number such as "1 ", "1.2 " or "1.2.3　" (digits and dots followed by a
space, as the export writes them) and the export's 【改定】/【追加】 marks are dropped from
headings, because Kyokan numbers sections itself. Paragraphs in the export's own styles
(named "Kyokan …": the title block, the list of removed sections) are skipped, so an
exported file imports back as the same sections. Tracked changes are read as accepted
(insertions kept, deletions dropped); furigana (ruby text) and text boxes are left out.

Export writes every non-removed section in reading order with its number (1, 1.1, …) from
:func:`selectors.numbered_sections`. The exported documents are Japanese documents: their
fixed words (前文, 削除した項目, 決定 …) are Japanese text, not UI strings.
"""

import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document as open_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt
from lxml import etree

from kyokan.apps.core import japanese_dates, office
from kyokan.apps.core.exports import clean_text
from kyokan.apps.core.selectors import municipality_get

from . import selectors
from .models import Section, Version
from .services import SectionData, check_section_lengths

logger = logging.getLogger(__name__)

# --- import limits ------------------------------------------------------------------------

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # the upload itself
# Zip bombs: checked on the archive's directory (the declared sizes) before any member is
# read. python-docx holds every part in memory and parses the XML parts (lxml takes about
# ten times the XML's size), so the XML is bounded more tightly than the whole; and a
# member that unpacks to more than MAX_COMPRESSION_RATIO times its packed size (Word's own
# files stay well below 30) is refused once it is larger than RATIO_CHECK_FROM.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_XML_BYTES = 25 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM = 1024 * 1024
MAX_ZIP_ENTRIES = 5_000
# Paragraphs (including those in table cells): a long strategy runs to a few thousand.
MAX_IMPORT_PARAGRAPHS = 20_000
MAX_IMPORT_SECTIONS = 2_000
HEADING_MAX_LENGTH = 300  # Section.heading

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and encrypted .docx
PREAMBLE_HEADING = "前文"
EXPORT_STYLE_PREFIX = "Kyokan "  # the export's own paragraph styles: skipped on import

W = nsmap["w"]
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W_P, _W_TBL, _W_SDT = qn("w:p"), qn("w:tbl"), qn("w:sdt")
_W_TR, _W_TC = qn("w:tr"), qn("w:tc")
_W_T, _W_TAB, _W_BR, _W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_W_NB_HYPHEN = qn("w:noBreakHyphen")
_W_VAL = qn("w:val")

# The visible text of a paragraph, in order: runs that are not deleted (tracked), not
# furigana, not inside a text box or a drawing's fallback copy.
_TEXT_NODES = etree.XPath(
    ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:rt"
    " or ancestor::w:txbxContent or ancestor::mc:Fallback)"
    " and not(w:rPr/w:rStyle[@w:val='KyokanDeleted'])]"
    "/*[self::w:t or self::w:tab or self::w:br or self::w:cr or self::w:noBreakHyphen]",
    namespaces={"w": W, "mc": MC},
)
_HEADING_NAME = re.compile(r"^(?:heading|見出し)\s*([1-9])$", re.IGNORECASE)
# A leading section number as the export writes it ("1.2 "), with its change mark.
_LEADING_NUMBER = re.compile(r"^(?:【(?:改定|追加)】\s*)?\d+(?:\.\d+)*\.?\s+(?=\S)")
_NEWLINES = re.compile(r"\r\n|\r|\n")

_SKIP = "skip"  # a style whose paragraphs are not content (the export's, a TOC's)
_BODY = 0  # not a heading
TITLE_LEVEL = -1  # "Title": always depth 0, whatever heading levels the rest uses


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_docx")


def _read_upload(upload) -> bytes:
    """The upload's bytes, refusing anything over MAX_IMPORT_BYTES without reading it all."""
    limit = MAX_IMPORT_BYTES
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            raise _too_large(size, limit)
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(len(data), limit)
    return data


def _too_large(size: int, limit: int) -> ValidationError:
    return _refuse(
        _("The file is too large (%(size)s); the limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
    )


def _check_declared_sizes(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive whose directory declares too much content, too much XML, or a
    member packed suspiciously tightly (a zip bomb), before anything is unpacked. (The
    declared sizes bind: zipfile never unpacks more than a member declares.)"""
    declared = sum(entry.file_size for entry in entries)
    xml = sum(
        entry.file_size for entry in entries if entry.filename.lower().endswith((".xml", ".rels"))
    )
    if len(entries) > MAX_ZIP_ENTRIES or declared > MAX_UNCOMPRESSED_BYTES or xml > MAX_XML_BYTES:
        size, limit = (declared, MAX_UNCOMPRESSED_BYTES)
        if declared <= MAX_UNCOMPRESSED_BYTES and xml > MAX_XML_BYTES:
            size, limit = (xml, MAX_XML_BYTES)
        raise _refuse(
            _(
                "The document is too large once unpacked (%(size)s; the limit is %(limit)s). "
                "Remove large images or split the document."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    for entry in entries:
        if entry.file_size <= RATIO_CHECK_FROM:
            continue
        if entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
            raise _refuse(
                _(
                    "The file is not imported: a part of it unpacks to %(size)s, more than "
                    "%(ratio)s times its packed size, which Word documents never do. Save the "
                    "document again in Word and try again."
                )
                % {"size": filesizeformat(entry.file_size), "ratio": MAX_COMPRESSION_RATIO}
            )


def _open_docx(data: bytes):
    """A python-docx Document, after the checks that keep hostile files out."""
    not_docx = _("This file is not a Word document (.docx).")
    if data.startswith(OLE2_SIGNATURE):
        raise _refuse(
            _(
                "The file is encrypted or in the old .doc format; save it as an unprotected "
                ".docx and try again."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(not_docx) from None
    if "word/document.xml" not in {entry.filename for entry in entries}:
        raise _refuse(not_docx)
    _check_declared_sizes(entries)
    try:
        return open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        logger.info("Unreadable .docx upload: %r", exc)
        raise _refuse(not_docx) from exc


def _style_name(style) -> str:
    name = style.find(qn("w:name"))
    value = name.get(_W_VAL, "") if name is not None else ""
    # Width-normalise the style name only (never the text): "見出し１" is "見出し 1".
    return unicodedata.normalize("NFKC", value).strip()


def _outline_level(ppr) -> int | None:
    """Heading level 1..9 from a w:outlineLvl (0..8), _BODY for 9 (body text), None if
    absent."""
    if ppr is None:
        return None
    outline = ppr.find(qn("w:outlineLvl"))
    if outline is None:
        return None
    try:
        value = int(outline.get(_W_VAL, "9"))
    except ValueError:
        return None
    return value + 1 if 0 <= value <= 8 else _BODY


def _style_levels(doc) -> tuple[dict[str, int | str], int | str]:
    """style id → heading level (1..9), _BODY or _SKIP; and the default paragraph style's.
    A style is a heading by its name, else by its outline level, else by its base style's."""
    styles = {
        s.get(qn("w:styleId")): s
        for s in doc.styles.element.findall(qn("w:style"))
        if s.get(qn("w:type"), "paragraph") == "paragraph"
    }
    levels: dict[str, int | str] = {}

    def resolve(style_id: str, seen: frozenset = frozenset()) -> int | str:
        if style_id in levels:
            return levels[style_id]
        style = styles.get(style_id)
        if style is None or style_id in seen:
            return _BODY
        name = _style_name(style)
        lowered = name.casefold()
        match = _HEADING_NAME.match(name)
        if name.startswith(EXPORT_STYLE_PREFIX) or lowered.startswith("toc"):
            level: int | str = _SKIP  # the export's furniture; a table of contents
        elif match:
            level = int(match.group(1))
        elif lowered == "title":
            level = TITLE_LEVEL
        else:
            level = _outline_level(style.find(qn("w:pPr")))
            if level is None:
                based_on = style.find(qn("w:basedOn"))
                level = (
                    resolve(based_on.get(_W_VAL), seen | {style_id})
                    if based_on is not None
                    else _BODY
                )
                if level == _SKIP:
                    level = _BODY
        levels[style_id] = level
        return level

    for style_id in styles:
        resolve(style_id)
    default = next(
        (sid for sid, s in styles.items() if s.get(qn("w:default")) in ("1", "true", "on")),
        None,
    )
    return levels, (levels.get(default, _BODY) if default else _BODY)


def _text(p) -> str:
    parts = []
    for node in _TEXT_NODES(p):
        tag = node.tag
        if tag == _W_T:
            parts.append(node.text or "")
        elif tag == _W_TAB:
            parts.append("\t")
        elif tag == _W_BR:
            if node.get(qn("w:type"), "textWrapping") == "textWrapping":
                parts.append("\n")
        elif tag == _W_CR:
            parts.append("\n")
        elif tag == _W_NB_HYPHEN:
            parts.append("-")
    return "".join(parts)


def _is_toc(sdt) -> bool:
    gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and "Contents" in gallery.get(_W_VAL, "")


def _blocks(container):
    """Body-level paragraphs and tables in reading order, looking inside content controls
    (but not into a table of contents)."""
    for child in container.iterchildren():
        tag = child.tag
        if tag in (_W_P, _W_TBL):
            yield child
        elif tag == _W_SDT:
            content = child.find(qn("w:sdtContent"))
            if content is not None and not _is_toc(child):
                yield from _blocks(content)


def _nearest(element, tag: str):
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _table_lines(tbl) -> list[str]:
    """Each row as its cells' text joined with " | " (a cell's paragraphs joined with a
    space; nested tables left out); empty rows are left out."""
    lines = []
    for tr in tbl.iter(_W_TR):
        if _nearest(tr, _W_TBL) is not tbl:
            continue  # a nested table's row
        cells = []
        for tc in tr.iter(_W_TC):
            if _nearest(tc, _W_TR) is not tr:
                continue
            texts = [_text(p) for p in tc.iter(_W_P) if _nearest(p, _W_TC) is tc]
            cells.append(" ".join(t.replace("\n", " ").strip() for t in texts if t.strip()))
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _clean_heading(text: str) -> str:
    text = " ".join(text.split("\n")).strip()
    return _LEADING_NUMBER.sub("", text, count=1) or text


@dataclass
class _Draft:
    heading: str
    level: int  # 1..9, or TITLE_LEVEL
    lines: list[str] = field(default_factory=list)


def docx_to_sections(upload) -> list[SectionData]:
    """The sections of a Word .docx (an UploadedFile, a file-like object or bytes), in
    reading order with their depths. Raises ValidationError with a message for the user
    when the file cannot be imported."""
    doc = _open_docx(_read_upload(upload))
    body = doc.element.body
    if len(body.xpath(".//w:p")) > MAX_IMPORT_PARAGRAPHS:
        raise _refuse(
            _("The document has more than %(max)s paragraphs; split it before importing.")
            % {"max": f"{MAX_IMPORT_PARAGRAPHS:,}"}
        )
    levels, default_level = _style_levels(doc)
    preamble = _Draft("", 0)
    drafts: list[_Draft] = []

    for block in _blocks(body):
        current = drafts[-1] if drafts else preamble
        if block.tag == _W_TBL:
            current.lines.extend(_table_lines(block))
            continue
        ppr = block.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        level = levels.get(style.get(_W_VAL), _BODY) if style is not None else default_level
        if level == _SKIP:
            continue
        own = _outline_level(ppr)
        if own is not None:
            level = own
        text = _text(block)
        if not text.strip():
            continue  # empty paragraphs (also empty headings) are collapsed
        if level == _BODY:
            current.lines.append(text)
            continue
        if len(drafts) >= MAX_IMPORT_SECTIONS:
            raise _refuse(
                _("The document has more than %(max)s sections; split it before importing.")
                % {"max": f"{MAX_IMPORT_SECTIONS:,}"}
            )
        drafts.append(_Draft(_clean_heading(text), level))

    if not drafts:
        raise _refuse(
            _(
                "The document has no headings: apply Word's heading styles (Heading 1, "
                "Heading 2 …; 見出し 1, 見出し 2 … in Japanese Word) so it can be split into "
                "sections."
            )
        )
    shallowest = min((d.level for d in drafts if d.level != TITLE_LEVEL), default=1)
    sections = []
    if preamble.lines:
        title = (doc.core_properties.title or "").strip()
        sections.append(
            SectionData(heading=title or PREAMBLE_HEADING, body="\n".join(preamble.lines))
        )
    previous = -1 if not sections else 0
    for draft in drafts:
        depth = 0 if draft.level == TITLE_LEVEL else draft.level - shallowest
        depth = min(depth, previous + 1)  # no skipped levels
        heading, lines = draft.heading, draft.lines
        if len(heading) > HEADING_MAX_LENGTH:  # keep the whole text in the body
            lines = [heading, *lines]
            heading = heading[: HEADING_MAX_LENGTH - 1] + "…"
        sections.append(SectionData(heading=heading, body="\n".join(lines), depth=depth))
        previous = depth
    check_section_lengths(sections)
    return sections


# --- export: shared context ---------------------------------------------------------------


class ExportUnavailable(RuntimeError):
    """The version cannot be exported in the requested format on this server."""


def _pdf_unavailable_message() -> str:
    return _(
        "PDF output is not available on this server: it needs WeasyPrint with its system "
        "libraries (Pango) and a Japanese (CJK) font. See “PDF output” in the README. "
        "Word, HTML and Markdown downloads still work."
    )


CHANGE_MARKS = {Section.Change.REVISED: "【改定】", Section.Change.ADDED: "【追加】"}
REMOVED_HEADING = "削除した項目"


@dataclass
class ExportSection:
    number: str  # "1.2"
    heading: str
    depth: int
    lines: list[str]  # the body's non-empty lines
    change: str
    # With the changes shown (見え消し): the heading and the body's paragraphs as runs of
    # (op, text) against the version revised — "delete" struck through, "insert" underlined.
    heading_runs: list[tuple[str, str]] = field(default_factory=list)
    body_runs: list[list[tuple[str, str]]] = field(default_factory=list)

    @property
    def html_level(self) -> int:
        """h2 for depth 0 … h6 for depth 4 and deeper (h1 is the title)."""
        return min(self.depth + 2, 6)

    @property
    def mark(self) -> str:
        return CHANGE_MARKS.get(self.change, "")


def _lines(text: str) -> list[str]:
    return [line for line in _NEWLINES.split(text) if line.strip()]


def _wareki(d: date) -> str:
    return japanese_dates.wareki_date(d, with_western=False)


def _runs_by_paragraph(spans) -> list[list[tuple[str, str]]]:
    """Diff spans cut into paragraphs at the revised text's line breaks; empty paragraphs
    dropped. A deleted line break does not break the paragraph: the deleted text stays in
    the line, struck through (so the file still reads as the revised text's paragraphs)."""
    paragraphs: list[list[tuple[str, str]]] = [[]]
    for span in spans:
        text = clean_text(span.text)
        if span.op == "delete":
            text = _NEWLINES.sub(" ", text)
        pieces = _NEWLINES.split(text)
        for k, piece in enumerate(pieces):
            if k:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append((span.op, piece))
    return [p for p in paragraphs if "".join(t for _op, t in p).strip()]


def _add_change_runs(version: Version, sections: list[ExportSection], numbered) -> None:
    """Fill each section's runs against the version it revises (one query for the base)."""
    from . import diff

    base = {
        lineage: (heading, body)
        for lineage, heading, body in version.based_on.sections.values_list(
            "lineage", "heading", "body"
        )
    }
    budget = diff.Budget()
    for entry, n in zip(sections, numbered, strict=True):
        old = base.get(n.section.lineage)
        heading, body = n.section.heading, n.section.body
        if old is None:
            heading_spans = [diff.Span("insert", heading)]
            body_spans = [diff.Span("insert", body)]
        else:
            heading_spans = diff.char_diff(old[0], heading, budget=budget)
            body_spans = diff.char_diff(old[1], body, budget=budget)
        entry.heading_runs = [(sp.op, clean_text(sp.text)) for sp in heading_spans if sp.text]
        entry.body_runs = _runs_by_paragraph(body_spans)


def export_context(version: Version, *, show_changes: bool = False) -> dict:
    """What every format prints: the title block and the numbered sections (a few queries,
    however many sections), without control characters (core's ``clean_text``: they
    break Word and PDF files and mean nothing in a document)."""
    with translation.override("ja"):
        municipality = municipality_get()
        issuer = ""
        if municipality is not None:
            issuer = municipality.issuing_office or municipality.name
        numbered = selectors.numbered_sections(version, include_removed=False)
        sections = [
            ExportSection(
                number=n.number,
                heading=clean_text(n.section.heading),
                depth=n.section.depth,
                lines=_lines(clean_text(n.section.body)),
                change=n.section.change,
            )
            for n in numbered
        ]
        removed = []
        show_changes = show_changes and version.based_on_id is not None
        if show_changes:
            _add_change_runs(version, sections, numbered)
            removed = list(
                version.sections.filter(change=Section.Change.REMOVED)
                .order_by("path")
                .values_list("heading", "depth", "body")
            )
            removed = [
                (clean_text(heading), depth, _lines(clean_text(body)))
                for heading, depth, body in removed
            ]
        adopted = ""
        if version.adopted_on:
            # 「令和8年2月8日 第6回デジタル化推進本部会議決定」 (a Japanese document)
            adopted = clean_text(version.decision_caption())
            if not version.adopted_by_label:
                adopted += "決定"
        return {
            "version": version,
            "title": clean_text(version.document.title),
            "label": clean_text(version.label),
            "state": str(version.get_state_display()),
            "adopted": adopted,
            "issuer": issuer,
            "sections": sections,
            "show_changes": show_changes,
            "based_on_label": version.based_on.label if version.based_on_id else "",
            "removed": removed,
            "removed_heading": REMOVED_HEADING,
        }


def export_filename(version: Version, ext: str) -> str:
    """ "デジタル強靱化戦略_令和3年度版.docx", without characters unsafe in file names."""
    return office.safe_filename(f"{version.document.title}_{version.label}", ext)


# --- Word -----------------------------------------------------------------------------------

HEADING_SIZES = {1: 14, 2: 12, 3: 11}  # points; deeper headings 10.5


def _add_style(
    doc, name: str, *, size: float, bold: bool = False, align=None, font: str = office.MINCHO
):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    office.set_style_font(style, font, size=size, bold=bold)
    if align is not None:
        style.paragraph_format.alignment = align
    return style


def _paragraph(doc, text: str, style):
    paragraph = doc.add_paragraph()
    if style.style_id != "Normal":  # by id: python-docx's lookup by name is slow (O(styles))
        paragraph._p.style = style.style_id
    if text:
        paragraph.add_run(office.xml_safe(text))
    return paragraph


def export_docx(version: Version, *, show_changes: bool = False) -> bytes:
    """The version as a Word document: title block, then each section as a Word heading
    (level = depth + 1, at most 9) numbered "1.2 見出し", then its body paragraphs. With
    ``show_changes``, revised and added sections are marked 【改定】/【追加】 and the removed
    sections are listed at the end."""
    ctx = export_context(version, show_changes=show_changes)
    doc = office.a4_document(office.xml_safe(f"{ctx['title']} {ctx['label']}"))
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    title_style = _add_style(doc, "Kyokan Title", size=18, bold=True, align=center)
    title_style.paragraph_format.space_after = Pt(4)
    label_style = _add_style(doc, "Kyokan Version", size=13, align=center)
    label_style.paragraph_format.space_after = Pt(12)
    info_style = _add_style(doc, "Kyokan Info", size=10.5, align=right)
    info_style.paragraph_format.space_after = Pt(0)
    headings = {}
    for level in range(1, 10):
        style = doc.styles[f"Heading {level}"]
        office.set_style_font(style, office.GOTHIC, size=HEADING_SIZES.get(level, 10.5), bold=True)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12 if level == 1 else 8)
        style.paragraph_format.space_after = Pt(4)
        headings[level] = style
    normal = doc.styles["Normal"]

    _paragraph(doc, ctx["title"], title_style)
    _paragraph(doc, ctx["label"], label_style)
    _paragraph(doc, f"状態：{ctx['state']}", info_style)
    if ctx["adopted"]:
        _paragraph(doc, ctx["adopted"], info_style)
    if ctx["issuer"]:
        _paragraph(doc, ctx["issuer"], info_style)
    show_changes = ctx["show_changes"]
    if show_changes:
        _paragraph(
            doc,
            f"{ctx['based_on_label']}からの変更を示します（見え消し）：改定・追加した項目に"
            "【改定】【追加】、削除した文字に取消線、追加した文字に下線。",
            info_style,
        )
        deleted = doc.styles.add_style("Kyokan Deleted", WD_STYLE_TYPE.CHARACTER)
        deleted.font.strike = True
        inserted = doc.styles.add_style("Kyokan Inserted", WD_STYLE_TYPE.CHARACTER)
        inserted.font.underline = True
        run_styles = {"delete": deleted, "insert": inserted}

        def marked(paragraph, runs):
            for op, text in runs:
                run = paragraph.add_run(office.xml_safe(text))
                if op in run_styles:
                    run.style = run_styles[op]
            return paragraph

    for entry in ctx["sections"]:
        heading_style = headings[min(entry.depth + 1, 9)]
        if not show_changes:
            _paragraph(doc, f"{entry.number} {entry.heading}", heading_style)
            for line in entry.lines:
                _paragraph(doc, line, normal)
            continue
        marked(_paragraph(doc, f"{entry.mark}{entry.number} ", heading_style), entry.heading_runs)
        for runs in entry.body_runs:
            marked(_paragraph(doc, "", normal), runs)

    if show_changes and ctx["removed"]:
        appendix = _add_style(doc, "Kyokan Removed Heading", size=12, bold=True, font=office.GOTHIC)
        appendix.paragraph_format.space_before = Pt(18)
        appendix.paragraph_format.keep_with_next = True
        outline = OxmlElement("w:outlineLvl")  # in Word's navigation pane
        outline.set(qn("w:val"), "0")
        appendix.element.get_or_add_pPr().insert_element_before(
            outline, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"
        )
        removed_style = _add_style(doc, "Kyokan Removed", size=10.5)
        removed_style.font.strike = True
        _paragraph(doc, ctx["removed_heading"], appendix)
        for heading, depth, lines in ctx["removed"]:
            for text in (heading, *lines):
                paragraph = _paragraph(doc, text, removed_style)
                if depth:
                    paragraph.paragraph_format.left_indent = Mm(5 * depth)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- HTML, Markdown, PDF ----------------------------------------------------------------------


def export_html(version: Version, *, standalone: bool = True) -> str:
    """The version as HTML: a complete page with print CSS and no external resources, or
    (``standalone=False``) just its <article>."""
    ctx = export_context(version)
    with translation.override("ja"):
        return render_to_string("documents/export/version.html", {**ctx, "standalone": standalone})


_MD_BLOCK_START = re.compile(r"^[#>+\-*=_`~|]")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])")


_MD_INLINE = re.compile(r"[\\<\[\]&]")


def _md_inline(text: str) -> str:
    """Backslashes, "<", brackets and "&" escaped: no raw HTML, no autolink, no
    link or image (``[x](javascript:…)``, ``![](http://…)``, reference definitions), no
    character reference, no accidental escape. The text is shown as written, as in the
    other formats (a section's text is plain text, never Markdown)."""
    return _MD_INLINE.sub(lambda m: "\\" + m.group(0), text)


def _md_escape(line: str) -> str:
    """One line of body text as a Markdown paragraph that renders as the same text: no
    heading, quote, list, rule, fence, table or code block at its start, no raw HTML."""
    if len(line) - len(line.lstrip(" \t")) >= 4 or line.startswith("\t"):
        line = line.lstrip(" \t")  # an indented code block otherwise
    line = _md_inline(line)
    stripped = line.lstrip(" ")
    indent = line[: len(line) - len(stripped)]
    if _MD_BLOCK_START.match(stripped):
        return f"{indent}\\{stripped}"
    return indent + _MD_ORDERED.sub(r"\1\\\2", stripped, count=1)


def export_markdown(version: Version) -> str:
    ctx = export_context(version)
    out = [f"# {_md_escape(ctx['title'])}", "", _md_escape(ctx["label"])]
    for extra in (f"状態：{ctx['state']}", ctx["adopted"], ctx["issuer"]):
        if extra:
            out += ["", _md_escape(extra)]
    for entry in ctx["sections"]:
        hashes = "#" * min(entry.depth + 2, 6)
        out += ["", f"{hashes} {entry.number} {_md_inline(entry.heading)}"]
        for line in entry.lines:
            out += ["", _md_escape(line)]
    return "\n".join(out) + "\n"


def _no_fetch(url: str, *args, **kwargs):
    """The export uses no external resources; refuse any fetch."""
    raise ValueError(f"External resources are not loaded: {url[:80]}")


#: Longest version (characters of its headings and texts) made into a PDF in a request.
#: WeasyPrint lays out some 30 µs a character: a version of 2,000 sections imported from a
#: 3.7 MB Word file (4.3 million characters, within the import's limits) kept the request
#: 130 s and 1.5 GB, and an adopted version's PDF is a public, anonymous download. 200,000
#: characters are about 130 pages of A4 (a few seconds); Word, HTML and Markdown have no limit.
PDF_MAX_CHARS = 200_000


def export_pdf(version: Version) -> bytes:
    from django.db.models import Sum
    from django.db.models.functions import Length

    size = version.sections.aggregate(n=Sum(Length("heading") + Length("body")))["n"] or 0
    if size > PDF_MAX_CHARS:
        raise ExportUnavailable(
            _(
                "This version is too long to be made into a PDF here (%(size)s characters; "
                "at most %(limit)s). Download it as Word (.docx) and make the PDF there."
            )
            % {"size": f"{size:,}", "limit": f"{PDF_MAX_CHARS:,}"}
        )
    weasyprint = office.load_weasyprint(ExportUnavailable, _pdf_unavailable_message())
    html = export_html(version, standalone=True)
    try:
        return weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    except OSError as exc:  # a library that loads lazily (e.g. Pango's fontconfig)
        logger.warning("PDF export failed: %s", exc)
        raise ExportUnavailable(_pdf_unavailable_message()) from exc
