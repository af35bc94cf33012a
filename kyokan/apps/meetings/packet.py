"""The meeting packet (会議資料一式): the 次第, the list of papers, then every paper.

Word (python-docx) and PDF (WeasyPrint, then pypdf) are both built from
:func:`packet_context`, so the two never disagree. In the PDF, uploaded PDF papers are
spliced in at their 資料 position with the 資料番号 stamped top-right on their first page;
every other uploaded file is represented by an 別添 page, as in Word.
"""

import io
import logging
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH as ALIGN
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from kyokan.apps.core import office
from kyokan.apps.core.selectors import municipality_get

from . import selectors
from .dates import day_with_weekday, paper_date
from .models import Decision, Invitation, Meeting, Paper
from .papers import GeneratedTable, generator_get

logger = logging.getLogger(__name__)

PDF_UNAVAILABLE_MESSAGE = (
    "PDF形式の会議資料を作成できません。PDF出力には WeasyPrint と、"
    "それが使うシステムライブラリ（Pango など）、および日本語（CJK）フォントが必要です。"
    "導入方法は README を参照してください。Word形式（.docx）は作成できます。"
)


class PacketUnavailable(RuntimeError):
    """The packet cannot be built in the requested format on this server."""


# --- context -------------------------------------------------------------------------------


@dataclass
class PacketPaper:
    paper: Paper
    label: str  # 資料3
    title: str
    kind: str  # "table" (generated), "upload" (a file) or "missing" (unknown generator)
    table: GeneratedTable | None = None
    filename: str = ""  # uploads: the file's original name
    is_pdf: bool = False
    agenda_label: str = ""  # the agenda item it belongs to, e.g. "議題2"


@dataclass
class PacketAgendaItem:
    number: int
    title: str
    presenter: str
    minutes: int | None
    papers: list[str] = field(default_factory=list)  # ["資料1", "資料2"]

    @property
    def detail(self) -> str:
        """ "事務局・10分・資料1、資料2" (the parts that are known)."""
        parts = []
        if self.presenter:
            parts.append(self.presenter)
        if self.minutes:
            parts.append(f"{self.minutes}分")
        if self.papers:
            parts.append("、".join(self.papers))
        return "・".join(parts)


def _when(meeting: Meeting) -> str:
    """ "令和4年2月4日(金) 14:00～15:30", or 未定 while the date poll runs."""
    if not meeting.starts_at:
        if meeting.status == Meeting.Status.PLANNING:
            return "未定（日程調整中）"
        return "未定"
    start = timezone.localtime(meeting.starts_at)
    text = f"{day_with_weekday(start.date(), with_year=True, lang='ja')} {start:%H:%M}"
    if meeting.ends_at:
        end = timezone.localtime(meeting.ends_at)
        if end.date() == start.date():
            text += f"～{end:%H:%M}"
        else:
            text += f"～{day_with_weekday(end.date(), with_year=True, lang='ja')} {end:%H:%M}"
    return text


def _file_name(paper: Paper) -> str:
    if paper.original_name:
        return paper.original_name
    return paper.file.name.rsplit("/", 1)[-1] if paper.file else ""


def _is_pdf(paper: Paper) -> bool:
    name = (paper.original_name or paper.file.name or "").lower()
    return bool(paper.file) and name.endswith(".pdf")


