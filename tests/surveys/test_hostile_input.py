"""Hostile or careless input: chart texts, spreadsheet formulas and control characters,
double submissions, tokens in the audit trail, who sees a survey, the import wizard's file."""

import csv
import io

import openpyxl
import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import charts, services
from kyokan.apps.surveys.models import ImportUpload, Question, Survey
from tests.surveys.conftest import make_survey

MATH = ["$x$", r"$\frac", "$$", r"\\", r"a\b$c", "$^$_{", r"$\alpha$ と $"]
HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "a\x02b\x01c\x1fd",
    # No NUL: PostgreSQL refuses it in text, and forms and the CSV decoder refuse it first.
]


@pytest.mark.parametrize("label", MATH)
def test_chart_texts_are_plain_text(label):
    chart = charts.BarChart(
        labels=(label, "b"), values=(1, 2), value_texts=("1", "2"), description=label, note=label
    )
    assert charts.svg(chart, uid=f"t{abs(hash(label))}").startswith("<svg")
    assert charts.png(chart)[:4] == b"\x89PNG"


def test_results_page_with_dollar_labels(people, client_as):
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat)
    services.question_create(
        actor=secretariat, survey=survey, kind="single", text="$\\frac", choices=MATH
    )
    services.survey_open(actor=secretariat, survey=survey)
    question = survey.questions.get(text="$\\frac")
    services.response_save(
        survey=survey, answers={q["text"].pk: "x", question.pk: 1}, user=people[Role.STAFF]
    )
    page = client_as(Role.SECRETARIAT).get(reverse("surveys:results", args=[survey.pk]))
    assert page.status_code == 200


