"""People and departments from the HR system, with an effective date (issue 10, item 5)."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from kyokan.apps.core import hr, services
from kyokan.apps.core.models import Assignment, Department, StaffImport, User
from kyokan.apps.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


HEADER = "区分,部局,課,操作,旧名称,統合先,職員番号,氏名,ふりがな,メール,職名,役割,退職\n"
APRIL = date(2026, 4, 1)


@pytest.fixture
def city(sysadmin):
    d = {}
    tree = (("経営戦略部", ["情報戦略課", "企画課"]), ("総務部", ["総務課", "人事課"]))
    for bureau, divisions in tree:
        b = services.department_create(actor=sysadmin, name=bureau, kind="bureau")
        d[bureau] = b
        for name in divisions:
            d[name] = services.department_create(
                actor=sysadmin, name=name, kind="division", parent=b
            )
    for number, name, division in (
        ("1001", "佐藤 花子", "企画課"),
        ("1002", "鈴木 一郎", "人事課"),
        ("1003", "高橋 次郎", "総務課"),
    ):
        services.user_create(
            actor=sysadmin,
            username=f"u{number}",
            full_name=name,
            staff_number=number,
            department=d[division],
            title="主事",
            roles=[(Role.STAFF, None)],
        )
    return d


APRIL_FILE = (
    HEADER
    + "組織,経営戦略部,企画政策課,名称変更,企画課,,,,,,,,\n"
    + "組織,総務部,市民協働課,新設,,,,,,,,,\n"
    + "組織,総務部,人事課,統合,,総務課,,,,,,,\n"
    + "職員,経営戦略部,情報戦略課,,,,1001,佐藤 花子,さとう はなこ,"
    + "sato@example.jp,主任,職員・推進員,\n"
    + "職員,総務部,市民協働課,,,,1004,田中 新,たなか あらた,tanaka@example.jp,主事,,\n"
    + "職員,,,,,,1003,,,,,,退職\n"
)


def _preview(actor, text, *, effective=APRIL, encoding="utf-8-sig", name="hr.csv"):
    return hr.staff_import_preview(
        actor=actor, data=text.encode(encoding), filename=name, effective=effective
    )


def test_the_preview_lists_every_change_and_writes_nothing(city, sysadmin):
    before = (Department.objects.count(), User.objects.count())
    record, plan = _preview(sysadmin, APRIL_FILE)
    assert plan.ok, [(e.row, e.message) for e in plan.errors]
    assert plan.counts == {
        "renamed": 1, "new_department": 1, "merged": 1, "moved": 1, "updated": 1,
        "new_person": 1, "leaving": 1,
    }  # fmt: skip
    assert (Department.objects.count(), User.objects.count()) == before
    assert record.status == StaffImport.Status.PREVIEW


def test_applying_moves_renames_merges_and_keeps_history(city, sysadmin):
    record, _plan = _preview(sysadmin, APRIL_FILE)
    hr.staff_import_apply(actor=sysadmin, staff_import=record)
    kikaku = Department.objects.get(pk=city["企画課"].pk)
    assert kikaku.name == "企画政策課" and kikaku.is_active
    # Last year's pages show the division as it was then; this year's, the new name.
    names = hr.department_names_on([kikaku.pk], date(2026, 3, 31))
    assert names[kikaku.pk] == "企画課"
    assert hr.department_names_on([kikaku.pk], APRIL)[kikaku.pk] == "企画政策課"
    jinji = Department.objects.get(pk=city["人事課"].pk)
    assert not jinji.is_active and jinji.abolished_on == APRIL
    assert jinji.merged_into_id == city["総務課"].pk
    suzuki = User.objects.get(staff_number="1002")  # followed the merge
    assert suzuki.department_id == city["総務課"].pk
    assert hr.department_of_person_on(suzuki, date(2026, 3, 1)).pk == jinji.pk
    sato = User.objects.get(staff_number="1001")
    assert sato.department_id == city["情報戦略課"].pk and sato.title == "主任"
    assert hr.department_of_person_on(sato, date(2026, 3, 31)).pk == city["企画課"].pk
    assert {(a.role, a.department_id) for a in sato.role_assignments.all()} == {
        (Role.STAFF, None),
        (Role.PROMOTER, city["経営戦略部"].pk),
    }
    tanaka = User.objects.get(staff_number="1004")
    assert tanaka.department.name == "市民協働課" and tanaka.username == "1004"
    takahashi = User.objects.get(staff_number="1003")  # left: kept, but cannot log in
    assert not takahashi.is_active and takahashi.left_on == APRIL
    assert Assignment.objects.filter(user=takahashi, valid_to=date(2026, 3, 31)).exists()
    record.refresh_from_db()
    assert record.status == StaffImport.Status.APPLIED
    with pytest.raises(ValidationError):
        hr.staff_import_apply(actor=sysadmin, staff_import=record)  # not twice


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "職員,総務部,総務課,,,,2001,甲,,,,,\n職員,総務部,総務課,,,,2001,乙,,,,,\n",
            "more than once",
        ),
        ("職員,総務部,広報課,,,,2002,丙,,,,,\n", "No such division"),
        (
            "組織,総務部,人事課,廃止,,,,,,,,,\n職員,総務部,人事課,,,,1003,,,,,,\n",
            "abolished",
        ),
        ("組織,総務部,人事課,廃止,,,,,,,,,\n", "stay in it"),
        ("職員,総務部,総務課,,,,2003,丁,,not-an-address,,,\n", "e-mail"),
        ("職員,総務部,総務課,,,,2004,戊,,,,システム管理者,\n", "role"),
        ("組織,総務部,総務課,名称変更,存在しない課,,,,,,,,\n", "旧名称"),
        ("その他,総務部,総務課,,,,,,,,,,\n", "区分"),
    ],
)
def test_bad_rows_are_reported_per_row_and_change_nothing(city, sysadmin, rows, message):
    record, plan = _preview(sysadmin, HEADER + rows)
    assert not plan.ok
    assert any(message in e.message for e in plan.errors), plan.errors
    assert all(e.row >= 2 for e in plan.errors)
    with pytest.raises(ValidationError):
        hr.staff_import_apply(actor=sysadmin, staff_import=record)
    assert not Department.objects.filter(name="広報課").exists()
    assert User.objects.get(staff_number="1003").is_active


def test_an_effective_date_before_the_last_import_is_refused(city, sysadmin):
    record, _ = _preview(sysadmin, HEADER + "職員,総務部,総務課,,,,1001,,,,,,\n")
    hr.staff_import_apply(actor=sysadmin, staff_import=record)
    _record, plan = _preview(
        sysadmin, HEADER + "職員,総務部,総務課,,,,1002,,,,,,\n", effective=date(2025, 4, 1)
    )
    assert not plan.ok and "last import" in plan.errors[0].message


def test_a_future_effective_date_can_be_previewed_but_not_applied(city, sysadmin):
    record, plan = _preview(sysadmin, APRIL_FILE, effective=date(2099, 4, 1))
    assert plan.ok
    with pytest.raises(ValidationError, match="effective date"):
        hr.staff_import_apply(actor=sysadmin, staff_import=record)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        ("区分,部局\n組織,総務部\n".encode("cp932") + b"\x82", "Shift_JIS"),
        (b"\xef\xbb\xbf\xe5\x8c\xba\xe5\x88\x86\n\xff\xfe", "broken bytes"),
        ("部局,課\n総務部,総務課\n".encode(), "区分"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(city, sysadmin, data, message):
    with pytest.raises(ValidationError, match=message):
        hr.staff_import_preview(actor=sysadmin, data=data, filename="x.csv", effective=APRIL)
    assert not StaffImport.objects.exists()


def test_cp932_and_excel_files_are_read(city, sysadmin):
    _record, plan = _preview(sysadmin, APRIL_FILE, encoding="cp932")
    assert plan.ok and plan.counts["new_person"] == 1
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in APRIL_FILE.strip().splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    _record, plan = hr.staff_import_preview(
        actor=sysadmin, data=buffer.getvalue(), filename="hr.xlsx", effective=APRIL
    )
    assert plan.ok and plan.counts["merged"] == 1


def _workbook(*cells) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["区分", "部局"])
    for row, column in cells:
        sheet.cell(row=row, column=column, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        # 5 KB that declares 17 billion cells: read whole, a memory error after 20 s
        (_workbook((1_048_576, 16_384)), "hr.xlsx", "blank rows included"),
        (_workbook((1_048_576, 1)), "hr.xlsx", "blank rows included"),
        ("区分,部局\n".encode() + b"\n" * 3_000_000, "hr.csv", "blank rows included"),
        ("区分,部局\n".encode() + "組織,総務部\n".encode() * 20_001, "hr.csv", "more than 20,000"),
        ("区分,部局\n".encode() + b"," * 100 + b"x\n", "hr.csv", "more than 60 columns"),
    ],
)
def test_a_file_larger_than_any_staff_list_is_refused_while_reading(
    city, sysadmin, data, filename, message
):
    with pytest.raises(ValidationError, match=message):
        hr.staff_import_preview(actor=sysadmin, data=data, filename=filename, effective=APRIL)
    assert not StaffImport.objects.exists()


def test_the_command_line_has_the_same_rules(city, tmp_path, capsys):
    path = tmp_path / "hr.csv"
    path.write_text(APRIL_FILE, encoding="utf-8-sig")
    call_command("import_staff", str(path), "--effective", "2026-04-01", "--dry-run")
    out = capsys.readouterr().out
    assert "企画課 → 企画政策課" in out and "dry run" in out
    assert Department.objects.get(pk=city["企画課"].pk).name == "企画課"
    call_command("import_staff", str(path), "--effective", "2026-04-01")
    assert Department.objects.get(pk=city["企画課"].pk).name == "企画政策課"
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "職員,総務部,広報課,,,,2002,丙,,,,,\n", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_staff", str(bad), "--effective", "2026-04-02")


def test_the_browser_flow_preview_then_apply(city, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("sysadmin")
    upload = SimpleUploadedFile("hr.csv", APRIL_FILE.encode("utf-8-sig"), content_type="text/csv")
    response = client.post(
        reverse("core:staff_import"), {"file": upload, "effective": "令和8年4月1日"}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "企画政策課" in preview and "田中 新" in preview
    record = StaffImport.objects.get()
    done = client.post(reverse("core:staff_import_apply", args=[record.pk]))
    assert done.status_code == 302
    assert Department.objects.get(pk=city["企画課"].pk).name == "企画政策課"
    assert client_as("secretariat").get(reverse("core:staff_import")).status_code == 403


def test_a_page_shows_the_division_as_it_was_then(city, sysadmin):
    from django.template import Context, Template

    record, _ = _preview(sysadmin, APRIL_FILE)
    hr.staff_import_apply(actor=sysadmin, staff_import=record)
    template = Template("{% load kyokan %}{{ d|name_on:when }}")
    kikaku = Department.objects.get(pk=city["企画課"].pk)
    assert template.render(Context({"d": kikaku, "when": date(2026, 3, 1)})) == "企画課"
    assert template.render(Context({"d": kikaku, "when": date(2026, 4, 2)})) == "企画政策課"


def test_an_applied_import_shows_what_it_changed(city, client_as, sysadmin):
    record, _ = _preview(sysadmin, APRIL_FILE)
    hr.staff_import_apply(actor=sysadmin, staff_import=record)
    page = client_as("sysadmin").get(reverse("core:staff_import_detail", args=[record.pk]))
    body = page.content.decode()
    assert "企画政策課" in body and 'role="alert"' not in body
