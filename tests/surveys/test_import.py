"""Importing responses from a CSV file: encodings, the column mapping, all-or-nothing
validation with per-row errors, and the audit event."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import importing, services
from kyokan.apps.surveys.models import Answer, Response, Survey
from tests.surveys.conftest import make_survey

HEADER = ",".join(
    [
        "タイムスタンプ",
        "あなたにとってDXとは",
        "所属の種類",
        "使っているツール",
        "DXの目的を理解している",
        "研修の受講回数",
        "部局",
        "役割",
    ]
)


def _csv(*rows: str) -> str:
    return "\r\n".join([HEADER, *rows]) + "\r\n"


GOOD = _csv(
    "2026/04/01 9:00,紙を減らす,窓口,電子申請;チャット,4,３,{bureau},職員",
    '2026/04/01 9:05,"市民の時間、職員の時間",内部管理,RPA、チャット,5 そう思う,"1,200",,事務局',
    ",,,,,,,",  # a blank row is skipped
)


def _good(people) -> str:
    return GOOD.format(bureau=people[Role.STAFF].department.parent.name)


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _upload(client, survey, content: bytes, name="responses.csv"):
    return client.post(
        reverse("surveys:import", args=[survey.pk]),
        {"step": "upload", "file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def _mapping(q, *, department="6", role="7") -> dict:
    return {
        "step": "import",
        f"q{q['text'].pk}": "1",
        f"q{q['single'].pk}": "2",
        f"q{q['multiple'].pk}": "3",
        f"q{q['likert'].pk}": "4",
        f"q{q['number'].pk}": "5",
        "department_column": department,
        "role_column": role,
    }


# --- decoding ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("\ufeffa,b\n部局,課\n".encode(), "a,b\n部局,課\n"),
        ("a,b\n部局,課\n".encode(), "a,b\n部局,課\n"),
        ("a,b\n部局,課\n".encode("cp932"), "a,b\n部局,課\n"),
        ("a,b\n①,髙\n".encode("cp932"), "a,b\n①,髙\n"),  # CP932's own characters
    ],
)
def test_decode_accepts_utf8_with_or_without_bom_and_cp932(data, expected):
    assert importing.decode(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"a,b\n\x81\x20,x\n",  # neither UTF-8 nor CP932
        "a,b\n1,2\n".encode("utf-16"),  # Excel's "Unicode text"
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",  # an .xlsx workbook
        b"a,b\n\xff\xfe,x\n",  # bytes CP932 has no character for
    ],
)
def test_decode_refuses_anything_else(data):
    with pytest.raises(ValidationError, match="could not be read as text"):
        importing.decode(data)


def test_parse_needs_a_header_and_rows():
    with pytest.raises(ValidationError, match="no rows below its header"):
        importing.parse("a,b\n,\n")
    with pytest.raises(ValidationError, match="first row must name the columns"):
        importing.parse("\n")
    table = importing.parse('a,b\n"x\ny",2\n')
    assert table.header == ["a", "b"] and table.rows == [["x\ny", "2"]]


# --- the three steps through the views -------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_import_happy_path(encoding, open_survey, people, client_as):
    survey, q = open_survey
    client = _english(client_as(Role.SECRETARIAT))
    response = _upload(client, survey, _good(people).encode(encoding))
    assert response.status_code == 302
    page = client.get(reverse("surveys:import", args=[survey.pk]))
    html = page.content.decode()
    assert "Step 2 of 2" in html and "(2 rows)" in html
    assert "紙を減らす" in html  # the preview
    form = page.context["form"]
    # columns are guessed from the headings (question texts, 部局, 役割)
    assert form[f"q{q['likert'].pk}"].initial == "4"
    assert form["department_column"].initial == "6"
    assert form["role_column"].initial == "7"

    response = client.post(reverse("surveys:import", args=[survey.pk]), _mapping(q))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:results", args=[survey.pk])

    responses = list(Response.objects.filter(survey=survey).order_by("attributes__import_row"))
    assert len(responses) == 2
    first, second = responses
    assert {r.source for r in responses} == {Response.Source.IMPORT}
    assert first.respondent is None and second.respondent is None
    assert first.import_batch.published and first.import_batch == second.import_batch
    assert first.department == people[Role.STAFF].department.parent
    assert (first.role, second.role) == (Role.STAFF, Role.SECRETARIAT)
    assert second.department is None
    assert first.attributes["import_row"] == 2 and second.attributes["import_row"] == 3
    answers = {a.question_id: a for a in first.answers.all()}
    assert answers[q["single"].pk].choices == [0]
    assert answers[q["multiple"].pk].choices == [0, 2]
    assert answers[q["likert"].pk].number == 4
    assert answers[q["number"].pk].number == 3  # full-width digit
    answers = {a.question_id: a for a in second.answers.all()}
    assert answers[q["text"].pk].text == "市民の時間、職員の時間"  # "、" inside text is kept
    assert answers[q["multiple"].pk].choices == [1, 2]  # split on "、"
    assert answers[q["likert"].pk].number == 5  # "5 そう思う"
    assert answers[q["number"].pk].number == 1200

    events = AuditEvent.objects.filter(action=AuditEvent.Action.LOAD)
    assert events.count() == 1
    event = events.get()
    assert event.target_id == str(survey.pk) and event.actor == people[Role.SECRETARIAT]
    assert "2 responses imported from responses.csv" in event.summary
    # the file is not kept after the import: the page starts again with step 1
    page = client.get(reverse("surveys:import", args=[survey.pk]))
    assert "Step 1 of 2" in page.content.decode()


def test_a_bad_row_imports_nothing_and_lists_the_errors(open_survey, people, client_as):
    survey, q = open_survey
    client = _english(client_as(Role.SECRETARIAT))
    content = _csv(
        "x,良い,窓口,RPA,3,1,,職員",
        "x,良い,窓口,RPA,7,1,,職員",  # row 3: Likert out of range
        "x,,その他,RPA,3,多い,存在しない部,職員",  # row 4: text required, option, number, bureau
        "x,良い,窓口,RPA,3,1,,市長",  # row 5: unknown role
    )
    _upload(client, survey, content.encode("utf-8-sig"))
    response = client.post(reverse("surveys:import", args=[survey.pk]), _mapping(q))
    assert response.status_code == 200
    assert not Response.objects.filter(survey=survey).exists()
    assert not Answer.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOAD).exists()
    errors = [(e.row, e.question, e.message) for e in response.context["row_errors"]]
    assert (3, q["likert"].text, "Choose a level from 1 to 5.") in errors
    assert (4, q["text"].text, "This question must be answered.") in errors
    assert (4, q["single"].text, "“その他” is not one of the options.") in errors
    assert (4, q["number"].text, "Enter a number.") in errors
    assert (4, "bureau", "“存在しない部” is not a department name.") in errors
    assert (5, "role", "“市長” is not a role.") in errors
    assert {row for row, _q, _m in errors} == {3, 4, 5}
    html = response.content.decode()
    assert "Nothing was imported: 3 rows have problems." in html
    assert '<td class="num">4</td><td>bureau</td>' in html
    # the file is still there: correct the mapping (no role column) and try again
    response = client.post(
        reverse("surveys:import", args=[survey.pk]), _mapping(q, department="", role="")
    )
    assert response.status_code == 200
    assert {e.row for e in response.context["row_errors"]} == {3, 4}


def test_at_most_50_errors_are_listed(open_survey, people, client_as):
    survey, q = open_survey
    client = _english(client_as(Role.SECRETARIAT))
    _upload(client, survey, _csv(*["x,良い,窓口,RPA,9,1,,"] * 60).encode())
    response = client.post(reverse("surveys:import", args=[survey.pk]), _mapping(q))
    assert len(response.context["row_errors"]) == 50
    assert "The first 50 of 60 problems" in response.content.decode()
    assert response.context["row_errors"][0].row == 2


def test_an_undecodable_file_gets_a_clear_message(open_survey, client_as):
    survey, _q = open_survey
    client = _english(client_as(Role.SECRETARIAT))
    response = _upload(client, survey, b"a,b\n\x81\x20\x82,x\n")
    assert response.status_code == 200
    assert "The file could not be read as text." in response.content.decode()
    assert "Step 1 of 2" in response.content.decode()


def test_a_file_over_5_mb_is_refused(open_survey, client_as):
    survey, _q = open_survey
    client = _english(client_as(Role.SECRETARIAT))
    big = b"a,b\n" + b"x" * importing.MAX_IMPORT_BYTES
    response = _upload(client, survey, big)
    assert response.status_code == 200
    assert "The file is larger than 5.0" in response.content.decode()


def test_starting_again_discards_the_file(open_survey, people, client_as):
    survey, _q = open_survey
    client = _english(client_as(Role.SECRETARIAT))
    _upload(client, survey, _good(people).encode())
    url = reverse("surveys:import", args=[survey.pk])
    assert "Step 2 of 2" in client.get(url).content.decode()
    assert client.post(url, {"step": "discard"}).status_code == 302
    assert "Step 1 of 2" in client.get(url).content.decode()


def test_importing_into_a_draft_survey_is_refused(people, client_as):
    survey, q = make_survey(people[Role.SECRETARIAT], title="準備中")
    response = client_as(Role.SECRETARIAT).get(reverse("surveys:import", args=[survey.pk]))
    assert response.status_code == 302
    with translation.override("en"), pytest.raises(ValidationError, match="open or closed"):
        importing.responses_import(
            actor=people[Role.SECRETARIAT],
            survey=survey,
            table=importing.Table(header=["a"], rows=[["x"]]),
            mapping=importing.ColumnMap(questions={q["text"].pk: 0}),
        )


def test_importing_into_a_closed_survey_is_allowed(open_survey, people):
    survey, q = open_survey
    services.survey_close(actor=people[Role.SECRETARIAT], survey=survey)
    survey.refresh_from_db()
    assert survey.state == Survey.State.CLOSED
    count = importing.responses_import(
        actor=people[Role.SECRETARIAT],
        survey=survey,
        table=importing.Table(header=["a", "b"], rows=[["良い", "4"], ["普通", "3"]]),
        mapping=importing.ColumnMap(questions={q["text"].pk: 0, q["likert"].pk: 1}),
        filename="closed.csv",
    )
    assert count == 2
    assert Answer.objects.filter(question=q["likert"]).count() == 2


def test_an_anonymous_survey_keeps_no_bureau_and_no_row_number(people):
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat, anonymous=True, title="匿名")
    services.survey_open(actor=secretariat, survey=survey)
    division = people[Role.STAFF].department
    importing.responses_import(
        actor=secretariat,
        survey=survey,
        table=importing.Table(header=["a", "課"], rows=[["良い", division.name]]),
        mapping=importing.ColumnMap(questions={q["text"].pk: 0}, department=1),
    )
    response = Response.objects.get(survey=survey)
    assert response.department is None and response.role == ""
    assert response.attributes == {} and response.submitted_at is None


def test_service_errors_in_english(open_survey, people):
    survey, q = open_survey
    with translation.override("en"), pytest.raises(importing.ImportRejected) as exc:
        importing.responses_import(
            actor=people[Role.SECRETARIAT],
            survey=survey,
            table=importing.Table(header=["a", "b"], rows=[["良い", "RPA;FAX"]]),
            mapping=importing.ColumnMap(questions={q["text"].pk: 0, q["multiple"].pk: 1}),
        )
    assert exc.value.messages == ["Nothing was imported: 1 row has problems."]
    assert exc.value.row_errors == [
        importing.RowError(2, q["multiple"].text, "“FAX” is not one of the options.")
    ]


def test_only_the_secretariat_may_import(open_survey, client_as):
    survey, _q = open_survey
    url = reverse("surveys:import", args=[survey.pk])
    assert client_as(Role.HQ_CHIEF).get(url).status_code == 403
    assert client_as(Role.STAFF).get(url).status_code == 403
    assert client_as(Role.SECRETARIAT).get(url).status_code == 200
