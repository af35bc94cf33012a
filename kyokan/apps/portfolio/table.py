"""The portfolio table: the columns of the CSV / Excel export, and the import that reads the
same file back (or a department's own 進捗管理表 through a column mapping).

The import is all or nothing: every cell is checked first and any error (with its sheet,
row, column and what is wrong, in the reader's language) means nothing is written. A row
with an ``initiative_id`` updates that initiative, a row without one creates one; the
computed columns (annual cost and value, ratio, payback) are ignored on import. Numbers
accept full-width digits (１２３ → 123) and thousands separators; in a yen column 「1,234円」
is read as 1234; elsewhere a unit is refused with a message.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyokan.apps.core.csvfiles import bounded_rows
from kyokan.apps.core.exports import FORMULA_STARTS, clean_text
from kyokan.apps.core.models import Department

from . import costvalue, periods
from .models import (
    COUNT_MAX,
    DX,
    HOURS_MAX,
    LIFE_MAX,
    MINUTES_MAX,
    YEN_MAX,
    Initiative,
    Kpi,
    Lever,
    ProgressReport,
    RuleKind,
    Scope,
    Status,
    initiatives_check,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# What a sheet may span, blank rows and columns included: the file's size does not bound it
# (5 MB of line breaks are 5 million rows; a 5 KB workbook reaches XFD1048576).
MAX_SHEET_ROWS = 50_000
MAX_COLUMNS = 60  # the table has 24 columns, a 進捗管理表 7 more
KPI_SHEET_NAMES = ("KPI実績", "kpi_actuals")


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy; the Japanese header people recognise
    kind: str = "text"  # text, int, yen, fy, choice, lever, rule, computed
    required: bool = False
    maximum: int | None = None
    field: str = ""  # the Initiative field (or "" for special columns)


COLUMNS: list[Column] = [
    Column("initiative_id", gettext_lazy("取組ID"), "id"),
    Column("title", gettext_lazy("取組名"), "text", True, field="title"),
    Column("bureau", gettext_lazy("部局"), "bureau", True),
    Column("division", gettext_lazy("課"), "division"),
    Column("fiscal_year_start", gettext_lazy("開始年度"), "fy", True, field="fiscal_year_start"),
    Column("fiscal_year_end", gettext_lazy("終了年度"), "fy", True, field="fiscal_year_end"),
    Column("status", gettext_lazy("状況"), "status", True, field="status"),
    Column("kaizen_or_henkaku", gettext_lazy("改善・変革"), "scope", True, field="scope"),
    Column("d_or_x", gettext_lazy("D・X"), "dx", True, field="dx"),
    Column("rule_change", gettext_lazy("ルールの変更"), "rule", True),
    Column("organisation_change", gettext_lazy("組織の変更"), "lever", True,
           field="organisation"),
    Column("budget_change", gettext_lazy("予算の変更"), "lever", True, field="budget"),
    Column("initial_cost_yen", gettext_lazy("初期費用（円）"), "yen", maximum=YEN_MAX,
           field="initial_cost_yen"),
    Column("running_cost_yen", gettext_lazy("年間運用費（円）"), "yen", maximum=YEN_MAX,
           field="running_cost_yen"),
    Column("useful_life_years", gettext_lazy("耐用年数"), "life", maximum=LIFE_MAX,
           field="useful_life_years"),
    Column("staff_hours_run", gettext_lazy("運用の職員時間（年）"), "int", maximum=HOURS_MAX,
           field="staff_hours_run"),
    Column("cases_per_year", gettext_lazy("年間件数"), "int", maximum=COUNT_MAX,
           field="cases_per_year"),
    Column("citizen_minutes_saved_per_case", gettext_lazy("1件あたり市民の短縮時間（分）"), "int",
           maximum=MINUTES_MAX, field="citizen_minutes_saved_per_case"),
    Column("staff_hours_saved", gettext_lazy("削減される職員時間（年）"), "int", maximum=HOURS_MAX,
           field="staff_hours_saved"),
    Column("other_benefit_yen", gettext_lazy("その他の効果（円・年）"), "yen", maximum=YEN_MAX,
           field="other_benefit_yen"),
    Column("annual_cost_yen", gettext_lazy("年間費用（円・計算）"), "computed"),
    Column("annual_value_yen", gettext_lazy("年間価値（円・計算）"), "computed"),
    Column("cost_value_ratio", gettext_lazy("費用対価値（計算）"), "computed"),
    Column("payback_years", gettext_lazy("回収年数（計算）"), "computed"),
]  # fmt: skip
BY_KEY = {c.key: c for c in COLUMNS}
INPUT_COLUMNS = [c for c in COLUMNS if c.kind != "computed"]

# Progress and KPI columns a 進捗管理表 may carry besides the initiative's.
PROGRESS_COLUMNS: list[Column] = [
    Column("report_fiscal_year", gettext_lazy("報告年度"), "fy"),
    Column("report_quarter", gettext_lazy("報告四半期"), "quarter"),
    Column("percent_done", gettext_lazy("進捗率（%）"), "percent"),
    Column("progress_status", gettext_lazy("進捗状況"), "health"),
    Column("what_happened", gettext_lazy("実施内容"), "text"),
    Column("issues", gettext_lazy("課題"), "text"),
    Column("help_needed", gettext_lazy("必要な支援"), "text"),
]
KPI_COLUMNS: list[Column] = [
    Column("initiative_id", gettext_lazy("取組ID"), "id", True),
    Column("kpi_name", gettext_lazy("KPI名"), "text", True),
    Column("fiscal_year", gettext_lazy("年度"), "fy", True),
    Column("quarter", gettext_lazy("四半期"), "quarter"),
    Column("actual", gettext_lazy("実績値"), "decimal", True),
    Column("source", gettext_lazy("出典"), "text"),
]

NONE_WORDS = {"なし", "無し", "ナシ", "none"}
RULE_WORDS = {
    RuleKind.ORDINANCE: "条例",
    RuleKind.REGULATION: "規則",
    RuleKind.GUIDELINE: "要綱",
    RuleKind.OTHER: "その他",
}


# --- writing --------------------------------------------------------------------------------


def header(columns=COLUMNS) -> list[str]:
    return [c.key for c in columns]


def rule_cell(initiative: Initiative) -> str:
    if initiative.rule_kind == RuleKind.NONE:
        return "なし"
    return f"{RULE_WORDS[initiative.rule_kind]}:{initiative.rule_name}"


def lever_cell(kind: str, text: str) -> str:
    return "なし" if kind == Lever.NONE else text


def row_of(initiative: Initiative, fy_of_status=None) -> list:
    """One initiative as a row of the table (computed columns from ``initiative.cv``)."""
    cv = getattr(initiative, "cv", None)
    computed = ["", "", "", ""]
    if cv is not None:
        computed = [
            costvalue.yen(cv.annual_cost),
            costvalue.yen(cv.annual_value),
            costvalue.ratio(cv.ratio) if cv.ratio is not None else "",
            costvalue.payback(cv.payback) if cv.payback is not None else "",
        ]
    return [
        initiative.pk,
        initiative.title,
        initiative.bureau.name,
        initiative.division.name if initiative.division_id else "",
        initiative.fiscal_year_start,
        initiative.fiscal_year_end,
        choice_label(Status, initiative.status),
        choice_label(Scope, initiative.scope),
        initiative.dx,
        rule_cell(initiative),
        lever_cell(initiative.organisation_kind, initiative.organisation_change),
        lever_cell(initiative.budget_kind, initiative.budget_change),
        initiative.initial_cost_yen,
        initiative.running_cost_yen,
        initiative.useful_life_years if initiative.useful_life_years is not None else "",
        initiative.staff_hours_run,
        initiative.cases_per_year,
        initiative.citizen_minutes_saved_per_case,
        initiative.staff_hours_saved,
        initiative.other_benefit_yen,
        *computed,
    ]


# --- reading the file ------------------------------------------------------------------------


@dataclass
class CellError:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row:
            where.append(_("row %(n)s") % {"n": self.row})
        if self.column:
            where.append(_("column %(name)s") % {"name": self.column})
        return f"{' '.join(where)}: {self.message}"


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[tuple[int, list]]  # (row number, cells)


class BadFile(ValidationError):
    pass


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


def _unneutralise(text: str) -> str:
    """The export writes formula-looking text with a leading apostrophe (OWASP); read back,
    the apostrophe goes so that the round trip is exact."""
    if text.startswith("'") and text[1:].lstrip(" \u3000")[:1] in FORMULA_STARTS:
        return text[1:]
    return text


def read_file(data: bytes, filename: str) -> list[Sheet]:
    if not data:
        raise BadFile(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise BadFile(_("The file is larger than 5 MB."))
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return _xlsx_sheets(data, filename)
    return [_csv_sheet(data, filename)]


def _csv_sheet(data: bytes, filename: str) -> Sheet:
    from kyokan.textanalysis.io import AnalysisInputError, decode_bytes

    try:
        text, _encoding = decode_bytes(data)
    except AnalysisInputError as exc:
        raise BadFile(
            _(
                "The file's characters cannot be read: save it as CSV in UTF-8 (with or "
                "without BOM) or Shift_JIS (CP932). (%(detail)s)"
            )
            % {"detail": exc}
        ) from exc
    table = _bounded(csv.reader(io.StringIO(text)))
    return _sheet(filename, table)


def _bounded(rows) -> list[list]:
    return bounded_rows(
        rows,
        filled_max=MAX_ROWS,
        rows_max=MAX_SHEET_ROWS,
        columns_max=MAX_COLUMNS,
        text=_cell_text,
        error=BadFile,
    )


def _sheet(name: str, table: list[list]) -> Sheet:
    numbered = [(i, row) for i, row in enumerate(table, start=1) if any(_cell_text(c) for c in row)]
    if not numbered:
        raise BadFile(_("The file is empty."))
    (_first, head), body = numbered[0], numbered[1:]
    if len(body) > MAX_ROWS:
        raise BadFile(_("The file has more than %(n)s rows.") % {"n": f"{MAX_ROWS:,}"})
    return Sheet(name=name, header=[_cell_text(h) for h in head], rows=body)


def _xlsx_sheets(data: bytes, filename: str) -> list[Sheet]:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > 20 * MAX_BYTES:
                raise BadFile(_("The Excel file unpacks to more than 100 MB."))
        # Read-only: rows are read one by one from the file (the whole workbook in memory
        # was about 450 bytes a cell, 1 GB and 18 s for 2 million cells of a 5 MB file).
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except BadFile:
        raise
    except Exception as exc:  # not a workbook, encrypted, broken
        raise BadFile(_("The file is not an Excel workbook (.xlsx).")) from exc
    errors = []
    hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
    if hidden:
        errors.append(
            CellError(
                "、".join(hidden),
                None,
                "",
                _("The workbook has hidden sheets; unhide or delete them so that nothing "
                  "is imported unseen."),
            )
        )  # fmt: skip
    sheets = []
    try:
        for ws in book.worksheets:
            if ws.sheet_state != "visible":
                continue
            for merged in _merged_ranges(book, ws):
                errors.append(
                    CellError(
                        ws.title,
                        merged.min_row,
                        str(merged.coord),
                        _("Merged cells cannot be imported: unmerge them and fill every cell."),
                    )
                )
            # The size the sheet declares is not taken (openpyxl would add every row and
            # column up to it); rows are read as the file has them, one column more than
            # MAX_COLUMNS wide so that a wider table is refused (cells further right, such
            # as a stray styled cell at XFD2, are not read).
            ws.reset_dimensions()
            table = _bounded(_xlsx_values(ws, errors))
            try:
                sheets.append(_sheet(ws.title, table))
            except BadFile:
                if not sheets:
                    raise
    finally:
        book.close()
    if errors:
        raise ImportErrors(errors)
    return sheets


def _xlsx_values(ws, errors: list):
    for row in ws.iter_rows(max_col=MAX_COLUMNS + 1):
        cells = []
        for c in row:
            if c.data_type == "f":
                errors.append(
                    CellError(
                        ws.title,
                        c.row,
                        c.coordinate,
                        _("A formula cannot be imported: paste the value instead."),
                    )
                )
                cells.append("")
            else:
                cells.append(c.value)
        yield cells


_MERGE_CELL = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref=["']([^"']+)["']""")


