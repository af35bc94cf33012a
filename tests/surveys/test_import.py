"""Importing responses from a CSV file: encodings, the column mapping, all-or-nothing
validation with per-row errors, the audit event, and the import run in the background
(django-tasks; the immediate backend here, ``kyokan db_worker`` in production)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import importing, services
from kyokan.apps.surveys.models import Answer, ImportBatch, ImportUpload, Response, Survey
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


@pytest.fixture
def run_import(settings, django_capture_on_commit_callbacks):
    """run_import(client, survey, data) → the import's status page after the background
    task ran (the immediate backend runs it when the request's transaction commits)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def run(client, survey, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("surveys:import", args=[survey.pk]), data)
        assert response.status_code == 302, response.status_code
        batch = ImportBatch.objects.filter(survey=survey).latest("created_at", "pk")
        assert response["Location"] == reverse("surveys:import_status", args=[survey.pk, batch.pk])
        page = client.get(response["Location"])
        assert page.status_code == 200
        return page

    return run


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
        ("a,b\n部局,課\n".encode("utf-16"), "a,b\n部局,課\n"),  # UTF-16 with its BOM
    ],
)
def test_decode_accepts_utf8_with_or_without_bom_utf16_with_bom_and_cp932(data, expected):
    assert importing.decode(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffa,b\n部局,課\n".encode(),
        "a,b\n部局,課\n".encode(),
        "a,b\n①,髙\n".encode("cp932"),
        "a,b\n部局,課\n".encode("utf-16"),
        "a,b\n部局,課\n".encode("utf-16-le"),  # no BOM: refused by both
        b"a,b\n\x81\x20,x\n",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"a,b\n\xff\xfe,x\n",
    ],
)
def test_the_survey_import_and_the_analysis_decode_alike(data):
    """One decoder: what the survey import reads, the analysis reads the same way, and
    what one refuses the other refuses."""
    from kyokan.textanalysis.io import AnalysisInputError, decode_bytes

    try:
        expected = decode_bytes(data)[0]
    except AnalysisInputError:
        with pytest.raises(ValidationError):
            importing.decode(data)
    else:
        assert importing.decode(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"a,b\n\x81\x20,x\n",  # neither UTF-8 nor CP932
        "a,b\n1,2\n".encode("utf-16-le"),  # UTF-16 without its byte order mark
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
def test_import_happy_path(encoding, open_survey, people, client_as, run_import):
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

    page = run_import(client, survey, _mapping(q))
    assert "2 responses were imported from responses.csv." in page.content.decode()
    assert reverse("surveys:results", args=[survey.pk]) in page.content.decode()

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


def test_a_bad_row_imports_nothing_and_lists_the_errors(open_survey, people, client_as, run_import):
    survey, q = open_survey
    client = _english(client_as(Role.SECRETARIAT))
    content = _csv(
        "x,良い,窓口,RPA,3,1,,職員",
        "x,良い,窓口,RPA,7,1,,職員",  # row 3: Likert out of range
        "x,,その他,RPA,3,多い,存在しない部,職員",  # row 4: text required, option, number, bureau
        "x,良い,窓口,RPA,3,1,,市長",  # row 5: unknown role
    )
    _upload(client, survey, content.encode("utf-8-sig"))
    response = run_import(client, survey, _mapping(q))
    assert not Response.objects.filter(survey=survey).exists()
    assert not Answer.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOAD).exists()
    batch = response.context["batch"]
    assert batch.status == ImportBatch.Status.REJECTED and not batch.published
    errors = [(e["row"], e["question"], e["message"]) for e in response.context["row_errors"]]
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
    assert reverse("surveys:import", args=[survey.pk]) in html  # 「列の選択をやり直す」
    response = run_import(client, survey, _mapping(q, department="", role=""))
    assert {e["row"] for e in response.context["row_errors"]} == {3, 4}


def test_at_most_50_errors_are_listed(open_survey, people, client_as, run_import):
    survey, q = open_survey
    client = _english(client_as(Role.SECRETARIAT))
    _upload(client, survey, _csv(*["x,良い,窓口,RPA,9,1,,"] * 60).encode())
    response = run_import(client, survey, _mapping(q))
    assert len(response.context["row_errors"]) == 50
    assert "The first 50 of 60 problems" in response.content.decode()
    assert response.context["row_errors"][0]["row"] == 2


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


# --- the import in the background ---------------------------------------------------------------


