"""Hostile or damaged import files: each refused whole with a Japanese message, nothing
imported (no first rows of a file cut short, no rows swallowed by an open quote, no column
chosen silently among two of the same heading, no workbook that unpacks to gigabytes)."""

import gzip
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from kyokan.apps.procedures import codes, importing
from kyokan.apps.procedures.models import Procedure

from .conftest import national_file, national_row

pytestmark = pytest.mark.django_db

CITY = {"procedure_id": "手続ID", "name": "手続名", "total_count": "総手続件数"}


def _refused(data, **kw) -> str:
    kw.setdefault("fiscal_year", 2024)
    with pytest.raises(ValidationError) as exc:
        importing.run(data, actor=None, **kw)
    assert Procedure.objects.count() == 0
    return " ".join(exc.value.messages)


def test_a_compressed_file_cut_short_is_refused_not_half_imported():
    rows = [national_row(1000 + n, name=f"手続{n}") for n in range(2000)]
    packed = gzip.compress(national_file(rows))
    message = _refused(packed[: len(packed) // 2])
    assert message == (
        "圧縮ファイルが途中で終わっています（不完全なファイルです）。何も読み込んでいません。"
    )
    # The whole file is read.
    assert len(importing.read_rows(packed)) == 2001


def test_a_quote_left_open_is_refused_with_its_row():
    text = '手続ID,手続名,総手続件数\nX1,転入届,10\nX2,"婚姻届,5\nX3,出生届,7\n'
    message = _refused(text.encode(), kind="city", columns=CITY)
    assert "CSVファイルとして読めません：3行目" in message
    assert "ダブルクォート" in message


def test_a_heading_that_is_read_twice_is_refused():
    text = "手続ID,手続名,総手続件数,手続名\nX1,転入届,10,別の名前\n"
    message = _refused(text.encode(), kind="city", columns=CITY)
    assert "見出しの行に同じ見出しが2回以上あります：手続名" in message
    # A repeated heading that is not imported does not matter.
    text = "手続ID,手続名,備考,備考\nX1,転入届,a,b\n"
    summary = importing.run(text.encode(), actor=None, kind="city", fiscal_year=2024,
                            columns={"procedure_id": "手続ID", "name": "手続名"})  # fmt: skip
    assert summary["created"] == 1


def test_the_national_file_with_a_repeated_heading_is_refused():
    header = [*codes.HEADERS, "手続名"]
    data = national_file([[*national_row(1), "別の名前"]], header=header)
    assert "手続名" in _refused(data)


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(importing, "UNPACKED_MAX_BYTES", 100_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 50_000)
    data = buffer.getvalue()
    assert len(data) < 5_000
    message = _refused(data, kind="city", columns=CITY)
    assert message.startswith("Excelファイルを展開すると")


def _workbook(cells: dict[str, str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for coordinate, value in cells.items():
        book.active[coordinate] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_reaching_the_last_cell_of_a_sheet_is_refused_without_reading_it():
    # 5 KB: a table and one cell at XFD1048576. Every row was read 16,384 cells wide and every
    # row down to the last: 17 billion cells, a memory error after 15 s (no limit: the
    # machine's memory) from one upload.
    data = _workbook({"A1": "手続ID", "B1": "手続名", "A2": "X1", "B2": "転入届",
                      "XFD1048576": "x"})  # fmt: skip
    assert len(data) < 10_000
    message = _refused(data, kind="city", columns=CITY)
    assert message.startswith("ファイルの行数が200,000行を超えています。何も読み込んでいません。")


def test_a_workbook_row_wider_than_the_limit_is_refused_and_far_cells_are_not_read():
    wide = _workbook({"A1": "手続ID", "B1": "手続名", "GS1": "余分"})  # column 201
    assert "1行目の列数が200列を超えています" in _refused(wide, kind="city", columns=CITY)
    far = _workbook({"A1": "手続ID", "B1": "手続名", "A2": "X1", "B2": "転入届", "XFD2": "x"})
    assert importing.read_rows(far) == [["手続ID", "手続名"], ["X1", "転入届"]]


def test_a_csv_of_blank_lines_or_one_endless_line_is_refused():
    # 80 KB compressed: 40 million rows, over two minutes and gigabytes before the fix.
    lines = gzip.compress(b"a\n" * 300_000)
    assert "ファイルの行数が200,000行を超えています" in _refused(lines, kind="city", columns=CITY)
    endless = gzip.compress(b"a" + b"," * 1_000_001)
    assert "ファイルの1行目が1,000,000文字を超えています" in _refused(
        endless, kind="city", columns=CITY
    )