def _merged_ranges(book, ws) -> list:
    """The merged ranges of a read-only sheet (openpyxl reads them only when it loads the
    whole sheet): the <mergeCell ref="B2:B3"/> of its XML, found in the bytes as they are
    unpacked, a megabyte at a time."""
    from openpyxl.worksheet.cell_range import CellRange

    refs: list[str] = []
    with book._archive.open(ws._worksheet_path) as source:
        tail = b""
        while chunk := source.read(1 << 20):
            buffer = tail + chunk
            end = 0
            for match in _MERGE_CELL.finditer(buffer):
                refs.append(match.group(1).decode("ascii", "replace"))
                end = match.end()
            tail = buffer[max(end, len(buffer) - 4096) :]
    ranges = []
    for ref in refs[:1000]:
        try:
            ranges.append(CellRange(ref))
        except (ValueError, TypeError):
            continue
    return ranges


class ImportErrors(Exception):
    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


# --- cells -------------------------------------------------------------------------------------

_SEPARATED = re.compile(r"^\d{1,3}(,\d{3})+$")
_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)
# More whole digits than any column holds (yen up to 10^12, KPI values under 10^14).
MAX_DIGITS = 18


def parse_number(raw, *, yen: bool, decimal: bool = False):
    """A cell as a non-negative number: full-width digits and thousands separators are
    accepted; 「円」 only in a yen column. Raises ValueError with the message."""
    if isinstance(raw, bool):
        raise ValueError(_("Enter a number."))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not decimal and not raw.is_integer():
            raise ValueError(_("Enter a whole number (no decimals)."))
        value = Decimal(str(raw)) if decimal else int(raw)
    else:
        text = "".join(unicodedata.normalize("NFKC", str(raw)).split())
        if text.endswith("円"):
            if not yen:
                raise ValueError(
                    _("「%(text)s」: write the number without a unit.") % {"text": raw}
                )
            text = text[:-1]
        if "," in text:
            if not _SEPARATED.match(text.split(".")[0].removeprefix("-")):
                raise ValueError(_("「%(text)s」 is not a number.") % {"text": raw})
            text = text.replace(",", "")
        # Digits, a decimal point and a sign only: Decimal() alone also takes 1e3, 1_000 and
        # 1e1000000, whose conversion to an integer took a worker 30 s and more.
        if not _PLAIN_NUMBER.match(text):
            raise ValueError(_("「%(text)s」 is not a number.") % {"text": raw})
        if len(text.lstrip("-+").split(".")[0].lstrip("0")) > MAX_DIGITS:
            raise ValueError(_("「%(text)s」 is too large a number.") % {"text": raw})
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("「%(text)s」 is not a number.") % {"text": raw}) from None
        if decimal:
            value = number
        elif number != number.to_integral_value():
            raise ValueError(_("Enter a whole number (no decimals)."))
        else:
            value = int(number)
    if value < 0:
        raise ValueError(_("A negative number is not allowed here."))
    return value


