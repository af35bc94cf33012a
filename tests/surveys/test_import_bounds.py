"""The answer import reads at most MAX_ROWS rows and MAX_COLUMNS columns: the 5 MB upload
limit alone allowed 2.6 million rows (all in memory before any count) or a header of
hundreds of thousands of columns, each offered for every question on the mapping page.
Refused while reading, in the person's language, before the file is kept."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import importing
from kyokan.apps.surveys.models import ImportBatch, ImportUpload, Response
from tests.surveys import test_import
from tests.surveys.test_import import _good, _mapping

run_import = test_import.run_import  # the fixture

TOO_WIDE = "%s行目の列数が250列を超えているため、何も読み込んでいません。"
TOO_LONG = "見出しの下の行数が空の行も含めて200,000行を超えているため、何も読み込んでいません。"


def _upload(client, survey, text: str):
    return client.post(
        reverse("surveys:import", args=[survey.pk]),
        {"step": "upload", "file": SimpleUploadedFile("回答.csv", text.encode())},
    )


def _wide(good: str, *, extra: int, filled: bool) -> str:
    """The good file with ``extra`` more columns on row 3 (the first answer row but one)."""
    lines = good.split("\r\n")
    lines[2] += ("," + ("x" if filled else "")) * extra
    return "\r\n".join(lines)


def test_a_file_with_too_many_columns_is_refused_and_nothing_is_kept(
    open_survey, people, client_as
):
    survey, _q = open_survey
    client = client_as(Role.SECRETARIAT)  # Japanese
    # 700,000 columns fit in 5 MB
    text = ",".join(["設問"] * 700_000) + "\r\n" + "1\r\n"
    assert len(text.encode()) < importing.MAX_IMPORT_BYTES
    response = _upload(client, survey, text)
    assert response.status_code == 200
    assert TOO_WIDE % 1 in response.content.decode()
    # also a row below the header: one filled cell past the limit is enough
    response = _upload(client, survey, _wide(_good(people), extra=300, filled=True))
    assert TOO_WIDE % 3 in response.content.decode()
    assert not ImportUpload.objects.filter(survey=survey).exists()
    assert not Response.objects.filter(survey=survey).exists()


def test_a_kept_file_too_wide_is_not_imported(open_survey, people, settings):
    """A file kept before the limit (or by any other way) is read again by the import."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    survey, q = open_survey
    actor = people[Role.SECRETARIAT]
    upload = importing.import_upload_keep(
        actor=actor,
        survey=survey,
        name="回答.csv",
        text=_wide(_good(people), extra=importing.MAX_COLUMNS, filled=True),
    )
    mapping = importing.ColumnMap(questions={q["text"].pk: 1, q["single"].pk: 2})
    batch = importing.import_start(actor=actor, survey=survey, upload=upload, mapping=mapping)
    batch = importing.import_run(batch_id=batch.pk)
    assert batch.status == ImportBatch.Status.REJECTED
    assert "Row 3 has more than 250 columns; nothing was read." in batch.message
    assert not Response.objects.filter(survey=survey).exists()


def test_a_file_with_too_many_rows_is_refused(open_survey, client_as):
    survey, _q = open_survey
    client = client_as(Role.SECRETARIAT)
    # 200,001 rows of one answer: 0.4 MB (5 MB held 2.6 million)
    response = _upload(client, survey, "回答\n" + "1\n" * (importing.MAX_ROWS + 1))
    assert response.status_code == 200
    assert TOO_LONG in response.content.decode()
    assert not ImportUpload.objects.filter(survey=survey).exists()
    # blank rows count too (5 MB of line breaks were 5 million rows, 380 MB as lists)
    response = _upload(client, survey, "回答\n1\n" + "\n" * (importing.MAX_ROWS + 1))
    assert TOO_LONG in response.content.decode()


def test_rows_empty_to_excels_last_column_still_import(open_survey, people, client_as, run_import):
    """Excel saves rows as wide as the sheet's used range: empty cells past the limit are
    dropped, and the file imports as usual."""
    survey, q = open_survey
    client = client_as(Role.SECRETARIAT)
    text = _good(people).replace("\r\n", "," * 16_383 + "\r\n", 1)  # the header, to XFD
    text = _wide(text, extra=16_383, filled=False)
    assert _upload(client, survey, text).status_code == 302
    page = client.get(reverse("surveys:import", args=[survey.pk]))
    columns = page.context["form"].fields[f"q{q['text'].pk}"].choices
    assert len(columns) == 1 + importing.MAX_COLUMNS  # 「取り込まない」 and the columns
    run_import(client, survey, _mapping(q))
    assert Response.objects.filter(survey=survey).count() == 2
