"""Answering: the audience, one response per person editable until closing, validation of
every kind of question, anonymity, and the public link with its abuse limit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import selectors, services
from kyokan.apps.surveys.models import Answer, Response
from tests.surveys.conftest import make_survey


def _good(q):
    return {
        q["text"].pk: "市民の手間を減らすために仕事のやり方を変えること",
        q["single"].pk: 0,
        q["multiple"].pk: [0, 2],
        q["likert"].pk: 4,
        q["number"].pk: "3",
    }


def test_one_response_per_person_editable_until_closing(open_survey, people):
    survey, q = open_survey
    staff = people[Role.STAFF]
    services.response_save(survey=survey, answers=_good(q), user=staff)
    services.response_save(survey=survey, answers={**_good(q), q["likert"].pk: 2}, user=staff)
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.get(question=q["likert"]).number == 2
    services.survey_close(actor=people[Role.SECRETARIAT], survey=survey)
    with pytest.raises(ValidationError, match="not accepting"):
        services.response_save(survey=survey, answers=_good(q), user=staff)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("text", "", "must be answered"),
        ("single", 7, "Choose from the options"),
        ("single", [0, 1], "Choose one option"),
        ("multiple", ["x"], "Choose from the options"),
        ("likert", 6, "from 1 to 5"),
        ("number", "三", "Enter a number"),
        ("text", "あ" * 10_001, "at most"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(open_survey, people, key, value, message):
    survey, q = open_survey
    with pytest.raises(ValidationError, match=message) as exc:
        services.response_save(
            survey=survey, answers={**_good(q), q[key].pk: value}, user=people[Role.STAFF]
        )
    assert f"q{q[key].pk}" in exc.value.message_dict
    assert not Response.objects.exists()


def test_the_audience_decides_who_may_answer(sysadmin, people):
    survey, q = make_survey(people[Role.SECRETARIAT], audience="hq", title="本部員アンケート")
    services.survey_open(actor=people[Role.SECRETARIAT], survey=survey)
    services.response_save(survey=survey, answers=_good(q), user=people[Role.HQ_MEMBER])
    with pytest.raises(ValidationError, match="not addressed to you"):
        services.response_save(survey=survey, answers=_good(q), user=people[Role.STAFF])
    rate = selectors.response_rate(survey)
    assert (rate["audience"], rate["answered"]) == (3, 1)
    assert {p.pk for p in rate["missing"]} == {people[Role.HQ_CHIEF].pk, people[Role.HQ_DEPUTY].pk}


def test_an_anonymous_survey_keeps_no_name_even_in_the_audit_trail(sysadmin, people):
    survey, q = make_survey(people[Role.SECRETARIAT], anonymous=True)
    services.survey_open(actor=people[Role.SECRETARIAT], survey=survey)
    staff = people[Role.STAFF]
    response = services.response_save(survey=survey, answers=_good(q), user=staff)
    assert response.respondent is None and response.department is None and not response.role
    assert response.submitted_at is None and response.updated_at is None
    assert not AuditEvent.objects.filter(target_type="surveys.response").exists()
    # Still one response per person: answering again needs the edit code, which replaces it.
    with pytest.raises(ValidationError, match="already answered"):
        services.response_save(survey=survey, answers=_good(q), user=staff)
    services.response_save(
        survey=survey, answers=_good(q), user=staff, edit_code=response.edit_code
    )
    assert Response.objects.count() == 1
    assert selectors.response_rate(survey)["missing"] == []


def test_answer_page_keeps_what_was_typed_on_error(client_as, open_survey):
    survey, q = open_survey
    client = client_as(Role.STAFF)
    client.cookies["django_language"] = "en"
    url = reverse("surveys:answer", args=[survey.pk])
    response = client.post(url, {f"q{q['number'].pk}": "たくさん", f"q{q['text'].pk}": "変革"})
    body = response.content.decode()
    assert response.status_code == 200 and "Enter a number" in body and "変革" in body
    assert not Response.objects.exists()
    ok = client.post(url, {f"q{q['text'].pk}": "変革", f"q{q['likert'].pk}": "5"})
    assert ok.status_code == 302 and Response.objects.count() == 1


def test_citizens_and_experts_cannot_answer_a_staff_survey(client_as, open_survey):
    survey, _q = open_survey
    for role in (Role.CITIZEN, Role.EXPERT):
        assert client_as(role).get(reverse("surveys:answer", args=[survey.pk])).status_code == 403


def test_public_link_one_response_per_visitor_and_a_limit_per_address(client, people, settings):
    survey, q = make_survey(people[Role.SECRETARIAT], audience="public", anonymous=True)
    services.survey_open(actor=people[Role.SECRETARIAT], survey=survey)
    url = reverse("surveys:public_answer", args=[survey.public_token])
    assert client.get(url).status_code == 200
    data = {f"q{q['text'].pk}": "紙の申請をなくしてほしい"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {f"q{q['text'].pk}": "やはり窓口も残して"}).status_code == 302
    assert Response.objects.count() == 1  # the same visitor replaced their answer
    assert Answer.objects.get(question=q["text"]).text == "やはり窓口も残して"
    from kyokan.apps.surveys.views import surveys as views

    for _ in range(views.PUBLIC_SUBMISSIONS_PER_HOUR):
        client.cookies.clear()
        client.post(url, data)
    count = Response.objects.count()
    client.cookies.clear()
    client.post(url, data)
    assert Response.objects.count() == count  # refused past the limit
    bad = client.get(reverse("surveys:public_answer", args=["wrong-token"]))
    assert bad.status_code == 404


def test_a_survey_cannot_open_without_questions_and_questions_freeze(people):
    secretary = people[Role.SECRETARIAT]
    survey, q = make_survey(secretary)
    empty, _ = make_survey(secretary, title="空")
    for question in empty.questions.all():
        services.question_delete(actor=secretary, question=question)
    with pytest.raises(ValidationError, match="at least one question"):
        services.survey_open(actor=secretary, survey=empty)
    services.survey_open(actor=secretary, survey=survey)
    with pytest.raises(ValidationError, match="before the survey opens"):
        services.question_update(actor=secretary, question=q["text"], text="変更")


def test_a_second_round_repeats_the_questions(people):
    secretary = people[Role.SECRETARIAT]
    first, _q = make_survey(secretary, round_label="事前")
    second = services.survey_create(
        actor=secretary, title=first.title, opens_on=first.opens_on, closes_on=first.closes_on,
        audience="all_staff", previous_round=first, round_label="事後",
    )  # fmt: skip
    assert list(second.questions.values_list("text", flat=True)) == list(
        first.questions.values_list("text", flat=True)
    )


def test_choice_questions_need_two_distinct_options(people):
    survey, _q = make_survey(people[Role.SECRETARIAT])
    with pytest.raises(ValidationError):
        services.question_create(
            actor=people[Role.SECRETARIAT], survey=survey, kind="single", text="x", choices=["a"]
        )
    with pytest.raises(ValidationError):
        services.question_create(
            actor=people[Role.SECRETARIAT], survey=survey, kind="multiple", text="y",
            choices=["a", "a"],
        )  # fmt: skip