def in_japanese(label) -> str:
    """A label as the Japanese 進捗管理表 writes it, whatever the reader's language."""
    with translation.override("ja"):
        return str(label)


@cache
def _choice_words(choices: type[models.TextChoices], language: str):
    """(value, the words that name it, its Japanese label) of each choice: the value, the
    Japanese label and the label in the reader's language, each also without its
    parenthesised note ("D（ツール・デジタル化）" → "D")."""
    rows = []
    for value, label in choices.choices:
        words = {value}
        for text in (str(label), in_japanese(label)):
            folded = unicodedata.normalize("NFKC", text).strip()
            words |= {folded, folded.split("(")[0].strip()}
        rows.append((value, words, in_japanese(label)))
    return rows


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The Japanese label the table writes for a choice (the file reads back in any UI
    language)."""
    for candidate, _words, japanese in _choice_words(choices, "ja"):
        if candidate == value:
            return japanese
    return value


def _choice(text: str, choices: type[models.TextChoices], what: str):
    folded = unicodedata.normalize("NFKC", text).strip()
    rows = _choice_words(choices, translation.get_language() or "ja")
    for value, words, _japanese in rows:
        if folded in words:
            return value
    raise ValueError(
        _("「%(text)s」 is not one of: %(options)s")
        % {"text": text, "options": "、".join(j.split("（")[0] for _v, _w, j in rows)}
    )


def parse_rule(text: str) -> tuple[str, str]:
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded:
        raise ValueError(_("A lever is never left blank: write what changes, or 「なし」."))
    if folded.lower() in NONE_WORDS:
        return RuleKind.NONE, ""
    kind_text, sep, name = folded.partition(":")
    if sep:
        for kind, word in RULE_WORDS.items():
            if kind_text.strip() == word:
                if not name.strip():
                    raise ValueError(_("Name the rule after 「%(kind)s:」.") % {"kind": word})
                return kind, name.strip()
    raise ValueError(
        _("Write 「なし」 or the kind and name of the rule, e.g. 「規則:押印の見直しに関する規則」 "
          "(kinds: 条例, 規則, 要綱, その他).")
    )  # fmt: skip


def parse_lever(text: str) -> tuple[str, str]:
    stripped = text.strip()
    if not stripped:
        raise ValueError(_("A lever is never left blank: write what changes, or 「なし」."))
    if unicodedata.normalize("NFKC", stripped).lower() in NONE_WORDS:
        return Lever.NONE, ""
    return Lever.CHANGE, stripped


# --- the plan ----------------------------------------------------------------------------------


@dataclass
class RowPlan:
    row: int
    action: str  # create, update, unchanged
    initiative: Initiative
    changes: dict
    title: str
    report: dict | None = None


@dataclass
class Plan:
    rows: list[RowPlan] = field(default_factory=list)
    kpi_actuals: list[tuple[Kpi, int, int, Decimal, str]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "rejected": len({(e.sheet, e.row) for e in self.errors}) if self.errors else 0,
            "kpi_actuals": len(self.kpi_actuals),
        }


def default_mapping(headers: list[str], columns=None) -> dict[str, str]:
    """column key → the header naming it: the key itself, its Japanese label or its label
    in the reader's language."""
    columns = columns or [*INPUT_COLUMNS, *PROGRESS_COLUMNS]
    folded = {unicodedata.normalize("NFKC", h).strip().lower(): h for h in headers if h}
    mapping = {}
    for column in columns:
        for name in (column.key, in_japanese(column.label), str(column.label)):
            key = unicodedata.normalize("NFKC", name).strip().lower()
            if key in folded:
                mapping[column.key] = folded[key]
                break
    return mapping