def test_exports_neutralise_formulas_and_drop_control_characters(open_survey, people, client_as):
    survey, q = open_survey
    for role, text in zip(
        (
            Role.STAFF,
            Role.PROMOTER,
            Role.HQ_MEMBER,
            Role.HQ_CHIEF,
            Role.HQ_DEPUTY,
            Role.SECRETARIAT,
        ),
        HOSTILE,
        strict=True,
    ):
        services.response_save(survey=survey, answers={q["text"].pk: text}, user=people[role])
    client = client_as(Role.SECRETARIAT)
    body = b"".join(client.get(reverse("surveys:export_csv", args=[survey.pk])).streaming_content)
    texts = {row[5] for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))}
    for cell in ('\'=HYPERLINK("http://x","y")', "'+1", "'-1+2", "'@SUM(A1)", "'=1", "abcd"):
        assert cell in texts
    assert not any(c in body.decode() for c in "\x00\x01\x1f")
    xlsx = client.get(reverse("surveys:export_xlsx", args=[survey.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = [row[5] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells if c.value)
    assert {c.value for c in cells} >= {"abcd", '=HYPERLINK("http://x","y")'}


def test_a_double_submitted_creation_form_creates_one_survey(people, client_as):
    client = client_as(Role.SECRETARIAT)
    form = client.get(reverse("surveys:create")).context["form"]
    token = form["once"].value()
    assert token
    data = {
        "title": "二重送信",
        "opens_on": "2026-04-01",
        "closes_on": "2026-04-30",
        "audience": "all_staff",
        "once": token,
    }
    first = client.post(reverse("surveys:create"), data)
    second = client.post(reverse("surveys:create"), data)
    assert Survey.objects.filter(title="二重送信").count() == 1
    assert first["Location"] == second["Location"]
    survey = Survey.objects.get(title="二重送信")
    question = {"kind": "text", "text": "問1", "choices_text": ""}
    url = reverse("surveys:question_create", args=[survey.pk])
    token = client.get(url).context["form"]["once"].value()
    client.post(url, {**question, "once": token})
    client.post(url, {**question, "once": token})
    assert Question.objects.filter(survey=survey).count() == 1


def test_the_public_token_never_reaches_the_audit_trail(people):
    survey, _q = make_survey(people[Role.SECRETARIAT], audience="public", anonymous=True)
    services.survey_update(actor=people[Role.SECRETARIAT], survey=survey, title="新しい題")
    services.survey_open(actor=people[Role.SECRETARIAT], survey=survey)
    for event in AuditEvent.objects.all():
        assert survey.public_token not in event.canonical()
    created = AuditEvent.objects.get(target_type="surveys.survey", action="create")
    assert created.after["public_token"] == "(set)"


@pytest.mark.parametrize(
    "role, sees",
    [
        (Role.SECRETARIAT, True),  # runs surveys
        (Role.HQ_CHIEF, True),  # reads results
        (Role.HQ_MEMBER, True),
        (Role.PROMOTER, True),  # in the audience (chosen roles)
        (Role.STAFF, False),
        (Role.SYSADMIN, False),
    ],
)
def test_a_survey_is_seen_by_its_audience_and_those_who_run_or_read_surveys(
    people, client_as, role, sees
):
    secretariat = people[Role.SECRETARIAT]
    survey, _q = make_survey(secretariat, audience="roles", roles=["promoter"], title="推進員だけ")
    services.survey_open(actor=secretariat, survey=survey)
    client = client_as(role)
    detail = client.get(reverse("surveys:detail", args=[survey.pk]))
    assert detail.status_code == (200 if sees else 404)
    listing = client.get(reverse("surveys:list")).content.decode()
    assert ("推進員だけ" in listing) is sees
    if not sees:
        assert client.get(reverse("surveys:answer", args=[survey.pk])).status_code == 404


def test_the_import_wizard_keeps_the_file_in_the_database_not_the_session(open_survey, client_as):
    survey, _q = open_survey
    client = client_as(Role.SECRETARIAT)
    text = "あなたにとってDXとは,所属\n" + "".join(f"意見{i},総務部\n" for i in range(2000))
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "big.csv"
    url = reverse("surveys:import", args=[survey.pk])
    assert client.post(url, {"step": "upload", "file": upload}).status_code == 302
    stored = ImportUpload.objects.get(survey=survey)
    assert stored.text == text and stored.expires_at is not None
    for session in Session.objects.all():
        assert "意見1999" not in str(session.get_decoded())
        assert len(session.session_data) < 2000
    client.post(url, {"step": "discard"})
    assert not ImportUpload.objects.exists()


def test_expired_uploads_are_removed(open_survey, people):
    from datetime import timedelta

    from django.utils import timezone

    from kyokan.apps.surveys import importing

    survey, _q = open_survey
    old = importing.import_upload_keep(
        actor=people[Role.SECRETARIAT], survey=survey, name="a.csv", text="x"
    )
    ImportUpload.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(1))
    assert (
        importing.import_upload_get(actor=people[Role.SECRETARIAT], survey=survey, upload_id=old.pk)
        is None
    )
    importing.import_upload_keep(actor=people[Role.PROMOTER], survey=survey, name="b", text="y")
    assert not ImportUpload.objects.filter(pk=old.pk).exists()


def test_an_option_of_a_hundred_thousand_characters_is_refused(people, client_as):
    """It was stored and drawn on every answering page, chart and export."""
    client = client_as(Role.SECRETARIAT)
    survey, _questions = make_survey(people[Role.SECRETARIAT])
    url = reverse("surveys:question_create", args=[survey.pk])
    token = client.get(url).context["form"]["once"].value()
    data = {"kind": "single", "text": "窓口の満足度", "choices_text": "満足\n" + "あ" * 100_000,
            "once": token}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "200文字以内で入力してください。" in response.content.decode()
    assert not Question.objects.filter(survey=survey, text="窓口の満足度").exists()
    data["choices_text"] = "満足\n" + "あ" * 200
    assert client.post(url, data).status_code == 302
    assert Question.objects.filter(survey=survey, text="窓口の満足度").exists()


def test_a_submission_that_answers_nothing_is_refused_with_the_answers_page(people, client_as):
    # Every question optional and nothing answered was stored as a respondent who said nothing.
    from kyokan.apps.surveys.models import Response

    secretariat = people[Role.SECRETARIAT]
    survey, questions = make_survey(secretariat)
    services.question_update(actor=secretariat, question=questions["text"], required=False)
    services.survey_open(actor=secretariat, survey=survey)
    client = client_as(Role.STAFF)
    client.cookies["django_language"] = "ja"
    response = client.post(reverse("surveys:answer", args=[survey.pk]), {})
    assert response.status_code == 200
    assert "少なくとも1つの質問に回答してください。" in response.content.decode()
    assert not Response.objects.filter(survey=survey).exists()
    # One answer is enough.
    answered = client.post(
        reverse("surveys:answer", args=[survey.pk]), {f"q{questions['text'].pk}": "来庁不要"}
    )
    assert answered.status_code == 302 and Response.objects.filter(survey=survey).count() == 1
