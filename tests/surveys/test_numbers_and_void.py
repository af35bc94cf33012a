"""Number answers fit their column; a response can be voided; 0 is shown again as 0."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import importing, selectors, services
from kyokan.apps.surveys.forms import AnswerForm
from kyokan.apps.surveys.models import Answer, Response


@pytest.fixture
def client_as(client_as):
    """The pages in English: these tests read the English messages (the Japanese ones are
    checked complete by tests/core/test_translations.py)."""

    def make(who):
        client = client_as(who)
        client.cookies["django_language"] = "en"
        return client

    return make


def _save(survey, q, user, number):
    return services.response_save(
        survey=survey, answers={q["text"].pk: "はい", q["number"].pk: number}, user=user
    )


def test_the_limits_come_from_the_column():
    field = Answer._meta.get_field("number")
    assert services.number_limits() == (field.max_digits - field.decimal_places, 4)


@pytest.mark.parametrize(
    "value, code",
    [
        ("9999999999.99999", "decimal_places"),  # passed the old "below 1e10" check
        ("10000000000", "max_digits"),
        ("-10000000000", "max_digits"),
        ("1.23456", "decimal_places"),
        ("1e12", "max_digits"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ("abc", "invalid"),
    ],
)
def test_numbers_that_the_column_cannot_hold_are_refused(value, code):
    with pytest.raises(ValidationError) as exc:
        services.clean_number(value)
    assert exc.value.code == code


@pytest.mark.parametrize(
    "value, expected",
    [
        ("9999999999.9999", Decimal("9999999999.9999")),
        ("-9999999999.9999", Decimal("-9999999999.9999")),
        ("１，２３４．５", Decimal("1234.5")),
        ("0", Decimal("0")),
        ("1.50000", Decimal("1.5")),
    ],
)
def test_numbers_that_fit_are_accepted(value, expected):
    assert services.clean_number(value) == expected


def test_the_largest_number_is_saved_and_read_back_everywhere(open_survey, people, client_as):
    survey, q = open_survey
    _save(survey, q, people[Role.STAFF], "9999999999.9999")
    client = client_as(Role.SECRETARIAT)
    for name in ("results", "export_csv", "export_xlsx"):
        assert client.get(reverse(f"surveys:{name}", args=[survey.pk])).status_code == 200
    body = b"".join(client.get(reverse("surveys:export_csv", args=[survey.pk])).streaming_content)
    assert b"9999999999.9999" in body
    assert client_as(Role.STAFF).get(reverse("surveys:answer", args=[survey.pk])).status_code == 200


def test_the_answer_page_refuses_a_too_large_number_with_a_message(open_survey, client_as):
    survey, q = open_survey
    response = client_as(Role.STAFF).post(
        reverse("surveys:answer", args=[survey.pk]),
        {"step": "answer", f"q{q['text'].pk}": "はい", f"q{q['number'].pk}": "9999999999.99999"},
    )
    assert response.status_code == 200
    assert "at most 4 digits after the decimal point" in response.content.decode()
    assert not Response.objects.exists()


def test_the_import_refuses_a_too_large_number(open_survey, people):
    survey, q = open_survey
    with pytest.raises(importing.ImportRejected) as exc:
        importing.responses_import(
            actor=people[Role.SECRETARIAT],
            survey=survey,
            table=importing.Table(header=["t", "n"], rows=[["a", "1"], ["b", "99999999999"]]),
            mapping=importing.ColumnMap(questions={q["text"].pk: 0, q["number"].pk: 1}),
        )
    assert [(e.row, e.question) for e in exc.value.row_errors] == [(3, q["number"].text)]
    assert not Response.objects.exists()


@pytest.mark.parametrize("number", ["0", "100", "0.5", "-3"])
def test_a_number_is_shown_as_typed_when_the_answers_are_edited(open_survey, people, number):
    survey, q = open_survey
    response = _save(survey, q, people[Role.STAFF], number)
    existing = {a.question_id: a for a in response.answers.all()}
    form = AnswerForm(questions=survey.questions.all(), initial_answers=existing)
    assert form[f"q{q['number'].pk}"].value() == number


def test_a_voided_response_leaves_results_and_exports_and_is_audited(
    open_survey, people, client_as
):
    survey, q = open_survey
    bad = _save(survey, q, people[Role.STAFF], "5")
    _save(survey, q, people[Role.PROMOTER], "7")
    client = client_as(Role.SECRETARIAT)
    url = reverse("surveys:void", args=[survey.pk])
    # The first POST asks for confirmation and changes nothing.
    page = client.post(url, {"response": str(bad.pk), "reason": "誤入力"})
    assert page.status_code == 200 and 'name="confirmed"' in page.content.decode()
    assert Response.objects.get(pk=bad.pk).voided_at is None
    # A reason is required.
    page = client.post(url, {"response": str(bad.pk), "reason": "", "confirmed": "1"})
    assert page.status_code == 200 and Response.objects.get(pk=bad.pk).voided_at is None
    response = client.post(url, {"response": str(bad.pk), "reason": "誤入力", "confirmed": "1"})
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.voided_at is not None and bad.void_reason == "誤入力"
    event = AuditEvent.objects.get(summary="Survey response voided")
    assert event.actor == people[Role.SECRETARIAT] and event.after["reason"] == "誤入力"
    number = selectors.question_results(q["number"])
    assert (number["n"], number["min"], number["max"]) == (1, 7, 7)
    assert selectors.response_rate(survey)["responses"] == 1
    body = b"".join(client.get(reverse("surveys:export_csv", args=[survey.pk])).streaming_content)
    assert str(bad.pk).encode() not in body and str(bad.pk + 0).encode() not in body
    # The respondent sees it was voided and cannot change it.
    page = client_as(Role.STAFF).get(reverse("surveys:answer", args=[survey.pk]))
    assert "voided" in page.content.decode()
    with pytest.raises(ValidationError, match="voided"):
        _save(survey, q, people[Role.STAFF], "6")


@pytest.mark.parametrize("value", ["abc", "1" * 25, str(2**70), "-1"])
def test_voiding_an_unknown_id_is_a_form_error_not_a_500(open_survey, client_as, value):
    survey, _q = open_survey
    response = client_as(Role.SECRETARIAT).post(
        reverse("surveys:void", args=[survey.pk]), {"response": value, "reason": "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["response"]


def test_only_the_secretariat_voids(open_survey, client_as):
    survey, _q = open_survey
    for role in (Role.HQ_CHIEF, Role.STAFF, Role.PROMOTER):
        assert client_as(role).get(reverse("surveys:void", args=[survey.pk])).status_code == 403