def _fiscal_years() -> set[int]:
    from kyokan.apps.core.models import FiscalYear

    return set(FiscalYear.objects.values_list("year", flat=True))


def plan_import(
    sheets: list[Sheet], *, mapping: dict[str, str] | None = None, bureaus_allowed=None
) -> Plan:
    """Check every cell and decide what each row does; nothing is written.
    ``bureaus_allowed`` (ids) limits a 推進員's rows to the bureaus they keep."""
    plan = Plan()
    main = sheets[0]
    kpi_sheet = next((s for s in sheets[1:] if s.name in KPI_SHEET_NAMES), None)
    if kpi_sheet is None and "kpi_name" in main.header:
        _plan_kpi_actuals(main, plan, bureaus_allowed)
        return plan
    mapping = mapping or default_mapping(main.header)
    index = {h: i for i, h in enumerate(main.header)}
    missing = [
        f"{c.key}（{c.label}）"
        for c in INPUT_COLUMNS
        if c.required and (mapping.get(c.key) not in index)
    ]
    if missing:
        plan.errors.append(
            CellError(
                main.name,
                1,
                "",
                _("Columns missing or renamed: %(columns)s. Map them to the file's columns.")
                % {"columns": "、".join(missing)},
            )
        )
        return plan
    unknown_mapped = [h for h in mapping.values() if h and h not in index]
    if unknown_mapped:
        plan.errors.append(
            CellError(main.name, 1, "", _("The file has no column %(names)s.")
                      % {"names": "、".join(unknown_mapped)})
        )  # fmt: skip
        return plan
    years = _fiscal_years()
    bureaus = {
        unicodedata.normalize("NFKC", b.name): b
        for b in Department.objects.filter(kind=Department.Kind.BUREAU)
    }
    divisions = {
        (d.parent_id, unicodedata.normalize("NFKC", d.name)): d
        for d in Department.objects.filter(kind=Department.Kind.DIVISION)
    }
    ids = set()
    for _n, cells in main.rows:
        i = index.get(mapping.get("initiative_id", ""))
        if i is not None and i < len(cells):
            text = _cell_text(cells[i])
            if text.isdigit():
                ids.add(int(text))
    existing = {
        i.pk: i for i in Initiative.objects.filter(pk__in=ids).select_related("bureau", "division")
    }
    seen_ids: set[int] = set()
    progress_mapped = any(mapping.get(c.key) in index for c in PROGRESS_COLUMNS)
    department_ids = {b.pk for b in bureaus.values()} | {d.pk for d in divisions.values()}
    for number, cells in main.rows:
        _plan_row(
            plan, main, number, cells, mapping, index, years, bureaus, divisions, existing,
            seen_ids, bureaus_allowed, progress_mapped, department_ids,
        )  # fmt: skip
    if kpi_sheet is not None:
        _plan_kpi_actuals(kpi_sheet, plan, bureaus_allowed)
    return plan


