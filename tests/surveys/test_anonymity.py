"""Anonymous surveys hold against everyone, the secretariat and whoever holds the database
and the secret key included: attempts to re-identify an answer must fail."""

import hashlib
import hmac

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse

from kyokan.apps.core.models import AuditEvent, User
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import selectors, services
from kyokan.apps.surveys.forms import SurveyForm
from kyokan.apps.surveys.models import Answer, Participation, Response
from tests.factories import UserFactory
from tests.surveys.conftest import make_survey


@pytest.fixture
def client_as(client_as):
    """The pages in English: these tests read the English messages (the Japanese ones are
    checked complete by tests/core/test_translations.py)."""

    def make(who):
        client = client_as(who)
        client.cookies["django_language"] = "en"
        return client

    return make


TEXTS = [f"意見{i:02d}" for i in range(20)]


@pytest.fixture
def anonymous(people):
    """An anonymous all-staff survey answered by 20 staff, one after the other."""
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat, anonymous=True, title="匿名調査")
    services.survey_open(actor=secretariat, survey=survey)
    staff = [UserFactory(roles=[Role.STAFF]) for _ in TEXTS]
    saved = []
    for person, text in zip(staff, TEXTS, strict=True):
        response = services.response_save(
            survey=survey, answers={q["text"].pk: text, q["likert"].pk: 3}, user=person
        )
        saved.append((person, response.pk, response.edit_code))
    return survey, q, saved


CONTENT = {"survey_id", "question_id", "response_id", "text", "number", "choices", "source"}


def _stored_values(survey) -> set[str]:
    """Every value stored in the survey's response and answer rows (but the survey, the
    question and what was answered), as text."""
    values = set()
    for model in (Response, Answer):
        rows = model.objects.filter(
            **{"survey" if model is Response else "response__survey": survey}
        )
        for row in rows.values():
            values |= {
                str(v) for k, v in row.items() if k not in CONTENT and v not in (None, "", {}, [])
            }
    return values


def test_a_response_stores_no_person_no_key_no_bureau_role_or_time(anonymous):
    survey, _q, saved = anonymous
    for row in Response.objects.filter(survey=survey).values():
        assert row["respondent_id"] is None and row["department_id"] is None
        assert row["role"] == "" and row["attributes"] == {}
        assert row["submitted_at"] is None and row["updated_at"] is None
        assert len(row["edit_code_hash"]) == 64
    # That they took part is stored apart, without a time and without a link.
    assert Participation.objects.filter(survey=survey).count() == len(saved)
    assert {f.name for f in Participation._meta.concrete_fields} == {
        "id",
        "survey",
        "user",
        "visitor_key",
    }


def test_ids_are_random_not_in_the_order_written(anonymous):
    survey, _q, saved = anonymous
    ids = [pk for _person, pk, _code in saved]
    assert ids != sorted(ids) and all(pk >= 2**32 for pk in ids)  # 20! orders: never by chance
    participations = list(
        Participation.objects.filter(survey=survey).order_by("pk").values_list("user", flat=True)
    )
    assert participations != [person.pk for person, _pk, _code in saved]
    answer_ids = list(
        Answer.objects.filter(response__survey=survey, text__startswith="意見")
        .order_by("text")
        .values_list("pk", flat=True)
    )
    assert answer_ids != sorted(answer_ids)


def test_the_secret_key_and_the_database_do_not_reidentify_an_answer(anonymous):
    """The attack: recompute every keyed hash of every user (as the old respondent key was
    made) and every plain hash of their id and login, and look for them in the rows."""
    survey, _q, saved = anonymous
    stored = _stored_values(survey)
    key = settings.SECRET_KEY.encode()
    for user in User.objects.all():
        candidates = {str(user.pk), user.username}
        for message in (
            f"survey:{survey.pk}:user:{user.pk}",
            f"survey:{survey.pk}:user:{user.username}",
            str(user.pk),
            user.username,
        ):
            candidates.add(hmac.new(key, message.encode(), hashlib.sha256).hexdigest())
            candidates.add(hashlib.sha256(message.encode()).hexdigest())
        assert not candidates & stored, user
    # and the edit code's hash is not reachable from the person: only from the code.
    codes = {services.edit_code_hash(code) for _p, _pk, code in saved}
    assert codes <= stored