def test_the_import_is_queued_and_the_page_shows_its_progress(open_survey, people, client_as):
    """Without a worker the import waits: nothing is written in the request, and its page
    polls its progress (htmx) or refreshes itself (without JavaScript)."""
    survey, q = open_survey
    client = _english(client_as(Role.SECRETARIAT))
    _upload(client, survey, _good(people).encode())
    response = client.post(reverse("surveys:import", args=[survey.pk]), _mapping(q))
    batch = ImportBatch.objects.get(survey=survey)
    assert response["Location"] == reverse("surveys:import_status", args=[survey.pk, batch.pk])
    assert batch.status == ImportBatch.Status.QUEUED and not Response.objects.exists()
    html = client.get(response["Location"]).content.decode()
    progress_url = reverse("surveys:import_progress", args=[survey.pk, batch.pk])
    assert f'hx-get="{progress_url}"' in html and 'http-equiv="refresh"' in html
    assert "kyokan db_worker" in html
    # Sending the form again does not queue a second import of the same file.
    client.post(reverse("surveys:import", args=[survey.pk]), _mapping(q))
    assert ImportBatch.objects.filter(survey=survey).count() == 1
    # The worker runs it; the fragment then tells htmx to reload the page.
    importing.import_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.published and batch.rows == 2
    assert batch.progress == 1.0 and batch.finished_at is not None
    assert Response.objects.filter(survey=survey).counted().count() == 2
    assert not ImportUpload.objects.exists()  # the file is deleted once imported
    fragment = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"
    # Run again (a retried task): nothing is imported twice.
    importing.import_run(batch_id=batch.pk)
    assert Response.objects.filter(survey=survey).count() == 2


def test_the_background_import_reports_progress_while_checking_and_writing(
    open_survey, people, monkeypatch
):
    survey, q = open_survey
    secretariat = people[Role.SECRETARIAT]
    monkeypatch.setattr(importing, "WRITE_CHUNK", 100)
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 100)
    monkeypatch.setattr(importing, "WRITE_PAUSE", 0)
    rows = "".join(f"良い{i},{1 + i % 5}\n" for i in range(1000))
    upload = importing.import_upload_keep(
        actor=secretariat, survey=survey, name="多い.csv", text="a,b\n" + rows
    )
    batch = importing.import_start(
        actor=secretariat,
        survey=survey,
        upload=upload,
        mapping=importing.ColumnMap(questions={q["text"].pk: 0, q["likert"].pk: 1}),
    )
    seen = []
    original = importing._mark

    def spy(batch, **fields):
        original(batch, **fields)
        if "progress" in fields:
            seen.append((ImportBatch.objects.get(pk=batch.pk).status, fields["progress"]))

    monkeypatch.setattr(importing, "_mark", spy)
    importing.import_run(batch_id=batch.pk)
    statuses = [status for status, _p in seen]
    assert ImportBatch.Status.CHECKING in statuses and ImportBatch.Status.WRITING in statuses
    fractions = [p for _s, p in seen]
    assert fractions == sorted(fractions) and 0 < fractions[len(fractions) // 2] < 1
    assert len([p for p in fractions if 0 < p < 0.5]) >= 5  # every 100 rows while checking
    assert len([p for p in fractions if 0.5 < p < 1]) >= 5  # every chunk while writing
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.rows == 1000


def test_a_failing_write_leaves_nothing_and_says_so(open_survey, people, monkeypatch):
    survey, q = open_survey
    secretariat = people[Role.SECRETARIAT]
    monkeypatch.setattr(importing, "WRITE_CHUNK", 10)
    monkeypatch.setattr(importing, "WRITE_PAUSE", 0)
    upload = importing.import_upload_keep(
        actor=secretariat, survey=survey, name="途中で失敗.csv",
        text="a\n" + "".join(f"良い{i}\n" for i in range(50)),
    )  # fmt: skip
    batch = importing.import_start(
        actor=secretariat, survey=survey, upload=upload,
        mapping=importing.ColumnMap(questions={q["text"].pk: 0}),
    )  # fmt: skip
    calls = []
    write = importing._batch_write

    def broken(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        write(**kwargs)

    monkeypatch.setattr(importing, "_batch_write", broken)
    importing.import_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.message
    assert not Response.objects.filter(survey=survey).exists()  # the first chunks removed
    assert ImportUpload.objects.filter(pk=upload.pk).exists()  # the file kept for a retry


def test_an_import_in_the_background_is_seen_only_by_the_secretariat(
    open_survey, people, client_as
):
    survey, q = open_survey
    secretariat = people[Role.SECRETARIAT]
    upload = importing.import_upload_keep(actor=secretariat, survey=survey, name="a.csv",
                                          text="a\n良い\n")  # fmt: skip
    batch = importing.import_start(
        actor=secretariat, survey=survey, upload=upload,
        mapping=importing.ColumnMap(questions={q["text"].pk: 0}),
    )  # fmt: skip
    url = reverse("surveys:import_status", args=[survey.pk, batch.pk])
    assert client_as(Role.SECRETARIAT).get(url).status_code == 200
    assert client_as(Role.HQ_CHIEF).get(url).status_code == 403
    other, _q = make_survey(secretariat, title="別のアンケート")
    wrong = reverse("surveys:import_status", args=[other.pk, batch.pk])
    assert client_as(Role.SECRETARIAT).get(wrong).status_code == 404


def test_a_quote_left_open_is_refused_not_read_as_one_long_answer():
    """Every row after an unclosed quote was read into one cell (one answer holding the
    rest of the file, the other rows lost)."""
    with pytest.raises(ValidationError, match="not a readable CSV file"):
        importing.parse('所属,意見\n総務部,"窓口の改善\n福祉部,電子申請\n財政部,特になし\n')
