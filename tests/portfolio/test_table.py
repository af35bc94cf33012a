"""The portfolio table: export → import round trip (CSV and Excel), and every bad input of
the issue refused cell by cell with nothing imported."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kyokan.apps.portfolio import services, table
from kyokan.apps.portfolio.models import Initiative

from .conftest import FY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("years")]


@pytest.fixture
def portfolio(make_initiative, bureau, other_bureau):
    make_initiative(
        bureau, title="=HYPERLINK(\"http://x\")", initial_cost_yen=6_000_000,
        running_cost_yen=1_200_000, useful_life_years=5, cases_per_year=12_000,
        citizen_minutes_saved_per_case=30, staff_hours_saved=2_000,
    )  # fmt: skip
    make_initiative(
        other_bureau, title="書かない窓口", scope="henkaku", dx="X", rule_kind="regulation",
        rule_name="押印の見直しに関する規則", organisation_kind="change",
        organisation_change="窓口改革課を新設", budget_kind="change", budget_change="窓口システム",
    )  # fmt: skip
    return Initiative.objects.order_by("id")


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_export_has_the_documented_columns(client_as, portfolio):
    response = client_as("staff").get(reverse("portfolio:export_csv"))
    rows = _csv_rows(b"".join(response.streaming_content))
    assert rows[0] == table.header()
    for name in ["initiative_id", "title", "bureau", "fiscal_year_start", "kaizen_or_henkaku",
                 "d_or_x", "rule_change", "organisation_change", "budget_change",
                 "initial_cost_yen", "running_cost_yen", "useful_life_years", "staff_hours_run",
                 "cases_per_year", "citizen_minutes_saved_per_case", "staff_hours_saved",
                 "other_benefit_yen", "annual_cost_yen", "annual_value_yen", "cost_value_ratio",
                 "payback_years"]:  # fmt: skip
        assert name in rows[0]
    first = dict(zip(rows[0], rows[1], strict=True))
    # Formula-looking text is neutralised; money without separators.
    assert first["title"].startswith("'=")
    assert first["initial_cost_yen"] == "6000000"
    # cost = 1,200,000 + 1,200,000 = 2,400,000; value = 6,000 h × 2,000 + 2,000 × 4,000
    assert first["annual_cost_yen"] == "2400000" and first["annual_value_yen"] == "20000000"
    assert first["cost_value_ratio"] == "8.33"
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["rule_change"] == "規則:押印の見直しに関する規則"
    assert second["payback_years"] == ""  # no net annual value


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_imports_back_unchanged(client_as, portfolio, people, fmt):
    before = [
        {f.attname: getattr(i, f.attname) for f in Initiative._meta.concrete_fields
         if f.name not in ("updated_at",)}
        for i in portfolio
    ]  # fmt: skip
    response = client_as("secretariat").get(reverse(f"portfolio:export_{fmt}"))
    data = b"".join(response.streaming_content) if fmt == "csv" else response.content
    plan = services.portfolio_import(
        actor=people["secretariat"], data=data, filename=f"portfolio.{fmt}"
    )
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.counts["unchanged"] == 2 and plan.counts["created"] == 0
    after = [
        {f.attname: getattr(i, f.attname) for f in Initiative._meta.concrete_fields
         if f.name not in ("updated_at",)}
        for i in Initiative.objects.order_by("id")
    ]  # fmt: skip
    assert after == before


@pytest.mark.parametrize(("export_in", "import_in"), [("en", "ja"), ("ja", "en"), ("en", "en")])
def test_the_table_is_the_same_file_in_either_ui_language(client_as, portfolio, people,
                                                          export_in, import_in):  # fmt: skip
    """The 進捗管理表 is Japanese: an English screen exports the Japanese labels (not
    "Planning"), and a Japanese file imports on an English screen."""
    from django.utils import translation

    client = client_as("secretariat")
    client.cookies["django_language"] = export_in
    data = b"".join(client.get(reverse("portfolio:export_csv")).streaming_content)
    rows = _csv_rows(data)
    assert {r[rows[0].index("status")] for r in rows[1:]} == {"実施中"}
    assert {r[rows[0].index("kaizen_or_henkaku")] for r in rows[1:]} == {"改善", "変革"}
    with translation.override(import_in):
        plan = services.portfolio_import(
            actor=people["secretariat"], data=data, filename="portfolio.csv"
        )
        assert plan.ok, [str(e) for e in plan.errors]
    assert plan.counts["unchanged"] == 2
    japanese_headers = _csv([["取組名", "部局", "開始年度", "終了年度", "状況", "改善・変革",
                              "D・X", "ルールの変更", "組織の変更", "予算の変更"],
                             ["窓口の改革", portfolio[0].bureau.name, str(FY), str(FY),
                              "計画", "変革", "X", "規則:押印規則", "なし", "なし"]])  # fmt: skip
    with translation.override(import_in):
        plan = services.portfolio_import(
            actor=people["secretariat"], data=japanese_headers, filename="部局.csv"
        )
        assert plan.ok, [str(e) for e in plan.errors]
    assert Initiative.objects.get(title="窓口の改革").status == "plan"


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def _base_row(bureau_name, **changes):
    row = {
        "initiative_id": "", "title": "新しい取組", "bureau": bureau_name, "division": "",
        "fiscal_year_start": str(FY), "fiscal_year_end": str(FY + 1), "status": "計画",
        "kaizen_or_henkaku": "変革", "d_or_x": "X", "rule_change": "なし",
        "organisation_change": "なし", "budget_change": "なし", "initial_cost_yen": "0",
    }  # fmt: skip
    row.update(changes)
    return row


def _import(people, rows, *, who="secretariat"):
    header = list(dict.fromkeys(k for r in rows for k in r))
    data = _csv([header, *[[r.get(h, "") for h in header] for r in rows]])
    return services.portfolio_import(actor=people[who], data=data, filename="t.csv")


def test_a_row_without_id_creates_and_with_id_updates(people, portfolio, bureau):
    target = portfolio.first()
    plan = _import(people, [
        _base_row(bureau.name),
        _base_row(bureau.name, initiative_id=str(target.pk), title="改名", status="実施中",
                  kaizen_or_henkaku="改善", d_or_x="D"),
    ])  # fmt: skip
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.counts["created"] == 1 and plan.counts["updated"] == 1
    assert Initiative.objects.count() == 3
    target.refresh_from_db()
    assert target.title == "改名"


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"initial_cost_yen": "-5"}, "initial_cost_yen", "negative"),
        ({"initial_cost_yen": "1000000000001"}, "initial_cost_yen", "1,000,000,000,000"),
        ({"useful_life_years": "0"}, "useful_life_years", "at least one year"),
        ({"rule_change": ""}, "rule_change", "never left blank"),
        ({"organisation_change": " "}, "organisation_change", "never left blank"),
        ({"cases_per_year": "たくさん"}, "cases_per_year", "not a number"),
        ({"cases_per_year": "1,234件"}, "cases_per_year", "not a number"),
        ({"staff_hours_saved": "12円"}, "staff_hours_saved", "without a unit"),
        ({"fiscal_year_start": "2999"}, "fiscal_year_start", "fiscal years"),
        ({"bureau": "存在しない部"}, "bureau", "No bureau"),
        ({"kaizen_or_henkaku": "改革"}, "kaizen_or_henkaku", "not one of"),
        ({"rule_change": "規則"}, "rule_change", "kind and name"),
        ({"initiative_id": "999999"}, "initiative_id", "No initiative"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_imported(people, bureau, changes, column, words):
    from django.utils import translation

    with translation.override("en"):
        plan = _import(people, [_base_row(bureau.name), _base_row(bureau.name, **changes)])
    assert not plan.ok
    assert [(e.row, e.column) for e in plan.errors] == [(3, column)]
    assert words.lower() in plan.errors[0].message.lower()
    assert not Initiative.objects.exists()


def test_full_width_digits_and_yen_are_read(people, bureau):
    row = _base_row(
        bureau.name,
        initial_cost_yen="１２３",
        running_cost_yen="1,234円",
        cases_per_year="１，０００",
    )
    plan = _import(people, [row])
    assert plan.ok, [str(e) for e in plan.errors]
    i = Initiative.objects.get()
    assert (i.initial_cost_yen, i.running_cost_yen, i.cases_per_year) == (123, 1234, 1000)


def test_missing_or_renamed_columns_are_named(people, bureau):
    row = _base_row(bureau.name)
    row["部署"] = row.pop("bureau")
    plan = _import(people, [row])
    assert not plan.ok and "bureau" in plan.errors[0].message
    # Mapped, the renamed column is read; the mapping is per import.
    header = list(row)
    data = _csv([header, [row[h] for h in header]])
    mapping = table.default_mapping(header)
    mapping["bureau"] = "部署"
    plan = services.portfolio_import(
        actor=people["secretariat"], data=data, filename="t.csv", mapping=mapping
    )
    assert plan.ok, [str(e) for e in plan.errors]


def _xlsx(build) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "取組"
    header = list(_base_row("x"))
    ws.append(header)
    build(book, ws, header)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("problem", ["merged", "formula", "hidden"])
def test_merged_cells_formulas_and_hidden_sheets_are_refused(people, bureau, problem):
    def build(book, ws, header):
        ws.append(list(_base_row(bureau.name).values()))
        ws.append(list(_base_row(bureau.name, title="二行目").values()))
        if problem == "merged":
            ws.merge_cells("B2:B3")
        elif problem == "formula":
            ws["M3"] = "=1+1"
        else:
            hidden = book.create_sheet("隠し")
            hidden.sheet_state = "hidden"

    plan = services.portfolio_import(
        actor=people["secretariat"], data=_xlsx(build), filename="t.xlsx"
    )
    assert not plan.ok
    assert not Initiative.objects.exists()
    where = {"merged": "B2:B3", "formula": "M3", "hidden": ""}[problem]
    assert any(e.column == where for e in plan.errors)


def test_a_promoter_imports_only_their_bureau(people, bureau, other_bureau, years):
    plan = _import(people, [_base_row(bureau.name), _base_row(other_bureau.name)], who="promoter")
    assert [(e.row, e.column) for e in plan.errors] == [(3, "bureau")]
    assert not Initiative.objects.exists()


def test_the_cli_imports_all_or_nothing(tmp_path, people, bureau, years, capsys):
    from django.core.management.base import CommandError

    good = tmp_path / "good.csv"
    header = list(_base_row(bureau.name))
    good.write_bytes(_csv([header, list(_base_row(bureau.name).values())]))
    bad = tmp_path / "bad.csv"
    negative = _base_row(bureau.name, initial_cost_yen="-1")
    bad.write_bytes(_csv([header, list(_base_row(bureau.name).values()), list(negative.values())]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("portfolio_import", str(bad))
    assert not Initiative.objects.exists()
    call_command("portfolio_import", str(good), "--dry-run")
    assert not Initiative.objects.exists()
    call_command("portfolio_import", str(good))
    assert "created: 1" in capsys.readouterr().out
    out = tmp_path / "out.csv"
    call_command("portfolio_export", "--out", str(out))
    rows = _csv_rows(out.read_bytes())
    assert rows[0] == table.header() and len(rows) == 2
    call_command("portfolio_import", str(out))
    assert "unchanged: 1" in capsys.readouterr().out


def test_the_xlsx_keeps_formula_text_as_text(client_as, portfolio):
    response = client_as("secretariat").get(reverse("portfolio:export_xlsx"))
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = ws["B2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1,000", 1000), ("１，０００円", 1000), ("12.0", 12), ("+7", 7), (" 2 000 ", 2000),
     ("0" * 40 + "1", 1), (1500, 1500), (3.0, 3)],
)  # fmt: skip
def test_a_number_cell_takes_digits_separators_and_yen(cell, expected):
    assert table.parse_number(cell, yen=True) == expected


@pytest.mark.parametrize(
    "cell", ["1e3", "1E3", "1_000", "1e1000000", "NaN", "Infinity", "0x10", "٣", "1,00", "--1"]
)
def test_a_number_cell_refuses_what_is_not_plain_digits(cell):
    # Decimal() accepts exponents and underscores; 1e1000000 then took over 30 s to convert.
    with pytest.raises(ValueError, match=r"not a number|数値ではありません"):
        table.parse_number(cell, yen=True)


def test_a_number_cell_with_more_digits_than_any_column_is_refused_at_once():
    with pytest.raises(ValueError, match=r"too large|大きすぎる"):
        table.parse_number("9" * 100_000, yen=False)


def _refusal(data: bytes, filename: str) -> str:
    with pytest.raises(table.BadFile) as exc:
        table.read_file(data, filename)
    return " ".join(exc.value.messages)


def test_a_workbook_reaching_the_last_cell_is_refused_without_reading_every_cell(bureau):
    # 5 KB: the table and one cell at XFD1048576. Every cell of the rectangle was made (17
    # billion): a memory error after 45 s under a 4 GB limit, from one upload.
    def build(book, ws, header):
        ws.append(list(_base_row(bureau.name).values()))
        ws["XFD1048576"] = "x"

    data = _xlsx(build)
    assert len(data) < 10_000
    assert _refusal(data, "t.xlsx") == (
        "シートの行数が空の行も含めて50,000行を超えています。表より下の行を削除してください。"
    )


def test_a_workbook_wider_than_the_table_is_refused_and_far_blank_cells_are_ignored(bureau):
    def wide(book, ws, header):
        ws.append(list(_base_row(bureau.name).values()))
        ws.cell(row=2, column=table.MAX_COLUMNS + 1, value="余分")

    assert _refusal(_xlsx(wide), "t.xlsx") == (
        "2行目の列数が60列を超えています。表より右の列を削除してください。"
    )

    def far(book, ws, header):
        ws.append(list(_base_row(bureau.name).values()))
        ws["XFD2"].style = "Note"  # a styled empty cell far to the right

    (sheet,) = table.read_file(_xlsx(far), "t.xlsx")
    assert sheet.header == list(_base_row("x")) and len(sheet.rows) == 1


def test_a_csv_of_line_breaks_is_refused_while_reading():
    # 5 MB of line breaks were 5 million rows in memory before the count was checked.
    data = "取組名\n".encode() + b"\n" * (table.MAX_BYTES - 100)
    assert _refusal(data, "t.csv") == (
        "シートの行数が空の行も含めて50,000行を超えています。表より下の行を削除してください。"
    )
    rows = "".join(f"施策{n}\n" for n in range(5002))
    assert (
        _refusal(f"取組名\n{rows}".encode(), "t.csv") == "ファイルの行数が5,000行を超えています。"
    )