def test_the_audit_trail_does_not_join_a_login_to_an_answer(anonymous, people):
    survey, _q, saved = anonymous
    ids = {str(pk) for _p, pk, _c in saved}
    events = list(AuditEvent.objects.order_by("id"))
    for event in events:
        text = event.canonical()
        assert not any(pk in text for pk in ids), event.summary
    taking_part = [e for e in events if e.target_type == "surveys.participation"]
    assert len(taking_part) == len(saved)
    assert {e.actor_id for e in taking_part} == {p.pk for p, _pk, _c in saved}  # who, not what
    assert all(e.target_id == str(survey.pk) for e in taking_part)  # the survey, no response
    # The response row holds no time at all, so the entries' times join nothing.
    assert not Response.objects.filter(survey=survey, submitted_at__isnull=False).exists()


def test_changing_answers_needs_the_edit_code_and_is_audited_without_the_person(anonymous):
    survey, q, saved = anonymous
    person, pk, code = saved[0]
    with pytest.raises(ValidationError, match="already answered"):
        services.response_save(survey=survey, answers={q["text"].pk: "別"}, user=person)
    with pytest.raises(ValidationError):
        services.response_save(
            survey=survey, answers={q["text"].pk: "別"}, user=person, edit_code="AAAA-AAAA"
        )
    services.response_save(
        survey=survey, answers={q["text"].pk: "書き直し"}, user=person, edit_code=code.lower()
    )
    assert Answer.objects.get(response=pk, question=q["text"]).text == "書き直し"
    event = AuditEvent.objects.filter(summary__startswith="Anonymous answers changed").get()
    assert event.actor is None and str(pk) not in event.canonical()
    assert selectors.my_response(survey, person) is None  # not findable by the person
    assert selectors.my_response(survey, person, edit_code=code).pk == pk


def test_the_edit_code_lives_only_in_the_browser(people, client_as):
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat, anonymous=True, title="匿名")
    services.survey_open(actor=secretariat, survey=survey)
    client = client_as(Role.STAFF)
    url = reverse("surveys:answer", args=[survey.pk])
    response = client.post(url, {"step": "answer", f"q{q['text'].pk}": "最初"})
    assert response.status_code == 302
    code = client.cookies[f"kyokan_survey_{survey.pk}"].value
    assert len(services.normalize_edit_code(code)) == services.EDIT_CODE_LENGTH
    page = client.get(url).content.decode()
    assert code in page  # shown to the respondent
    assert "最初" in page  # the form is filled from the code
    for session in Session.objects.all():
        data = str(session.get_decoded())
        assert code not in data and services.edit_code_hash(code) not in data
    # Another browser of the same person: asked for the code first.
    client.cookies.pop(f"kyokan_survey_{survey.pk}")
    page = client.get(url)
    assert page.context["locked"] and "最初" not in page.content.decode()
    wrong = client.post(url, {"step": "code", "edit_code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})
    assert wrong.context["code_form"].errors
    client.post(url, {"step": "code", "edit_code": code})
    client.post(url, {"step": "answer", f"q{q['text'].pk}": "二回目"})
    assert Response.objects.get(survey=survey).answers.get().text == "二回目"
    assert Response.objects.filter(survey=survey).count() == 1


def test_anonymous_or_named_is_fixed_once_answered(people):
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat, anonymous=True)
    services.survey_open(actor=secretariat, survey=survey)
    form = SurveyForm(instance=survey)
    assert not form.fields["anonymous"].disabled
    services.survey_update(actor=secretariat, survey=survey, anonymous=False)  # no answers yet
    services.survey_update(actor=secretariat, survey=survey, anonymous=True)
    services.response_save(survey=survey, answers={q["text"].pk: "x"}, user=people[Role.STAFF])
    assert SurveyForm(instance=survey).fields["anonymous"].disabled
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.survey_update(actor=secretariat, survey=survey, anonymous=False)
    survey.refresh_from_db()
    assert survey.anonymous


def test_the_form_cannot_switch_an_answered_survey_to_named(people, client_as):
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat, anonymous=True)
    services.survey_open(actor=secretariat, survey=survey)
    services.response_save(survey=survey, answers={q["text"].pk: "x"}, user=people[Role.STAFF])
    form = SurveyForm(instance=survey)
    data = {k: v for k, v in form.initial.items() if v is not None and k != "departments"}
    data.pop("anonymous", None)  # an unticked box: "named"
    data["opens_on"] = survey.opens_on.isoformat()
    data["closes_on"] = survey.closes_on.isoformat()
    client_as(Role.SECRETARIAT).post(reverse("surveys:edit", args=[survey.pk]), data)
    survey.refresh_from_db()
    assert survey.anonymous