def packet_context(meeting: Meeting) -> dict:
    """Everything the packet prints, in a constant number of queries (4) plus each used
    generator's own constant (each generator runs once however many papers use it)."""
    with translation.override("ja"):
        meeting = Meeting.objects.select_related("series", "course").get(pk=meeting.pk)
        municipality = municipality_get()
        items = list(selectors.agenda_items_of(meeting))
        papers = list(meeting.papers.order_by("number"))

        agenda_numbers = {item.pk: n for n, item in enumerate(items, start=1)}
        agenda = {
            item.pk: PacketAgendaItem(
                number=agenda_numbers[item.pk],
                title=item.title,
                presenter=item.presenter_name,
                minutes=item.duration_minutes,
            )
            for item in items
        }
        tables: dict[str, GeneratedTable | None] = {}
        packet_papers = []
        for paper in papers:
            entry = PacketPaper(paper=paper, label=paper.label, title=paper.title, kind="upload")
            if paper.agenda_item_id in agenda:
                agenda[paper.agenda_item_id].papers.append(paper.label)
                entry.agenda_label = f"議題{agenda_numbers[paper.agenda_item_id]}"
            if paper.generator:
                if paper.generator not in tables:
                    spec = generator_get(paper.generator)
                    tables[paper.generator] = spec.build(meeting) if spec else None
                entry.table = tables[paper.generator]
                entry.kind = "table" if entry.table is not None else "missing"
            else:
                entry.filename = _file_name(paper)
                entry.is_pdf = _is_pdf(paper)
            packet_papers.append(entry)

        held_on = (
            timezone.localtime(meeting.starts_at).date()
            if meeting.starts_at
            else timezone.localdate()
        )
        issuer = ""
        if municipality is not None:
            issuer = municipality.issuing_office or municipality.name
        subtitle = " ".join(s for s in (meeting.title, meeting.theme) if s)
        return {
            "meeting": meeting,
            "municipality": municipality,
            "issuer": issuer,
            "date_label": paper_date(held_on),
            "heading": f"{meeting.series.name} 第{meeting.number}回",
            "subtitle": subtitle,
            "when": _when(meeting),
            "place": meeting.place,
            "online_url": meeting.online_url,
            "agenda_items": [agenda[item.pk] for item in items],
            "papers": packet_papers,
            "document_title": f"{meeting.series.name} 第{meeting.number}回 会議資料",
        }


def packet_filename(meeting: Meeting, ext: str) -> str:
    """ "第6回デジタル化推進本部会議_資料.docx": no path separators, quotes or control
    characters (the view still encodes it per RFC 5987 for Content-Disposition)."""
    stem = f"第{meeting.number}回{meeting.series.name}"
    return office.safe_filename(stem, ext, default="会議", suffix="_資料")


# --- Word ------------------------------------------------------------------------------------

DOCX_FONT = office.MINCHO  # Word's default Japanese body font; both ascii and East Asian
USABLE_WIDTH_MM = 170  # A4 (210 mm) less 20 mm margins either side


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _column_widths(table: GeneratedTable, total_mm: float) -> list[float]:
    """Widths in proportion to the content (headers and cells, long cells capped)."""
    wants = []
    for i, header in enumerate(table.columns):
        longest = max(
            (_display_width(line) for row in table.rows[:200] for line in row[i].split("\n")),
            default=0,
        )
        wants.append(max(_display_width(header), min(longest, 40), 4))
    scale = total_mm / sum(wants)
    return [w * scale for w in wants]