def _plan_row(plan, sheet, number, cells, mapping, index, years, bureaus, divisions, existing,
              seen_ids, bureaus_allowed, progress_mapped, department_ids) -> None:  # fmt: skip
    errors: list[CellError] = []

    def raw(key):
        i = index.get(mapping.get(key, ""))
        if i is None or i >= len(cells):
            return None
        return cells[i]

    def text(key) -> str:
        return _unneutralise(_cell_text(raw(key)))

    def fail(key, message):
        errors.append(CellError(sheet.name, number, mapping.get(key) or key, str(message)))

    values: dict = {}
    target = None
    id_text = text("initiative_id")
    if id_text:
        digits = unicodedata.normalize("NFKC", id_text)
        if not digits.isdigit() or int(digits) not in existing:
            fail("initiative_id", _("No initiative has the id 「%(id)s」.") % {"id": id_text})
        elif int(digits) in seen_ids:
            fail("initiative_id", _("The id 「%(id)s」 appears twice.") % {"id": id_text})
        else:
            target = existing[int(digits)]
            seen_ids.add(target.pk)
            if bureaus_allowed is not None and target.bureau_id not in bureaus_allowed:
                fail("initiative_id", _("This initiative belongs to another bureau."))
    title = text("title")
    if not title:
        fail("title", _("The title is required."))
    elif len(title) > 200:
        fail("title", _("At most 200 characters."))
    values["title"] = title
    bureau_name = unicodedata.normalize("NFKC", text("bureau"))
    bureau = bureaus.get(bureau_name)
    if bureau is None:
        fail("bureau", _("No bureau (部局) is called 「%(name)s」.") % {"name": text("bureau")})
    elif bureaus_allowed is not None and bureau.pk not in bureaus_allowed:
        fail("bureau", _("You can import only your own bureau's initiatives."))
    values["bureau"] = bureau
    division_name = unicodedata.normalize("NFKC", text("division"))
    values["division"] = None
    if division_name and bureau is not None:
        division = divisions.get((bureau.pk, division_name))
        if division is None:
            fail("division", _("「%(name)s」 is not a division of %(bureau)s.")
                 % {"name": text("division"), "bureau": bureau.name})  # fmt: skip
        values["division"] = division
    for key in ("fiscal_year_start", "fiscal_year_end"):
        cell = raw(key)
        try:
            fy = _parse_fy(cell, years)
        except ValueError as exc:
            fail(key, exc)
            fy = None
        values[key] = fy
    for key, choices, fieldname in (
        ("status", Status, "status"),
        ("kaizen_or_henkaku", Scope, "scope"),
        ("d_or_x", DX, "dx"),
    ):
        try:
            values[fieldname] = _choice(text(key), choices, key)
        except ValueError as exc:
            fail(key, exc)
    try:
        values["rule_kind"], values["rule_name"] = parse_rule(text("rule_change"))
    except ValueError as exc:
        fail("rule_change", exc)
    for key, prefix in (("organisation_change", "organisation"), ("budget_change", "budget")):
        try:
            kind, what = parse_lever(text(key))
            if len(what) > 300:
                raise ValueError(_("At most 300 characters."))
            values[f"{prefix}_kind"], values[f"{prefix}_change"] = kind, what
        except ValueError as exc:
            fail(key, exc)
    for column in INPUT_COLUMNS:
        if column.kind not in ("yen", "int", "life"):
            continue
        cell = raw(column.key)
        if column.key not in mapping:
            if target is None:
                values[column.field] = None if column.kind == "life" else 0
            continue
        if cell is None or _cell_text(cell) == "":
            values[column.field] = None if column.kind == "life" else 0
            continue
        try:
            amount = parse_number(cell, yen=column.kind == "yen")
            if column.kind == "life" and amount < 1:
                raise ValueError(_("The useful life is at least one year."))
            if column.maximum is not None and amount > column.maximum:
                raise ValueError(
                    _("At most %(max)s.") % {"max": f"{column.maximum:,}"}
                    if column.kind != "yen"
                    else _("At most 1,000,000,000,000 yen (10^12).")
                )
            values[column.field] = amount
        except ValueError as exc:
            fail(column.key, exc)
    report = _plan_report(raw, fail, years) if progress_mapped else None
    if errors:
        plan.errors.extend(errors)
        return
    # Model validation (levers, the order of the years…) on a copy, never saved here.
    if target is None:
        candidate = Initiative(**values)
        changes = values
        action = "create"
    else:
        changes = {k: v for k, v in values.items() if _differs(getattr(target, k), v)}
        candidate = Initiative(**{f.attname: getattr(target, f.attname)
                                  for f in Initiative._meta.concrete_fields})  # fmt: skip
        candidate.bureau, candidate.division = target.bureau, target.division  # read already
        for k, v in changes.items():
            setattr(candidate, k, v)
        action = "update" if changes else "unchanged"
    # In memory: the years and departments were read once for the whole file.
    error = initiatives_check([candidate], fiscal_years=years, department_ids=department_ids)[0]
    if error is not None:
        for fieldname, messages in error.message_dict.items():
            key = _column_of(fieldname)
            for message in messages:
                fail(key, message)
        plan.errors.extend(errors)
        return
    plan.rows.append(
        RowPlan(row=number, action=action, initiative=target or candidate, changes=changes,
                title=title, report=report)
    )  # fmt: skip


