"""Exports of the responses: CSV (UTF-8 with BOM) and Excel, one row per response."""

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from django.urls import reverse

from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import services
from kyokan.apps.surveys.models import Response
from tests.surveys.conftest import make_survey


@pytest.fixture
def answered(open_survey, people):
    survey, q = open_survey
    services.response_save(
        survey=survey,
        answers={
            q["text"].pk: '=HYPERLINK("x")',
            q["single"].pk: 1,
            q["multiple"].pk: [0, 2],
            q["likert"].pk: 4,
            q["number"].pk: "1,234.5",
        },
        user=people[Role.STAFF],
    )
    services.response_save(
        survey=survey, answers={q["text"].pk: "短い", q["likert"].pk: 2}, user=people[Role.HQ_CHIEF]
    )
    return survey, q


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _csv(client, survey) -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse("surveys:export_csv", args=[survey.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_a_bom_a_header_and_one_row_per_response(answered, client_as, people):
    survey, q = answered
    body, rows = _csv(_english(client_as(Role.SECRETARIAT)), survey)
    assert body.startswith(b"\xef\xbb\xbf")
    header, *data = rows
    assert header[:5] == ["response id", "submitted at", "bureau", "role", "name"]
    assert header[5:] == [q[k].text for k in ("text", "single", "multiple", "likert", "number")]
    assert len(data) == 2
    staff = people[Role.STAFF]
    response = Response.objects.get(respondent=staff)
    row = next(r for r in data if r[0] == str(response.pk))
    assert datetime.fromisoformat(row[1]).utcoffset() is not None  # ISO with offset
    assert row[2] == staff.department.parent.name
    assert row[3] == "Staff"  # the role's label in the request's language
    assert row[4] == staff.full_name
    # A formula typed by a respondent is neutralised (OWASP): it never runs in Excel.
    assert row[5:] == ['\'=HYPERLINK("x")', "内部管理", "電子申請; チャット", "4", "1234.5"]
    other = next(r for r in data if r[0] != str(response.pk))
    assert other[5:] == ["短い", "", "", "2", ""]


def test_names_are_exported_only_to_the_secretariat(answered, client_as, people):
    survey, _q = answered
    _body, rows = _csv(_english(client_as(Role.HQ_MEMBER)), survey)
    assert "name" not in rows[0]
    assert people[Role.STAFF].full_name not in {cell for row in rows for cell in row}


def test_an_anonymous_survey_exports_no_names_bureaus_roles_or_times(people, client_as):
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat, anonymous=True, title="匿名")
    services.survey_open(actor=secretariat, survey=survey)
    for role in (Role.STAFF, Role.PROMOTER, Role.HQ_MEMBER, Role.HQ_CHIEF, Role.SECRETARIAT):
        services.response_save(survey=survey, answers={q["text"].pk: "はい"}, user=people[role])
    _body, rows = _csv(_english(client_as(Role.SECRETARIAT)), survey)
    assert rows[0][0] == "response id"
    assert rows[0][1:] == [q[k].text for k in ("text", "single", "multiple", "likert", "number")]
    assert len(rows) == 6
    cells = {cell for row in rows for cell in row}
    assert people[Role.STAFF].department.parent.name not in cells
    assert not cells & {"Staff", "HQ member", people[Role.STAFF].full_name}


def test_xlsx_opens_with_typed_cells_bold_header_and_frozen_row(answered, client_as, people):
    survey, q = answered
    response = _english(client_as(Role.SECRETARIAT)).get(
        reverse("surveys:export_xlsx", args=[survey.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "response id" and sheet["A1"].font.b
    assert sheet["E1"].value == "name"
    assert sheet["F1"].value == q["text"].text
    assert sheet.column_dimensions["F"].width == 50  # a free-text column is wide
    assert sheet.max_row == 3
    staff_row = next(
        r for r in sheet.iter_rows(min_row=2) if r[4].value == people[Role.STAFF].full_name
    )
    values = [c.value for c in staff_row]
    assert values[0] == str(Response.objects.get(respondent=people[Role.STAFF]).pk)
    assert isinstance(values[1], datetime)
    assert values[5] == '=HYPERLINK("x")' and staff_row[5].data_type == "s"  # not a formula
    assert staff_row[5].quotePrefix
    assert values[6:] == ["内部管理", "電子申請; チャット", 4, 1234.5]


def test_exports_are_forbidden_to_staff(answered, client_as):
    survey, _q = answered
    client = client_as(Role.STAFF)
    for name in ("export_csv", "export_xlsx"):
        assert client.get(reverse(f"surveys:{name}", args=[survey.pk])).status_code == 403