class _Docx:
    """Small helpers over python-docx for the packet's layout. Every text goes through
    ``office.xml_safe``: a control character (e.g. in a title typed or imported) would
    otherwise make python-docx fail or Word refuse the file."""

    def __init__(self, title: str):
        # A4, 20 mm margins, "- N -" page numbers, one Japanese font for Latin and East
        # Asian text (document defaults and the Normal style) at 10.5 pt.
        self.doc = office.a4_document(office.xml_safe(title), font=DOCX_FONT, size=10.5)

    def paragraph(
        self,
        text: str = "",
        *,
        size: float | None = None,
        bold: bool = False,
        align=None,
        space_after: float | None = None,
        page_break: bool = False,
        indent_mm: float | None = None,
    ):
        paragraph = self.doc.add_paragraph()
        if text:
            run = paragraph.add_run(office.xml_safe(text))
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)
        if align is not None:
            paragraph.alignment = align
        if space_after is not None:
            paragraph.paragraph_format.space_after = Pt(space_after)
        if page_break:
            paragraph.paragraph_format.page_break_before = True
        if indent_mm is not None:
            paragraph.paragraph_format.left_indent = Mm(indent_mm)
        return paragraph

    def label(self, text: str, *, page_break: bool) -> None:
        """資料番号 top-right: bold, right-aligned, in a box (a character border)."""
        paragraph = self.paragraph(align=ALIGN.RIGHT, page_break=page_break)
        run = paragraph.add_run(f" {office.xml_safe(text)} ")
        run.bold = True
        run.font.size = Pt(12)
        border = OxmlElement("w:bdr")
        for attr, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "1")):
            border.set(qn(attr), value)
        border.set(qn("w:color"), "000000")
        office.insert_rpr_child(run._r.get_or_add_rPr(), border, "w:bdr")

    def _cell(self, cell, text: str, *, bold=False, right=False, shade=False, width=None):
        cell.text = office.xml_safe(text)
        paragraph = cell.paragraphs[0]
        if right:
            paragraph.alignment = ALIGN.RIGHT
        if bold:
            for run in paragraph.runs:
                run.bold = True
        if width is not None:
            cell.width = width
        if shade:
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), "E7E6E6")
            cell._tc.get_or_add_tcPr().insert_element_before(
                shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
                "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge",
                "w:tcPrChange",
            )  # fmt: skip

    def table(self, data: GeneratedTable) -> None:
        widths = [Mm(w) for w in _column_widths(data, USABLE_WIDTH_MM)]
        table = self.doc.add_table(rows=1, cols=len(data.columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        header = table.rows[0]
        tr_pr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
        tr_pr.insert_element_before(
            repeat, "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange"
        )
        for i, (cell, text) in enumerate(zip(header.cells, data.columns, strict=True)):
            self._cell(cell, text, bold=True, shade=True, width=widths[i])
            cell.paragraphs[0].alignment = ALIGN.CENTER
        for values in data.rows:
            cells = table.add_row().cells
            for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
                self._cell(cell, text, right=i in data.numeric_columns, width=widths[i])
        if not data.rows:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
            self._cell(merged, "該当するデータはありません。")
            merged.paragraphs[0].alignment = ALIGN.CENTER

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def build_packet_docx(meeting: Meeting) -> bytes:
    ctx = packet_context(meeting)
    w = _Docx(ctx["document_title"])
    A = ALIGN

    # 次第
    w.paragraph(ctx["date_label"], align=A.RIGHT, space_after=0)
    if ctx["issuer"]:
        w.paragraph(ctx["issuer"], align=A.RIGHT)
    w.paragraph()
    w.paragraph(ctx["heading"], size=16, bold=True, align=A.CENTER, space_after=2)
    if ctx["subtitle"]:
        w.paragraph(ctx["subtitle"], size=13, bold=True, align=A.CENTER, space_after=2)
    w.paragraph("次　第", size=14, bold=True, align=A.CENTER, space_after=12)
    w.paragraph(f"日時：{ctx['when']}", space_after=0)
    w.paragraph(f"場所：{ctx['place'] or '—'}", space_after=0)
    if ctx["online_url"]:
        w.paragraph(f"オンライン：{ctx['online_url']}", space_after=0)
    w.paragraph()
    for item in ctx["agenda_items"]:
        w.paragraph(f"{item.number}. {item.title}", size=11.5, space_after=0)
        if item.detail:
            w.paragraph(f"（{item.detail}）", size=9.5, indent_mm=8, space_after=4)
    if ctx["papers"]:
        w.paragraph()
        w.paragraph("配布資料", bold=True, space_after=2)
        for entry in ctx["papers"]:
            suffix = "（別添）" if entry.kind == "upload" else ""
            w.paragraph(f"{entry.label}　{entry.title}{suffix}", indent_mm=4, space_after=0)

    # 資料1, 資料2, …: one per page
    for entry in ctx["papers"]:
        w.label(entry.label, page_break=True)
        w.paragraph(entry.title, size=14, bold=True, align=A.CENTER, space_after=8)
        if entry.kind == "table":
            data = entry.table
            if data.title and data.title != entry.title:
                w.paragraph(data.title, size=11, bold=True, align=A.CENTER)
            if data.note:
                w.paragraph(data.note, size=9.5, space_after=4)
            w.table(data)
        elif entry.kind == "upload":
            w.paragraph()
            w.paragraph(f"別添（{entry.filename}）", size=13, align=A.CENTER)
            w.paragraph("この資料は別添のファイルとして配布します。", size=9.5, align=A.CENTER)
        else:
            w.paragraph(
                f"この資料の作成元（{entry.paper.generator}）が見つからないため、"
                "内容を出力できませんでした。",
                align=A.CENTER,
            )
    return w.to_bytes()


# --- PDF ---------------------------------------------------------------------------------------

STAMP_MARGIN_PT = (8 * 72 / 25.4, 5 * 72 / 25.4)  # from the right and top edges


def _read_upload(paper: Paper):
    """The uploaded PDF as a pypdf reader, or None when it cannot be read (damaged,
    encrypted with a password…): it then gets an 別添 page instead."""
    from pypdf import PdfReader

    try:
        with paper.file.open("rb") as handle:
            data = handle.read()
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        return reader if len(reader.pages) else None
    except Exception:  # a bad upload must not stop the whole packet
        logger.warning("Paper %s (%s) could not be read as PDF", paper.pk, paper.file.name)
        return None


def build_packet_pdf(meeting: Meeting) -> bytes:
    weasyprint = office.load_weasyprint(PacketUnavailable, PDF_UNAVAILABLE_MESSAGE)
    from pypdf import PdfReader, PdfWriter, Transformation

    ctx = packet_context(meeting)
    uploads = {
        entry.paper.pk: _read_upload(entry.paper)
        for entry in ctx["papers"]
        if entry.kind == "upload" and entry.is_pdf
    }
    inline = {pk for pk, reader in uploads.items() if reader is not None}
    html = render_to_string("meetings/packet/packet.html", {**ctx, "inline": inline})
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    starts: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, index)
    generated = PdfReader(io.BytesIO(document.write_pdf()))
    total = len(generated.pages)
    boundaries = sorted(
        {i for name, i in starts.items() if name.startswith(("paper-", "stamp-"))} | {total}
    )

    def segment(name: str) -> range:
        start = starts[name]
        return range(start, next(b for b in boundaries if b > start))

    writer = PdfWriter()
    for i in range(boundaries[0]):  # the 次第 (and the list of papers)
        writer.add_page(generated.pages[i])
    writer.add_outline_item(title="次第", page_number=0)
    for entry in ctx["papers"]:
        first = len(writer.pages)
        if entry.paper.pk in inline:
            stamp = generated.pages[starts[f"stamp-{entry.paper.number}"]]
            for n, page in enumerate(uploads[entry.paper.pk].pages):
                added = writer.add_page(page)
                if n == 0:
                    if added.rotation % 360:
                        added.transfer_rotation_to_content()
                    box = added.mediabox
                    width, height = float(stamp.mediabox.width), float(stamp.mediabox.height)
                    added.merge_transformed_page(
                        stamp,
                        Transformation().translate(
                            float(box.right) - width - STAMP_MARGIN_PT[0],
                            float(box.top) - height - STAMP_MARGIN_PT[1],
                        ),
                    )
        else:
            for i in segment(f"paper-{entry.paper.number}"):
                writer.add_page(generated.pages[i])
        writer.add_outline_item(title=f"{entry.label} {entry.title}", page_number=first)
    writer.add_metadata({"/Title": ctx["document_title"]})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- the minutes (会議録) ------------------------------------------------------------------


def minutes_context(meeting: Meeting) -> dict:
    """What the minutes print - the meeting's heading and date as the packet prints them,
    who attended, each agenda item's minutes and decisions, the other decisions, the action
    items and the papers - in a constant number of queries."""
    base = packet_context(meeting)
    with translation.override("ja"):
        meeting = base["meeting"]
        items = list(
            selectors.agenda_items_of(meeting).prefetch_related(
                Prefetch("decisions", queryset=Decision.objects.order_by("id"))
            )
        )
        invitations = list(meeting.invitations.select_related("person"))
        attended = {Invitation.Attendance.PRESENT, Invitation.Attendance.PROXY}
        present = [
            i.display_name + ("（代理出席）" if i.attendance == Invitation.Attendance.PROXY else "")
            for i in invitations
            if i.attendance in attended
        ]
        absent = [
            i.display_name for i in invitations if i.attendance == Invitation.Attendance.ABSENT
        ]
        actions = list(
            meeting.action_items.select_related("owner", "department").order_by("due_date", "id")
        )
        table = GeneratedTable(
            title="アクションアイテム",
            columns=["No.", "内容", "担当者", "担当課", "期限", "状況"],
            rows=[
                [
                    str(n),
                    a.title,
                    a.owner.full_name,
                    a.department.name if a.department_id else "—",
                    paper_date(a.due_date),
                    str(a.get_status_display()),
                ]
                for n, a in enumerate(actions, start=1)
            ],
            numeric_columns=frozenset({0}),
        )
        return {
            **base,
            "document_title": f"{meeting.series.name} 第{meeting.number}回 会議録",
            "present": present,
            "absent": absent,
            "items": [
                {
                    "number": n,
                    "title": item.title,
                    "presenter": item.presenter_name,
                    "minutes": item.minutes_text.strip(),
                    "decisions": [d.text for d in item.decisions.all()],
                }
                for n, item in enumerate(items, start=1)
            ],
            "other_decisions": list(
                meeting.decisions.filter(agenda_item__isnull=True)
                .order_by("id")
                .values_list("text", flat=True)
            ),
            "actions": table,
            "papers": [f"{e.label}　{e.title}" for e in base["papers"]],
        }


def minutes_filename(meeting: Meeting, ext: str) -> str:
    """ "第5回デジタル化推進本部会議_会議録.docx" (safe, as the packet's)."""
    stem = f"第{meeting.number}回{meeting.series.name}"
    return office.safe_filename(stem, ext, default="会議", suffix="_会議録")


def build_minutes_docx(meeting: Meeting) -> bytes:
    ctx = minutes_context(meeting)
    w = _Docx(ctx["document_title"])
    A = ALIGN
    w.paragraph(ctx["date_label"], align=A.RIGHT, space_after=0)
    if ctx["issuer"]:
        w.paragraph(ctx["issuer"], align=A.RIGHT)
    w.paragraph()
    w.paragraph(ctx["heading"], size=16, bold=True, align=A.CENTER, space_after=2)
    if ctx["subtitle"]:
        w.paragraph(ctx["subtitle"], size=13, bold=True, align=A.CENTER, space_after=2)
    w.paragraph("会　議　録", size=14, bold=True, align=A.CENTER, space_after=12)
    w.paragraph(f"日時：{ctx['when']}", space_after=0)
    w.paragraph(f"場所：{ctx['place'] or '—'}", space_after=0)
    w.paragraph(f"出席者：{'、'.join(ctx['present']) or '—'}", space_after=0)
    if ctx["absent"]:
        w.paragraph(f"欠席者：{'、'.join(ctx['absent'])}", space_after=0)
    w.paragraph()
    w.paragraph("議事", size=12, bold=True, space_after=4)
    for item in ctx["items"]:
        presenter = f"（{item['presenter']}）" if item["presenter"] else ""
        w.paragraph(f"{item['number']}. {item['title']}{presenter}", size=11.5, bold=True)
        for line in (item["minutes"] or "（記録なし）").split("\n"):
            w.paragraph(line, indent_mm=4, space_after=0)
        for decision in item["decisions"]:
            w.paragraph(f"【決定】{decision}", bold=True, indent_mm=4, space_after=0)
        w.paragraph(space_after=2)
    if ctx["other_decisions"]:
        w.paragraph("その他の決定事項", size=12, bold=True, space_after=4)
        for n, decision in enumerate(ctx["other_decisions"], start=1):
            w.paragraph(f"{n}. {decision}", indent_mm=4, space_after=0)
        w.paragraph()
    w.paragraph(ctx["actions"].title, size=12, bold=True, space_after=4)
    w.table(ctx["actions"])
    if ctx["papers"]:
        w.paragraph()
        w.paragraph("配布資料", bold=True, space_after=2)
        for label in ctx["papers"]:
            w.paragraph(label, indent_mm=4, space_after=0)
    return w.to_bytes()


def build_minutes_pdf(meeting: Meeting) -> bytes:
    weasyprint = office.load_weasyprint(PacketUnavailable, PDF_UNAVAILABLE_MESSAGE)
    html = render_to_string("meetings/packet/minutes.html", minutes_context(meeting))
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf()


# --- every paper in one ZIP -------------------------------------------------------------------

ZIP_MAX_BYTES = 200 * 1024 * 1024  # what one download may carry (papers are 20 MB at most)


class _Pipe(io.RawIOBase):
    """A write-only stream that hands what is written to the response as it comes."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def papers_zip_name(meeting: Meeting) -> str:
    stem = f"第{meeting.number}回{meeting.series.name}"
    return office.safe_filename(stem, "zip", default="会議", suffix="_資料一式")


def papers_zip_entries(meeting: Meeting) -> list[tuple[str, Paper]]:
    """(name in the archive, paper) for every paper, in 資料 order: uploads under their
    number, title and extension; generated papers as Word files. Names are safe (no path,
    reserved or control character) and unique."""
    entries, seen = [], set()
    for paper in meeting.papers.order_by("number"):
        if paper.file:
            original = paper.original_name or paper.file.name
            ext = original.rsplit(".", 1)[-1] if "." in original else "bin"
        else:
            ext = "docx"
        name = office.safe_filename(f"{paper.label}_{paper.title}", ext, default=paper.label)
        while name in seen:
            name = f"{paper.pk}_{name}"
        seen.add(name)
        entries.append((name, paper))
    return entries


def papers_zip_size(entries) -> int:
    return sum(paper.size for _name, paper in entries if paper.file)


def _generated_docx(meeting: Meeting, paper: Paper) -> bytes:
    spec = generator_get(paper.generator)
    w = _Docx(f"{paper.label} {paper.title}")
    w.label(paper.label, page_break=False)
    w.paragraph(paper.title, size=14, bold=True, align=ALIGN.CENTER, space_after=8)
    if spec is None:
        w.paragraph(f"この資料の作成元（{paper.generator}）が見つかりません。")
        return w.to_bytes()
    with translation.override("ja"):
        data = spec.build(meeting)
    if data.note:
        w.paragraph(data.note, size=9.5, space_after=4)
    w.table(data)
    return w.to_bytes()


def stream_papers_zip(meeting: Meeting, entries):
    """The ZIP of ``entries``, produced piece by piece (a paper is read in 1 MB chunks and
    sent on), so that a large meeting never sits whole in memory."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, paper in entries:
            with archive.open(name, "w", force_zip64=True) as target:
                if paper.file:
                    with paper.file.open("rb") as source:
                        while chunk := source.read(1024 * 1024):
                            target.write(chunk)
                            yield pipe.take()
                else:
                    target.write(_generated_docx(meeting, paper))
            yield pipe.take()
    yield pipe.take()