def _differs(current, new) -> bool:
    if isinstance(current, Department) or isinstance(new, Department):
        return getattr(current, "pk", None) != getattr(new, "pk", None)
    return current != new


def _column_of(fieldname: str) -> str:
    for column in COLUMNS:
        if column.field == fieldname:
            return column.key
    return {
        "rule_kind": "rule_change",
        "rule_name": "rule_change",
        "organisation_kind": "organisation_change",
        "organisation_change": "organisation_change",
        "budget_kind": "budget_change",
        "budget_change": "budget_change",
        "scope": "kaizen_or_henkaku",
        "dx": "d_or_x",
    }.get(fieldname, fieldname)


def _parse_fy(cell, years: set[int]) -> int:
    text = _cell_text(cell)
    if not text:
        raise ValueError(_("The fiscal year is required (e.g. 2023)."))
    folded = unicodedata.normalize("NFKC", text)
    match = re.fullmatch(r"(\d{4})(?:年度)?", folded)
    fy = int(match.group(1)) if match else _era_fiscal_year(folded)
    if fy not in years:
        raise ValueError(
            _("%(year)s is not one of the municipality's fiscal years.") % {"year": text}
        )
    return fy


def _era_fiscal_year(text: str) -> int:
    """「令和5年度」 → 2023."""
    from kyokan.apps.core.japanese_dates import parse_date_ja

    match = re.fullmatch(r"(.+?)(元|\d{1,2})年度?", text)
    if not match:
        raise ValueError(_("「%(text)s」 is not a fiscal year (e.g. 2023 or 令和5年度).")
                         % {"text": text})  # fmt: skip
    try:
        return parse_date_ja(f"{match.group(1)}{match.group(2)}年4月1日").year
    except ValueError:
        raise ValueError(_("「%(text)s」 is not a fiscal year (e.g. 2023 or 令和5年度).")
                         % {"text": text}) from None  # fmt: skip


