"""What the first use of surveys showed (issue 9): a choice question with one option was a
500, a public-link survey was offered to every member of staff, the audience picker was not
ordered by the department tree, times were printed in UTC, and "my work" had no surveys."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kyokan.apps.analyses.models import AnalysisRun
from kyokan.apps.core.models import Department
from kyokan.apps.core.mywork import next_items, work_for
from kyokan.apps.core.roles import Role
from kyokan.apps.surveys import selectors, services
from kyokan.apps.surveys.forms import SurveyForm
from kyokan.apps.surveys.models import Participation, Question, Response, Survey
from tests.factories import BureauFactory, DivisionFactory, UserFactory
from tests.surveys.conftest import make_survey

# --- 6. a choice question needs two options: a form error, never a 500 ------------------------


@pytest.mark.parametrize("kind", [Question.Kind.SINGLE, Question.Kind.MULTIPLE])
@pytest.mark.parametrize("options", ["", "ひとつだけ", "同じ\n同じ"])
def test_a_choice_question_with_fewer_than_two_options_is_a_form_error(
    kind, options, people, client_as
):
    survey, _q = make_survey(people[Role.SECRETARIAT])
    client = client_as(Role.SECRETARIAT)
    before = survey.questions.count()
    response = client.post(
        reverse("surveys:question_create", args=[survey.pk]),
        {"kind": kind, "text": "研修を受けましたか", "choices_text": options},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get("choices_text"), form.errors
    assert survey.questions.count() == before
    # What was typed stays in the form.
    assert response.context["form"]["text"].value() == "研修を受けましたか"


def test_editing_a_choice_question_down_to_one_option_is_a_form_error(people, client_as):
    _survey, q = make_survey(people[Role.SECRETARIAT])
    client = client_as(Role.SECRETARIAT)
    response = client.post(
        reverse("surveys:question_edit", args=[q["single"].pk]),
        {"kind": "single", "text": q["single"].text, "choices_text": "窓口"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("choices_text")
    q["single"].refresh_from_db()
    assert q["single"].choices == ["窓口", "内部管理", "事業"]


# --- 7. a public-link survey is for the public ---------------------------------------------------


@pytest.fixture
def public_survey(people):
    survey, q = make_survey(people[Role.SECRETARIAT], audience="public", title="市民アンケート")
    services.survey_open(actor=people[Role.SECRETARIAT], survey=survey)
    return survey, q


def _answers(q):
    return {q["text"].pk: "窓口で待たずに済むとよい", q["single"].pk: 0}


STAFF_ROLES = [Role.STAFF, Role.PROMOTER, Role.HQ_MEMBER, Role.HQ_CHIEF, Role.SECRETARIAT]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_a_public_survey_is_not_offered_to_staff(role, public_survey, people, client_as):
    survey, _q = public_survey
    person = people[role]
    assert not services.is_in_audience(survey, person)
    assert survey not in selectors.open_for(person)
    assert not any(g["key"] == "surveys.answer" for g in work_for(person))
    client = client_as(role)
    home = client.get("/").content.decode()
    assert reverse("surveys:answer", args=[survey.pk]) not in home  # no 「あなたが対象」
    listing = client.get(reverse("surveys:list"))
    assert survey not in listing.context["open_for_me"]
    assert client.get(reverse("surveys:answer", args=[survey.pk])).status_code in (403, 404)


def test_staff_cannot_answer_a_public_survey_by_name(public_survey, people):
    survey, q = public_survey
    with pytest.raises(Exception, match="not addressed to you"):
        services.response_save(survey=survey, answers=_answers(q), user=people[Role.STAFF])
    assert not Response.objects.filter(survey=survey).exists()
    assert not Participation.objects.filter(survey=survey).exists()


def test_staff_answering_through_the_public_link_count_as_public_visitors(
    public_survey, people, client_as
):
    survey, q = public_survey
    client = client_as(Role.STAFF)  # signed in, and opening the public link
    url = reverse("surveys:public_answer", args=[survey.public_token])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"step": "answer", f"q{q['text'].pk}": "待たずに済むとよい", f"q{q['single'].pk}": "0"},
    )
    assert response.status_code == 302
    saved = Response.objects.get(survey=survey)
    assert saved.source == Response.Source.PUBLIC
    assert saved.respondent is None and saved.department is None and saved.role == ""
    participation = Participation.objects.get(survey=survey)
    assert participation.user is None and participation.visitor_key
    # The secretariat still sees the survey, as its manager, with the public link.
    manager = client_as(Role.SECRETARIAT)
    detail = manager.get(reverse("surveys:detail", args=[survey.pk]))
    assert detail.status_code == 200 and survey.public_token in detail.content.decode()


# --- 12. the audience picker follows the department tree --------------------------------------


def test_the_audience_departments_are_grouped_and_ordered_by_the_department_tree(db):
    # Created out of order, with names whose sorting differs from the tree's order.
    second = BureauFactory(name="総務部", sort_order=20)
    first = BureauFactory(name="経営戦略部", sort_order=10)
    DivisionFactory(name="人事課", parent=second, sort_order=20)
    DivisionFactory(name="総務課", parent=second, sort_order=10)
    DivisionFactory(name="広報広聴課", parent=first, sort_order=30)
    DivisionFactory(name="情報戦略課", parent=first, sort_order=10)
    DivisionFactory(name="企画政策課", parent=first, sort_order=20)
    DivisionFactory(name="廃止課", parent=first, sort_order=5, is_active=False)

    choices = list(SurveyForm().fields["departments"].choices)
    shown = [(group, [label for _pk, label in options]) for group, options in choices]
    expected = []
    for bureau in Department.objects.filter(parent=None).order_by("sort_order"):
        divisions = bureau.children.filter(is_active=True).order_by("sort_order")
        expected.append((bureau.name, [bureau.name, *[d.name for d in divisions]]))
    assert shown == expected
    assert shown == [
        ("経営戦略部", ["経営戦略部", "情報戦略課", "企画政策課", "広報広聴課"]),
        ("総務部", ["総務部", "総務課", "人事課"]),
    ]


def test_the_audience_picker_saves_the_chosen_departments(people):
    bureau = BureauFactory(name="福祉部")
    division = DivisionFactory(name="高齢福祉課", parent=bureau)
    today = timezone.localdate()
    form = SurveyForm(
        {
            "title": "福祉部アンケート",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=7)).isoformat(),
            "audience": "departments",
            "departments": [str(division.pk)],
        }
    )
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["departments"]) == [division]
    # An id beyond any database integer is a form error, not a server error.
    form = SurveyForm({**form.data, "departments": ["99999999999999999999"]})
    assert not form.is_valid() and "departments" in form.errors


# --- 13. times as people read them ---------------------------------------------------------------


def test_an_analysis_is_named_with_its_start_in_japan_time_and_wareki(people):
    _survey, q = make_survey(people[Role.SECRETARIAT])
    run = AnalysisRun.objects.create(question=q["text"])
    utc = datetime(2026, 12, 1, 8, 23, tzinfo=UTC)
    AnalysisRun.objects.filter(pk=run.pk).update(created_at=utc)
    run.refresh_from_db()
    with translation.override("ja"):
        assert str(run) == f"{q['text']}（令和8年（2026年）12月1日 17:23）"
    with translation.override("en"):
        assert "17:23" in str(run) and "2026" in str(run) and "08:23" not in str(run)


def test_the_non_respondents_page_gives_the_closing_date_in_wareki(open_survey, client_as):
    survey, _q = open_survey
    with translation.override("ja"):
        html = client_as(Role.SECRETARIAT).get(
            reverse("surveys:non_respondents", args=[survey.pk]), HTTP_ACCEPT_LANGUAGE="ja"
        )
    assert html.status_code == 200
    closes = survey.closes_on
    assert f"{closes.year}-{closes.month:02d}-{closes.day:02d}" not in html.content.decode()


# --- 16. "my work": the surveys the person has to answer ----------------------------------------


def test_my_work_lists_open_surveys_to_answer_with_their_closing_date(open_survey, people):
    survey, q = open_survey
    staff = people[Role.STAFF]
    groups = {g["key"]: g for g in work_for(staff)}
    items = groups["surveys.answer"]["items"]
    assert [(i.title, i.url, i.deadline) for i in items] == [
        (str(survey), reverse("surveys:answer", args=[survey.pk]), survey.closes_on)
    ]
    assert any(i.url == items[0].url for i in next_items(staff))
    # Answered: no longer waiting.
    services.response_save(survey=survey, answers={q["text"].pk: "市民の時間を減らす"}, user=staff)
    assert "surveys.answer" not in {g["key"] for g in work_for(staff)}


def test_my_work_leaves_out_surveys_not_for_the_person_closed_or_not_open_yet(people):
    secretary = people[Role.SECRETARIAT]
    hq_only, _q = make_survey(secretary, audience="hq", title="本部員アンケート")
    services.survey_open(actor=secretary, survey=hq_only)
    later, _q = make_survey(secretary, title="来月のアンケート")
    Survey.objects.filter(pk=later.pk).update(
        opens_on=timezone.localdate() + timedelta(days=3), state=Survey.State.OPEN
    )
    make_survey(secretary, title="準備中のアンケート")
    closed, _q = make_survey(secretary, title="終わったアンケート")
    services.survey_open(actor=secretary, survey=closed)
    services.survey_close(actor=secretary, survey=closed)
    staff = people[Role.STAFF]
    assert "surveys.answer" not in {g["key"] for g in work_for(staff)}
    titles = [i.title for g in work_for(people[Role.HQ_MEMBER]) for i in g["items"]]
    assert str(hq_only) in titles


def test_my_work_for_an_anonymous_survey_knows_who_took_part(people):
    secretary = people[Role.SECRETARIAT]
    survey, q = make_survey(secretary, anonymous=True, title="匿名アンケート")
    services.survey_open(actor=secretary, survey=survey)
    staff = UserFactory(roles=[Role.STAFF])
    assert [i.title for i in selectors.to_answer(staff)] == [str(survey)]
    services.response_save(survey=survey, answers={q["text"].pk: "紙を減らす"}, user=staff)
    assert selectors.to_answer(staff) == []
