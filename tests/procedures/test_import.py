"""The import: the national file (parsed and written whole, in CI), the city's
file with its mapping, the yearly update, and every bad input of the issue."""

import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from kyokan.apps.procedures import importing
from kyokan.apps.procedures.models import Procedure, ProcedureYear

from .conftest import NATIONAL, national_file, national_row

pytestmark = pytest.mark.django_db


def run(data, **kw):
    kw.setdefault("fiscal_year", 2024)
    return importing.run(data, actor=None, **kw)


@pytest.mark.skipif(not os.path.exists(NATIONAL), reason="shared data not present")
def test_the_whole_national_file_parses_with_its_row_count():
    rows = importing.read_rows(Path(NATIONAL).read_bytes())
    checked = importing.check_national(rows)
    assert len(checked.records) == 75071
    municipal = importing.check_national(rows, municipal_only=True)
    assert len(municipal.records) == 17741 + 2717 + 107
    assert municipal.skipped == 75071 - len(municipal.records)


@pytest.mark.skipif(not os.path.exists(NATIONAL), reason="shared data not present")
def test_the_whole_national_file_is_written():
    summary = run(Path(NATIONAL).read_bytes())
    assert summary["created"] == Procedure.objects.count() == 75071
    assert summary["rejected"] == 0
    assert ProcedureYear.objects.filter(fiscal_year=2024).count() == 75071
    assert Procedure.objects.filter(is_municipal=True).count() == 17741 + 2717 + 107


def test_national_import_two_header_rows_and_derived_city_fields():
    groups = ["基本情報"] + [""] * 37
    data = national_file([groups, *[]], header=None)
    # Two header rows: a row of groups above the column names.
    from kyokan.apps.core.exports import csv_bytes
    from kyokan.apps.procedures import codes

    data = csv_bytes(groups, [codes.HEADERS, national_row(1), national_row(2, "婚姻届", **{
        "申請等における本人確認手法": "6 本人確認不要", "オンライン化の実施状況": "1 実施済",
        "総手続件数": "50", "オンライン手続件数": "50", "非オンライン手続件数": "0",
    })])  # fmt: skip
    summary = run(data)
    assert summary["created"] == 2
    p1 = Procedure.objects.get(procedure_id="1")
    assert p1.seal == "required" and p1.is_municipal and p1.online_status == "2"
    assert list(p1.life_events.values_list("name", flat=True)) == ["引越し"]
    assert Procedure.objects.get(procedure_id="2").seal == "none"


def test_municipal_only_leaves_out_the_state_s_procedures():
    data = national_file([national_row(1), national_row(2, "国の手続", **{"事務区分": ""})])
    summary = run(data, municipal_only=True)
    assert (summary["created"], summary["skipped"]) == (1, 1)


def test_dry_run_writes_nothing_and_yearly_update_keeps_city_fields(people):
    run(national_file([national_row(1)]))
    p = Procedure.objects.get()
    p.seal, p.citizen_minutes, p.department = "abolished", 45, people["staff"].department
    p.save()
    next_year = national_file([national_row(1, **{"総手続件数": "120", "非オンライン手続件数": "90",
                                                  "オンライン手続件数": "30"})])  # fmt: skip
    dry = run(next_year, fiscal_year=2025, dry_run=True)
    assert (dry["created"], dry["updated"]) == (0, 1)
    assert Procedure.objects.get().total_count == 100
    run(next_year, fiscal_year=2025)
    p.refresh_from_db()
    assert (p.total_count, p.online_count, p.counts_year) == (120, 30, 2025)
    assert (p.seal, p.citizen_minutes, p.department_id) == (
        "abolished", 45, people["staff"].department_id)  # fmt: skip
    assert list(p.years.order_by("fiscal_year").values_list("fiscal_year", "total_count")) == [
        (2024, 100), (2025, 120)]  # fmt: skip


def test_city_file_in_cp932_with_mapping(people):
    run(national_file([national_row(1)]))
    division = people["staff"].department
    text = f"番号,担当課,窓口件数,郵送件数,オンライン件数,押印\r\n1,{division.name},70,10,20,廃止済\r\n"  # noqa: E501
    cols = importing.guess_columns(
        ["番号", "担当課", "窓口件数", "郵送件数", "オンライン件数", "押印"]
    )
    assert cols["procedure_id"] == "番号" and cols["counter_count"] == "窓口件数"
    summary = run(text.encode("cp932"), kind="city", columns=cols, fiscal_year=2025)
    assert summary["updated"] == 1
    p = Procedure.objects.get()
    assert (p.total_count, p.online_count, p.offline_count, p.counter_count) == (100, 20, 80, 70)
    assert (p.department_id, p.seal) == (division.pk, "abolished")


BAD = [
    ("encoding", b"\x81\x00\xff\xfe" * 50, "encoding"),
    ("empty", b"", "empty"),
]


def _rejected(data, **kw):
    with pytest.raises(ValidationError) as exc:
        run(data, **kw)
    assert Procedure.objects.count() == 0
    return exc.value


def test_bad_inputs_are_refused_with_clear_messages_and_nothing_imported():
    assert "空" in " ".join(_rejected(b"").messages) or _rejected(b"")
    binary = _rejected(b"\x00\x01\x02\xff" * 100)
    assert binary.messages
    from kyokan.apps.procedures import codes

    renamed = [h if h != "手続名" else "手続の名前" for h in codes.HEADERS]
    exc = _rejected(national_file([national_row(1)], header=renamed))
    assert "手続名" in exc.messages[0] and "手続の名前" in exc.messages[0]
    exc = _rejected(national_file([national_row(1)], header=codes.HEADERS[:-1]))
    assert "申請を提出する機関" in exc.messages[0]


def test_row_errors_unknown_codes_units_duplicates_are_all_listed():
    rows = [
        national_row(1, **{"オンライン化の実施状況": "9 不明"}),
        national_row(2, **{"総手続件数": "1,234件"}),
        national_row(3),
        national_row(3),
        national_row(4),
    ]
    with pytest.raises(importing.ImportRejected) as exc:
        run(national_file(rows))
    errors = {(e.row, e.column) for e in exc.value.row_errors}
    assert errors == {(2, "オンライン化の実施状況"), (3, "総手続件数"), (5, "手続ID")}
    assert exc.value.rejected_rows == 3
    assert Procedure.objects.count() == 0


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(CommandError):
        call_command("import_procedures", str(path))
    assert Procedure.objects.count() == 0


def test_cli_prints_counts_and_fails_with_row_errors(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(national_file([national_row(1), national_row(2)]))
    call_command("import_procedures", str(good), "--dry-run", "--fiscal-year", "2024")
    assert "created: 2" in capsys.readouterr().out and Procedure.objects.count() == 0
    call_command("import_procedures", str(good), "--fiscal-year", "2024")
    assert Procedure.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(national_file([national_row(5, **{"総手続件数": "12件"})]))
    with pytest.raises(CommandError):
        call_command("import_procedures", str(bad), "--fiscal-year", "2024")
    out = capsys.readouterr()
    assert "rejected: 1" in out.out and "row 2" in out.err
    assert Procedure.objects.count() == 2