def _plan_report(raw, fail, years) -> dict | None:
    quarter_cell = raw("report_quarter")
    if quarter_cell is None or _cell_text(quarter_cell) == "":
        return None
    report: dict = {}
    try:
        report["fiscal_year"] = _parse_fy(raw("report_fiscal_year"), years)
    except ValueError as exc:
        fail("report_fiscal_year", exc)
    try:
        q = parse_number(quarter_cell, yen=False)
        if not 1 <= q <= 4:
            raise ValueError(_("The quarter is 1, 2, 3 or 4."))
        report["quarter"] = q
        if "fiscal_year" in report and not periods.quarter_is_open(
            report["fiscal_year"], q, timezone.localdate()
        ):
            raise ValueError(
                _("%(quarter)s is closed (or not started): its report cannot be imported.")
                % {"quarter": periods.quarter_label(report["fiscal_year"], q)}
            )
    except ValueError as exc:
        fail("report_quarter", exc)
    try:
        percent = parse_number(raw("percent_done") if raw("percent_done") is not None else "",
                               yen=False)  # fmt: skip
        if percent > 100:
            raise ValueError(_("At most 100."))
        report["percent_done"] = percent
    except ValueError as exc:
        fail("percent_done", exc)
    try:
        report["health"] = _choice(_cell_text(raw("progress_status")),
                                   ProgressReport.Health, "progress_status")  # fmt: skip
    except ValueError as exc:
        fail("progress_status", exc)
    happened = _cell_text(raw("what_happened"))
    if not happened:
        fail("what_happened", _("Say what happened in the quarter."))
    report["happened"] = happened
    report["issues"] = _cell_text(raw("issues"))
    report["help_needed"] = _cell_text(raw("help_needed"))
    return report