def _answer_n(people, n):
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat, anonymous=True, title="小さな調査")
    services.survey_open(actor=secretariat, survey=survey)
    for i in range(n):
        services.response_save(
            survey=survey,
            answers={q["text"].pk: f"答{i}", q["single"].pk: 0, q["likert"].pk: 5},
            user=UserFactory(roles=[Role.STAFF]),
        )
    return survey, q


def test_fewer_than_5_respondents_are_never_shown_or_exported(people, client_as):
    survey, q = _answer_n(people, 4)
    client = client_as(Role.SECRETARIAT)
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Hidden: fewer than 5 respondents" in page
    assert "答0" not in page and "answers to" not in page.lower().split("hidden")[0][-1:]
    for name in ("export_csv", "export_xlsx"):
        response = client.get(reverse(f"surveys:{name}", args=[survey.pk]))
        assert response.status_code == 302  # refused with a message
    assert selectors.question_results(q["single"]) == {"n": 4, "suppressed": True}


def test_five_respondents_are_shown(people, client_as):
    survey, q = _answer_n(people, 5)
    client = client_as(Role.SECRETARIAT)
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "答0" in page
    assert client.get(reverse("surveys:export_csv", args=[survey.pk])).status_code == 200
    # An optional question answered by fewer than 5 stays hidden, in the page and the export.
    assert selectors.question_results(q["number"]) == {"n": 0}


def test_an_anonymous_cross_tab_has_nothing_to_break_down(people, client_as):
    survey, q = _answer_n(people, 6)
    page = client_as(Role.SECRETARIAT).get(
        reverse("surveys:crosstab", args=[survey.pk, q["single"].pk]) + "?by=role"
    )
    assert page.status_code == 200 and page.context["anonymous"]
    assert "Staff" not in page.content.decode().split("<main")[1]


def test_public_visitors_are_anonymous_too(people, client):
    secretariat = people[Role.SECRETARIAT]
    survey, q = make_survey(secretariat, audience="public", anonymous=False, title="公開")
    assert survey.anonymous  # a public survey is always anonymous
    services.survey_open(actor=secretariat, survey=survey)
    url = reverse("surveys:public_answer", args=[survey.public_token])
    client.get(url)
    client.post(url, {"step": "answer", f"q{q['text'].pk}": "市民の声"})
    response = Response.objects.get(survey=survey)
    assert response.source == Response.Source.PUBLIC and response.edit_code_hash
    session_key = client.session.session_key
    assert session_key not in str(Response.objects.filter(survey=survey).values().get())
    # the same browser cannot answer twice without its code
    client.cookies.pop(f"kyokan_survey_{survey.pk}")
    client.post(url, {"step": "answer", f"q{q['text'].pk}": "二回目"})
    assert Response.objects.filter(survey=survey).count() == 1