def _plan_kpi_actuals(sheet: Sheet, plan: Plan, bureaus_allowed) -> None:
    mapping = default_mapping(sheet.header, KPI_COLUMNS)
    index = {h: i for i, h in enumerate(sheet.header)}
    missing = [f"{c.key}（{c.label}）" for c in KPI_COLUMNS
               if c.required and mapping.get(c.key) not in index]  # fmt: skip
    if missing:
        message = _("Columns missing or renamed: %(columns)s.") % {"columns": "、".join(missing)}
        plan.errors.append(CellError(sheet.name, 1, "", message))
        return
    years = _fiscal_years()
    kpis: dict[tuple[int, str], Kpi] = {}
    for kpi in Kpi.objects.select_related("initiative"):
        kpis[(kpi.initiative_id, unicodedata.normalize("NFKC", kpi.name))] = kpi
    for number, cells in sheet.rows:

        def cell(key, cells=cells):
            i = index.get(mapping.get(key, ""))
            return cells[i] if i is not None and i < len(cells) else None

        def fail(key, message, number=number):
            column = mapping.get(key) or key
            plan.errors.append(CellError(sheet.name, number, column, str(message)))

        ok = True
        id_text = unicodedata.normalize("NFKC", _cell_text(cell("initiative_id")))
        name = unicodedata.normalize("NFKC", _cell_text(cell("kpi_name")))
        kpi = kpis.get((int(id_text), name)) if id_text.isdigit() else None
        if kpi is None:
            fail("kpi_name", _("Initiative 「%(id)s」 has no KPI 「%(name)s」.")
                 % {"id": id_text, "name": name})  # fmt: skip
            ok = False
        elif bureaus_allowed is not None and kpi.initiative.bureau_id not in bureaus_allowed:
            fail("initiative_id", _("This initiative belongs to another bureau."))
            ok = False
        try:
            fy = _parse_fy(cell("fiscal_year"), years)
        except ValueError as exc:
            fail("fiscal_year", exc)
            ok = False
        quarter = 0
        if cell("quarter") is not None and _cell_text(cell("quarter")):
            try:
                quarter = parse_number(cell("quarter"), yen=False)
                if not 1 <= quarter <= 4:
                    raise ValueError(_("The quarter is 1, 2, 3 or 4."))
            except ValueError as exc:
                fail("quarter", exc)
                ok = False
        try:
            value = parse_number(cell("actual"), yen=False, decimal=True)
            if value >= Decimal(10) ** 14:
                raise ValueError(_("The number is too large."))
        except ValueError as exc:
            fail("actual", exc)
            ok = False
        if ok:
            plan.kpi_actuals.append((kpi, fy, quarter, value, _cell_text(cell("source"))))


# --- applying ----------------------------------------------------------------------------------


@transaction.atomic
def apply_plan(*, actor, plan: Plan) -> dict[str, int]:
    """Write a checked plan (all or nothing)."""
    from . import services

    if not plan.ok:
        raise ValidationError(_("The file has errors: nothing was imported."))
    creates = [row for row in plan.rows if row.action == "create"]
    created = services.initiatives_create_many(
        actor=actor, rows=[row.changes for row in creates], summary="portfolio import"
    )
    for row, initiative in zip(creates, created, strict=True):
        row.initiative = initiative
    for row in plan.rows:
        if row.action == "update":
            services.initiative_update(actor=actor, initiative=row.initiative, **row.changes)
        if row.report:
            services.report_submit(actor=actor, initiative=row.initiative, **row.report)
    for kpi, fy, quarter, value, source in plan.kpi_actuals:
        services.kpi_actual_record(
            actor=actor, kpi=kpi, fiscal_year=fy, quarter=quarter, value=value, source=source
        )
    return plan.counts
